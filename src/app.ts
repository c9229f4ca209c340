/**
 * buildApp(deps) → a Fastify instance with every route; main.ts listens, tests inject().
 * Cross-cutting plugins are registered here; pages and the API are encapsulated scopes
 * with their own authentication (cookie vs bearer), body parsers and CSRF rules.
 */
import zlib from 'node:zlib';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import rateLimit from '@fastify/rate-limit';
import compress from '@fastify/compress';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { BatchRunner } from './admin/batch-runner.ts';
import type { Config } from './config.ts';
import type { Db, Listen, PoolUse } from './db/database.ts';
import { withoutPersonalData } from './domain/text.ts';
import type { Clock } from './identity/clock.ts';
import type { PasswordHasher } from './identity/passwords.ts';
import type { Keys } from './secrets.ts';
import { lingeringConnectionsCloser } from './http/closing.ts';
import { keepForwardedForBare } from './http/forwarded-for.ts';
import { adminApi } from './http/api/admin.ts';
import { adminClientsApi } from './http/api/admin-clients.ts';
import { announcementsApi } from './http/api/announcements.ts';
import { adminImportsApi } from './http/api/admin-imports.ts';
import { captchaApi } from './http/api/captcha.ts';
import { flowsApi } from './http/api/flows.ts';
import { openApiPlugin, openApiRoute } from './http/api/openapi.ts';
import { sessionsApi } from './http/api/sessions.ts';
import { supportApi } from './http/api/support.ts';
import { adminUserPages } from './http/pages/admin-users.ts';
import { adminUserAccessPages } from './http/pages/admin-user-access.ts';
import { adminAppointmentPages } from './http/pages/admin-appointments.ts';
import { auditPages } from './http/pages/audit.ts';
import { mfaPages } from './http/pages/mfa.ts';
import { adminPasswordPages } from './http/pages/admin-passwords.ts';
import { adminInvitationPages } from './http/pages/admin-invitations.ts';
import { qrSignInPages } from './http/pages/qr-sign-in.ts';
import { requestForLog } from './http/request-log.ts';
import { adminImportPages } from './http/pages/admin-import.ts';
import { adminOneRosterPages } from './http/pages/admin-oneroster.ts';
import { adminApprovalPages } from './http/pages/admin-approvals.ts';
import { adminClientPages } from './http/pages/admin-clients.ts';
import { adminAnnouncementPages } from './http/pages/admin-announcements.ts';
import { adminSupportPages } from './http/pages/admin-support.ts';
import { supportPages } from './http/pages/support.ts';
import { profilePages } from './http/pages/profile.ts';
import { otpLoginPages } from './http/pages/otp-login.ts';
import { recoveryPages } from './http/pages/recovery.ts';
import { sessionPages } from './http/pages/sessions.ts';
import { registrationPages } from './http/pages/registration.ts';
import { setPasswordPages } from './http/pages/set-password.ts';
import { OPS_PATHS, PROBE_PATHS, opsRoutes } from './http/ops.ts';
import { createMetrics } from './http/metrics.ts';
import { loadShedding } from './http/plugins/load-shedding.ts';
import { captchaImageRoutes } from './http/pages/captcha-image.ts';
import { oidcRoutes } from './http/oidc.ts';
import { scimRoutes } from './http/scim.ts';
import { interactionPages } from './http/pages/interaction.ts';
import { wire } from './wiring.ts';
import { startEndedSessionsWatch } from './federation/logout.ts';
import { devOutboxRoutes } from './http/dev-outbox.ts';
import { devOutboxChannels } from './notify/channels/from-config.ts';
import type { Notifier } from './identity/notifier.ts';
import { changePasswordPages } from './http/pages/change-password.ts';
import { frameFor } from './http/pages/frame.ts';
import { homePages } from './http/pages/home.ts';
import { roleChoicePages } from './http/pages/role-choice.ts';
import { signInPages } from './http/pages/sign-in.ts';
import { guidePages } from './http/pages/guides.ts';
import { bearerAuth, cookieAuth, csrfBinding, endPreviousCookies } from './http/plugins/auth.ts';
import { siteCookies } from './http/cookies.ts';
import { clientErrorHandler } from './http/plugins/client-errors.ts';
import { describeError, frameworkErrorHandler, sendError } from './http/plugins/error-pages.ts';
import { i18nPlugin } from './http/plugins/i18n.ts';
import { formBodies, inputTextPlugin, parseUrlEncoded } from './http/plugins/input-text.ts';
import { securityHeaders, securityHeadersPlugin } from './http/plugins/security-headers.ts';
import { assetRoutes } from './http/plugins/assets.ts';
import { assetsByUrl } from './http/asset-table.ts';
import { bodiesPerAddress } from './http/plugins/bodies-per-address.ts';
import { newRequestId, requestIdPlugin } from './http/plugins/request-id.ts';
import './http/types.ts';

export type AppDeps = {
  config: Config;
  db: Db;
  /** The database's notifications (DatabaseHandle.listen): what other processes changed, such as an app's secret. Without them nothing that can change is kept in the process. */
  listen?: Listen;
  clock: Clock;
  hasher: PasswordHasher;
  keys: Keys;
  logger?: FastifyServerOptions['logger'];
  /** Writes messages to the outbox (main.ts: outboxNotifier(dispatcher), which also wakes the dispatcher). */
  notifier?: Notifier;
  /** Background password batches (main.ts passes its own to resume unfinished ones at start). */
  batches?: BatchRunner;
  /** The PostgreSQL pool's use, for /metrics (DatabaseHandle.poolUse). */
  poolUse?: (() => PoolUse) | undefined;
};

/** How often each process looks for Kelid sessions ended elsewhere whose apps are still to be told (federation/logout.ts). */
const ENDED_SESSIONS_EVERY_MS = 2000;
/** Brotli quality for answers made per request (pages, JSON): chosen by measurement (docs/decisions.md, Compression). */
const DYNAMIC_BROTLI_QUALITY = 4;

const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;

/**
 * An unexpected error as the logs get it: its kind, code, message and stack, the numbers and
 * addresses in them taken out (domain/text.ts withoutPersonalData: PostgreSQL's messages quote
 * the value they refused), and nothing else (a driver's error also carries its statement's
 * parameters, PGlite's `params`: personal data).
 */
function errorForLog(error: unknown): { type: string; message: string; stack?: string; code?: unknown } {
  if (!(error instanceof Error)) return { type: typeof error, message: withoutPersonalData(String(error)) };
  const { code } = error as { code?: unknown };
  return { type: error.name, message: withoutPersonalData(error.message), ...(error.stack ? { stack: withoutPersonalData(error.stack) } : {}), ...(code === undefined ? {} : { code }) };
}

/** How long a request may take to arrive, headers and body (ms): see `requestTimeout` below. */
export const REQUEST_TIMEOUT_MS = 300_000;

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const cookies = siteCookies(config.publicUrl);
  const https = cookies.attributes.secure;
  // Worked out once (helmet, at start-up): every answer gets them, Fastify's own refusals included.
  const headers = securityHeaders({ https });
  const app = Fastify({
    // Addresses in the logs without their secrets (http/request-log.ts).
    logger: deps.logger ? { ...(deps.logger === true ? {} : deps.logger), serializers: { ...(deps.logger === true ? {} : deps.logger.serializers), req: requestForLog } } : false,
    // Our own ids (UUIDs), never a client's header: they go to the logs, X-Request-Id and the audit (plugins/request-id.ts).
    genReqId: newRequestId,
    // A hop count trusts that many hops nearest to us (Fastify's own rule for numbers; its types
    // only spell the function); a list trusts those proxies wherever they stand.
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    // Room for a 100 KB field in any script after URL-encoding, so the handler can name it.
    bodyLimit: 1024 * 1024,
    // A request must have arrived whole within five minutes (Node's own default, which Fastify
    // turns off): a 20 MB import on a slow school line fits; a body trickled in byte by byte to
    // hold a connection forever does not (Node answers 408 and closes it).
    requestTimeout: REQUEST_TIMEOUT_MS,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
    // Strict percent-decoding: escapes that are not UTF-8 are refused by name (input-text.ts).
    routerOptions: { querystringParser: parseUrlEncoded },
    // What Fastify refuses before any hook runs (a path it cannot decode): the app's localized answer, with its headers.
    frameworkErrors: frameworkErrorHandler({ defaultLocale: config.defaultLocale, profile: config.profile, headers, langCookie: cookies.lang }),
    // And what Node's parser refuses before Fastify sees a request (a URL or headers too long): the same.
    clientErrorHandler: clientErrorHandler({ defaultLocale: config.defaultLocale, profile: config.profile, headers, langCookie: cookies.lang }),
  });

  // A graceful stop does not wait a minute on unused and keep-alive connections (closing.ts).
  const closeLingering = lingeringConnectionsCloser(app.server);
  app.addHook('preClose', async () => closeLingering());

  // The server's own list of routes: tests walk it so that no route escapes them (issue 9, 14).
  const routeTable: { method: string; url: string }[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routeTable.push({ method, url: route.url });
  });
  app.decorate('routeTable', routeTable);
  app.decorate('siteCookies', cookies);

  const metrics = createMetrics({ hasher: deps.hasher, db: deps.db, poolUse: deps.poolUse });
  app.addHook('onClose', async () => metrics.close());
  const { ctx, kinds, federation } = await wire({ ...deps, log: app.log, metrics });
  app.addHook('onClose', async () => federation.close());
  const authDeps = { db: deps.db, clock: deps.clock, lifetimes: config.session };
  // Apps signed in through a Kelid session that ended elsewhere are signed out too, within seconds.
  const endedSessions = startEndedSessionsWatch(federation, deps.db, (error) => app.log.warn({ err: error }, 'back-channel logout failed'), ENDED_SESSIONS_EVERY_MS);
  app.addHook('onClose', () => endedSessions.stop());

  await app.register(requestIdPlugin);
  await app.register(cookie, { secret: deps.keys.cookie.toString('base64') });
  await app.register(securityHeadersPlugin, { headers });
  // Pages and JSON in Brotli or gzip when the browser asks (docs/decisions.md, Compression: what is
  // not compressed and why). Request bodies are not decompressed: clients send them plain, as before.
  await app.register(compress, {
    global: true, encodings: ['br', 'gzip'], threshold: 1024, globalDecompression: false,
    brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: DYNAMIC_BROTLI_QUALITY } },
  });
  if (config.trustProxy !== false) keepForwardedForBare(app.server, (message) => app.log.warn(message));
  await app.register(i18nPlugin, { defaultLocale: config.defaultLocale, profile: config.profile });
  await app.register(loadShedding, { ...config.eventLoop, exempt: OPS_PATHS, shed: metrics.shed });
  // Per client address; @fastify/rate-limit counts an IPv6 client by its /64 already (its ipv6Subnet default).
  // Counted in this process's memory: each of the cluster's workers takes its share, since the
  // primary deals connections to them in turn (docs/decisions.md, Many processes).
  // The probes are not counted (ops.ts PROBE_PATHS): someone else's flood must not fail them.
  // Nor are the static assets (served from memory, cached for good by browsers): counting them
  // let anyone at a school's one address spend its share on /assets in a second (an attacker
  // review), and each pupil's first page spends a few of them. Only an asset's exact URL: any
  // other path under /assets (a 404, an old name's redirect) counts like any request.
  await app.register(rateLimit, {
    max: Math.ceil(config.requestsPerMinute / config.workers), timeWindow: 60_000,
    allowList: (request) => PROBE_PATHS.has(request.routeOptions.url ?? '') || assetsByUrl.has(request.url),
  });
  // Bodies being sent at once from one address (plugins/bodies-per-address.ts): each is buffered.
  await app.register(bodiesPerAddress);
  // At the root, because every HTML answer (error pages too) draws a form with a token;
  // it only adds methods: routes opt in with `preValidation: app.csrfProtection`.
  // A form's token is good only with the session cookie it was drawn with (none, before a
  // sign-in): a secret cookie planted by a neighbouring host of the same site (cookie tossing,
  // with a token the attacker drew for it) makes no token for someone else's session. Drawn
  // with the request's cookie (frame.ts): every answer that changes the session redirects.
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: cookies.csrf,
    cookieOpts: { ...cookies.attributes, signed: true },
    getUserInfo: csrfBinding,
    csrfOpts: { hmacKey: deps.keys.csrf },
  });
  await app.register(openApiPlugin, { publicUrl: config.publicUrl });
  app.decorateRequest('auth', null);
  app.decorateRequest('adminScope', null);

  await app.register(inputTextPlugin);

  app.setErrorHandler(async (error: Error, request, reply) => {
    const described = describeError(error as Parameters<typeof describeError>[0], request.routeOptions.config?.uploadLimitBytes);
    // 503s are the load (a full hash queue, load shedding: error.busy) or a database away for now (error.unavailable): said as such, no stack.
    if (described.status === 503) request.log.warn({ err: { message: error.message, code: (error as { code?: unknown }).code } }, described.code === 'error.unavailable' ? 'database unavailable' : 'refused for load');
    else if (described.status >= 500) request.log.error({ err: errorForLog(error) }, 'unexpected error');
    return sendError(request, reply, described, () => frameFor(request, reply, request.t('error.title')));
  });
  app.setNotFoundHandler(async (request, reply) =>
    sendError(request, reply, { status: 404, code: 'error.not_found' }, () => frameFor(request, reply, request.t('error.title'))));

  // Static files under content-hashed names, precompressed once (http/asset-table.ts).
  await app.register(assetRoutes);
  await app.register(opsRoutes, { db: deps.db, metrics, scrapers: deps.config.metricsFrom });
  await app.register(captchaImageRoutes, { captcha: ctx.captcha });
  // Only with a dev channel: otherwise /dev/outbox is a 404 like any unknown path.
  const devChannels = devOutboxChannels(config.notify);
  if (devChannels.length > 0) await app.register(devOutboxRoutes, { db: deps.db, channels: devChannels });
  // The OpenID provider: its own scope, before any body parser (http/oidc.ts).
  await app.register(oidcRoutes, { prefix: '/oidc', federation, publicUrl: config.publicUrl, formKey: deps.keys.forms, clock: deps.clock, log: (error: unknown) => app.log.error({ err: errorForLog(error) }, 'OpenID provider failed') });

  // SCIM 2.0 for school information systems: its own scope (the provider's client-credentials tokens, SCIM's JSON errors, no cookies or CSRF).
  await app.register(scimRoutes, { ...ctx, prefix: '/scim/v2' });

  // Pages: cookie sessions, HTML forms, a CSRF token on every form.
  await app.register(async (pages) => {
    await pages.register(formBodies);
    pages.addHook('onRequest', endPreviousCookies(authDeps));
    pages.addHook('onRequest', cookieAuth(authDeps));
    await pages.register(signInPages, ctx);
    await pages.register(roleChoicePages, ctx);
    await pages.register(changePasswordPages, ctx);
    await pages.register(homePages, ctx);
    await pages.register(profilePages, ctx);
    await pages.register(adminUserPages, ctx);
    await pages.register(adminUserAccessPages, ctx);
    await pages.register(adminAppointmentPages, ctx);
    await pages.register(auditPages, ctx);
    await pages.register(sessionPages, ctx);
    await pages.register(mfaPages, ctx);
    await pages.register(adminPasswordPages, ctx);
    await pages.register(adminInvitationPages, ctx);
    await pages.register(qrSignInPages, ctx);
    await pages.register(adminImportPages, ctx);
    await pages.register(adminOneRosterPages, ctx);
    await pages.register(adminApprovalPages, ctx);
    await pages.register(adminClientPages, ctx);
    await pages.register(adminAnnouncementPages, ctx);
    await pages.register(supportPages, ctx);
    await pages.register(adminSupportPages, ctx);
    await pages.register(registrationPages, ctx);
    await pages.register(recoveryPages, ctx);
    await pages.register(otpLoginPages, ctx);
    await pages.register(setPasswordPages, ctx);
    await pages.register(interactionPages, ctx);
    await pages.register(guidePages);
  });

  // JSON API: bearer tokens, JSON bodies only (the default parser), no cookies read.
  await app.register(async (api) => {
    api.addHook('onRequest', bearerAuth(authDeps));
    await api.register(sessionsApi, ctx);
    await api.register(captchaApi, ctx);
    await api.register(adminApi, ctx);
    await api.register(adminClientsApi, ctx);
    await api.register(announcementsApi, ctx);
    await api.register(supportApi, ctx);
    await api.register(adminImportsApi, ctx);
    await api.register(flowsApi, { db: deps.db, clock: deps.clock, kinds });
    await api.register(openApiRoute, app);
  }, { prefix: '/api/v1' });

  return app;
}
