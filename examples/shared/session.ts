/**
 * The app's own session: a random id in a signed, HttpOnly, SameSite=Lax cookie; the data
 * stays in memory on the server (one process, and a restart signs everyone out, which a
 * demo can afford). A session holds either a sign-in in progress (state, nonce, PKCE
 * verifier) or the signed-in person, and a CSRF token for the app's forms.
 *
 * SameSite=Lax alone does not stop forged form posts here: the apps and Kelid share a site
 * (localhost, or one ministry domain), and Lax guards only across sites. Hence the token.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import cookie from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { LogoutNotice } from './logout-token.ts';
import type { PendingSignIn, SignedIn } from './oidc.ts';

export type Session = {
  readonly id: string;
  readonly csrf: string;
  readonly expiresAt: number;
  pending: PendingSignIn | null;
  signedIn: SignedIn | null;
};

/** A sign-in in progress lives ten minutes; a signed-in session eight hours, however busy. */
export const PENDING_LIFETIME_MS = 10 * 60_000;
export const SIGNED_IN_LIFETIME_MS = 8 * 3_600_000;

const token = () => randomBytes(32).toString('base64url');

export class SessionStore {
  readonly #sessions = new Map<string, Session>();
  #sweptAt = 0;

  create(now: number, lifetimeMs: number): Session {
    this.#sweep(now);
    const session: Session = { id: token(), csrf: token(), expiresAt: now + lifetimeMs, pending: null, signedIn: null };
    this.#sessions.set(session.id, session);
    return session;
  }

  get(id: string, now: number): Session | null {
    const session = this.#sessions.get(id);
    if (session === undefined) return null;
    if (session.expiresAt > now) return session;
    this.#sessions.delete(id);
    return null;
  }

  destroy(id: string): void {
    this.#sessions.delete(id);
  }

  /**
   * Kelid signed someone out (back-channel logout): every signed-in session of that Kelid
   * session (`sid`, and of that person when `sub` is given too), or, with only `sub`, every
   * one of that person (OIDC Back-Channel Logout 1.0 §2.7). Answers how many ended. A walk
   * over the sessions in memory: a demo holds few.
   */
  endSignedIn(notice: LogoutNotice): number {
    if (notice.sid === null && notice.sub === null) return 0;
    let ended = 0;
    for (const [id, session] of this.#sessions) {
      const signedIn = session.signedIn;
      if (signedIn === null) continue;
      const sameSub = notice.sub === null || signedIn.person.sub === notice.sub;
      const sameSid = notice.sid === null || signedIn.sid === notice.sid;
      if (sameSub && sameSid) {
        this.#sessions.delete(id);
        ended += 1;
      }
    }
    return ended;
  }

  /** At most once a minute, drop what has expired, so abandoned sign-ins do not pile up. */
  #sweep(now: number): void {
    if (now - this.#sweptAt < 60_000) return;
    this.#sweptAt = now;
    for (const [id, session] of this.#sessions) if (session.expiresAt <= now) this.#sessions.delete(id);
  }
}

export type SessionOptions = { cookieName: string; secure: boolean; now: () => Date };

declare module 'fastify' {
  interface FastifyRequest {
    session: Session | null;
  }
  interface FastifyInstance {
    sessions: { store: SessionStore; options: SessionOptions };
  }
}

export const sessionPlugin = fp<SessionOptions>(async (app, options) => {
  // The signing key lives as long as the sessions it protects: this process.
  await app.register(cookie, { secret: randomBytes(32) });
  const store = new SessionStore();
  app.decorate('sessions', { store, options });
  app.decorateRequest('session', null);
  app.addHook('onRequest', async (request) => {
    const signed = request.cookies[options.cookieName];
    if (signed === undefined) return;
    const { valid, value } = request.unsignCookie(signed);
    if (valid && value !== null) request.session = store.get(value, options.now().getTime());
  });
}, { name: 'example-session' });

/** A fresh session (a new id, never the old one: no fixation), replacing the request's. */
export function openSession(request: FastifyRequest, reply: FastifyReply, lifetimeMs: number): Session {
  const { store, options } = request.server.sessions;
  if (request.session) store.destroy(request.session.id);
  const session = store.create(options.now().getTime(), lifetimeMs);
  request.session = session;
  reply.setCookie(options.cookieName, session.id, { signed: true, httpOnly: true, sameSite: 'lax', secure: options.secure, path: '/' });
  return session;
}

export function closeSession(request: FastifyRequest, reply: FastifyReply): void {
  const { store, options } = request.server.sessions;
  if (request.session) store.destroy(request.session.id);
  request.session = null;
  reply.clearCookie(options.cookieName, { httpOnly: true, sameSite: 'lax', secure: options.secure, path: '/' });
}

/** Constant-time comparison of a form's `_csrf` field with the session's token. */
export function csrfMatches(session: Session | null, submitted: unknown): boolean {
  if (session === null || typeof submitted !== 'string') return false;
  const expected = Buffer.from(session.csrf);
  const given = Buffer.from(submitted);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
