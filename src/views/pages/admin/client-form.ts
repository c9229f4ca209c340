/**
 * Register an app (issue 10 §4): its id and name, first or third party, confidential or public,
 * how it uses Kelid, its scopes and roles, its URIs one a line, JWT access tokens. Problems are
 * drawn beside their fields and listed on top; every value comes back as it was typed. Editing
 * an app is the same form, with what cannot change after registration shown as facts.
 */
import type { ClientField, ClientFieldProblem, ClientFormValues } from '../../../admin/client-form.ts';
import { clientProblemParams, FORM_SCOPES } from '../../../admin/client-form.ts';
import { locales, type Locale } from '../../../config.ts';
import type { Role } from '../../../db/schema.ts';
import type { TextKey } from '../../../i18n/catalogs.ts';
import { html, type SafeHtml } from '../../html.ts';
import { layout, type PageFrame } from '../../layout.ts';
import { adminNav } from './users.ts';
import { errorSummary, problemsOf } from '../../components/error-summary.ts';
import { grantList } from './clients.ts';
import { guideLink } from '../../components/guide-link.ts';

export type ClientFormView = {
  /** `ownLocale`: the language of the app's `name` (the profile's), which the other names leave out. */
  values: ClientFormValues; problems: ClientFieldProblem[]; roles: readonly Role[]; ownLocale: Locale;
  /** An edit of a registered app: its name and grant types as registered, and the version the form was drawn for (federation/clients.ts updateClient). */
  edit?: { name: string; grantTypes: readonly string[]; version: string; notice?: TextKey };
};

const scopeText: Record<(typeof FORM_SCOPES)[number], TextKey> = {
  openid: 'clients.scope_openid', profile: 'clients.scope_profile', email: 'clients.scope_email', phone: 'clients.scope_phone',
  national_id: 'clients.scope_national_id', roles: 'clients.scope_roles', children: 'clients.scope_children',
  offline_access: 'clients.scope_offline_access', scim: 'clients.scope_scim',
};

export function clientFormPage(frame: PageFrame, view: ClientFormView): SafeHtml {
  const { t } = frame;
  const v = view.values;
  const invalid = (field: ClientField) => view.problems.some((p) => p.field === field);
  const errorsFor = (field: ClientField) => {
    const list = view.problems.filter((p) => p.field === field);
    return list.length === 0 ? '' : html`<ul class="errors" id="${field}-error">${list.map((p) => html`<li>${t(p.code, clientProblemParams(t, p))}</li>`)}</ul>`;
  };
  const described = (field: ClientField, hint: boolean) => {
    const ids = [...(hint ? [`${field}-hint`] : []), ...(invalid(field) ? [`${field}-error`] : [])];
    return html`${invalid(field) ? html` aria-invalid="true"` : ''}${ids.length > 0 ? html` aria-describedby="${ids.join(' ')}"` : ''}`;
  };
  const hint = (field: ClientField, key: TextKey) => html`<small class="hint" id="${field}-hint">${t(key)}</small>`;
  const text = (field: 'clientId' | 'name' | 'backchannelLogoutUri', label: TextKey, options: { hint?: TextKey; ltr?: boolean; maxLength?: number }) => html`<div class="field${invalid(field) ? ' invalid' : ''}">
    <label for="${field}">${t(label)}</label>
    <input type="text" id="${field}" name="${field}" value="${v[field]}"${options.maxLength === undefined ? '' : html` maxlength="${options.maxLength}"`} dir="${options.ltr ? 'ltr' : 'auto'}" autocomplete="off"${described(field, options.hint !== undefined)}>
    ${options.hint && hint(field, options.hint)}${errorsFor(field)}
  </div>`;
  // The name in each language: a field each, labelled in its own language and written in it.
  const names = html`<fieldset class="field${invalid('names') ? ' invalid' : ''}"${described('names', true)}>
    <legend>${t('clients.col_names')}</legend>
    ${hint('names', 'clients.hint_names')}
    ${locales.filter((locale) => locale !== view.ownLocale).map((locale, i) => html`<div class="field">
      <label for="${i === 0 ? 'names' : `names-${locale}`}" lang="${locale}">${t(`lang.${locale}`)}</label>
      <input type="text" id="${i === 0 ? 'names' : `names-${locale}`}" name="names.${locale}" value="${v.names[locale]}" lang="${locale}" dir="${locale === 'en' ? 'ltr' : 'rtl'}" autocomplete="off">
    </div>`)}
    ${errorsFor('names')}
  </fieldset>`;
  const uris = (field: 'redirectUris' | 'postLogoutRedirectUris', label: TextKey) => html`<div class="field${invalid(field) ? ' invalid' : ''}">
    <label for="${field}">${t(label)}</label>
    <textarea id="${field}" name="${field}" rows="3" class="uris" dir="ltr" autocomplete="off" spellcheck="false"${described(field, true)}>${v[field]}</textarea>
    ${hint(field, 'clients.hint_uris')}${errorsFor(field)}
  </div>`;
  const radios = <F extends 'firstParty' | 'confidential' | 'grantTypes'>(field: F, legend: TextKey, options: readonly [ClientFormValues[F], TextKey, TextKey][]) => html`<fieldset class="field${invalid(field) ? ' invalid' : ''}"${described(field, false)}>
    <legend>${t(legend)}</legend>
    ${options.map(([value, label, note], i) => html`<label class="option"><input${i === 0 ? html` id="${field}"` : ''} type="radio" name="${field}" value="${value}"${v[field] === value ? html` checked` : ''}>
      <span><strong>${t(label)}</strong><small>${t(note)}</small></span></label>`)}
    ${errorsFor(field)}
  </fieldset>`;
  const boxes = (field: 'scopes' | 'roles', legend: TextKey, options: readonly { value: string; label: SafeHtml | string }[], note: TextKey) => html`<fieldset class="field${invalid(field) ? ' invalid' : ''}"${described(field, true)}>
    <legend>${t(legend)}</legend>
    ${hint(field, note)}
    <div class="boxes">${options.map((o, i) => html`<label><input${i === 0 ? html` id="${field}"` : ''} type="checkbox" name="${field}" value="${o.value}"${v[field].includes(o.value) ? html` checked` : ''}> ${o.label}</label>`)}</div>
    ${errorsFor(field)}
  </fieldset>`;

  const { edit } = view;
  // Fixed at registration: an edit shows them as facts.
  const fixed = edit && html`<dl class="facts" aria-describedby="fixed-note">
        <div><dt>${t('clients.col_id')}</dt><dd dir="ltr"><code>${v.clientId}</code></dd></div>
        <div><dt>${t('clients.col_party')}</dt><dd>${t(v.firstParty === 'yes' ? 'clients.first_party' : 'clients.third_party')}</dd></div>
        <div><dt>${t('clients.col_kind')}</dt><dd>${t(v.confidential === 'yes' ? 'clients.confidential' : 'clients.public')}</dd></div>
        <div><dt>${t('clients.col_grants')}</dt><dd>${grantList(t, edit.grantTypes)}</dd></div>
      </dl>
      <p class="hint" id="fixed-note">${t('clients.fixed_note')}</p>`;

  return layout(frame, html`<section class="card narrow">
    <h1>${edit ? t('clients.edit_for', { name: edit.name }) : t('clients.new')}</h1>${guideLink(t, 'admin-clients')}
    ${adminNav(frame, '/admin/clients')}
    ${edit?.notice && html`<p class="alert error" role="alert">${t(edit.notice)}</p>`}
    ${errorSummary(t, problemsOf(t, view.problems.map((p) => ({ ...p, params: clientProblemParams(t, p) })), (field) => field))}
    <form method="post" action="${edit ? `/admin/clients/${encodeURIComponent(v.clientId)}/edit` : '/admin/clients/new'}" novalidate>
      <input type="hidden" name="_csrf" value="${frame.csrfToken}">
      ${edit ? html`<input type="hidden" name="version" value="${edit.version}">
      ${fixed}
      ${text('name', 'clients.col_name', {})}
      ${names}` : html`${text('clientId', 'clients.col_id', { hint: 'clients.hint_client_id', ltr: true, maxLength: 64 })}
      ${text('name', 'clients.col_name', {})}
      ${names}
      ${radios('firstParty', 'clients.col_party', [['yes', 'clients.first_party', 'clients.hint_first_party'], ['no', 'clients.third_party', 'clients.hint_third_party']])}
      ${radios('confidential', 'clients.col_kind', [['yes', 'clients.confidential', 'clients.hint_confidential'], ['no', 'clients.public', 'clients.hint_public']])}
      ${radios('grantTypes', 'clients.col_grants', [['code', 'clients.grants_code', 'clients.hint_grants_code'], ['client_credentials', 'clients.grant_client_credentials', 'clients.hint_grants_client_credentials']])}`}
      ${boxes('scopes', 'clients.col_scopes', FORM_SCOPES.map((s) => ({ value: s, label: html`<code dir="ltr">${s}</code> ${t(scopeText[s])}` })), 'clients.hint_scopes')}
      ${boxes('roles', 'clients.col_roles', view.roles.map((r) => ({ value: r, label: t(`role.${r}`) })), 'clients.hint_roles')}
      ${uris('redirectUris', 'clients.col_redirects')}
      ${uris('postLogoutRedirectUris', 'clients.col_post_logout')}
      ${text('backchannelLogoutUri', 'clients.col_backchannel', { hint: 'clients.hint_backchannel', ltr: true, maxLength: 2000 })}
      <div class="field check${invalid('accessTokenFormat') ? ' invalid' : ''}">
        <label><input id="accessTokenFormat" type="checkbox" name="accessTokenFormat" value="jwt"${v.accessTokenFormat === 'jwt' ? html` checked` : ''}${described('accessTokenFormat', false)}> ${t('clients.field_jwt')}</label>
        ${errorsFor('accessTokenFormat')}
      </div>
      ${edit ? html`<p class="hint">${t('clients.narrowing_note')}</p>` : ''}
      <button type="submit" class="primary">${t(edit ? 'clients.save' : 'clients.register')}</button>
      <a href="/admin/clients">${t('admin.cancel')}</a>
    </form>
  </section>`);
}
