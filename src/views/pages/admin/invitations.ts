/**
 * Set-password links in the console (F19): the question before sending one, and a bulk
 * sending's self-refreshing progress, then who was sent a link and who was skipped and why.
 */
import type { BatchStatus } from '../../../admin/batches.ts';
import type { SkippedPerson } from '../../../admin/invitation-batches.ts';
import { localizeDigits } from '../../../i18n/format.ts';
import { html, type SafeHtml } from '../../html.ts';
import { layout, type PageFrame } from '../../layout.ts';
import { adminNav } from './users.ts';
import { guideLink } from '../../components/guide-link.ts';
import { errorSummary } from '../../components/error-summary.ts';
import { scrollable } from '../../components/scrollable.ts';

export function inviteConfirmPage(
  frame: PageFrame, user: { accountId: string; name: string; email: string | null }, hours: number, refusal: string | null = null,
): SafeHtml {
  const { t } = frame;
  return layout(frame, html`<section class="card narrow">
    <h1>${t('invitation.send')}</h1>${guideLink(t, 'admin-invitations')}
    <p>${user.name}</p>
    ${errorSummary(t, refusal ? [{ text: refusal }] : [])}
    ${user.email !== null && html`<p class="alert info" role="alertdialog" aria-label="${t('invitation.send')}">${t('invitation.confirm')}</p>
    <p class="hint">${t('invitation.confirm_hint', { email: user.email, hours })}</p>
    <form method="post" action="/admin/users/${user.accountId}/invite">
      <input type="hidden" name="_csrf" value="${frame.csrfToken}">
      <button type="submit" class="primary">${t('common.confirm')}</button>
      <a href="/admin/users/${user.accountId}">${t('admin.cancel')}</a>
    </form>`}
    ${user.email === null && html`<p><a href="/admin/users/${user.accountId}">${t('admin.cancel')}</a></p>`}
  </section>`);
}

export function invitationProgressPage(frame: PageFrame, batch: BatchStatus, skipped: readonly SkippedPerson[]): SafeHtml {
  const { t, locale, formatting } = frame;
  return layout(frame, html`<section class="card narrow">
    <h1>${t('invitation.bulk_title')}</h1>${guideLink(t, 'admin-invitations')}
    ${adminNav(frame, '')}
    ${batch.state === 'running' ? html`<p role="status">${t('invitation.running', { done: batch.done, total: batch.total })}</p>
      <progress max="${batch.total}" value="${batch.done}">${batch.done}/${batch.total}</progress>
      <p class="hint">${t('admin.batch_refresh')}</p>` : html`<p class="alert success" role="status">${t('invitation.done', { sent: batch.done - batch.skipped, skipped: batch.skipped })}</p>`}
    ${skipped.length > 0 && html`<h2>${t('invitation.skipped_title')}</h2>
      <div class="table-wrap" ${scrollable(t('invitation.skipped_title'))}><table>
        <thead><tr><th scope="col">${t('admin.col_first_name')}</th><th scope="col">${t('admin.col_last_name')}</th><th scope="col">${t('admin.col_national_id')}</th><th scope="col">${t('invitation.reason')}</th></tr></thead>
        <tbody>${skipped.map((p) => html`<tr><td>${p.firstName}</td><td>${p.lastName}</td><td dir="ltr">${p.nationalId === null ? '' : localizeDigits(p.nationalId, formatting)}</td><td>${t(`invitation.reason_${p.reason}`)}</td></tr>`)}</tbody>
      </table></div>`}
  </section>`);
}
