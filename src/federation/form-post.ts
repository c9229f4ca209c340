/**
 * The provider's endpoints a browser is sent to take POST as well as GET (OIDC Core 3.1.2.1:
 * the authorization endpoint MUST; RP-Initiated Logout 1.0 §2: the end-session endpoint
 * MUST). Upstream takes POST only with its cookies `SameSite=None` (`enableHttpPostMethods`),
 * which would send them with every cross-site request; Kelid keeps them `Lax` and answers such
 * a form with a 303 to the same endpoint by GET with the same parameters (http/oidc.ts): the
 * browser's own top-level GET then carries the cookies, and the request is the one a GET
 * would have made.
 */
import { isUtf8 } from 'node:buffer';

/** The provider's paths (as it sees them, without /oidc) that take a form by POST. */
const FORM_ENDPOINTS = new Set(['/auth', '/session/end']);

/** The largest form taken (bytes), and the longest address made of it (characters): browsers and proxies cap addresses. */
export const MAX_FORM_BYTES = 8_192;
const MAX_ADDRESS_LENGTH = 16_384;

/** Whether a request to the provider's `path` (`/auth?…`) is a form to answer by GET (formAsGet). */
export function isEndpointForm(method: string, path: string, contentType: string | undefined): boolean {
  const pathname = path.split('?', 1)[0]!;
  const type = (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
  return method === 'POST' && FORM_ENDPOINTS.has(pathname) && type === 'application/x-www-form-urlencoded';
}

/**
 * The address (`/oidc/auth?…`) a form posted to `path` is answered with: the form's parameters,
 * in their order, after any the address had (a parameter given in both is then given twice,
 * which the provider refuses as it refuses any parameter given twice). Undefined for a form
 * that is not UTF-8 (a GET's query would be refused for it) or makes too long an address.
 */
export function formAsGet(path: string, form: Buffer): string | undefined {
  if (!isUtf8(form)) return undefined;
  const url = new URL(path, 'http://provider');
  for (const [name, value] of new URLSearchParams(form.toString('utf8'))) url.searchParams.append(name, value);
  const address = `/oidc${url.pathname}${url.search}`;
  return address.length > MAX_ADDRESS_LENGTH ? undefined : address;
}
