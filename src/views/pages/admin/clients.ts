/**
 * The ministry's apps (OpenID clients, issue 10 §4): the table, the confirmations of removing an
 * app and of replacing its secret, and the secret shown once. The table scrolls sideways inside
 * a focusable region, so a keyboard can scroll it on a 360 px phone.
 */
import type { Locale } from '../../../config.ts';
import { appNameIn } from '../../../domain/oidc-client.ts';
import type { ClientRow } from '../../../federation/clients.ts';
import type { TextKey } from '../../../i18n/catalogs.ts';
import { formatList } from '../../../i18n/format.ts';
import { html, type SafeHtml } from '../../html.ts';
import { layout, type PageFrame } from '../../layout.ts';
import { adminNav } from './users.ts';
import { guideLink } from '../../components/guide-link.ts';
import { errorSummary } from '../../components/error-summary.ts';
import { scrollable } from '../../components/scrollable.ts';

/** Protocol words (grant types, scopes, URIs) read left to right on every page. */
const ltrList = (items: readonly string[]) => html`<ul class="plain" dir="ltr">${items.map((item) => html`<li>${item}</li>`)}</ul>`;

const grantKey = (grant: string): TextKey | undefined =>
  grant === 'authorization_code' ? 'clients.grant_authorization_code' : grant === 'refresh_token' ? 'clients.grant_refresh_token'
    : grant === 'client_credentials' ? 'clients.grant_client_credentials' : undefined;

/** An app's grant types, in words. */
export const grantList = (t: PageFrame['t'], grants: readonly string[]) =>
  html`<ul class="plain">${grants.map((g) => { const key = grantKey(g); return html`<li>${key ? t(key) : g}</li>`; })}</ul>`;

/** `organizations`: the names of the organizations SCIM clients are bound to, by id. */
export function clientsPage(frame: PageFrame, view: { clients: ClientRow[]; notice: string | null; organizations?: ReadonlyMap<string, string> }): SafeHtml {
  const { t } = frame;
  const columns: TextKey[] = [
    // The actions beside the id: the table is wider than a screen, and Edit must be in view.
    'clients.col_id', 'clients.col_actions', 'clients.col_name', 'clients.col_party', 'clients.col_kind', 'clients.col_grants', 'clients.col_roles',
    'clients.col_redirects', 'clients.col_post_logout', 'clients.col_backchannel', 'clients.col_token_format', 'clients.col_scopes',
  ];
  return layout(frame, html`<section class="card wide">
    <h1>${t('clients.title')}</h1>${guideLink(t, 'admin-clients')}
    ${adminNav(frame, '/admin/clients')}
    ${view.notice && html`<p class="alert success" role="status">${view.notice}</p>`}
    <p><a class="button" href="/admin/clients/new">${t('clients.new')}</a></p>
    ${view.clients.length === 0 ? html`<p class="hint">${t('clients.none')}</p>` : html`<div class="table-wrap" ${scrollable(t('clients.table'))}><table class="clients">
      <thead><tr>${columns.map((key) => html`<th scope="col">${t(key)}</th>`)}</tr></thead>
      <tbody>${view.clients.map((c) => html`<tr>
        <th scope="row" dir="ltr"><code>${c.clientId}</code></th>
        <td><ul class="plain">
          <li><a href="/admin/clients/${encodeURIComponent(c.clientId)}/edit" aria-label="${t('clients.edit_for', { name: appNameIn(c, frame.locale) })}">${t('clients.edit')}</a></li>
          ${c.confidential ? html`<li><a href="/admin/clients/${encodeURIComponent(c.clientId)}/secret" aria-label="${t('clients.rotate_for', { name: appNameIn(c, frame.locale) })}">${t('clients.rotate')}</a></li>` : ''}
          <li><a href="/admin/clients/${encodeURIComponent(c.clientId)}/remove" aria-label="${t('clients.remove_for', { name: appNameIn(c, frame.locale) })}">${t('clients.remove')}</a></li>
        </ul></td>
        <td class="wrap">${c.name}${Object.entries(c.names).filter(([, name]) => name !== c.name).map(([locale, name]) => html`<br><small>${t(`lang.${locale as Locale}`)}: <span lang="${locale}" dir="auto">${name}</span></small>`)}</td>
        <td>${t(c.firstParty ? 'clients.first_party' : 'clients.third_party')}</td>
        <td>${t(c.confidential ? 'clients.confidential' : 'clients.public')}</td>
        <td>${grantList(t, c.grantTypes)}</td>
        <td class="wrap">${c.roles.length === 0 ? t('clients.any_role') : formatList(c.roles.map((r) => t(`role.${r}`)), frame.locale)}</td>
        <td>${ltrList(c.redirectUris)}</td>
        <td>${ltrList(c.postLogoutRedirectUris)}</td>
        <td dir="ltr">${c.backchannelLogoutUri ?? ''}</td>
        <td>${t(c.accessTokenFormat === 'jwt' ? 'clients.token_jwt' : 'clients.token_opaque')}</td>
        <td class="wrap"><span dir="ltr">${c.scopes.join(' ')}</span>${c.organizationId && html`<br>${t('scim.bound_to', { organization: view.organizations?.get(c.organizationId) ?? c.organizationId })}`}</td>
      </tr>`)}</tbody>
    </table></div>`}
  </section>`);
}

export type ClientConfirm = { action: 'remove' | 'secret'; client: Pick<ClientRow, 'clientId' | 'name' | 'names' | 'secretVersion'>; problem?: TextKey };

/** "Are you sure?" before removing an app or replacing its secret, as the console asks before a reset. */
export function clientConfirmPage(frame: PageFrame, view: ClientConfirm): SafeHtml {
  const { t } = frame;
  const { client } = view;
  const title = t(view.action === 'remove' ? 'clients.remove_for' : 'clients.rotate_for', { name: appNameIn(client, frame.locale) });
  return layout(frame, html`<section class="card narrow">
    <h1>${title}</h1>
    <p dir="ltr"><code>${client.clientId}</code></p>
    ${errorSummary(t, view.problem ? [{ text: t(view.problem) }] : [])}
    <p class="alert info" role="alertdialog" aria-label="${title}">${t(view.action === 'remove' ? 'clients.remove_confirm' : 'clients.rotate_confirm')}</p>
    <form method="post" action="/admin/clients/${encodeURIComponent(client.clientId)}/${view.action}">
      <input type="hidden" name="_csrf" value="${frame.csrfToken}">
      ${view.action === 'secret' ? html`<input type="hidden" name="version" value="${client.secretVersion ?? ''}">` : ''}
      <button type="submit" class="primary">${t(view.action === 'remove' ? 'clients.remove' : 'clients.rotate')}</button>
      <a href="/admin/clients">${t('admin.cancel')}</a>
    </form>
  </section>`);
}

/** The secret, in the answer to the POST that made it and nowhere else (the reply is never stored). */
export function clientSecretPage(frame: PageFrame, view: { clientId: string; name: string; secret: string; rotated: boolean }): SafeHtml {
  const { t } = frame;
  return layout(frame, html`<section class="card narrow">
    <h1>${t(view.rotated ? 'clients.secret_title_rotated' : 'clients.secret_title_added')}</h1>
    <dl class="facts">
      <div><dt>${t('clients.col_name')}</dt><dd>${view.name}</dd></div>
      <div><dt>${t('clients.col_id')}</dt><dd dir="ltr"><code>${view.clientId}</code></dd></div>
    </dl>
    <h2>${t('clients.secret_label')}</h2>
    <p class="secret long" dir="ltr" lang="en">${view.secret}</p>
    <p class="alert info">${t('clients.secret_shown_once')}</p>
    <p><a href="/admin/clients">${t('clients.back')}</a></p>
  </section>`);
}
