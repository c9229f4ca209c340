/**
 * The console's support queue (F29): the requests in the actor's subtree, filtered by state,
 * and one request with its screenshot, its answers, and the three things to do with it:
 * answer, escalate to the level above, close. Each is a form with its CSRF token.
 */
import type { SupportState } from '../../../db/schema.ts';
import { SUPPORT_LIMITS } from '../../../domain/support-request.ts';
import type { TextKey } from '../../../i18n/catalogs.ts';
import { formatDateTime } from '../../../i18n/format.ts';
import type { QueuedRequest } from '../../../support/store.ts';
import { guideLink } from '../../components/guide-link.ts';
import { isolated } from '../../components/isolated.ts';
import { html, type SafeHtml } from '../../html.ts';
import { layout, type PageFrame } from '../../layout.ts';
import { requestBody } from '../support.ts';
import { adminNav } from './users.ts';
import { errorSummary } from '../../components/error-summary.ts';
import { scrollable } from '../../components/scrollable.ts';

const states = ['open', 'answered', 'closed'] as const satisfies readonly SupportState[];

const requesterText = (frame: PageFrame, r: QueuedRequest) => (r.requester ? r.requester.name : isolated(frame.t, 'support.anonymous', { contact: r.contact ?? '' }, ['contact']));

export function supportQueuePage(frame: PageFrame, view: { state: SupportState | null; rows: QueuedRequest[]; timeZone: string; notice: TextKey | null }): SafeHtml {
  const { t, locale, formatting } = frame;
  return layout(frame, html`<section class="card wide">
    <h1>${t('support.queue_title')}</h1>${guideLink(t, 'admin-support')}
    ${adminNav(frame, '/admin/support')}
    ${view.notice && html`<p class="alert success" role="status">${t(view.notice)}</p>`}
    <form method="get" action="/admin/support" class="search">
      <label>${t('support.state')} <select name="state"><option value="">${t('support.all_states')}</option>
        ${states.map((s) => html`<option value="${s}"${s === view.state ? html` selected` : ''}>${t(`support.state_${s}`)}</option>`)}</select></label>
      <button type="submit" class="primary">${t('support.filter')}</button>
    </form>
    ${view.rows.length === 0 ? html`<p class="alert info">${t('support.queue_empty')}</p>` : html`<div class="table-wrap" ${scrollable(t('support.queue_title'))}><table>
      <thead><tr><th scope="col">${t('support.reference')}</th><th scope="col">${t('support.subject')}</th><th scope="col">${t('support.requester')}</th>
        <th scope="col">${t('support.origin')}</th><th scope="col">${t('support.state')}</th><th scope="col">${t('support.created_at')}</th></tr></thead>
      <tbody>${view.rows.map((r) => html`<tr><td dir="ltr"><a href="/admin/support/${r.id}">${r.reference}</a></td><td dir="auto">${r.subject}</td>
        <td dir="auto">${requesterText(frame, r)}</td><td>${r.origin}</td><td>${t(`support.state_${r.state}`)}</td><td>${formatDateTime(r.createdAt, formatting, view.timeZone)}</td></tr>`)}</tbody>
    </table></div>`}
  </section>`);
}

export function supportRequestAdminPage(
  frame: PageFrame, r: QueuedRequest, view: { timeZone: string; notice: TextKey | null; error: TextKey | null; text: string },
): SafeHtml {
  const { t } = frame;
  const open = r.state !== 'closed';
  return layout(frame, html`<section class="card wide">
    <h1>${t('support.queue_title')}: <bdi class="reference" dir="ltr">${r.reference}</bdi></h1>${guideLink(t, 'admin-support-request')}
    ${adminNav(frame, '/admin/support')}
    ${view.notice && html`<p class="alert success" role="status">${t(view.notice)}</p>`}
    ${errorSummary(t, view.error ? [{ text: t(view.error), target: open && view.error.startsWith('support.text') ? 'text' : undefined }] : [])}
    ${requestBody(frame, r, view.timeZone, null, html`
      <div><dt>${t('support.requester')}</dt><dd dir="auto">${r.requester ? html`<a href="/admin/users/${r.requester.accountId}">${r.requester.name}</a>` : requesterText(frame, r)}</dd></div>
      <div><dt>${t('support.origin')}</dt><dd>${r.origin}</dd></div>`, r.hasScreenshot ? html`<figure><img class="screenshot" src="/admin/support/${r.id}/screenshot" alt="${t('support.screenshot_link')}">
      <figcaption><a href="/admin/support/${r.id}/screenshot">${t('support.screenshot_link')}</a></figcaption></figure>` : '')}
    ${open && html`<form method="post" action="/admin/support/${r.id}/reply">
      <input type="hidden" name="_csrf" value="${frame.csrfToken}">
      <div class="field${view.error && view.error.startsWith('support.text') ? ' invalid' : ''}"><label for="text">${t('support.reply')}</label>
        <textarea id="text" name="text" rows="6" maxlength="${SUPPORT_LIMITS.text}" required dir="auto">${view.text}</textarea></div>
      <button type="submit" class="primary">${t('support.reply_submit')}</button>
    </form>
    ${r.canEscalate && html`<form method="post" action="/admin/support/${r.id}/escalate">
      <input type="hidden" name="_csrf" value="${frame.csrfToken}">
      <p class="hint">${t('support.escalate_hint')}</p>
      <button type="submit" class="secondary">${t('support.escalate')}</button>
    </form>`}
    <form method="post" action="/admin/support/${r.id}/close">
      <input type="hidden" name="_csrf" value="${frame.csrfToken}">
      <button type="submit" class="secondary">${t('support.close')}</button>
    </form>`}
  </section>`);
}
