/**
 * Bulk passwords pages (F21, B5): the user-type filter and the table with tick boxes, the
 * batch (one per form, however often it is clicked: admin-bulk.ts), its self-refreshing
 * progress, and the list and slips, shown once.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SHOW_WITHIN_HOURS } from '../../admin/batch-overlap.ts';
import { batchStatus } from '../../admin/batches.ts';
import { takeBatchResult } from '../../admin/password-batches.ts';
import { AppError } from '../../errors.ts';
import { batchProgressPage, slipsPage } from '../../views/pages/admin/passwords.ts';
import type { RouteContext } from '../context.ts';
import { bulkPages } from './admin-bulk.ts';
import { frameFor, noStore, sendPage } from './frame.ts';
import { requireAdminPage } from './guards.ts';

export async function adminPasswordPages(app: FastifyInstance, ctx: RouteContext) {
  const gate = requireAdminPage(ctx, 'users.bulk_passwords');
  bulkPages(app, ctx, {
    kind: 'passwords', action: 'users.bulk_passwords', title: 'admin.bulk_passwords', page: '/admin/passwords', post: '/admin/password-batches', batches: '/admin/password-batches',
  });
  const frame = (request: FastifyRequest, reply: FastifyReply) => frameFor(request, reply, request.t('admin.bulk_passwords'));

  app.get<{ Params: { id: string } }>('/admin/password-batches/:id', { preHandler: gate }, async (request, reply) => {
    const batch = await batchStatus(ctx.db, request.adminScope!, request.params.id, ctx.clock.now(), 'passwords');
    if (!batch) throw new AppError(404, 'error.not_found');
    // The progress bar without JavaScript: the page asks to be loaded again in two seconds.
    if (batch.state === 'running') reply.header('refresh', '2');
    return sendPage(noStore(reply), batchProgressPage(frame(request, reply), batch, SHOW_WITHIN_HOURS));
  });

  app.post<{ Params: { id: string } }>('/admin/password-batches/:id/show', { preHandler: [...gate, app.csrfProtection] }, async (request, reply) => {
    const result = await takeBatchResult(ctx.db, ctx.keys.secretBox, request.adminScope!, request.params.id, ctx.clock.now());
    if (result === 'not_found') throw new AppError(404, 'error.not_found');
    if (result === 'running') return reply.redirect(`/admin/password-batches/${request.params.id}`, 303);
    if (result === 'gone') throw new AppError(410, 'admin.batch_gone');
    if (result === 'expired') throw new AppError(410, 'admin.batch_expired', { params: { hours: SHOW_WITHIN_HOURS } });
    return sendPage(noStore(reply), slipsPage(frame(request, reply), result, ctx.config.publicUrl));
  });
}
