import { html } from '../html.ts';
import { layout, type PageFrame } from '../layout.ts';

export function errorPage(frame: PageFrame, message: string, next?: { href: string; label: string }) {
  const { t } = frame;
  return layout(frame, html`<section class="card narrow">
    <h1>${t('error.title')}</h1>
    <p class="alert error" role="alert">${message}</p>
    ${next && html`<p><a class="button" href="${next.href}">${next.label}</a></p>`}
    <p><a href="/">${t('error.back_home')}</a></p>
  </section>`);
}
