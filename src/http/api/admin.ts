/**
 * Admin API (DESIGN.md Contracts), the console's twin: the same scope rules and errors.
 * Outside the actor's scope every call answers 404, as for a user who does not exist.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { addUser, editMembership, endMembership, renewMemberships } from '../../admin/appointments.ts';
import { approveAccount, awaitingApproval } from '../../admin/approvals.ts';
import { scopedAudit } from '../../admin/audit-log.ts';
import { SHOW_WITHIN_HOURS } from '../../admin/batch-overlap.ts';
import { batchStatus, startBatch } from '../../admin/batches.ts';
import { takeBatchResult } from '../../admin/password-batches.ts';
import { skippedPeople } from '../../admin/invitation-batches.ts';
import { inviteUser } from '../../admin/invitations.ts';
import { resetPassword } from '../../admin/password-reset.ts';
import { can, consoleRoles, type AdminAction } from '../../admin/permissions.ts';
import type { Scope } from '../../admin/scope.ts';
import { accessState, endUserSessions, unlockUser } from '../../admin/user-access.ts';
import { userDetail } from '../../admin/user-detail.ts';
import { isSortColumn, listUsers, matchingMemberships, nextCursor, PAGE_SIZE, parseCursor, sortColumns } from '../../admin/user-table.ts';
import type { BatchKind, Role } from '../../db/schema.ts';
import { parseNationalId } from '../../domain/national-id.ts';
import { AppError } from '../../errors.ts';
import type { TextKey } from '../../i18n/catalogs.ts';
import type { RouteContext } from '../context.ts';
import { loadAdminScope } from '../plugins/admin.ts';

const roles = consoleRoles;
const isoDate = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;
const uuid = { type: 'string', maxLength: 36 } as const;
const idParams = { type: 'object', required: ['id'], properties: { id: uuid } } as const;

const usersQuery = {
  type: 'object', additionalProperties: false,
  properties: {
    nationalId: { type: 'string', maxLength: 20 }, role: { type: 'string', enum: roles },
    page: { type: 'string', pattern: '^[1-9][0-9]{0,5}$' }, sort: { type: 'string', enum: Object.keys(sortColumns) }, dir: { type: 'string', enum: ['asc', 'desc'] },
    after: { type: 'string', maxLength: 600 },
  },
} as const;
type UsersQuery = { nationalId?: string; role?: Role; page?: string; sort?: string; dir?: 'asc' | 'desc'; after?: string };

const newUserBody = {
  type: 'object', required: ['nationalId', 'role'], additionalProperties: false,
  properties: {
    nationalId: { type: 'string', maxLength: 20 }, role: { type: 'string', enum: roles }, organizationId: uuid,
    start: isoDate, end: isoDate, childNationalId: { type: 'string', maxLength: 20 },
  },
} as const;
type NewUserBody = { nationalId: string; role: Role; organizationId?: string; start?: string; end?: string; childNationalId?: string };

const renewBody = {
  type: 'object', additionalProperties: false,
  properties: { membershipIds: { type: 'array', maxItems: 10_000, items: uuid }, all: { type: 'boolean' }, role: { type: 'string', enum: roles } },
} as const;
type RenewBody = { membershipIds?: string[]; all?: boolean; role?: Role };

/** A national ID from a query or body, normalized; a malformed one is a 422 naming the field. */
export function nationalIdParam(ctx: RouteContext, value: string | undefined, field: string): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const parsed = parseNationalId(value, ctx.config.profile);
  if (!parsed.ok) throw new AppError(422, parsed.code, { field });
  return parsed.value;
}

export async function adminApi(app: FastifyInstance, ctx: RouteContext) {
  const gate = (action: AdminAction) => async (request: FastifyRequest) => {
    const scope = await loadAdminScope(ctx, request);
    if (!can(scope.role, action)) throw new AppError(403, 'access.denied');
  };
  const scopeOf = (request: FastifyRequest): Scope => request.adminScope!;
  const refuse = (r: { status: number; code: TextKey; field?: string }) => new AppError(r.status, r.code, r.field ? { field: r.field } : {});

  app.get<{ Querystring: UsersQuery }>('/admin/users', { onRequest: gate('users.read'), schema: { querystring: usersQuery } }, async (request) => {
    const q = request.query;
    const sort = q.sort !== undefined && isSortColumn(q.sort) ? q.sort : 'last_name'; // the schema refuses any other
    const page = Number(q.page ?? '1');
    const filter = {
      nationalId: nationalIdParam(ctx, q.nationalId, 'nationalId'), roles: q.role ? [q.role] : undefined, sort, descending: q.dir === 'desc', page, pageSize: PAGE_SIZE,
      after: parseCursor(q.after, sort),
    };
    const result = await listUsers(ctx.db, scopeOf(request), filter);
    return { page, pageSize: PAGE_SIZE, total: result.total, totalCapped: result.capped, next: nextCursor(result.rows, filter) ?? null, users: result.rows };
  });

  app.get<{ Params: { id: string } }>('/admin/users/:id', { onRequest: gate('users.read'), schema: { params: idParams } }, async (request) => {
    const user = await userDetail(ctx.db, scopeOf(request), request.params.id);
    if (!user) throw new AppError(404, 'admin.user_not_found');
    const access = await accessState(ctx.db, user.accountId, ctx.clock.now(), ctx.config.session);
    return { ...user, activeSessions: access.activeSessions, lockedUntil: access.lockedUntil?.toISOString() ?? null };
  });

  app.post<{ Body: NewUserBody }>('/admin/users', { onRequest: gate('users.create'), schema: { body: newUserBody } }, async (request, reply) => {
    const b = request.body;
    const result = await addUser(ctx.db, scopeOf(request), {
      nationalId: nationalIdParam(ctx, b.nationalId, 'nationalId') ?? '', role: b.role, organizationId: b.organizationId, start: b.start, end: b.end,
      childNationalId: nationalIdParam(ctx, b.childNationalId, 'childNationalId'),
    }, { profile: ctx.config.profile, today: ctx.today(), ip: request.ip });
    if ('status' in result) throw refuse(result);
    return reply.code(201).send(result);
  });

  app.post<{ Params: { id: string } }>('/admin/users/:id/password-reset', { onRequest: gate('users.reset_password'), schema: { params: idParams } }, async (request) => {
    const result = await resetPassword(ctx.db, ctx.hasher, scopeOf(request), request.params.id, { now: ctx.clock.now(), ip: request.ip });
    if ('status' in result) throw refuse(result);
    return { temporaryPassword: result.password, mustChangePassword: true };
  });

  // B7: every session of the user ends (browser and API); their locks lift. Both 204, outside the scope 404 as for nobody.
  app.delete<{ Params: { id: string } }>('/admin/users/:id/sessions', {
    onRequest: gate('sessions.end'), schema: { params: idParams, summary: 'End every session of a user in scope (204)' },
  }, async (request, reply) => {
    const result = await endUserSessions(ctx.db, scopeOf(request), request.params.id, { now: ctx.clock.now(), ip: request.ip });
    if ('status' in result) throw refuse(result);
    return reply.code(204).send();
  });

  app.post<{ Params: { id: string } }>('/admin/users/:id/unlock', {
    onRequest: gate('accounts.unlock'), schema: { params: idParams, summary: 'Lift the sign-in locks of a user in scope (204)' },
  }, async (request, reply) => {
    const result = await unlockUser(ctx.db, scopeOf(request), request.params.id, { now: ctx.clock.now(), ip: request.ip });
    if ('status' in result) throw refuse(result);
    return reply.code(204).send();
  });

  app.post<{ Params: { id: string } }>('/admin/memberships/:id/end', { onRequest: gate('memberships.end'), schema: { params: idParams } }, async (request) => {
    const result = await endMembership(ctx.db, scopeOf(request), request.params.id, { today: ctx.today(), ip: request.ip });
    if ('status' in result) throw refuse(result);
    return result;
  });

  app.post<{ Params: { id: string }; Body: { start: string; end: string } }>('/admin/memberships/:id', {
    onRequest: gate('users.edit'),
    schema: { params: idParams, body: { type: 'object', required: ['start', 'end'], additionalProperties: false, properties: { start: isoDate, end: isoDate } } },
  }, async (request) => {
    const result = await editMembership(ctx.db, scopeOf(request), request.params.id, request.body, { ip: request.ip });
    if ('status' in result) throw refuse(result);
    return result;
  });

  app.post<{ Body: RenewBody }>('/admin/memberships/renew', { onRequest: gate('memberships.renew'), schema: { body: renewBody } }, async (request) => {
    const scope = scopeOf(request);
    const ids = request.body.all
      ? (await matchingMemberships(ctx.db, scope, { roles: request.body.role ? [request.body.role] : undefined })).map((m) => m.membershipId)
      : request.body.membershipIds ?? [];
    const result = await renewMemberships(ctx.db, scope, ids, { profile: ctx.config.profile, today: ctx.today(), ip: request.ip });
    if ('status' in result) throw refuse(result);
    return result;
  });

  const batchBody = {
    type: 'object', additionalProperties: false,
    properties: { role: { type: 'string', enum: roles }, userIds: { type: 'array', maxItems: 100_000, items: uuid }, all: { type: 'boolean' } },
  } as const;
  type BatchBody = { role?: Role; userIds?: string[]; all?: boolean };
  // Either kind of batch (batches.ts) from the same body: the users ticked, or all the filter matches.
  const startBulk = async (request: FastifyRequest<{ Body: BatchBody }>, kind: BatchKind) => {
    const scope = scopeOf(request);
    const accountIds = request.body.all
      ? (await matchingMemberships(ctx.db, scope, { roles: request.body.role ? [request.body.role] : undefined })).map((m) => m.accountId)
      : request.body.userIds ?? [];
    // An Idempotency-Key makes a retried request find its batch instead of starting another.
    const header = request.headers['idempotency-key'];
    const requestKey = typeof header === 'string' && /^[A-Za-z0-9_-]{10,64}$/.test(header) ? header : randomUUID();
    const started = await startBatch(ctx.db, scope, { accountIds, requestKey, ip: request.ip, now: ctx.clock.now(), kind });
    if ('status' in started) throw refuse(started);
    if (started.created) ctx.batches.run(started.batch.id);
    return started.batch;
  };
  app.post<{ Body: BatchBody }>('/admin/password-batches', {
    onRequest: gate('users.bulk_passwords'), schema: { body: batchBody },
  }, async (request, reply) => {
    const { skipped: _none, ...batch } = await startBulk(request, 'passwords');
    return reply.code(202).send(batch);
  });

  app.get<{ Params: { id: string } }>('/admin/password-batches/:id', { onRequest: gate('users.bulk_passwords'), schema: { params: idParams } }, async (request) => {
    const found = await batchStatus(ctx.db, scopeOf(request), request.params.id, ctx.clock.now(), 'passwords');
    if (!found) throw new AppError(404, 'error.not_found');
    const { skipped: _none, ...batch } = found;
    return batch;
  });

  // Set-password links (F19): one user's (202; outside the scope a 404 like an unknown user), or many, as a batch with progress.
  app.post<{ Params: { id: string } }>('/admin/users/:id/invitations', { onRequest: gate('users.invite'), schema: { params: idParams } }, async (request, reply) => {
    const result = await inviteUser(ctx.db, ctx.invitations, scopeOf(request), request.params.id, { now: ctx.clock.now(), ip: request.ip });
    if ('status' in result) throw refuse(result);
    return reply.code(202).send({ to: result.to, expiresAt: result.expiresAt.toISOString() });
  });
  app.post<{ Body: BatchBody }>('/admin/invitations', { onRequest: gate('users.invite'), schema: { body: batchBody } }, async (request, reply) =>
    reply.code(202).send(await startBulk(request, 'invitations')));
  app.get<{ Params: { id: string } }>('/admin/invitations/:id', { onRequest: gate('users.invite'), schema: { params: idParams } }, async (request) => {
    const batch = await batchStatus(ctx.db, scopeOf(request), request.params.id, ctx.clock.now(), 'invitations');
    if (!batch) throw new AppError(404, 'error.not_found');
    // Who was not sent a link, and why, once the batch is done.
    const skippedUsers = batch.state === 'running' ? [] : await skippedPeople(ctx.db, scopeOf(request), batch.id);
    return { ...batch, sent: batch.done - batch.skipped, skippedUsers };
  });

  // The passwords of a finished batch (and each slip's QR sign-in link): the first POST takes them, once; a GET never does.
  app.post<{ Params: { id: string } }>('/admin/password-batches/:id/passwords', { onRequest: gate('users.bulk_passwords'), schema: { params: idParams } }, async (request) => {
    const slips = await takeBatchResult(ctx.db, ctx.keys.secretBox, scopeOf(request), request.params.id, ctx.clock.now());
    if (slips === 'not_found') throw new AppError(404, 'error.not_found');
    if (slips === 'running') throw new AppError(409, 'admin.batch_running_api');
    if (slips === 'gone') throw new AppError(410, 'admin.batch_gone');
    if (slips === 'expired') throw new AppError(410, 'admin.batch_expired', { params: { hours: SHOW_WITHIN_HOURS } });
    return {
      passwords: slips.map((s) => ({ firstName: s.firstName, lastName: s.lastName, nationalId: s.nationalId, userCode: s.userCode, temporaryPassword: s.password, qrSignIn: `${ctx.config.publicUrl}/q/${s.qrToken}` })),
    };
  });

  app.get('/admin/approvals', { onRequest: gate('accounts.approve') }, async (request) => ({
    accounts: (await awaitingApproval(ctx.db, scopeOf(request))).map((a) => ({ ...a, completedAt: a.completedAt.toISOString() })),
  }));
  app.post<{ Params: { id: string } }>('/admin/accounts/:id/approve', { onRequest: gate('accounts.approve'), schema: { params: idParams } }, async (request) => {
    if (await approveAccount(ctx.db, scopeOf(request), request.params.id, request.ip) !== 'approved') throw new AppError(404, 'admin.user_not_found');
    return { status: 'active' };
  });

  app.get<{ Querystring: { type?: string; nationalId?: string; page?: string } }>('/admin/audit', {
    onRequest: gate('audit.read'),
    schema: { querystring: { type: 'object', additionalProperties: false, properties: { type: { type: 'string', maxLength: 40 }, nationalId: { type: 'string', maxLength: 20 }, page: { type: 'string', pattern: '^[1-9][0-9]{0,5}$' } } } },
  }, async (request) => {
    const q = request.query;
    const events = await scopedAudit(ctx.db, scopeOf(request), { type: q.type, nationalId: nationalIdParam(ctx, q.nationalId, 'nationalId'), page: Number(q.page ?? '1') });
    return { events: events.map((e) => ({ ...e, at: e.at.toISOString() })) };
  });
}
