/**
 * The console's bulk pages, alike for both kinds of batch (batches.ts): the user-type filter
 * and the table with tick boxes (seed 1 §8), and the form that starts one batch per form
 * however often it is clicked, then goes to the batch's own page. Bulk passwords (F21) and
 * bulk set-password links (F19) differ only in words, addresses and what their batch page shows.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { startBatch } from '../../admin/batches.ts';
import { userTypes, userTypesFor, type AdminAction, type UserType } from '../../admin/permissions.ts';
import { listUsers, matchingMemberships } from '../../admin/user-table.ts';
import type { BatchKind } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import type { TextKey } from '../../i18n/catalogs.ts';
import { bulkPage, type Refusal } from '../../views/pages/admin/passwords.ts';
import type { RouteContext } from '../context.ts';
import { frameFor, noStore, sendPage } from './frame.ts';
import { requireAdminPage } from './guards.ts';

const TABLE_ROWS = 500;

export type BulkSpec = { kind: BatchKind; action: AdminAction; title: TextKey; page: string; post: string; batches: string };

export function bulkPages(app: FastifyInstance, ctx: RouteContext, spec: BulkSpec): void {
  const gate = requireAdminPage(ctx, spec.action);
  const typeOf = (request: FastifyRequest, value: unknown): UserType => {
    const allowed = userTypesFor(request.adminScope!.role);
    return allowed.find((type) => type === value) ?? allowed[0] ?? 'teachers';
  };

  const render = async (request: FastifyRequest, reply: FastifyReply, type: UserType, refusal: Refusal | null, status = 200) => {
    const scope = request.adminScope!;
    const { rows, total, capped } = await listUsers(ctx.db, scope, { roles: userTypes[type], sort: 'last_name', descending: false, page: 1, pageSize: TABLE_ROWS });
    return sendPage(noStore(reply), bulkPage(frameFor(request, reply, request.t(spec.title)), {
      types: userTypesFor(scope.role).map((key) => ({ key, label: request.t(`admin.type_${key}`) })), type, rows, total, capped,
      requestKey: randomBytes(16).toString('base64url'), refusal, kind: spec.kind,
    }), status);
  };

  app.get<{ Querystring: { type?: string } }>(spec.page, { preHandler: gate }, async (request, reply) =>
    render(request, reply, typeOf(request, request.query.type), null));

  app.post(spec.post, { preHandler: [...gate, app.csrfProtection] }, async (request, reply) => {
    const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<string, unknown>;
    // A batch writes for a whole group: a group asked for that is not one offered is refused, never read as another.
    const type = userTypesFor(request.adminScope!.role).find((offered) => offered === body.type);
    if (type === undefined) throw new AppError(400, 'error.field_invalid', { field: 'type' });
    const requestKey = typeof body.requestKey === 'string' && /^[A-Za-z0-9_-]{10,64}$/.test(body.requestKey) ? body.requestKey : undefined;
    if (!requestKey) throw new AppError(400, 'error.field_invalid', { field: 'requestKey' });
    const ticked = [body.accountId ?? []].flat().filter((id): id is string => typeof id === 'string');
    // "All" is every row the filter matches, not only the rows on the page.
    const accountIds = body.scope === 'all'
      ? (await matchingMemberships(ctx.db, request.adminScope!, { roles: userTypes[type] })).map((m) => m.accountId)
      : ticked;
    if (accountIds.length === 0) return render(request, reply, type, { code: 'admin.batch_empty' }, 422);
    const started = await startBatch(ctx.db, request.adminScope!, { accountIds, requestKey, ip: request.ip, now: ctx.clock.now(), kind: spec.kind });
    // Refused (another batch still holds some of them): the same table again, with why and, if it is the actor's, a link to that batch.
    if ('status' in started) return render(request, reply, type, { code: started.code, ...('batchId' in started && started.batchId ? { batchId: started.batchId } : {}) }, started.status);
    if (started.created) ctx.batches.run(started.batch.id);
    return reply.redirect(`${spec.batches}/${started.batch.id}`, 303);
  });
}
