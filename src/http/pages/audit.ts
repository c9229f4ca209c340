/** Audit pages (B1): `/account/activity` for everyone (own sign-ins), `/admin/audit` for a scope. */
import type { FastifyInstance } from 'fastify';
import { AUDIT_PAGE_SIZE, ownSignIns, scopedAudit } from '../../admin/audit-log.ts';
import { describeDevice } from '../../domain/device.ts';
import { parseNationalId } from '../../domain/national-id.ts';
import { activityPage, auditPage } from '../../views/pages/activity.ts';
import type { RouteContext } from '../context.ts';
import { frameFor, noStore, sendPage } from './frame.ts';
import { requireAdminPage, requirePageSession } from './guards.ts';
import { clip } from '../../domain/text.ts';

export async function auditPages(app: FastifyInstance, ctx: RouteContext) {
  app.get('/account/activity', { preHandler: requirePageSession({ allowMustChange: true, allowPending: true }) }, async (request, reply) => {
    const rows = (await ownSignIns(ctx.db, request.auth!.accountId)).map(({ userAgent, ...row }) => ({ ...row, device: describeDevice(userAgent) }));
    return sendPage(noStore(reply), activityPage(frameFor(request, reply, request.t('activity.title')), rows, ctx.timeZone));
  });

  app.get<{ Querystring: Record<string, string | undefined> }>('/admin/audit', {
    preHandler: requireAdminPage(ctx, 'audit.read'),
  }, async (request, reply) => {
    const q = request.query;
    const type = typeof q.type === 'string' ? clip(q.type.trim(), 40) : '';
    const nationalIdText = typeof q.nationalId === 'string' ? clip(q.nationalId, 20) : '';
    const parsed = nationalIdText.trim() === '' ? undefined : parseNationalId(nationalIdText, ctx.config.profile);
    const page = Math.min(Math.max(1, Number.parseInt(String(q.page ?? '1'), 10) || 1), 10_000);
    const rows = parsed && !parsed.ok ? [] : await scopedAudit(ctx.db, request.adminScope!, { type: type || undefined, nationalId: parsed?.ok ? parsed.value : undefined, page });
    return sendPage(noStore(reply), auditPage(frameFor(request, reply, request.t('admin.audit')), {
      rows, type, nationalId: nationalIdText, page, more: rows.length === AUDIT_PAGE_SIZE,
    }, ctx.timeZone));
  });
}
