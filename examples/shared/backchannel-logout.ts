/**
 * POST /backchannel-logout: Kelid tells the app, server to server, that someone signed out of
 * Kelid (OpenID Connect Back-Channel Logout 1.0). The body is `logout_token=<JWT>`; a token
 * that passes every check (logout-token.ts) ends the app's sessions of that Kelid session, and
 * the answer is 200. Anything else (no token, a bad one, a body that is not a form) is 400
 * `{"error":"invalid_request"}` (§2.8), never a 500, so Kelid logs a refusal, not a crash.
 *
 * No cookie and no CSRF token here: the caller is Kelid, not a browser, and the signed token
 * is the proof. Nothing a browser could forge ends a session without Kelid's signature.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Form } from './guards.ts';
import { LogoutTokenError } from './logout-token.ts';
import type { Kelid } from './oidc.ts';

const refuse = (reply: FastifyReply, description: string) =>
  reply.code(400).header('cache-control', 'no-store').type('application/json; charset=utf-8')
    .send({ error: 'invalid_request', error_description: description });

export function backchannelLogoutRoute(app: FastifyInstance, { kelid }: { kelid: Kelid }): void {
  app.post<{ Body: Form | undefined }>('/backchannel-logout', {
    // A body Fastify cannot take (another content type, too large, malformed) is the sender's error too.
    errorHandler: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      request.log.warn({ err: error }, 'back-channel logout refused: unreadable body');
      return refuse(reply, 'the body must be a form with logout_token');
    },
  }, async (request, reply) => {
    // The token comes as a form (§2.5); the app's other parsers (JSON) are not for Kelid's calls.
    if (!request.headers['content-type']?.toLowerCase().startsWith('application/x-www-form-urlencoded')) return refuse(reply, 'the body must be a form with logout_token');
    const token = request.body?.['logout_token'];
    if (typeof token !== 'string' || token === '') return refuse(reply, 'logout_token is missing');
    let notice;
    try {
      notice = await kelid.verifyLogoutToken(token);
    } catch (error) {
      request.log.warn({ err: error }, 'back-channel logout refused');
      return refuse(reply, error instanceof LogoutTokenError ? `logout_token refused: ${error.message}` : 'logout_token refused');
    }
    const ended = request.server.sessions.store.endSignedIn(notice);
    request.log.info({ ended }, 'back-channel logout');
    return reply.code(200).header('cache-control', 'no-store').send();
  });
}
