/**
 * Renewing appointments for the next school year, confirmed (F26): what would be renewed, by
 * role and dates, in the admin's scope, with the new dates; Confirm posts, Cancel goes back.
 * A renewal touches hundreds of appointments at once, so it is never one tap from the table.
 */
import { RENEWAL_NAMES_SHOWN, type RenewalGroup } from '../../../admin/appointments.ts';
import type { Role } from '../../../db/schema.ts';
import { formatCount, formatDate, listSeparator } from '../../../i18n/format.ts';
import { html, type SafeHtml } from '../../html.ts';
import { layout, type PageFrame } from '../../layout.ts';
import { adminNav } from './users.ts';
import { guideLink } from '../../components/guide-link.ts';
import { scrollable } from '../../components/scrollable.ts';

export type RenewView = { role: Role | undefined; scope: string; groups: readonly RenewalGroup[] };

/**
 * The organizations of a group by name: all of them when few, else the first few and how many
 * more (a district's renewal of teachers spans dozens of schools). Names of two schools may be
 * alike, so the count is of organizations, not of names.
 */
function organizations({ t, locale }: PageFrame, group: RenewalGroup): SafeHtml {
  // "And 1 more" would hide a name that fits: all of them when one more is the last.
  const shown = group.organizations <= RENEWAL_NAMES_SHOWN + 1 ? group.names : group.names.slice(0, RENEWAL_NAMES_SHOWN);
  const names = html`${shown.map((name, i) => html`${i > 0 ? listSeparator(locale) : ''}<bdi>${name}</bdi>`)}`;
  const more = group.organizations - shown.length;
  return more <= 0 ? names : html`${names} ${t('admin.renew_organizations_more', { count: more })}`;
}

export function renewConfirmPage(frame: PageFrame, view: RenewView): SafeHtml {
  const { t, locale, formatting } = frame;
  const total = view.groups.reduce((sum, group) => sum + group.count, 0);
  const back = `/admin/users${view.role ? `?role=${view.role}` : ''}`;
  const dates = (start: string, end: string) => `${formatDate(start, formatting)} – ${formatDate(end, formatting)}`;
  return layout(frame, html`<section class="card wide">
    <h1>${t('admin.renew_title')}</h1>${guideLink(t, 'admin-renew')}
    ${adminNav(frame, '/admin/users')}
    ${total === 0 ? html`<p class="alert" role="status">${t('admin.renew_none')}</p><p><a href="${back}">${t('admin.cancel')}</a></p>` : html`
    <p>${t('admin.renew_summary', { count: total, scope: view.scope })}</p>
    <div class="table-wrap" ${scrollable(t('admin.renew_title'))}><table class="renewal">
      <thead><tr><th scope="col">${t('admin.col_role')}</th><th scope="col">${t('admin.renew_col_organizations')}</th><th scope="col">${t('admin.renew_col_now')}</th><th scope="col">${t('admin.renew_col_next')}</th><th scope="col">${t('admin.renew_col_count')}</th></tr></thead>
      <tbody>${[...view.groups].sort((a, b) => t(`role.${a.role}`).localeCompare(t(`role.${b.role}`), locale) || a.startsOn.localeCompare(b.startsOn)).map((group) => html`<tr>
        <td>${t(`role.${group.role}`)}</td>
        <td>${organizations(frame, group)}</td>
        <td>${dates(group.startsOn, group.endsOn)}</td><td>${dates(group.next.start, group.next.end)}</td>
        <td>${formatCount(group.count, formatting)}</td>
      </tr>`)}</tbody>
    </table></div>
    <p class="hint">${t('admin.renew_note')}</p>
    <form method="post" action="/admin/memberships/renew" class="actions">
      <input type="hidden" name="_csrf" value="${frame.csrfToken}"><input type="hidden" name="role" value="${view.role ?? ''}">
      <button type="submit" class="primary">${t('admin.renew_confirm', { count: total })}</button>
      <a href="${back}">${t('admin.cancel')}</a>
    </form>`}
  </section>`);
}
