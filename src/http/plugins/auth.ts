/**
 * Finds the session of a request: pages read the session cookie (`kelid_session`,
 * http/cookies.ts), the API reads only `Authorization: Bearer` (so the API needs no CSRF
 * defence: browsers never attach it by themselves).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.ts';
import { forbidden, unauthorized } from '../../errors.ts';
import type { Clock } from '../../identity/clock.ts';
import { parseLocale } from '../../config.ts';
import { parseArabicDigits } from '../../i18n/format.ts';
import { endSession, findSession, type SessionLifetimes } from '../../identity/sessions.ts';
import { REMEMBERED_SECONDS } from './i18n.ts';
import '../types.ts';

/**
 * What a form's CSRF token is tied to (app.ts): the session cookie the request came with, or
 * none (never empty: @fastify/csrf refuses that). Every form, the ways in too: a sign-in, a
 * registration's or a recovery's last step replace the session they are posted in, so a token
 * tied to none there let a planted CSRF cookie sign a signed-in person in as someone else (an
 * attacker review of a version that did so, for a second tab's sake: that tab's form, drawn
 * before the first tab signed in, is refused and says to reload, which finds the person signed in).
 */
export const csrfBinding = (request: FastifyRequest): string => {
  const session = request.cookies[request.server.siteCookies.session];
  return session === undefined ? 'none' : `session:${session}`;
};

export type AuthDeps = { db: Db; clock: Clock; lifetimes: SessionLifetimes };

export function cookieAuth(deps: AuthDeps) {
  return async (request: FastifyRequest) => {
    const token = request.cookies[request.server.siteCookies.session];
    request.auth = token ? (await findSession(deps.db, token, deps.clock.now(), deps.lifetimes)) ?? null : null;
  };
}

/**
 * The cookies a browser still holds under the names they had before they were `__Host-`
 * (http/cookies.ts `previous`, behind HTTPS). Nothing reads them any more, so the session one
 * names would live on unseen, and with it the apps it signed in to: at a shared computer the
 * next person's sign-in would not sign the last one out of them (an attacker review). The
 * first page that sees one ends that session, noted for the apps (the ended-sessions watch
 * signs its provider session out of them within seconds, as any ending), keeps the language
 * and digits chosen under the new names, and clears them all. Once the last of those sessions
 * has run out (`KELID_SESSION_MAX_HOURS` after the upgrade), no browser sends a session one.
 */
export function endPreviousCookies(deps: AuthDeps) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const cookies = request.server.siteCookies;
    const { previous, attributes } = cookies;
    const held = previous?.names.filter((name) => request.cookies[name] !== undefined) ?? [];
    if (previous === undefined || held.length === 0) return;
    const token = request.cookies[previous.session];
    const session = token !== undefined && SESSION_TOKEN.test(token) ? await findSession(deps.db, token, deps.clock.now(), deps.lifetimes) : undefined;
    if (session) await endSession(deps.db, session.id);
    // As headers of the reply (as i18n.ts does): the provider's pages are answered past Fastify's onSend.
    const set = (name: string, value: string, maxAge: number) => reply.header('set-cookie', request.server.serializeCookie(name, value, { ...attributes, maxAge }));
    for (const name of held) set(name, '', 0);
    // A choice of language or digits made before goes on under the new name, unless one was made since.
    for (const [from, to, valid] of [[previous.lang, cookies.lang, parseLocale], [previous.digits, cookies.digits, parseArabicDigits]] as const) {
      const value = valid(request.cookies[from]);
      if (value !== undefined && request.cookies[to] === undefined) set(to, value, REMEMBERED_SECONDS);
    }
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
