/**
 * Signing in and out, the same in every app:
 *
 *   GET  /sign-in          a new session holding a pending sign-in → Kelid's authorization endpoint
 *                          (`?return=` a path to come back to; `?another=1` asks Kelid for the
 *                          sign-in form even when it has a session)
 *   GET  /callback         Kelid's answer → checked (state, nonce, PKCE) → a new, signed-in session
 *                          → back where the person was
 *   GET  /sign-in-problem  what went wrong (refused, failed, unavailable), at an address that can be
 *                          reloaded and switched to another language, which the callback's cannot
 *   POST /sign-out         ends this app's session → Kelid's end-session endpoint → back to /
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ExampleConfig } from './config.ts';
import { safeReturnPath, signedInPerson, type Form } from './guards.ts';
import type { Locale } from './locale.ts';
import { newPendingSignIn, SignInError, type Kelid, type SignInFailure } from './oidc.ts';
import { formExpired, signInProblemPage } from './pages.ts';
import { closeSession, csrfMatches, openSession, PENDING_LIFETIME_MS, SIGNED_IN_LIFETIME_MS } from './session.ts';
import type { AppTexts } from './texts.ts';

export type SignInOptions = {
  config: ExampleConfig;
  kelid: Kelid;
  texts: Readonly<Record<Locale, AppTexts>>;
  now: () => Date;
};

const failures: readonly SignInFailure[] = ['refused', 'failed', 'unavailable'];

export function signInRoutes(app: FastifyInstance, { config, kelid, texts, now }: SignInOptions): void {
  const problem = (request: FastifyRequest, reply: FastifyReply, error: unknown) => {
    const reason = error instanceof SignInError ? error.reason : 'failed';
    if (reason !== 'refused') request.log.warn({ err: error }, 'sign-in did not complete');
    return reply.redirect(`/sign-in-problem?reason=${reason}`, 303);
  };

  app.get<{ Querystring: { return?: string; another?: string } }>('/sign-in', async (request, reply) => {
    const returnTo = safeReturnPath(request.query.return);
    const another = request.query.another === '1';
    if (signedInPerson(request) && !another) return reply.redirect(returnTo, 303);
    const session = openSession(request, reply, PENDING_LIFETIME_MS);
    session.pending = newPendingSignIn(returnTo, now());
    try {
      const url = await kelid.signInUrl(session.pending, { locale: request.appLocale, forceLogin: another });
      return await reply.redirect(url.href, 303);
    } catch (error) {
      return problem(request, reply, error);
    }
  });

  app.get('/callback', async (request, reply) => {
    const pending = request.session?.pending;
    if (!pending) {
      // A reload of the callback, or a stale tab: whoever is signed in stays signed in.
      if (signedInPerson(request)) return reply.redirect('/', 303);
      return problem(request, reply, new SignInError('failed', 'no sign-in in progress'));
    }
    // The address Kelid redirected to, from our own configuration, never from the Host header.
    const callbackUrl = new URL(config.redirectUri);
    const query = request.url.indexOf('?');
    callbackUrl.search = query === -1 ? '' : request.url.slice(query);
    try {
      const signedIn = await kelid.finishSignIn(callbackUrl, pending);
      openSession(request, reply, SIGNED_IN_LIFETIME_MS).signedIn = signedIn;
      return await reply.redirect(pending.returnTo, 303);
    } catch (error) {
      closeSession(request, reply);
      return problem(request, reply, error);
    }
  });

  app.get<{ Querystring: { reason?: string } }>('/sign-in-problem', async (request, reply) => {
    const reason = failures.find((failure) => failure === request.query.reason) ?? 'failed';
    return signInProblemPage(request, reply, reason, texts[request.appLocale].audience);
  });

  app.post<{ Body: Form }>('/sign-out', async (request, reply) => {
    const session = request.session;
    if (session && !csrfMatches(session, request.body?.['_csrf'])) return formExpired(request, reply);
    closeSession(request, reply);
    // Also when this app's session had already ended: Kelid's may not have, and the person
    // asked to leave. Kelid asks them whether to leave Kelid too.
    const kelidSignOut = await kelid.signOutUrl(request.appLocale);
    return reply.redirect(kelidSignOut?.href ?? '/', 303);
  });
}
