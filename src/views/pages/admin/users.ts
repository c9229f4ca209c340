/**
 * User management (F24, seed 1 §5): the options, the search (national ID and role), and the
 * table with the seed's columns, sortable and paged on the server, a reset icon per row.
 */
import { can } from '../../../admin/permissions.ts';
import type { UserRow } from '../../../admin/user-table.ts';
import type { Role } from '../../../db/schema.ts';
import type { TextKey } from '../../../i18n/catalogs.ts';
import { formatDate, localizeDigits } from '../../../i18n/format.ts';
import { html, type SafeHtml } from '../../html.ts';
import { layout, type PageFrame } from '../../layout.ts';
import { guideLink } from '../../components/guide-link.ts';
import { scrollable } from '../../components/scrollable.ts';

export type UsersView = {
  query: { nationalId: string; role: Role | ''; sort: string; dir: 'asc' | 'desc'; page: number };
  roles: readonly Role[];
  rows: UserRow[];
  total: number;
  /** More rows match than were counted (total is the cap). */
  capped: boolean;
  /** Keyset cursor of the next page, where the sort allows one. */
  next: string | undefined;
  pageSize: number;
  canCreate: boolean;
  canReset: boolean;
  /** Rows whose password the actor may reset: the roles below the actor's, never the actor's own account. */
  resettable: (row: UserRow) => boolean;
  canRenew: boolean;
  notice: string | null;
};

const columns = [
  ['first_name', 'admin.col_first_name'], ['last_name', 'admin.col_last_name'], ['national_id', 'admin.col_national_id'], ['role', 'admin.col_role'],
  [null, 'admin.col_province'], [null, 'admin.col_district'], ['starts_on', 'admin.col_start'], ['ends_on', 'admin.col_end'],
  ['organization', 'admin.col_organization'], [null, 'admin.col_organization_type'], [null, 'admin.col_approved'],
] as const;

function link(query: UsersView['query'], change: Partial<UsersView['query']>, after?: string): string {
  const next = { ...query, ...change };
  const params = new URLSearchParams();
  if (after) params.set('after', after);
  if (next.nationalId) params.set('nationalId', next.nationalId);
  if (next.role) params.set('role', next.role);
  params.set('sort', next.sort);
  params.set('dir', next.dir);
  if (next.page > 1) params.set('page', String(next.page));
  return `/admin/users?${params.toString()}`;
}

export function adminNav(frame: PageFrame, current: string): SafeHtml {
  const { t } = frame;
  const items = ([
    ['/admin/users', 'admin.users_title', 'users.read'], ['/admin/users/new', 'admin.new_user', 'users.create'], ['/admin/passwords', 'admin.bulk_passwords', 'users.bulk_passwords'],
    ['/admin/invitations', 'invitation.bulk_title', 'users.invite'],
    ['/admin/import', 'admin.import', 'users.import'], ['/admin/audit', 'admin.audit', 'audit.read'], ['/admin/approvals', 'approvals.title', 'accounts.approve'],
    ['/admin/clients', 'clients.title', 'clients.manage'], ['/admin/announcements', 'announcements.title', 'announcements.publish'],
    ['/admin/support', 'support.queue_title', 'support.answer'],
  ] as const).filter(([, , action]) => frame.adminRole && can(frame.adminRole, action));
  return html`<nav class="tabs" aria-label="${t('admin.users_title')}">${items.map(([href, key]) => html`<a href="${href}"${href === current ? html` aria-current="page"` : ''}>${t(key)}</a>`)}</nav>`;
}

export function usersPage(frame: PageFrame, view: UsersView): SafeHtml {
  const { t, locale, formatting } = frame;
  const q = view.query;
  const pages = Math.max(1, Math.ceil(view.total / view.pageSize));
  const header = (sort: string | null, key: TextKey) => {
    if (sort === null) return html`<th scope="col">${t(key)}</th>`;
    const active = q.sort === sort;
    const dir = active && q.dir === 'asc' ? 'desc' : 'asc';
    return html`<th scope="col"${active ? html` aria-sort="${q.dir === 'asc' ? 'ascending' : 'descending'}"` : ''}><a href="${link(q, { sort, dir, page: 1 })}">${t(key)}${active ? (q.dir === 'asc' ? ' ▲' : ' ▼') : ''}</a></th>`;
  };
  return layout(frame, html`<section class="card wide">
    <h1>${t('admin.users_title')}</h1>${guideLink(t, 'admin-users')}
    ${adminNav(frame, '/admin/users')}
    ${view.notice && html`<p class="alert success" role="status">${view.notice}</p>`}
    <form method="get" action="/admin/users" class="search">
      <label>${t('admin.col_national_id')} <input type="text" name="nationalId" value="${q.nationalId}" inputmode="numeric" maxlength="20" dir="ltr"></label>
      <label>${t('admin.col_role')} <select name="role"><option value="">${t('admin.all_roles')}</option>${view.roles.map((r) => html`<option value="${r}"${r === q.role ? html` selected` : ''}>${t(`role.${r}`)}</option>`)}</select></label>
      <input type="hidden" name="sort" value="${q.sort}"><input type="hidden" name="dir" value="${q.dir}">
      <button type="submit" class="primary">${t('admin.search')}</button>
    </form>
    <p class="hint">${t(view.capped ? 'admin.total_more' : 'admin.total', { count: view.total })} · <a href="${link(q, { page: 1 }).replace('/admin/users?', '/admin/users.csv?')}" download>${t('admin.export')}</a>
      · <a href="${link(q, { page: 1 }).replace('/admin/users?', '/admin/users.xlsx?')}" download>${t('imports.export_xlsx')}</a></p>
    <div class="table-wrap" ${scrollable(t('admin.users_title'))}><table class="users">
      <thead><tr>${columns.map(([sort, key]) => header(sort, key))}${view.canReset ? html`<th scope="col"><span class="visually-hidden">${t('admin.reset')}</span></th>` : ''}</tr></thead>
      <tbody>${view.rows.map((row) => html`<tr>
        <td><a href="/admin/users/${row.accountId}">${row.firstName}</a></td><td>${row.lastName}</td>
        <td dir="ltr">${row.nationalId === null ? '' : localizeDigits(row.nationalId, formatting)}</td><td>${t(`role.${row.role}`)}</td>
        <td>${row.province ?? ''}</td><td>${row.district ?? ''}</td>
        <td>${formatDate(row.startsOn, formatting)}</td><td>${row.endsOn === null ? '' : formatDate(row.endsOn, formatting)}</td>
        <td>${row.organization}</td><td>${t(`org_type.${row.organizationType}`)}</td>
        <td>${row.approved ? html`<span aria-label="${t('admin.approved')}">✓</span>` : ''}</td>
        ${view.canReset ? html`<td>${view.resettable(row) ? html`<a class="icon" href="/admin/users/${row.accountId}/reset" title="${t('admin.reset')}" aria-label="${t('admin.reset_for', { name: `${row.firstName} ${row.lastName}` })}">⇄</a>` : ''}</td>` : ''}
      </tr>`)}</tbody>
    </table></div>
    ${pages > 1 && html`<nav class="pager" aria-label="${t('admin.page_of', { page: q.page, pages })}">
      ${q.page > 1 ? html`<a href="${link(q, { page: q.page - 1 })}" rel="prev">${t('admin.previous')}</a>` : ''}
      <span>${t('admin.page_of', { page: q.page, pages })}</span>
      ${q.page < pages ? html`<a href="${link(q, { page: q.page + 1 }, view.next)}" rel="next">${t('admin.next')}</a>` : ''}
    </nav>`}
    ${view.canRenew ? html`<p class="renew"><a href="/admin/memberships/renew${q.role ? `?role=${q.role}` : ''}">${t(q.role ? 'admin.renew_role' : 'admin.renew_all', { role: q.role ? t(`role.${q.role}`) : '' })}</a></p>` : ''}
  </section>`);
}
