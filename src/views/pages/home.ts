import type { TextKey, Translate } from '../../i18n/catalogs.ts';
import { newsBox, type NewsItem } from '../components/news.ts';
import { html } from '../html.ts';
import { layout, type PageFrame } from '../layout.ts';

export type HomeView = {
  name: string;
  username: string;
  userCode: string;
  acting: { role: string; organization: string; period: string } | null;
  /** The services whose app serves one of the person's current roles. */
  services: { key: TextKey; url: string }[];
  /** The acting role administers users (F22): the console is one click away, as on seed 1's home. */
  admin: boolean;
  /** The announcements for the role and organization acted as (F30), newest first. */
  news: NewsItem[];
};

export function homePage(frame: PageFrame, view: HomeView) {
  const t: Translate = frame.t;
  return layout(frame, html`<section class="card">
    <h1>${t('home.greeting', { name: view.name })}</h1>
    <dl class="facts">
      <div><dt>${t('home.username')}</dt><dd dir="ltr">${view.username}</dd></div>
      <div><dt>${t('home.user_code')}</dt><dd dir="ltr">${view.userCode}</dd></div>
      ${view.acting && html`<div><dt>${t('home.acting_as')}</dt><dd>${view.acting.role} · ${view.acting.organization}</dd></div>
        <div><dt>${t('home.appointment')}</dt><dd>${view.acting.period}</dd></div>`}
    </dl>
  </section>
  ${newsBox(t, frame.formatting, view.news)}
  ${view.admin && html`<section class="card"><a class="button" href="/admin/users">${t('admin.users_title')}</a></section>`}
  <section class="card">
    <h2>${t('home.services')}</h2>
    ${!view.acting ? html`<p class="alert info">${t('home.no_services')}</p>`
      : view.services.length === 0 ? html`<p class="alert info">${t('home.no_services_for_roles')}</p>`
      : html`<ul class="services">${view.services.map((s) => html`<li><a href="${s.url}">${t(s.key)}</a></li>`)}</ul>`}
    <ul class="services support"><li><a href="/support?from=%2F">${t('support.menu')}</a></li></ul>
    <p class="hint"><a href="/support/requests">${t('support.my_requests')}</a> · <a href="/account/activity">${t('activity.title')}</a> · <a href="/account/sessions">${t('sessions.title')}</a></p>
  </section>`);
}
