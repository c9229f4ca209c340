/**
 * Set-password links in the console (F19): on a user's page, "send a set-password link" (a
 * question first, then a POST with its CSRF token); in bulk, the user-type table
 * (admin-bulk.ts) and the sending's self-refreshing progress with who was skipped and why.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { batchStatus } from '../../admin/batches.ts';
import { skippedPeople } from '../../admin/invitation-batches.ts';
import { inviteUser } from '../../admin/invitations.ts';
import { AppError } from '../../errors.ts';
import { invitationProgressPage, inviteConfirmPage } from '../../views/pages/admin/invitations.ts';
import type { RouteContext } from '../context.ts';
import { bulkPages } from './admin-bulk.ts';
import { frameFor, noStore, sendPage } from './frame.ts';
import { requireAdminPage } from './guards.ts';
import { actedOnUser } from './admin-user-target.ts';

export async function adminInvitationPages(app: FastifyInstance, ctx: RouteContext) {
  const gate = requireAdminPage(ctx, 'users.invite');
  bulkPages(app, ctx, {
    kind: 'invitations', action: 'users.invite', title: 'invitation.bulk_title', page: '/admin/invitations', post: '/admin/invitation-batches', batches: '/admin/invitation-batches',
  });

  app.get<{ Params: { id: string } }>('/admin/invitation-batches/:id', { preHandler: gate }, async (request, reply) => {
    const batch = await batchStatus(ctx.db, request.adminScope!, request.params.id, ctx.clock.now(), 'invitations');
    if (!batch) throw new AppError(404, 'error.not_found');
    // The progress bar without JavaScript: the page asks to be loaded again in two seconds.
    if (batch.state === 'running') reply.header('refresh', '2');
    const skipped = batch.state === 'running' ? [] : await skippedPeople(ctx.db, request.adminScope!, batch.id);
    return sendPage(noStore(reply), invitationProgressPage(frameFor(request, reply, request.t('invitation.bulk_title')), batch, skipped));
  });

  const detail = (request: FastifyRequest<{ Params: { id: string } }>) => actedOnUser(ctx.db, request, request.params.id);

  app.get<{ Params: { id: string } }>('/admin/users/:id/invite', { preHandler: gate }, async (request, reply) => {
    const user = await detail(request);
    const refusal = user.email === null ? request.t('invitation.no_email') : null;
    return sendPage(reply, inviteConfirmPage(frameFor(request, reply, request.t('invitation.send')),
      { accountId: user.accountId, name: `${user.firstName} ${user.lastName}`, email: user.email }, ctx.config.invitations.hours, refusal));
  });

  app.post<{ Params: { id: string } }>('/admin/users/:id/invite', { preHandler: [...gate, app.csrfProtection] }, async (request, reply) => {
    const user = await detail(request);
    const result = await inviteUser(ctx.db, ctx.invitations, request.adminScope!, user.accountId, { now: ctx.clock.now(), ip: request.ip });
    if ('status' in result && result.status === 409) {
      return sendPage(reply, inviteConfirmPage(frameFor(request, reply, request.t('invitation.send')),
        { accountId: user.accountId, name: `${user.firstName} ${user.lastName}`, email: null }, ctx.config.invitations.hours, request.t(result.code)), 409);
    }
    if ('status' in result) throw new AppError(result.status, result.code);
    return reply.redirect(`/admin/users/${user.accountId}?invited=1`, 303);
  });
}
