/**
 * What leaves the provider, made Kelid's: a koa middleware on upstream's app that looks at each
 * answer once upstream has made it.
 *
 * - Upstream's server_error for a database that cannot serve for now (a failover: `unavailable`
 *   holds those requests, from the provider's `server_error` event) becomes a 503 with Retry-After.
 * - An address with no endpoint gets Kelid's not-found page, or an OAuth-shaped JSON error.
 * - After upstream's end_session_confirm with `logout=yes` (the person confirmed signing out of
 *   everything), the Kelid session of this browser ends too, before the answer leaves.
 * - An app's sign-out with no one signed in to the provider: upstream answers with its own
 *   self-submitting English form (response_modes/form_post.js) carrying logout=yes. Kelid's
 *   page replaces it: the question "sign out?" when this browser has a live Kelid session (a
 *   link from any site must not end it unasked), else, in the person's language, the way on to
 *   the app (nothing to end).
 */
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { UNAVAILABLE_RETRY_SECONDS } from '../db/unavailable.ts';
import { oauthError } from '../domain/oauth-error.ts';
import type { SessionOf } from './policy.ts';

/** What the provider draws for people: Kelid's own pages, from the HTTP layer. */
export type ProviderViews = {
  error(ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }): string;
  /** `form`: upstream's markup (its logoutSource), or the place and xsrf of a form for the view to draw. */
  logoutConfirm(ctx: KoaContextWithOIDC, form: string | { action: string; xsrf: string }): string;
  /** `stillSignedIn`: the person left the app alone, and is signed in to Kelid still. */
  loggedOut(ctx: KoaContextWithOIDC, page: { stillSignedIn: boolean }): string;
  /** An app's sign-out with no one signed in here: the way on to the provider's confirmation (`action`, with its `xsrf`). */
  signedOutContinue(ctx: KoaContextWithOIDC, form: { action: string; xsrf: string }): string;
};

type Middleware = Parameters<Provider['use']>[0];

/** The middleware above; `unavailable`: the requests whose server_error was a database away for now. */
export function kelidAnswers(
  deps: { views: ProviderViews; sessionOf: SessionOf; onLogout(ctx: KoaContextWithOIDC): Promise<void> }, unavailable: WeakSet<object>,
): Middleware {
  return async (ctx, next) => {
    await next();
    if (unavailable.has(ctx)) {
      // Upstream answered server_error (500), as a page (renderError) or JSON: the same, as a
      // 503 with Retry-After and OAuth's temporarily_unavailable (RFC 6749 §4.1.2.1).
      const out = oauthError(503, 'the service is unavailable for a moment; try again in a few seconds');
      ctx.status = 503;
      ctx.set('retry-after', String(UNAVAILABLE_RETRY_SECONDS));
      ctx.body = typeof ctx.body === 'string' ? deps.views.error(ctx as KoaContextWithOIDC, out) : out;
      return;
    }
    if (ctx.status === 404 && ctx.body == null) {
      // No endpoint at this address (upstream leaves koa's plain-text "Not Found"): Kelid's page
      // in the person's language for a browser, an OAuth-shaped JSON error for an app.
      const out = oauthError(404, 'there is no endpoint at this address');
      ctx.body = ctx.accepts('json', 'html') === 'html' ? deps.views.error(ctx as KoaContextWithOIDC, out) : out;
      ctx.status = 404;
      return;
    }
    const oidc = (ctx as KoaContextWithOIDC).oidc as KoaContextWithOIDC['oidc'] | undefined;
    if (oidc?.route === 'end_session_confirm' && oidc.params?.logout && ctx.status === 303) await deps.onLogout(ctx as KoaContextWithOIDC);
    if (oidc?.route === 'end_session' && ctx.status === 200 && oidc.session && !oidc.session.accountId) {
      const xsrf = (oidc.session.state as { secret?: string } | undefined)?.secret;
      if (!xsrf) return;
      const action = oidc.urlFor('end_session_confirm');
      ctx.body = await deps.sessionOf(ctx as KoaContextWithOIDC)
        ? deps.views.logoutConfirm(ctx as KoaContextWithOIDC, { action, xsrf })
        : deps.views.signedOutContinue(ctx as KoaContextWithOIDC, { action, xsrf });
    }
  };
}
