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
 * - An authorization answered with `response_mode=form_post`: upstream's page (the same
 *   form_post.js: English, no language, a script to press its button) becomes Kelid's, in the
 *   person's language, pressed by auto-submit.js or by hand: the same fields to the same address.
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
  /** The answer to an app (`response_mode=form_post`): `fields` posted to `action`, the app's redirect URI. */
  formPost(ctx: KoaContextWithOIDC, form: { action: string; fields: [name: string, value: string][] }): string;
};

/** Upstream's htmlSafe (helpers/html_safe.js) undone: the text it escaped. */
const unescapeHtml = (text: string) => text.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_, entity: string) =>
  ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" })[entity]!);

/**
 * The address and fields of upstream's form_post page (response_modes/form_post.js), or
 * undefined when the markup is not that page (a new upstream version): then it is left as it is.
 */
export function readFormPost(markup: string): { action: string; fields: [string, string][] } | undefined {
  if (!markup.includes('<title>Submitting Callback</title>')) return undefined;
  const action = /<form method="post" action="([^"]*)">/.exec(markup)?.[1];
  if (action === undefined) return undefined;
  const fields = [...markup.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)"\/>/g)]
    .map((match): [string, string] => [unescapeHtml(match[1]!), unescapeHtml(match[2]!)]);
  return { action: unescapeHtml(action), fields };
}

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
    if (typeof ctx.body === 'string' && oidc?.route !== 'end_session' && ctx.type === 'text/html') {
      const form = readFormPost(ctx.body);
      if (form) ctx.body = deps.views.formPost(ctx as KoaContextWithOIDC, form);
    }
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
