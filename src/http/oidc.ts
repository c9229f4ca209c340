/**
 * Mounts the OpenID provider at /oidc (DESIGN.md: an encapsulated scope that hijacks the reply
 * before Fastify reads the body, so the provider reads it itself). What the provider sees is
 * made trustworthy here, the one place that knows both sides:
 *
 * - the host and scheme are the public URL's (KELID_PUBLIC_URL): discovery and every endpoint
 *   advertise it whatever Host a client sent, behind any proxy;
 * - the client address is Fastify's `request.ip`, the one KELID_TRUST_PROXY lets proxies tell:
 *   koa (with `proxy` on, for the scheme) would take X-Forwarded-For's first entry, which is
 *   whatever the client wrote, into `ctx.ip` and from there into the audit;
 * - `originalUrl` keeps the /oidc prefix (without it, upstream advertises /token);
 * - a query whose text cannot be stored (input-text.ts) is refused before the provider keeps it;
 * - a form posted to the authorization or end-session endpoint is answered with a 303 to the
 *   same endpoint by GET, its parameters sealed (federation/form-post.ts), the provider's
 *   cookies staying `Lax`; that GET's parameters are unsealed here for the provider;
 * - `prompt=none` from a browser signed in to Kelid goes through Kelid's interaction, marked
 *   silent (federation/silent.ts), so a provider session not made yet is no `login_required`;
 * - a browser's address over its per-minute limit gets the 429 page of every other route at the
 *   authorization and sign-out endpoints (apps' servers are not counted: below);
 * - the security headers set for every answer (CSP, no framing…) go on the provider's too;
 * - the provider's own pages (errors, the logout question) are drawn by Kelid's views, in the
 *   request's language.
 */
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { isDatabaseUnavailable, UNAVAILABLE_RETRY_SECONDS } from '../db/unavailable.ts';
import { oauthError } from '../domain/oauth-error.ts';
import { AppError } from '../errors.ts';
import type { Federation, ProviderViews } from '../federation/provider.ts';
import { silentAuthorization } from '../federation/silent.ts';
import { formAsGet, isEndpointForm, MAX_FORM_BYTES, sealedForm } from '../federation/form-post.ts';
import type { Clock } from '../identity/clock.ts';
import { translator, type TextKey } from '../i18n/catalogs.ts';
import { localeOf, type Formatting } from '../i18n/format.ts';
import { errorPage } from '../views/pages/error.ts';
import { formPostPage, loggedOutPage, logoutConfirmPage, signedOutContinuePage } from '../views/pages/oidc.ts';
import { pageAddress } from './pages/frame.ts';
import type { PageFrame } from '../views/layout.ts';
import { isProviderPage } from './plugins/answer-form.ts';
import { parseUrlEncoded, textProblemIn } from './plugins/input-text.ts';

const requestFormatting = new WeakMap<IncomingMessage, Formatting>();

/** The most of a body oidc-provider reads (its lib/shared/selective_body.js, 56 KiB). */
const PROVIDER_BODY_BYTES = 56 * 1024;

/**
 * The address of the request as the browser sent it (with /oidc; koa's `originalUrl` is the
 * provider's, without), as a page repeats it (pageAddress: no `id_token_hint`).
 */
function pagePath(ctx: KoaContextWithOIDC): string {
  return pageAddress((ctx.req as IncomingMessage & { originalUrl?: string }).originalUrl ?? `/oidc${ctx.url}`);
}

/** The locale Kelid chose for this request (i18n plugin), for pages the provider draws. */
function frameOf(ctx: KoaContextWithOIDC, defaultFormatting: Formatting, title: TextKey): PageFrame {
  const formatting = requestFormatting.get(ctx.req) ?? defaultFormatting;
  const t = translator(formatting);
  return { locale: localeOf(formatting), formatting, t, title: t(title), path: pagePath(ctx), csrfToken: '', user: null };
}

// OAuth error codes in words; anything else is the generic text with the code shown beside it.
const errorTexts: Record<string, TextKey> = {
  temporarily_unavailable: 'error.unavailable',
  invalid_request: 'oidc.error.invalid_request',
  invalid_client: 'oidc.error.invalid_client',
  invalid_redirect_uri: 'oidc.error.invalid_redirect_uri',
  access_denied: 'oidc.error.access_denied',
  invalid_scope: 'oidc.error.invalid_scope',
  unauthorized_client: 'oidc.error.unauthorized_client',
  login_required: 'oidc.error.login_required',
  not_found: 'error.not_found',
};

export function providerViews(defaultFormatting: Formatting): ProviderViews {
  return {
    error(ctx, out) {
      const frame = frameOf(ctx, defaultFormatting, 'error.title');
      const text = errorTexts[out.error];
      return errorPage(frame, text ? frame.t(text) : `${frame.t('oidc.error.other')} (${out.error})`).value;
    },
    logoutConfirm: (ctx, form) => logoutConfirmPage(frameOf(ctx, defaultFormatting, 'oidc.logout_title'), form).value,
    loggedOut: (ctx, page) => loggedOutPage(frameOf(ctx, defaultFormatting, 'oidc.logged_out_title'), page).value,
    signedOutContinue: (ctx, form) => signedOutContinuePage(frameOf(ctx, defaultFormatting, 'oidc.logout_title'), form).value,
    formPost: (ctx, form) => formPostPage(frameOf(ctx, defaultFormatting, 'oidc.back_to_app_title'), form).value,
  };
}

/** A request's body, or undefined past `limit` bytes (the rest is left unread). */
async function readForm(raw: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of raw) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * `formKey` seals a form posted to the authorization or end-session endpoint for its 303
 * (federation/form-post.ts); `clock` says when the seal runs out.
 */
export async function oidcRoutes(app: FastifyInstance, deps: { federation: Federation; publicUrl: string; formKey: Buffer; clock: Clock; log: (error: unknown) => void }) {
  const publicUrl = new URL(deps.publicUrl);

  const limit = app.rateLimit();
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    // The per-address limit (KELID_RATE_LIMIT_PER_MINUTE), on the same counters as every other
    // route's, for the pages a person's browser is sent to: @fastify/rate-limit hooks each route,
    // and this hook answers before any route's own hooks would run. The endpoints apps' servers
    // call are not counted: one app's server speaks for thousands of people from one address
    // (the exam app on exam morning); each call there is authenticated, and load shedding guards
    // the process.
    const page = isProviderPage(request.url);
    if (page) await limit.call(app, request, reply);
    // Its bytes while it arrives (plugins/bodies-per-address.ts), read here or by the provider
    // (at most PROVIDER_BODY_BYTES): the endpoints apps call are not flood-guarded, so there
    // every body counts, apart from the pages' and the rest of the app's.
    await app.holdBody(request, reply, PROVIDER_BODY_BYTES, page ? 'page' : 'endpoint');
    const problem = textProblemIn(request.query);
    // The app's refusal: OAuth's error naming the parameter for the endpoints apps' servers call; for the pages a
    // browser is sent to, a page that says the app's link is broken (the person typed none of it: no field to name).
    if (problem) throw page ? new AppError(400, 'oidc.error.invalid_request') : new AppError(400, problem.code, { field: problem.field });
    const raw = request.raw;
    // The provider's own path: without /oidc, always from the root.
    let original = raw.url ?? '/';
    let path = original.slice('/oidc'.length) || '/';
    if (!path.startsWith('/')) path = `/${path}`;
    if (isEndpointForm(request.method, path, request.headers['content-type'])) {
      const form = await readForm(raw, MAX_FORM_BYTES);
      const address = form === undefined ? undefined : formAsGet(deps.formKey, path, form, deps.clock.now());
      if (address === undefined) throw new AppError(400, 'oidc.error.invalid_request');
      return reply.redirect(address, 303);
    }
    // The GET a posted form was answered with: its parameters unsealed, and checked as a query is above.
    const opened = sealedForm(deps.formKey, request.method, path, deps.clock.now());
    if (opened !== undefined) {
      // Read by the router's own query parser, as the GET's query was.
      if (opened === 'refused' || textProblemIn(parseUrlEncoded(opened.split('?', 2)[1] ?? ''))) throw new AppError(400, 'oidc.error.invalid_request');
      path = opened;
      original = `/oidc${opened}`;
    }
    reply.hijack();
    // The rate limit's headers, which it set on Fastify's reply (the request id and the security
    // headers are on the raw answer already); none on the endpoints apps' servers call, whose
    // thousands of grants a second need not copy every header over.
    if (page) for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined && reply.raw.getHeader(name) !== value) reply.raw.setHeader(name, value as number | string | readonly string[]);
    requestFormatting.set(raw, request.formatting);
    // prompt=none from a browser signed in to Kelid: through Kelid's interaction, without a page (federation/silent.ts).
    const silent = request.cookies[request.server.siteCookies.session] === undefined ? undefined : silentAuthorization(raw.method ?? '', path);
    // Upstream reads its mount path as what originalUrl has before url: the two differ by /oidc only.
    (raw as IncomingMessage & { originalUrl?: string }).originalUrl = silent === undefined ? original : `/oidc${silent}`;
    raw.url = silent ?? path;
    raw.headers.host = publicUrl.host;
    raw.headers['x-forwarded-proto'] = publicUrl.protocol.slice(0, -1);
    delete raw.headers['x-forwarded-host'];
    raw.headers['x-forwarded-for'] = request.ip;
    try {
      await deps.federation.handle(raw, reply.raw);
    } catch (error) {
      // Before the provider (its signing keys looked up): a database away for a failover is a 503 too.
      const unavailable = isDatabaseUnavailable(error);
      if (!unavailable) deps.log(error);
      if (!reply.raw.headersSent) {
        reply.raw.writeHead(unavailable ? 503 : 500, { 'content-type': 'application/json', ...(unavailable ? { 'retry-after': String(UNAVAILABLE_RETRY_SECONDS) } : {}) });
      }
      if (!reply.raw.writableEnded) reply.raw.end(JSON.stringify(oauthError(unavailable ? 503 : 500, request.t(unavailable ? 'error.unavailable' : 'error.unexpected', { seconds: UNAVAILABLE_RETRY_SECONDS }))));
    }
  });
  // Routes for the hook to run on; the hook answers every request before they would.
  const unreachable = async () => undefined;
  app.all('/', unreachable);
  app.all('/*', unreachable);
}
