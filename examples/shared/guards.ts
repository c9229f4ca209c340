/** Who is signed in, and the preHandlers that guard the apps' pages and forms. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Person } from './claims.ts';
import { formExpired } from './pages.ts';
import { csrfMatches } from './session.ts';

/** Form fields, first value of each name (see the parser in app.ts). */
export type Form = Readonly<Record<string, string | undefined>>;

export const signedInPerson = (request: FastifyRequest): Person | null => request.session?.signedIn?.person ?? null;

/** Only a path of this app: never `//host` or `/\host`, which browsers take for another site. */
export function safeReturnPath(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) && value.length <= 512 ? value : '/';
}

/** For pages that need someone signed in: others go to sign in, and come back here after. */
export async function requirePerson(request: FastifyRequest, reply: FastifyReply) {
  if (signedInPerson(request)) return;
  return reply.redirect(`/sign-in?${new URLSearchParams({ return: safeReturnPath(request.url) })}`, 303);
}

/** For the apps' forms: a signed-in session and its CSRF token, or "the form has expired". */
export async function verifyForm(request: FastifyRequest, reply: FastifyReply) {
  const body = request.body as Form | undefined;
  if (signedInPerson(request) && csrfMatches(request.session, body?.['_csrf'])) return;
  return formExpired(request, reply);
}
