/**
 * Announcements in the console (F30): the list of those published in the actor's subtree
 * (state, period in the locale's calendar, edit and stop), and the publish / edit form. Works
 * without JavaScript; every form carries its CSRF token.
 */
import type { Announcement } from '../../../admin/announcements.ts';
import type { Role } from '../../../db/schema.ts';
import type { TextKey } from '../../../i18n/catalogs.ts';
import { formatDate, formatList } from '../../../i18n/format.ts';
import { announcementText } from '../../components/news.ts';
import { html, type SafeHtml } from '../../html.ts';
import { layout, type PageFrame } from '../../layout.ts';
import { adminNav } from './users.ts';
import { errorSummary, problemsOf } from '../../components/error-summary.ts';
import { guideLink } from '../../components/guide-link.ts';
import { scrollable } from '../../components/scrollable.ts';

export type AnnouncementState = 'scheduled' | 'showing' | 'ended' | 'withdrawn';

/** Where an announcement stands on `today`. */
export function stateOf(a: Announcement, today: string): AnnouncementState {
  if (a.withdrawnAt !== null) return 'withdrawn';
  if (a.startsOn > today) return 'scheduled';
  return a.endsOn < today ? 'ended' : 'showing';
}

export function announcementListPage(frame: PageFrame, view: { rows: Announcement[]; today: string; notice: string | null }): SafeHtml {
  const { t, locale, formatting } = frame;
  const roles = (list: readonly Role[]) => (list.length === 0 ? t('announcements.all_roles') : formatList(list.map((r) => t(`role.${r}`)), locale));
  return layout(frame, html`<section class="card wide">
    <h1>${t('announcements.title')}</h1>${guideLink(t, 'admin-announcements')}
    ${adminNav(frame, '/admin/announcements')}
    ${view.notice && html`<p class="alert success" role="status">${view.notice}</p>`}
    <p><a class="button" href="/admin/announcements/new">${t('announcements.new')}</a></p>
    ${view.rows.length === 0 ? html`<p class="alert info">${t('announcements.none_here')}</p>` : html`<div class="table-wrap" ${scrollable(t('announcements.title'))}><table>
      <thead><tr><th scope="col">${t('announcements.col_title')}</th><th scope="col">${t('announcements.col_organization')}</th><th scope="col">${t('announcements.col_roles')}</th>
        <th scope="col">${t('announcements.col_period')}</th><th scope="col">${t('announcements.col_state')}</th><th scope="col">${t('announcements.col_actions')}</th></tr></thead>
      <tbody>${view.rows.map((a) => {
        const state = stateOf(a, view.today);
        return html`<tr id="announcement-${a.id}">
          <td><details><summary dir="auto">${a.title}</summary><p dir="auto">${announcementText(a.text)}</p></details></td>
          <td>${a.organization.name}${a.public ? html` <strong>(${t('announcements.public_badge')})</strong>` : ''}</td>
          <td>${roles(a.roles)}</td>
          <td>${t('announcements.period', { start: formatDate(a.startsOn, formatting), end: formatDate(a.endsOn, formatting) })}</td>
          <td>${t(`announcements.state_${state}`)}</td>
          <td>${state === 'withdrawn' || state === 'ended' ? '' : html`<a href="/admin/announcements/${a.id}/edit">${t('announcements.edit')}</a>
            <form method="post" action="/admin/announcements/${a.id}/withdraw" class="inline">
              <input type="hidden" name="_csrf" value="${frame.csrfToken}">
              <button type="submit" class="link">${t('announcements.withdraw')}</button>
            </form>`}</td>
        </tr>`;
      })}</tbody>
    </table></div>`}
  </section>`);
}

export type AnnouncementFormView = {
  mode: 'new' | 'edit';
  action: string;
  values: { title: string; text: string; organizationId: string; roles: readonly string[]; startsOn: string; endsOn: string; public: boolean };
  places: { id: string; name: string }[];
  roles: readonly Role[];
  canPublic: boolean;
  errors: { code: TextKey; field?: string | undefined; params?: Record<string, string | number> }[];
  dateHint: string;
};

export function announcementFormPage(frame: PageFrame, view: AnnouncementFormView): SafeHtml {
  const { t } = frame;
  const v = view.values;
  const invalid = (field: string) => view.errors.some((e) => e.field === field);
  const errorsFor = (field: string) => {
    const list = view.errors.filter((e) => e.field === field);
    return list.length === 0 ? '' : html`<ul class="errors" id="${field}-error">${list.map((e) => html`<li>${t(e.code, e.params)}</li>`)}</ul>`;
  };
  const described = (field: string) => (invalid(field) ? html` aria-invalid="true" aria-describedby="${field}-error"` : '');
  const date = (name: 'startsOn' | 'endsOn', label: TextKey) => html`<div class="field${invalid(name) ? ' invalid' : ''}">
    <label for="${name}">${t(label)}</label>
    <input type="text" id="${name}" name="${name}" value="${v[name]}" maxlength="20" dir="auto"${described(name)}>
    <small class="hint">${view.dateHint}</small>${errorsFor(name)}
  </div>`;
  return layout(frame, html`<section class="card narrow">
    <h1>${t(view.mode === 'new' ? 'announcements.new' : 'announcements.edit_title')}</h1>${guideLink(t, 'admin-announcements')}
    ${adminNav(frame, '/admin/announcements')}
    ${errorSummary(t, problemsOf(t, view.errors, (field) => (field !== 'public' || view.canPublic ? field : undefined)))}
    <form method="post" action="${view.action}" novalidate>
      <input type="hidden" name="_csrf" value="${frame.csrfToken}">
      <div class="field${invalid('title') ? ' invalid' : ''}"><label for="title">${t('announcements.field_title')}</label>
        <input type="text" id="title" name="title" value="${v.title}" maxlength="200" required dir="auto"${described('title')}>${errorsFor('title')}</div>
      <div class="field${invalid('text') ? ' invalid' : ''}"><label for="text">${t('announcements.field_text')}</label>
        <textarea id="text" name="text" rows="8" maxlength="4000" required dir="auto"${described('text')}>${v.text}</textarea>
        <small class="hint">${t('announcements.field_text_hint')}</small>${errorsFor('text')}</div>
      <div class="field${invalid('organizationId') ? ' invalid' : ''}"><label for="organizationId">${t('announcements.field_organization')}</label>
        <select id="organizationId" name="organizationId">${view.places.map((o) => html`<option value="${o.id}"${o.id === v.organizationId ? html` selected` : ''}>${o.name}</option>`)}</select>
        <small class="hint">${t('announcements.field_organization_hint')}</small>${errorsFor('organizationId')}</div>
      <fieldset class="field${invalid('roles') ? ' invalid' : ''}"><legend>${t('announcements.field_roles')}</legend>
        ${view.roles.map((r, i) => html`<div class="field check"><label><input${i === 0 ? html` id="roles"` : ''} type="checkbox" name="roles" value="${r}"${v.roles.includes(r) ? html` checked` : ''}> ${t(`role.${r}`)}</label></div>`)}
        <small class="hint">${t('announcements.field_roles_hint')}</small>${errorsFor('roles')}</fieldset>
      ${date('startsOn', 'announcements.field_starts')}
      ${date('endsOn', 'announcements.field_ends')}
      ${view.canPublic && html`<div class="field check${invalid('public') ? ' invalid' : ''}"><label><input id="public" type="checkbox" name="public" value="1"${v.public ? html` checked` : ''}> ${t('announcements.field_public')}</label>${errorsFor('public')}</div>`}
      <button type="submit" class="primary">${t(view.mode === 'new' ? 'announcements.publish' : 'announcements.save')}</button>
      <a href="/admin/announcements">${t('admin.cancel')}</a>
    </form>
  </section>`);
}
