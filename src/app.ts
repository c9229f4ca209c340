/**
 * buildApp(deps) → a Fastify instance with every route; main.ts listens, tests inject().
 * Cross-cutting plugins are registered here; pages and the API are encapsulated scopes
 * with their own authentication (cookie vs bearer), body parsers and CSRF rules.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import staticFiles from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Config } from './config.ts';
import type { Db } from './db/database.ts';
import { AppError } from './errors.ts';
import type { Clock } from './identity/clock.ts';
import { isoDateIn, profileTimeZone } from './identity/clock.ts';
import type { PasswordHasher } from './identity/passwords.ts';
import type { Keys } from './secrets.ts';
import { sessionsApi } from './http/api/sessions.ts';
import type { RouteContext } from './http/context.ts';
import { opsRoutes } from './http/ops.ts';
import { changePasswordPages } from './http/pages/change-password.ts';
import { frameFor } from './http/pages/frame.ts';
import { homePages } from './http/pages/home.ts';
import { roleChoicePages } from './http/pages/role-choice.ts';
import { signInPages } from './http/pages/sign-in.ts';
import { bearerAuth, cookieAuth } from './http/plugins/auth.ts';
import { describeError, sendError } from './http/plugins/error-pages.ts';
import { i18nPlugin } from './http/plugins/i18n.ts';
import { securityHeadersPlugin } from './http/plugins/security-headers.ts';
import './http/types.ts';

export type AppDeps = {
  config: Config;
  db: Db;
  clock: Clock;
  hasher: PasswordHasher;
  keys: Keys;
  logger?: FastifyServerOptions['logger'];
};

const require = createRequire(import.meta.url);
const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));
const assetRoots = [
  path.join(import.meta.dirname, 'http', 'assets'),
  path.join(packageDir('vazirmatn'), 'fonts', 'webfonts'),
  path.join(packageDir('@fontsource/noto-sans-hebrew'), 'files'),
];

/** Strings with NUL bytes cannot be stored in PostgreSQL and have no business in any field. */
function findNul(value: unknown, depth = 0): string | undefined {
  if (depth > 4 || typeof value !== 'object' || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === 'string' && item.includes('\u0000')) return key;
    const nested = findNul(item, depth + 1);
    if (nested !== undefined) return key;
  }
  return undefined;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const https = config.publicUrl.startsWith('https:');
  const app = Fastify({
    logger: deps.logger ?? false,
    trustProxy: config.trustProxy,
    bodyLimit: 256 * 1024,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
  });

  const ctx: RouteContext = {
    config,
    db: deps.db,
    clock: deps.clock,
    hasher: deps.hasher,
    policy: config.passwordPolicy,
    timeZone: profileTimeZone[config.profile],
    today: () => isoDateIn(deps.clock.now(), profileTimeZone[config.profile]),
    secureCookies: https,
    signIn: {
      db: deps.db, clock: deps.clock, hasher: deps.hasher, profile: config.profile, timeZone: profileTimeZone[config.profile], lockout: config.lockout,
      addressLimit: { limit: config.addressLimit.failures, windowMinutes: config.addressLimit.windowMinutes },
      lifetimes: config.session,
    },
  };
  const authDeps = { db: deps.db, clock: deps.clock, lifetimes: config.session };

  await app.register(cookie, { secret: deps.keys.cookie.toString('base64') });
  await app.register(securityHeadersPlugin, { https });
  await app.register(i18nPlugin, { defaultLocale: config.defaultLocale, secureCookies: https });
  await app.register(rateLimit, { max: config.requestsPerMinute, timeWindow: 60_000 });
  app.decorateRequest('auth', null);

  app.addHook('preValidation', async (request) => {
    const field = findNul(request.body) ?? findNul(request.query);
    if (field !== undefined) throw new AppError(400, 'error.field_invalid', { field });
  });

  app.setErrorHandler(async (error: Error, request, reply) => {
    const described = describeError(error as Parameters<typeof describeError>[0]);
    if (described.status >= 500) request.log.error({ err: error }, 'unexpected error');
    return sendError(request, reply, described, () => frameFor(request, reply, request.t('error.title')));
  });
  app.setNotFoundHandler(async (request, reply) =>
    sendError(request, reply, { status: 404, code: 'error.not_found' }, () => frameFor(request, reply, request.t('error.title'))));

  await app.register(staticFiles, { root: assetRoots, prefix: '/assets/', decorateReply: false, maxAge: 86_400_000, index: false });
  await app.register(opsRoutes, { db: deps.db });

  // Pages: cookie sessions, HTML forms, a CSRF token on every form.
  await app.register(async (pages) => {
    await pages.register(formbody);
    await pages.register(csrf, {
      sessionPlugin: '@fastify/cookie',
      cookieKey: 'kelid_csrf',
      cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: https, signed: true },
    });
    pages.addHook('onRequest', cookieAuth(authDeps));
    await pages.register(signInPages, ctx);
    await pages.register(roleChoicePages, ctx);
    await pages.register(changePasswordPages, ctx);
    await pages.register(homePages, ctx);
  });

  // JSON API: bearer tokens, JSON bodies only (the default parser), no cookies read.
  await app.register(async (api) => {
    api.addHook('onRequest', bearerAuth(authDeps));
    await api.register(sessionsApi, ctx);
  }, { prefix: '/api/v1' });

  return app;
}
