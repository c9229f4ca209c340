/** Audit pages: one's own sign-in history (everyone), and the events of an admin's scope (B1). */
import type { AuditRow } from '../../admin/audit-log.ts';
import { isMessageKey, type TextKey, type Translate } from '../../i18n/catalogs.ts';
import type { AuditEventType } from '../../identity/audit.ts';
import { formatDateTime, formatList, localizeDigits } from '../../i18n/format.ts';
import { html, type SafeHtml } from '../html.ts';
import { layout, type PageFrame } from '../layout.ts';
import { adminNav } from './admin/users.ts';
import type { Device } from '../../domain/device.ts';
import { deviceText } from './sessions.ts';
import { scrollable } from '../components/scrollable.ts';

export type ActivityRow = { at: Date; type: string; ip: string | null; device: Device };

// Every event type has words in the console's catalogs: an event shown as a bare code is an
// event an administrator cannot read (the SMS breaker's was one). A type without them is named here by tsc.
type Unlabelled = Exclude<`event.${AuditEventType}`, TextKey>;
const everyEventLabelled: [Unlabelled] extends [never] ? true : Unlabelled = true;
void everyEventLabelled;

/** An event type (read from the log: any string) in words where the catalog has them, else the stable code itself. */
export function eventLabel(t: Translate, type: string): string {
  const key = `event.${type}`;
  return isMessageKey(key) ? t(key) : type;
}

const when = (frame: PageFrame, at: Date, timeZone: string) => formatDateTime(at, frame.formatting, timeZone);

/** One's own sign-ins: an entry each (what, when, from which address and device), read top to bottom on a phone. */
export function activityPage(frame: PageFrame, rows: ActivityRow[], timeZone: string): SafeHtml {
  const { t } = frame;
  return layout(frame, html`<section class="card wide">
    <h1>${t('activity.title')}</h1>
    <p class="hint">${t('activity.hint')}</p>
    <ul class="events" aria-label="${t('activity.title')}">${rows.map((r) => html`<li class="event">
      <p><strong>${eventLabel(t, r.type)}</strong> · <span class="when">${when(frame, r.at, timeZone)}</span></p>
      <dl class="facts">
        <div><dt>${t('activity.from')}</dt><dd dir="ltr" class="address">${r.ip ?? ''}</dd></div>
        <div><dt>${t('activity.device')}</dt><dd>${deviceText(t, r.device)}</dd></div>
      </dl>
    </li>`)}</ul>
  </section>`);
}

// A connected app's event names the app, and an edit what it changed (federation/clients.ts updateClient).
const CLIENT_FIELDS: Readonly<Record<string, TextKey>> = {
  name: 'clients.col_name', names: 'clients.col_names', redirectUris: 'clients.col_redirects', postLogoutRedirectUris: 'clients.col_post_logout',
  scopes: 'clients.col_scopes', accessTokenFormat: 'clients.col_token_format', idTokenAlg: 'clients.col_id_token_alg', backchannelLogoutUri: 'clients.col_backchannel', roles: 'clients.col_roles',
};
function appOf({ t, locale }: PageFrame, row: AuditRow): SafeHtml | string {
  const { clientId, changed } = row.data as { clientId?: unknown; changed?: unknown };
  if (typeof clientId !== 'string' || !row.type.startsWith('client.')) return '';
  const fields = Array.isArray(changed) ? changed.filter((field): field is string => typeof field === 'string').map((field) => (CLIENT_FIELDS[field] ? t(CLIENT_FIELDS[field]) : field)) : [];
  return html`<code dir="ltr">${clientId}</code>${fields.length > 0 ? html`<br><small>${formatList(fields, locale)}</small>` : ''}`;
}

export function auditPage(frame: PageFrame, view: { rows: AuditRow[]; type: string; nationalId: string; page: number; more: boolean }, timeZone: string): SafeHtml {
  const { t, locale, formatting } = frame;
  const pageLink = (page: number) => `/admin/audit?${new URLSearchParams({ ...(view.type ? { type: view.type } : {}), ...(view.nationalId ? { nationalId: view.nationalId } : {}), page: String(page) }).toString()}`;
  return layout(frame, html`<section class="card wide">
    <h1>${t('admin.audit')}</h1>
    ${adminNav(frame, '/admin/audit')}
    <form method="get" action="/admin/audit" class="search">
      <label>${t('admin.col_national_id')} <input type="text" name="nationalId" value="${view.nationalId}" maxlength="20" dir="ltr"></label>
      <label>${t('activity.what')} <input type="text" name="type" value="${view.type}" maxlength="40" dir="ltr"></label>
      <button type="submit" class="primary">${t('admin.search')}</button>
    </form>
    <div class="table-wrap" ${scrollable(t('admin.audit'))}><table>
      <thead><tr><th scope="col">${t('activity.when')}</th><th scope="col">${t('activity.what')}</th><th scope="col">${t('activity.who')}</th><th scope="col">${t('activity.as')}</th><th scope="col">${t('activity.whom')}</th><th scope="col">${t('activity.from')}</th></tr></thead>
      <tbody>${view.rows.map((r) => html`<tr><td>${when(frame, r.at, timeZone)}</td><td>${eventLabel(t, r.type)}</td>
        <td>${r.actor ?? ''}${r.actorNationalId ? html` <span dir="ltr">${localizeDigits(r.actorNationalId, formatting)}</span>` : ''}</td>
        <td>${r.actingRole ? html`${t(`role.${r.actingRole}`)} · ${r.actingOrganization ?? ''}` : ''}</td>
        <td>${r.subject ?? ''}${r.subjectNationalId ? html` <span dir="ltr">${localizeDigits(r.subjectNationalId, formatting)}</span>` : ''}${appOf(frame, r)}</td>
        <td dir="ltr">${r.ip ?? ''}</td></tr>`)}</tbody>
    </table></div>
    <nav class="pager" aria-label="${t('admin.audit')}">${view.page > 1 ? html`<a href="${pageLink(view.page - 1)}" rel="prev">${t('admin.previous')}</a>` : ''}${view.more ? html`<a href="${pageLink(view.page + 1)}" rel="next">${t('admin.next')}</a>` : ''}</nav>
  </section>`);
}
