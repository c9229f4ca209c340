/** The page frame every app shares: lang and dir, the header with the person and sign-out, languages. */
import { html, type Markup } from './html.ts';
import { direction, locales, type Locale } from './locale.ts';
import { languageNames, type CommonTexts } from './texts.ts';

export type Frame = {
  locale: Locale;
  common: CommonTexts;
  appName: string;
  title: string;
  /** This page's path and query, for the language links. */
  path: string;
  /** The signed-in person's name and the token of the sign-out form; null when signed out. */
  person: { name: string; csrf: string } | null;
};

/** This page's address with `lang` set; built from the path alone, so it cannot leave the app. */
export function languageLink(path: string, locale: Locale): string {
  const [pathname = '/', query = ''] = path.split('?', 2);
  const params = new URLSearchParams(query);
  params.set('lang', locale);
  return `${pathname.replace(/^[/\\]+/, '/')}?${params}`;
}

export function layout(frame: Frame, body: Markup): Markup {
  const { locale, common, person } = frame;
  return html`<!doctype html>
<html lang="${locale}" dir="${direction(locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${frame.title === frame.appName ? frame.title : `${frame.title} · ${frame.appName}`}</title>
<link rel="stylesheet" href="/assets/site.css">
</head>
<body>
<a class="skip" href="#main">${common.skip}</a>
<header class="top">
  <div class="brand"><a href="/">${frame.appName}</a><small>${common.ministry}</small></div>
  ${person && html`<div class="who">
    <bdi>${person.name}</bdi>
    <form method="post" action="/sign-out" class="inline">
      <input type="hidden" name="_csrf" value="${person.csrf}">
      <button type="submit" class="link">${common.signOut}</button>
    </form>
  </div>`}
  <nav class="langs" aria-label="${common.language}">
    ${locales.map((other) => other === locale
      ? html`<span lang="${other}" aria-current="true">${languageNames[other]}</span>`
      : html`<a lang="${other}" hreflang="${other}" href="${languageLink(frame.path, other)}">${languageNames[other]}</a>`)}
  </nav>
</header>
<main id="main">
${body}
</main>
</body>
</html>`;
}

/** The way in: a plain link, so it works without JavaScript and is not a form Kelid's redirect must pass. */
export function signInLink(common: CommonTexts, returnTo?: string): Markup {
  const href = returnTo && returnTo !== '/' ? `/sign-in?${new URLSearchParams({ return: returnTo })}` : '/sign-in';
  return html`<a class="button" href="${href}">${common.signIn}</a>`;
}

/** A short page that says what happened and offers one way on. */
export function messagePage(title: string, paragraphs: readonly string[], action: Markup | null): Markup {
  return html`<section class="card">
  <h1>${title}</h1>
  ${paragraphs.map((paragraph) => html`<p>${paragraph}</p>`)}
  ${action && html`<p>${action}</p>`}
</section>`;
}
