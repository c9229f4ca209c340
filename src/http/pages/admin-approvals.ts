/** Approvals (F14): the pre-registrations waiting for a ministry administrator, page and API. */
import type { FastifyInstance } from 'fastify';
import { approveAccount, awaitingApproval } from '../../admin/approvals.ts';
import { AppError } from '../../errors.ts';
import { localizeDigits } from '../../i18n/format.ts';
import { html } from '../../views/html.ts';
import { layout } from '../../views/layout.ts';
import { adminNav } from '../../views/pages/admin/users.ts';
import type { RouteContext } from '../context.ts';
import { frameFor, noStore, sendPage } from './frame.ts';
import { requireAdminPage } from './guards.ts';
import { guideLink } from '../../views/components/guide-link.ts';
import { scrollable } from '../../views/components/scrollable.ts';

export async function adminApprovalPages(app: FastifyInstance, ctx: RouteContext) {
  const gate = requireAdminPage(ctx, 'accounts.approve');

  app.get<{ Querystring: { approved?: string } }>('/admin/approvals', { preHandler: gate }, async (request, reply) => {
    const rows = await awaitingApproval(ctx.db, request.adminScope!);
    const frame = frameFor(request, reply, request.t('approvals.title'));
    const { t, locale, formatting } = frame;
    return sendPage(noStore(reply), layout(frame, html`<section class="card wide">
      <h1>${t('approvals.title')}</h1>${guideLink(t, 'admin-approvals')}
      ${adminNav(frame, '/admin/approvals')}
      ${request.query.approved !== undefined ? html`<p class="alert success" role="status">${t('approvals.done')}</p>` : ''}
      ${rows.length === 0 ? html`<p class="hint">${t('approvals.none')}</p>` : html`<div class="table-wrap" ${scrollable(t('approvals.title'))}><table>
        <thead><tr><th scope="col">${t('admin.col_first_name')}</th><th scope="col">${t('admin.col_last_name')}</th><th scope="col">${t('admin.col_national_id')}</th><th scope="col">${t('approvals.registry')}</th><th scope="col"></th></tr></thead>
        <tbody>${rows.map((r) => html`<tr><td>${r.firstName}</td><td>${r.lastName}</td><td dir="ltr">${r.nationalId ? localizeDigits(r.nationalId, formatting) : r.passport ?? ''}</td>
          <td>${t(r.registryStatus === 'registry' ? 'approvals.in_registry' : 'approvals.self_declared')}</td>
          <td><form method="post" action="/admin/approvals/${r.accountId}" class="inline"><input type="hidden" name="_csrf" value="${frame.csrfToken}">
          <button type="submit" class="primary">${t('approvals.approve')}</button></form></td></tr>`)}</tbody></table></div>`}
    </section>`));
  });

  app.post<{ Params: { id: string } }>('/admin/approvals/:id', { preHandler: [...gate, app.csrfProtection] }, async (request, reply) => {
    const outcome = await approveAccount(ctx.db, request.adminScope!, request.params.id, request.ip);
    if (outcome !== 'approved') throw new AppError(404, 'admin.user_not_found');
    return reply.redirect('/admin/approvals?approved=1', 303);
  });
}
