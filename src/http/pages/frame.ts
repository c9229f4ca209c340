/** Page helpers shared by every page: the frame (header, CSRF token) and the sign-in redirects. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { textProblem } from '../../domain/text.ts';
import type { Acting } from '../../identity/memberships.ts';
import type { SafeHtml } from '../../views/html.ts';
import type { PageFrame } from '../../views/layout.ts';
import { csrfBinding } from '../plugins/auth.ts';
import '../types.ts';

/** An app's hints about the person: an ID token (names and roles), an identifier (a national ID). */
export const PERSON_HINTS = ['id_token_hint', 'login_hint', 'logout_hint'] as const;

/**
 * The address a page repeats in its language links: the request's, less an app's hints about
 * the person (PERSON_HINTS: an app's sign-out sends an ID token, names and roles, which has no
 * business in a page, and a refusal drawn on that address, a rate limit or hostile text, must
 * not put it there either; an app that posted its request kept them out of the address on
 * purpose: federation/form-post.ts).
 */
export function pageAddress(url: string): string {
  const mark = url.indexOf('?');
  if (mark === -1) return url;
  const pathname = url.slice(0, mark);
  // Parsed as the provider parses it: `id%5Ftoken%5Fhint` is an id_token_hint too.
  const params = new URLSearchParams(url.slice(mark + 1));
  if (!PERSON_HINTS.some((name) => params.has(name))) return url;
  for (const name of PERSON_HINTS) params.delete(name);
  const rest = params.toString();
  return rest === '' ? pathname : `${pathname}?${rest}`;
}

export function frameFor(request: FastifyRequest, reply: FastifyReply, title: string, acting: Acting | null = null): PageFrame {
  const session = request.auth;
  return {
    locale: request.locale,
    formatting: request.formatting,
    t: request.t,
    title,
    path: pageAddress(request.url),
    csrfToken: reply.generateCsrf({ userInfo: csrfBinding(request) }),
    adminRole: request.adminScope?.role ?? null,
    user: session && {
      name: `${session.firstName} ${session.lastName}`,
      role: acting?.current ? request.t(`role.${acting.current.role}`) : null,
      organization: acting?.current?.organization.name ?? null,
      canSwitchRole: (acting?.memberships.length ?? 0) > 1,
    },
  };
}

/** Pages with something shown once or personal (a password, a seed, a history): never cached. */
export const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

export function sendPage(reply: FastifyReply, page: SafeHtml, status = 200) {
  return reply.code(status).type('text/html; charset=utf-8').send(page.value);
}

/** `/sign-in?return_to=/role` style links that keep the place to come back to. */
export function withReturnTo(path: string, returnTo: string | undefined): string {
  return returnTo === undefined ? path : `${path}?return_to=${encodeURIComponent(returnTo)}`;
}

/**
 * Reads string fields of a form body. The first field that cannot be used is answered with its
 * error: a repeated field or a non-string `error.field_invalid`, text that is not well-formed
 * (bytes that were not UTF-8, a lone surrogate) `error.text_malformed`, a NUL
 * `error.field_invalid` (domain/text.ts textProblem), so that a route marked `ownTextCheck`
 * (plugins/input-text.ts) draws its form again with the error beside the field.
 */
export function formFields<K extends string>(body: unknown, names: readonly K[]): Record<K, string> | { invalid: K; code: 'error.field_invalid' | 'error.text_malformed' } {
  const source = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const out = {} as Record<K, string>;
  for (const name of names) {
    const value = source[name] ?? '';
    if (typeof value !== 'string') return { invalid: name, code: 'error.field_invalid' };
    const problem = textProblem(value);
    if (problem) return { invalid: name, code: problem === 'text.nul' ? 'error.field_invalid' : 'error.text_malformed' };
    out[name] = value;
  }
  return out;
}
