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

export type AuthDeps = { db: Db; clock: Clock; lifetimes: SessionLifetimes };

export function cookieAuth(deps: AuthDeps) {
  return async (request: FastifyRequest) => {
    const token = request.cookies[SESSION_COOKIE];
    request.auth = token ? (await findSession(deps.db, token, deps.clock.now(), deps.lifetimes)) ?? null : null;
  };
}

export function bearerAuth(deps: AuthDeps) {
  return async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    const match = header === undefined ? null : /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(header);
    request.auth = match?.[1] ? (await findSession(deps.db, match[1], deps.clock.now(), deps.lifetimes)) ?? null : null;
  };
}

/** API guard: a session, whose temporary password has been changed unless `allowMustChange`. */
export function requireSession(options: { allowMustChange?: boolean } = {}) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    if (request.auth === null) throw unauthorized('error.session_required');
    if (request.auth.mustChangePassword && !options.allowMustChange) throw forbidden('error.must_change_password');
  };
}
