/**
 * Picks the locale of each request: `?lang=` (remembered in a cookie), then the cookie, then
 * Accept-Language, then the profile's default (fa for ir, he for il).
 *
 * Pages take English from Accept-Language only when asked for by name (`?lang=en`, the
 * switcher): many phones in Iran and Israel run with an English system language, and a
 * ministry's pages should greet them in the country's language. What programs read (the API,
 * as DESIGN.md's contract says, SCIM, and the provider's endpoints apps' servers call) follows
 * Accept-Language fully.
 *
 * On Arabic pages the person also chooses the digits (`?digits=arab|latn`, remembered in a
 * cookie the same way; unset, the profile's default): the request's `formatting`
 * (i18n/format.ts) carries locale, digits and calendar to everything that writes a number or
 * a date.
 */
import fp from 'fastify-plugin';
import type { Locale, Profile } from '../../config.ts';
import { parseLocale, translator, type Translate } from '../../i18n/catalogs.ts';
import { formattingFor, parseArabicDigits, type Formatting } from '../../i18n/format.ts';
import { answerFormOf, isProviderPage } from './answer-form.ts';
import '../types.ts';


export function negotiate(header: string | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranked = header.split(',').slice(0, 20).map((part) => {
    const [tag = '', ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return { base: tag.toLowerCase().split('-')[0] ?? '', q: q ? Number(q.slice(2)) || 0 : 1 };
  }).filter((entry) => entry.q > 0).sort((a, b) => b.q - a.q);
  for (const entry of ranked) {
    const found = parseLocale(entry.base);
    if (found) return found;
  }
  return undefined;
}

/**
 * The locale of a request: `?lang=`, then the cookie, then the app's `ui_locales` (the
 * provider's pages), then Accept-Language (pages: only when it does not ask for English, see
 * above), then the profile's default.
 */
export function chooseLocale(
  request: { url: string; lang: unknown; cookie: string | undefined; uiLocale?: Locale | undefined; acceptLanguage: string | undefined }, defaultLocale: Locale,
): Locale {
  const negotiated = negotiate(request.acceptLanguage);
  const fromHeader = answerFormOf(request.url) !== 'page' || negotiated !== 'en' ? negotiated : undefined;
  return parseLocale(request.lang) ?? parseLocale(request.cookie) ?? request.uiLocale ?? fromHeader ?? defaultLocale;
}

/** The first of OIDC's `ui_locales` (space-separated BCP 47 tags, `fa-IR he`) that Kelid speaks. */
export function firstLocaleOf(uiLocales: unknown): Locale | undefined {
  if (typeof uiLocales !== 'string') return undefined;
  for (const tag of uiLocales.split(' ').slice(0, 20)) {
    const found = parseLocale(tag.toLowerCase().split('-')[0]);
    if (found) return found;
  }
  return undefined;
}

/**
 * The same for a request no hook ran for, from its raw headers (app.ts frameworkErrors, a
 * refusal of Node's parser): no parsed cookies, no query. `langCookie`: the language cookie's
 * name (http/cookies.ts: letters, `_` and `-` only).
 */
export function localeOfRawHeaders(
  request: { url: string; cookie: string | undefined; acceptLanguage: string | undefined }, defaultLocale: Locale, langCookie: string,
): Locale {
  const cookie = new RegExp(`(?:^|;)\\s*${langCookie}=([a-z]{2})\\s*(?:;|$)`).exec(request.cookie ?? '')?.[1];
  return chooseLocale({ url: request.url, lang: undefined, cookie, acceptLanguage: request.acceptLanguage }, defaultLocale);
}

/** How long a choice of language or digits is remembered (its cookie's Max-Age): a year. */
export const REMEMBERED_SECONDS = 365 * 86400;

export const i18nPlugin = fp<{ defaultLocale: Locale; profile: Profile }>(async (app, options) => {
  // One translator per formatting, made when first asked for (at most 7: fa, he, en, four Arabic).
  const translators = new Map<Formatting, Translate>();
  const translatorOf = (formatting: Formatting) => {
    let t = translators.get(formatting);
    if (t === undefined) translators.set(formatting, (t = translator(formatting)));
    return t;
  };
  const cookies = app.siteCookies;
  const remembered = { ...cookies.attributes, maxAge: REMEMBERED_SECONDS };
  const defaultFormatting = formattingFor(options.defaultLocale, options.profile);
  app.decorateRequest('locale', options.defaultLocale);
  app.decorateRequest('formatting', defaultFormatting);
  app.decorateRequest('t', translatorOf(defaultFormatting));
  app.addHook('onRequest', async (request, reply) => {
    const query = request.query as Record<string, unknown> | undefined;
    const asked = parseLocale(query?.lang);
    const askedDigits = parseArabicDigits(query?.digits);
    // As headers of the reply, not @fastify/cookie's setCookie (written at onSend): the
    // provider's pages (http/oidc.ts) are answered past Fastify and take the reply's headers along.
    if (asked) reply.header('set-cookie', app.serializeCookie(cookies.lang, asked, remembered));
    if (askedDigits) reply.header('set-cookie', app.serializeCookie(cookies.digits, askedDigits, remembered));
    // An app sending a person to the provider may say their language (OIDC's ui_locales): below
    // the person's own choice, above the browser's; interaction pages follow it the same way.
    const fromApp = isProviderPage(request.url) ? firstLocaleOf(query?.ui_locales) : undefined;
    const locale = chooseLocale({ url: request.url, lang: asked, cookie: request.cookies[cookies.lang], uiLocale: fromApp, acceptLanguage: request.headers['accept-language'] }, options.defaultLocale);
    request.locale = locale;
    request.formatting = formattingFor(locale, options.profile, askedDigits ?? parseArabicDigits(request.cookies[cookies.digits]));
    request.t = translatorOf(request.formatting);
  });
}, { name: 'kelid-i18n', dependencies: ['@fastify/cookie'] });
