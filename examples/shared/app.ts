/**
 * What the three apps have in common, wired once: strict headers, the stylesheet, form
 * parsing, the session, the language of each request, the page frame (`reply.page`), the
 * error pages, signing in and out (sign-in.ts) and Kelid's back-channel logout
 * (backchannel-logout.ts). An app calls buildExampleApp and adds its own pages, guarded by
 * `requirePerson` and `verifyForm` (guards.ts).
 */
import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { fullName } from './claims.ts';
import type { ExampleConfig } from './config.ts';
import { backchannelLogoutRoute } from './backchannel-logout.ts';
import { lingeringConnectionsCloser } from './closing.ts';
import { signedInPerson } from './guards.ts';
import type { Markup } from './html.ts';
import { layout } from './layout.ts';
import { chooseLocale, parseLocale, type Locale } from './locale.ts';
import { kelidClient, type Kelid } from './oidc.ts';
import { errorBody, errorPage, notFound } from './pages.ts';
import { securityHeaders, securityHeadersPlugin } from './security-headers.ts';
import { sessionPlugin } from './session.ts';
import { signInRoutes } from './sign-in.ts';
import { commonTexts, type AppTexts } from './texts.ts';

export type ExampleAppOptions = {
  config: ExampleConfig;
  texts: Readonly<Record<Locale, AppTexts>>;
  /** Scopes this app asks for beyond `openid profile roles`. */
  scopes: readonly string[];
  /** Tests pass a fake; otherwise the real client for config's issuer. */
  kelid?: Kelid;
  now?: () => Date;
  logLevel?: 'silent' | 'warn' | 'info';
};

declare module 'fastify' {
  interface FastifyRequest {
    /** The app's language (its own three; Kelid's request decoration is `locale`, with Arabic). */
    appLocale: Locale;
  }
  interface FastifyReply {
    /** Sends `body` inside the page frame, in the request's language. */
    page(title: string, body: Markup): FastifyReply;
  }
}

const stylesheet = readFileSync(new URL('./site.css', import.meta.url));

export async function buildExampleApp(options: ExampleAppOptions): Promise<FastifyInstance> {
  const { config, texts } = options;
  const now = options.now ?? (() => new Date());
  const kelid = options.kelid ?? kelidClient({
    issuer: config.issuer,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    redirectUri: config.redirectUri,
    postLogoutRedirectUri: config.postLogoutRedirectUri,
    scope: ['openid', 'profile', 'roles', ...options.scopes].join(' '),
  });

  const headerOptions = { kelidOrigin: new URL(config.issuer).origin, https: config.secureCookies };
  const pageHtml = (request: FastifyRequest, title: string, body: Markup) => {
    const person = request.session ? signedInPerson(request) : null;
    const frame = {
      locale: request.appLocale,
      common: commonTexts[request.appLocale],
      appName: texts[request.appLocale].appName,
      title,
      // The language links repeat a GET; after a form post they lead home.
      path: request.method === 'GET' ? request.url : '/',
      person: person && request.session ? { name: fullName(person), csrf: request.session.csrf } : null,
    };
    return layout(frame, body).value;
  };

  const app = Fastify({
    logger: { level: options.logLevel ?? 'silent' }, bodyLimit: 8192,
    // An address Fastify cannot decode (`/children/%ff`) is refused before any hook: the app's own
    // page in its default language, not Fastify's English JSON.
    frameworkErrors: (_error, request, reply) => {
      // No hook has run and no decoration is there yet: the browser's language, drawn directly.
      request.appLocale = chooseLocale({ acceptLanguage: request.headers['accept-language'] });
      const common = commonTexts[request.appLocale];
      return (reply as FastifyReply).code(400).headers(securityHeaders(headerOptions, request.url)).type('text/html; charset=utf-8')
        .send(pageHtml(request, common.errorTitle, errorBody(common)));
    },
  });

  // Ctrl-C or a deployment's stop does not wait a minute on a browser's unused or keep-alive connections (closing.ts).
  const closeLingering = lingeringConnectionsCloser(app.server);
  app.addHook('preClose', async () => closeLingering());

  // Forms arrive urlencoded; the first value of a repeated name wins.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    const fields = new Map<string, string>();
    for (const [name, value] of new URLSearchParams(String(body))) if (!fields.has(name)) fields.set(name, value);
    done(null, Object.fromEntries(fields));
  });

  await app.register(securityHeadersPlugin, headerOptions);
  // Cookies are per host, not per port: on localhost the three apps (and Kelid) share one
  // jar, so each app's cookies carry its own name.
  await app.register(sessionPlugin, { cookieName: `${config.clientId}_session`, secure: config.secureCookies, now });
  const langCookie = `${config.clientId}_lang`;

  app.decorateRequest('appLocale', 'fa');
  app.addHook('onRequest', async (request, reply) => {
    const asked = parseLocale((request.query as Record<string, unknown> | undefined)?.['lang']);
    if (asked) reply.setCookie(langCookie, asked, { path: '/', httpOnly: true, sameSite: 'lax', secure: config.secureCookies, maxAge: 365 * 86400 });
    request.appLocale = chooseLocale({
      query: asked,
      cookie: request.cookies[langCookie],
      claim: signedInPerson(request)?.locale,
      acceptLanguage: request.headers['accept-language'],
    });
  });

  app.decorateReply('page', function page(this: FastifyReply, title: string, body: Markup) {
    return this.type('text/html; charset=utf-8').send(pageHtml(this.request, title, body));
  });

  app.get('/assets/site.css', async (_request, reply) => reply.type('text/css; charset=utf-8').send(stylesheet));
  // Browsers ask for it on their own: no icon, and no "not found" page either.
  app.get('/favicon.ico', async (_request, reply) => reply.code(204).send());

  signInRoutes(app, { config, kelid, texts, now });
  backchannelLogoutRoute(app, { kelid });

  app.setNotFoundHandler(async (request, reply) => notFound(request, reply));
  app.setErrorHandler(async (error: { statusCode?: number }, request, reply) => {
    // Bad input (a body too large, a wrong content type) is the client's: its 4xx, not a 500.
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error({ err: error }, 'request failed');
    return errorPage(request, reply, status);
  });

  return app;
}
