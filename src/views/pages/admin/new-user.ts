/**
 * New user (F23, seed 1 §6): the national ID, then the registry's name appears; the role, the
 * organization (for admins above a school), the appointment dates (Solar Hijri in Persian)
 * and, for a parent, the child's national ID. Works without JavaScript: "show name" posts.
 */
import type { Role } from '../../../db/schema.ts';
import type { TextKey } from '../../../i18n/catalogs.ts';
import { html, type SafeHtml } from '../../html.ts';
import { layout, type PageFrame } from '../../layout.ts';
import { adminNav } from './users.ts';
import { errorSummary, problemsOf } from '../../components/error-summary.ts';
import { guideLink } from '../../components/guide-link.ts';

export type NewUserView = {
  values: { nationalId: string; role: string; organizationId: string; start: string; end: string; childNationalId: string };
  roles: readonly Role[];
  organizations: { id: string; name: string }[];
  registryName: string | null;
  errors: { code: TextKey; field?: string | undefined; params?: Record<string, string | number> }[];
  dateHint: string;
};

/** The fields this page draws, each its input's id (the organization is a choice only above a school). */
const drawn = (view: NewUserView) => (field: string) =>
  (['nationalId', 'role', 'start', 'end', 'childNationalId', ...(view.organizations.length > 1 ? ['organizationId'] : [])].includes(field) ? field : undefined);

export function newUserPage(frame: PageFrame, view: NewUserView): SafeHtml {
  const { t } = frame;
  const v = view.values;
  const errorsFor = (field: string) => {
    const list = view.errors.filter((e) => e.field === field);
    return list.length === 0 ? '' : html`<ul class="errors" id="${field}-error">${list.map((e) => html`<li>${t(e.code, e.params)}</li>`)}</ul>`;
  };
  const text = (name: keyof NewUserView['values'], label: TextKey, extra: SafeHtml | string = '') => html`<div class="field${view.errors.some((e) => e.field === name) ? ' invalid' : ''}">
    <label for="${name}">${t(label)}</label>
    <input type="text" id="${name}" name="${name}" value="${v[name]}" maxlength="20" dir="auto"${view.errors.some((e) => e.field === name) ? html` aria-invalid="true" aria-describedby="${name}-error"` : ''}>
    ${extra}${errorsFor(name)}
  </div>`;
  return layout(frame, html`<section class="card narrow">
    <h1>${t('admin.new_user')}</h1>${guideLink(t, 'admin-new-user')}
    ${adminNav(frame, '/admin/users/new')}
    ${errorSummary(t, problemsOf(t, view.errors, drawn(view)))}
    <form method="post" action="/admin/users/new" novalidate>
      <input type="hidden" name="_csrf" value="${frame.csrfToken}">
      ${text('nationalId', 'admin.col_national_id', view.registryName ? html`<p class="alert success" role="status">${t('admin.registry_name', { name: view.registryName })}</p>` : '')}
      <button type="submit" name="action" value="lookup" class="secondary">${t('admin.show_name')}</button>
      <div class="field"><label for="role">${t('admin.col_role')}</label>
        <select id="role" name="role">${view.roles.map((r) => html`<option value="${r}"${r === v.role ? html` selected` : ''}>${t(`role.${r}`)}</option>`)}</select>${errorsFor('role')}</div>
      ${view.organizations.length > 1 ? html`<div class="field"><label for="organizationId">${t('admin.col_organization')}</label>
        <select id="organizationId" name="organizationId">${view.organizations.map((o) => html`<option value="${o.id}"${o.id === v.organizationId ? html` selected` : ''}>${o.name}</option>`)}</select>${errorsFor('organizationId')}</div>`
        : html`<input type="hidden" name="organizationId" value="${view.organizations[0]?.id ?? ''}">`}
      ${text('start', 'admin.issue_date', html`<small class="hint">${view.dateHint}</small>`)}
      ${text('end', 'admin.end_date', html`<small class="hint">${view.dateHint}</small>`)}
      ${text('childNationalId', 'admin.child_national_id', html`<small class="hint">${t('admin.child_hint')}</small>`)}
      <button type="submit" name="action" value="save" class="primary">${t('common.save')}</button>
    </form>
  </section>`);
}
