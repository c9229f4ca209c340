/**
 * Finds the session of a request: pages read the `kelid_session` cookie, the API reads only
 * `Authorization: Bearer` (so the API needs no CSRF defence: browsers never attach it by themselves).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.ts';
import { forbidden, unauthorized } from '../../errors.ts';
import type { Clock } from '../../identity/clock.ts';
import { findSession, type SessionLifetimes } from '../../identity/sessions.ts';
import '../types.ts';

export const SESSION_COOKIE = 'kelid_session';

/** What a token for an action in the session is tied to: the session cookie the request came with, or none (never empty: @fastify/csrf refuses that). */
export const sessionCsrfBinding = (request: FastifyRequest): string => {
  const session = request.cookies[SESSION_COOKIE];
  return session === undefined ? 'none' : `session:${session}`;
};

/**
 * The signed-out way in (sign-in, registration, recovery, set password): their forms act in no
 * session, so their tokens are tied to none, and a form left open in a second tab still works
 * after a sign-in in the first (tied to the session, it lost what the person had typed).
 */
const ENTRY_PAGES = /^\/(?:sign-in|register|recover|set-password)(?:[/?]|$)/;

/** What a form's CSRF token is tied to (app.ts), by where it is posted: none on the ways in, else the session (sessionCsrfBinding). */
export const csrfBinding = (request: FastifyRequest): string => (ENTRY_PAGES.test(request.url) ? 'none' : sessionCsrfBinding(request));

export type AuthDeps = { db: Db; clock: Clock; lifetimes: SessionLifetimes };

export function cookieAuth(deps: AuthDeps) {
  return async (request: FastifyRequest) => {
    const token = request.cookies[SESSION_COOKIE];
    request.auth = token ? (await findSession(deps.db, token, deps.clock.now(), deps.lifetimes)) ?? null : null;
  };
}

/**
 * The token of an `Authorization: Bearer <token>` header (RFC 6750 2.1), or undefined: the
 * scheme's name in any case (RFC 9110 11.1), one or more spaces after it, none inside the token.
 */
export function bearerToken(header: string | undefined): string | undefined {
  return header === undefined ? undefined : /^bearer +(\S+) *$/i.exec(header)?.[1];
}

const SESSION_TOKEN = /^[A-Za-z0-9_-]{20,100}$/;

export function bearerAuth(deps: AuthDeps) {
  return async (request: FastifyRequest) => {
    const token = bearerToken(request.headers.authorization);
    request.auth = token !== undefined && SESSION_TOKEN.test(token) ? (await findSession(deps.db, token, deps.clock.now(), deps.lifetimes)) ?? null : null;
  };
}

/** API guard: a session, whose temporary password has been changed unless `allowMustChange`. */
export function requireSession(options: { allowMustChange?: boolean } = {}) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    if (request.auth === null) throw unauthorized('error.session_required');
    if (request.auth.mustChangePassword && !options.allowMustChange) throw forbidden('error.must_change_password');
  };
}
