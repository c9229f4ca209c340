/** The page frame: lang/dir, fonts, header with the user and role, language switcher. */
import type { Locale } from '../config.ts';
import { arabicDigitChoices, arabicDigitsOf, type Formatting } from '../i18n/format.ts';
import type { Role } from '../db/schema.ts';
import { assetUrl, fontUrls } from '../http/asset-table.ts';
import { direction, locales, type Translate } from '../i18n/catalogs.ts';
import { drawsErrorSummary } from './components/error-summary.ts';
import { html, type SafeHtml } from './html.ts';

export type PageUser = { name: string; role: string | null; organization: string | null; canSwitchRole: boolean };

export type PageFrame = {
  locale: Locale;
  /** How numbers and dates are written on the page (the request's: i18n/format.ts). */
  formatting: Formatting;
  t: Translate;
  title: string;
  /** Path and query of this page, for the language links. */
  path: string;
  csrfToken: string;
  user: PageUser | null;
  /** The admin role the console page acts as (its menu shows what that role may do). */
  adminRole?: Role | null;
};

/**
 * This page's path and query with `name` (lang, digits) set: built from the string, so odd paths
 * cannot break it. Leading slashes and backslashes become one slash: `//evil.example` and
 * `/\evil.example` (which a browser reads as `//evil.example`) would be links to another site.
 */
function pageLink(path: string, name: 'lang' | 'digits', value: string): string {
  const [pathname = '/', query = ''] = path.split('?', 2);
  const params = new URLSearchParams(query);
  params.set(name, value);
  return `${pathname.replace(/^[/\\]+/, '/')}?${params.toString()}`;
}

/** Arabic pages name their digits for scripts (countdown.js writes its numbers in them). */
const digitsAttribute = (formatting: Formatting) => {
  const digits = arabicDigitsOf(formatting);
  return digits === undefined ? '' : html` data-digits="${digits}"`;
};

/** On Arabic pages, the choice of digits (i18n/format.ts): Arabic-Indic ٠١٢ or Latin 012, each a link like the languages. */
function digitsSwitch(frame: PageFrame): SafeHtml | '' {
  const current = arabicDigitsOf(frame.formatting);
  if (current === undefined) return '';
  return html`<nav class="langs digits" aria-label="${frame.t('digits.choice')}">
    ${arabicDigitChoices.map((digits) => digits === current
      ? html`<span aria-current="true">${frame.t(`digits.${digits}`)}</span>`
      : html`<a href="${pageLink(frame.path, 'digits', digits)}">${frame.t(`digits.${digits}`)}</a>`)}
  </nav>`;
}

/** The page: `frame.title` names it (a step, then its flow), "Error: " before it when `body` draws an error summary. */
export function layout(frame: PageFrame, body: SafeHtml): SafeHtml {
  const { t, locale, user } = frame;
  return html`<!doctype html>
<html lang="${locale}" dir="${direction(locale)}"${digitsAttribute(frame.formatting)}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${drawsErrorSummary(body) ? t('page.error_prefix') : ''}${frame.title} · ${t('app.name')}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${assetUrl('site.css')}">
${fontUrls(locale).map((url) => html`<link rel="preload" href="${url}" as="font" type="font/woff2" crossorigin>`)}
</head>
<body>
<a class="skip" href="#main">${t('common.skip')}</a>
<header class="top">
  <a class="brand" href="/">${t('app.name')}</a>
  ${user && html`<div class="who">
    <span class="name">${user.name}</span>
    ${user.role && html`<span class="role">${user.role}${user.organization && html` · ${user.organization}`}</span>`}
    <nav class="menu">
      ${user.canSwitchRole && html`<a href="/role">${t('role_choice.switch')}</a>`}
      <a href="/password">${t('menu.change_password')}</a>
      <a href="/account/sessions">${t('menu.sessions')}</a>
      <form method="post" action="/sign-out" class="inline">
        <input type="hidden" name="_csrf" value="${frame.csrfToken}">
        <button type="submit" class="link">${t('common.sign_out')}</button>
      </form>
    </nav>
  </div>`}
  <nav class="langs" aria-label="${t('common.language')}">
    ${locales.map((other) => other === locale
      ? html`<span lang="${other}" aria-current="true">${t(`lang.${other}`)}</span>`
      : html`<a lang="${other}" hreflang="${other}" href="${pageLink(frame.path, 'lang', other)}">${t(`lang.${other}`)}</a>`)}
  </nav>
  ${digitsSwitch(frame)}
</header>
<main id="main">
${body}
</main>
<footer class="foot"><a href="/guides">${t('guides.footer')}</a></footer>
</body>
</html>`;
}
