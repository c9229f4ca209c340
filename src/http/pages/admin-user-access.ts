/**
 * The console's "end all sessions" and "unlock" for a user (B7): a confirmation page (GET),
 * then the change (POST with its CSRF token) and back to the user's page with what happened.
 * Outside the scope both answer 404, as for a user that does not exist. Thin: the scoped work
 * is in admin/user-access.ts.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AdminAction } from '../../admin/permissions.ts';
import { endUserSessions, unlockUser } from '../../admin/user-access.ts';
import { AppError } from '../../errors.ts';
import type { TextKey } from '../../i18n/catalogs.ts';
import { accessConfirmPage } from '../../views/pages/admin/user.ts';
import type { RouteContext } from '../context.ts';
import { frameFor, sendPage } from './frame.ts';
import { requireAdminPage } from './guards.ts';
import { actedOnUser } from './admin-user-target.ts';

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

export async function adminUserAccessPages(app: FastifyInstance, ctx: RouteContext) {
  const actedOn = (request: IdRequest) => actedOnUser(ctx.db, request, request.params.id);
  const context = (request: IdRequest) => ({ now: ctx.clock.now(), ip: request.ip });

  const confirmation = (path: 'end-sessions' | 'unlock', action: AdminAction, title: TextKey) =>
    app.get<{ Params: { id: string } }>(`/admin/users/:id/${path}`, { preHandler: requireAdminPage(ctx, action) }, async (request, reply) => {
      const user = await actedOn(request);
      return sendPage(reply, accessConfirmPage(frameFor(request, reply, request.t(title)), { accountId: user.accountId, name: `${user.firstName} ${user.lastName}` }, path));
    });
  confirmation('end-sessions', 'sessions.end', 'sessions.admin_end');
  confirmation('unlock', 'accounts.unlock', 'sessions.admin_unlock');

  app.post<{ Params: { id: string } }>('/admin/users/:id/end-sessions', {
    preHandler: [...requireAdminPage(ctx, 'sessions.end'), app.csrfProtection],
  }, async (request, reply) => {
    const user = await actedOn(request);
    const result = await endUserSessions(ctx.db, request.adminScope!, user.accountId, context(request));
    if ('status' in result) throw new AppError(result.status, result.code);
    return reply.redirect(`/admin/users/${user.accountId}?sessions_ended=${result.ended}`, 303);
  });

  app.post<{ Params: { id: string } }>('/admin/users/:id/unlock', {
    preHandler: [...requireAdminPage(ctx, 'accounts.unlock'), app.csrfProtection],
  }, async (request, reply) => {
    const user = await actedOn(request);
    const result = await unlockUser(ctx.db, request.adminScope!, user.accountId, context(request));
    if ('status' in result) throw new AppError(result.status, result.code);
    return reply.redirect(`/admin/users/${user.accountId}?unlocked=1`, 303);
  });
}
