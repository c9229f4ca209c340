/** Page guards: anonymous visitors go to the sign-in page and come back afterwards; the admin console's door. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { can, type AdminAction } from '../../admin/permissions.ts';
import { AppError } from '../../errors.ts';
import { loadAdminScope, type AdminGateDeps } from '../plugins/admin.ts';
import { withReturnTo } from './frame.ts';

export function requirePageSession(options: { allowMustChange?: boolean; allowPending?: boolean } = {}) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.auth === null) {
      return reply.redirect(withReturnTo('/sign-in', request.method === 'GET' ? request.url : undefined), 303);
    }
    if (request.auth.mustChangePassword && !options.allowMustChange) {
      return reply.redirect(withReturnTo('/password', request.method === 'GET' ? request.url : undefined), 303);
    }
    if (request.auth.accountStatus === 'pending' && !options.allowPending) return reply.redirect('/profile', 303);
    return undefined;
  };
}

/**
 * Admin console guard: signed in, acting as an admin role that may do `action`, and past the
 * second factor when it is required (else off to /mfa, and back here afterwards).
 */
export function requireAdminPage(deps: AdminGateDeps, action: AdminAction) {
  return [requirePageSession(), async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      const scope = await loadAdminScope(deps, request);
      if (!can(scope.role, action)) throw new AppError(403, 'access.denied');
    } catch (error) {
      if (!(error instanceof AppError) || (error.code !== 'admin.mfa_required' && error.code !== 'admin.password_required')) throw error;
      const back = request.method === 'GET' ? request.url : undefined;
      // Signed in by a code: the password sign-in (no code offered), then back here.
      if (error.code === 'admin.password_required') return reply.redirect(`${withReturnTo('/sign-in', back)}${back ? '&' : '?'}again=1&password=1`, 303);
      return reply.redirect(withReturnTo('/mfa', back), 303);
    }
    return undefined;
  }];
}
