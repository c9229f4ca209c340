/**
 * The provider's endpoints a browser is sent to take POST as well as GET (OIDC Core 3.1.2.1:
 * the authorization endpoint MUST; RP-Initiated Logout 1.0 §2: the end-session endpoint
 * MUST). Upstream takes POST only with its cookies `SameSite=None` (`enableHttpPostMethods`),
 * which would send them with every cross-site request; Kelid keeps them `Lax` and answers such
 * a form with a 303 to the same endpoint by GET (http/oidc.ts): the browser's own top-level GET
 * then carries the cookies, and the request is the one a GET would have made. The parameters
 * travel sealed (AES-256-GCM, for two minutes), not in the address: an app posts a sign-out
 * to keep its ID token (a person's claims) out of the browser's history and the proxies' logs,
 * and a sign-in to keep its `login_hint` out of them (an attacker review found the 303 put
 * them back in the address).
 */
import { isUtf8 } from 'node:buffer';
import { open, seal } from '../identity/secret-box.ts';

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

/** The one parameter of a sealed form's address, and how long it works (the browser follows the 303 at once). */
const SEALED = 'kelid_form';
const SEALED_MS = 120_000;

/**
 * Added to a posted authorization request (one of the provider's `extraParams`): its
 * `login_hint` is not passed on in an address to fill in the sign-in form (http/pages/interaction.ts),
 * which would put back in the browser's history what the app posted to keep out of it.
 */
export const POSTED_PARAM = 'kelid_posted';

/**
 * The address (`/oidc/auth?kelid_form=…`) a form posted to `path` is answered with: the form's
 * parameters, in their order, after any the address had (a parameter given in both is then
 * given twice, which the provider refuses as it refuses any parameter given twice), sealed
 * under `key` with the endpoint and the moment they stop working. Undefined for a form that is
 * not UTF-8 (a GET's query would be refused for it) or makes too long an address.
 */
export function formAsGet(key: Buffer, path: string, form: Buffer, now: Date): string | undefined {
  if (!isUtf8(form)) return undefined;
  const url = new URL(path, 'http://provider');
  for (const [name, value] of new URLSearchParams(form.toString('utf8'))) url.searchParams.append(name, value);
  if (url.pathname === '/auth') url.searchParams.append(POSTED_PARAM, '1');
  // The parameters as text, not escaped: Persian escaped for an address is three times as long.
  const sealed = seal(key, JSON.stringify({ endpoint: url.pathname, params: [...url.searchParams], until: now.getTime() + SEALED_MS }));
  const address = `/oidc${url.pathname}?${SEALED}=${sealed}`;
  return address.length > MAX_ADDRESS_LENGTH ? undefined : address;
}

/**
 * For a GET at `path` (`/auth?kelid_form=…`, the provider's path with its query) that is a
 * sealed form's address: the provider's path with the form's parameters (`/auth?client_id=…`),
 * or `'refused'` when the seal is not Kelid's, was made for the other endpoint, or has run out.
 * Undefined for any other address (the provider's to answer as it is).
 */
export function sealedForm(key: Buffer, method: string, path: string, now: Date): string | 'refused' | undefined {
  // Nothing to split on the endpoints apps' servers call (POST /token: thousands a second).
  if (method !== 'GET' || !path.includes(`?${SEALED}=`)) return undefined;
  const [pathname = '', query = ''] = path.split('?', 2);
  if (!FORM_ENDPOINTS.has(pathname) || !query.startsWith(`${SEALED}=`)) return undefined;
  const parsed = parse(open(key, query.slice(SEALED.length + 1)));
  if (!parsed || parsed.endpoint !== pathname || parsed.until <= now.getTime()) return 'refused';
  const params = new URLSearchParams(parsed.params).toString();
  return params === '' ? pathname : `${pathname}?${params}`;
}

const isPair = (pair: unknown): pair is [string, string] => Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'string' && typeof pair[1] === 'string';

function parse(text: string | undefined): { endpoint: string; params: [string, string][]; until: number } | undefined {
  try {
    const value = JSON.parse(text ?? 'null') as { endpoint?: unknown; params?: unknown; until?: unknown } | null;
    return value && typeof value.endpoint === 'string' && Array.isArray(value.params) && value.params.every(isPair) && typeof value.until === 'number'
      ? { endpoint: value.endpoint, params: value.params, until: value.until } : undefined;
  } catch {
    return undefined;
  }
}
