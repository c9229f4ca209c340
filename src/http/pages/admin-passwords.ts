/**
 * Bulk passwords pages (F21, B5): the user-type filter and the table with tick boxes, the
 * batch (one per form, however often it is clicked), its self-refreshing progress, and the
 * list and slips, shown once.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SHOW_WITHIN_HOURS } from '../../admin/batch-overlap.ts';
import { batchStatus, startBatch } from '../../admin/batches.ts';
import { takeBatchResult } from '../../admin/password-batches.ts';
import { userTypes, userTypesFor, type UserType } from '../../admin/permissions.ts';
import { listUsers, matchingMemberships } from '../../admin/user-table.ts';
import { AppError } from '../../errors.ts';
import { batchProgressPage, bulkPage, slipsPage, type Refusal } from '../../views/pages/admin/passwords.ts';
import type { RouteContext } from '../context.ts';
import { frameFor, noStore, sendPage } from './frame.ts';
import { requireAdminPage } from './guards.ts';

const TABLE_ROWS = 500;

export async function adminPasswordPages(app: FastifyInstance, ctx: RouteContext) {
  const gate = requireAdminPage(ctx, 'users.bulk_passwords');
  const typeOf = (request: FastifyRequest, value: unknown): UserType => {
    const allowed = userTypesFor(request.adminScope!.role);
    return allowed.find((type) => type === value) ?? allowed[0] ?? 'teachers';
  };
  const frame = (request: FastifyRequest, reply: FastifyReply) => frameFor(request, reply, request.t('admin.bulk_passwords'));

  const render = async (request: FastifyRequest, reply: FastifyReply, type: UserType, refusal: Refusal | null, status = 200) => {
    const scope = request.adminScope!;
    const { rows, total, capped } = await listUsers(ctx.db, scope, { roles: userTypes[type], sort: 'last_name', descending: false, page: 1, pageSize: TABLE_ROWS });
    return sendPage(noStore(reply), bulkPage(frame(request, reply), {
      types: userTypesFor(scope.role).map((key) => ({ key, label: request.t(`admin.type_${key}`) })), type, rows, total, capped,
      requestKey: randomBytes(16).toString('base64url'), refusal,
    }), status);
  };

  app.get<{ Querystring: { type?: string } }>('/admin/passwords', { preHandler: gate }, async (request, reply) =>
    render(request, reply, typeOf(request, request.query.type), null));

  app.post('/admin/password-batches', { preHandler: [...gate, app.csrfProtection] }, async (request, reply) => {
    const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<string, unknown>;
    const type = typeOf(request, body.type);
    const requestKey = typeof body.requestKey === 'string' && /^[A-Za-z0-9_-]{10,64}$/.test(body.requestKey) ? body.requestKey : undefined;
    if (!requestKey) throw new AppError(400, 'error.field_invalid', { field: 'requestKey' });
    const ticked = [body.accountId ?? []].flat().filter((id): id is string => typeof id === 'string');
    // "All" is every row the filter matches, not only the rows on the page.
    const accountIds = body.scope === 'all'
      ? (await matchingMemberships(ctx.db, request.adminScope!, { roles: userTypes[type] })).map((m) => m.accountId)
      : ticked;
    if (accountIds.length === 0) return render(request, reply, type, { code: 'admin.batch_empty' }, 422);
    const started = await startBatch(ctx.db, request.adminScope!, { accountIds, requestKey, ip: request.ip, now: ctx.clock.now() });
    // Refused (another batch still holds some of them): the same table again, with why and, if it is the actor's, a link to that batch.
    if ('status' in started) return render(request, reply, type, started, started.status);
    if (started.created) ctx.batches.run(started.batch.id);
    return reply.redirect(`/admin/password-batches/${started.batch.id}`, 303);
  });

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
