/**
 * Bulk passwords (F21, seed 1 §8): choose the user type, tick rows or take all that match,
 * "change password"; a progress page that refreshes itself (no JavaScript), then the list and
 * the printable slips (B5), each with a QR code that signs its student in once.
 */
import { renderSVG } from 'uqr';
import type { BatchStatus } from '../../../admin/batches.ts';
import type { Slip } from '../../../admin/password-batches.ts';
import type { UserRow } from '../../../admin/user-table.ts';
import type { TextKey } from '../../../i18n/catalogs.ts';
import { localizeDigits } from '../../../i18n/format.ts';
import { html, raw, type SafeHtml } from '../../html.ts';
import { layout, type PageFrame } from '../../layout.ts';
import { adminNav } from './users.ts';
import { guideLink } from '../../components/guide-link.ts';
import { errorSummary } from '../../components/error-summary.ts';
import { scrollable } from '../../components/scrollable.ts';

export type UserType = { key: string; label: string };
/** Why passwords were not issued: a catalog code and, for `admin.batch_overlaps`, the actor's own batch that holds the people. */
export type Refusal = { code: TextKey; batchId?: string };

/** The refusal in words, with a link to the batch that holds the people when it is the actor's own. */
export const refusalAlert = (frame: PageFrame, refusal: Refusal): SafeHtml => errorSummary(frame.t, [{ text: html`${frame.t(refusal.code)}${
  refusal.batchId ? html` <a href="/admin/${refusal.code === 'invitation.batch_overlaps' ? 'invitation' : 'password'}-batches/${refusal.batchId}">${frame.t('admin.batch_overlaps_open')}</a>` : ''}` }]);

/** The words and addresses of a bulk page: temporary passwords (F21) or set-password links (F19), one table and one form. */
const bulkKinds = {
  passwords: {
    page: '/admin/passwords', post: '/admin/password-batches', title: 'admin.bulk_passwords', intro: null,
    selected: 'admin.change_passwords', all: 'admin.change_passwords_all', allMore: 'admin.change_passwords_all_more',
  },
  invitations: {
    page: '/admin/invitations', post: '/admin/invitation-batches', title: 'invitation.bulk_title', intro: 'invitation.bulk_intro',
    selected: 'invitation.send_selected', all: 'invitation.send_all', allMore: 'invitation.send_all_more',
  },
} as const satisfies Record<string, { page: string; post: string; title: TextKey; intro: TextKey | null; selected: TextKey; all: TextKey; allMore: TextKey }>;
export type BulkKind = keyof typeof bulkKinds;

export function bulkPage(frame: PageFrame, view: { types: UserType[]; type: string; rows: UserRow[]; total: number; capped: boolean; requestKey: string; refusal: Refusal | null; kind?: BulkKind }): SafeHtml {
  const { t, locale, formatting } = frame;
  const words = bulkKinds[view.kind ?? 'passwords'];
  return layout(frame, html`<section class="card wide">
    <h1>${t(words.title)}</h1>${guideLink(t, view.kind === 'invitations' ? 'admin-invitations' : 'admin-bulk-passwords')}
    ${adminNav(frame, words.page)}
    ${words.intro && html`<p>${t(words.intro)}</p>`}
    <form method="get" action="${words.page}" class="search">
      <label>${t('admin.user_type')} <select name="type">${view.types.map((ty) => html`<option value="${ty.key}"${ty.key === view.type ? html` selected` : ''}>${ty.label}</option>`)}</select></label>
      <button type="submit" class="primary">${t('admin.search')}</button>
    </form>
    ${view.refusal && refusalAlert(frame, view.refusal)}
    ${view.rows.length > 0 && html`<form method="post" action="${words.post}">
      <input type="hidden" name="_csrf" value="${frame.csrfToken}">
      <input type="hidden" name="requestKey" value="${view.requestKey}">
      <input type="hidden" name="type" value="${view.type}">
      <div class="actions">
        <button type="submit" name="scope" value="selected" class="primary go">${t(words.selected)}</button>
        <button type="submit" name="scope" value="all" class="secondary">${t(view.capped ? words.allMore : words.all, { count: view.total })}</button>
      </div>
      <div class="table-wrap" ${scrollable(t(words.title))}><table>
        <thead><tr><th scope="col"><span class="visually-hidden">${t('admin.select')}</span></th><th scope="col">${t('admin.col_first_name')}</th><th scope="col">${t('admin.col_last_name')}</th><th scope="col">${t('admin.col_national_id')}</th><th scope="col">${t('admin.col_role')}</th><th scope="col">${t('admin.col_organization')}</th></tr></thead>
        <tbody>${view.rows.map((r) => html`<tr>
          <td><input type="checkbox" name="accountId" value="${r.accountId}" aria-label="${t('admin.select_row', { name: `${r.firstName} ${r.lastName}` })}"></td>
          <td>${r.firstName}</td><td>${r.lastName}</td><td dir="ltr">${r.nationalId === null ? '' : localizeDigits(r.nationalId, formatting)}</td><td>${t(`role.${r.role}`)}</td><td>${r.organization}</td></tr>`)}</tbody>
      </table></div>
      ${view.total > view.rows.length ? html`<p class="hint">${t('admin.first_rows', { shown: view.rows.length, count: view.total })}</p>` : ''}
    </form>`}
  </section>`);
}

export function batchProgressPage(frame: PageFrame, batch: BatchStatus, showWithinHours: number): SafeHtml {
  const { t } = frame;
  return layout(frame, html`<section class="card narrow">
    <h1>${t('admin.bulk_passwords')}</h1>${guideLink(t, 'admin-bulk-passwords')}
    ${batch.state === 'running' ? html`<p role="status">${t('admin.batch_running', { done: batch.done, total: batch.total })}</p>
      <progress max="${batch.total}" value="${batch.done}">${batch.done}/${batch.total}</progress>
      <p class="hint">${t('admin.batch_refresh')}</p>` : ''}
    ${batch.state === 'done' ? html`<p class="alert success" role="status">${t('admin.batch_done', { total: batch.total })}</p>
      <form method="post" action="/admin/password-batches/${batch.id}/show"><input type="hidden" name="_csrf" value="${frame.csrfToken}">
      <button type="submit" class="primary">${t('admin.batch_show')}</button></form><p class="hint">${t('admin.shown_once')}</p>` : ''}
    ${batch.state === 'shown' || batch.state === 'failed' ? html`<p class="alert info">${t('admin.batch_gone')}</p>` : ''}
    ${batch.state === 'expired' ? html`<p class="alert info">${t('admin.batch_expired', { hours: showWithinHours })}</p>` : ''}
  </section>`);
}

export function slipsPage(frame: PageFrame, slips: Slip[], signInBase: string): SafeHtml {
  const { t, locale, formatting } = frame;
  const id = (s: Slip) => (s.nationalId === null ? '' : localizeDigits(s.nationalId, formatting));
  return layout(frame, html`<section class="card wide">
    <h1>${t('admin.batch_result')}</h1>
    <p class="alert info no-print">${t('admin.batch_hand_over')}</p>
    <p class="hint no-print">${t('admin.print_hint')}</p>
    <div class="table-wrap" ${scrollable(t('admin.batch_result'))}><table class="result">
      <thead><tr><th scope="col">${t('admin.col_first_name')}</th><th scope="col">${t('admin.col_last_name')}</th><th scope="col">${t('admin.col_national_id')}</th><th scope="col" class="password">${t('admin.temporary_password')}</th></tr></thead>
      <tbody>${slips.map((s) => html`<tr><td>${s.firstName}</td><td>${s.lastName}</td><td dir="ltr">${id(s)}</td><td class="password"><span dir="ltr" lang="en" class="mono">${s.password}</span></td></tr>`)}</tbody>
    </table></div>
    <div class="slips">${slips.map((s) => html`<article class="slip">
      <h2>${t('app.name')} · ${s.firstName} ${s.lastName}</h2>
      <dl><div><dt>${t('sign_in.identifier')}</dt><dd dir="ltr">${id(s) || `${s.userCode.slice(0, 4)}-${s.userCode.slice(4)}`}</dd></div>
      <div><dt>${t('admin.temporary_password')}</dt><dd dir="ltr" lang="en" class="mono">${s.password}</dd></div></dl>
      <div class="qr" aria-label="${t('admin.slip_qr')}">${raw(renderSVG(`${signInBase}/q/${s.qrToken}`, { border: 1 }))}</div>
      <p class="hint">${t('admin.slip_qr')}</p>
    </article>`)}</div>
  </section>`);
}
