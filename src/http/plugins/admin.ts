/**
 * The admin console's door: a session (password already changed) acting as an admin role
 * today. Its scope is put on the request; every admin query filters by it in SQL.
 */
import type { FastifyRequest } from 'fastify';
import type { Scope } from '../../admin/scope.ts';
import { resolveScope } from '../../admin/scope.ts';
import type { Db } from '../../db/database.ts';
import { AppError, forbidden, unauthorized } from '../../errors.ts';
import '../types.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by requireAdmin: who acts, as which role, over which subtree. */
    adminScope: Scope | null;
  }
}

export type AdminGateDeps = { db: Db; today(): string; config: { adminMfa: 'required' | 'optional' } };

/**
 * Loads the scope, or answers 401 (no session), 403 (temporary password, not acting as an
 * admin, `admin.password_required`: signed in by a one-time code, not a password, or
 * `admin.mfa_required`: a second factor is required and this session has none).
 */
export async function loadAdminScope(deps: AdminGateDeps, request: FastifyRequest): Promise<Scope> {
  const session = request.auth;
  if (!session) throw unauthorized('error.session_required');
  if (session.mustChangePassword) throw forbidden('error.must_change_password');
  const scope = await resolveScope(deps.db, session, deps.today());
  if (!scope) throw new AppError(403, 'admin.not_admin');
  // A code to the phone is one factor, and not the one an administrator's account rests on.
  if (!session.amr.includes('pwd')) throw new AppError(403, 'admin.password_required');
  if (deps.config.adminMfa === 'required' && session.mfaAt === null) throw new AppError(403, 'admin.mfa_required');
  request.adminScope = scope;
  return scope;
}

/** Who makes an admin change, for its audit event: the admin, the appointment acted in, from where. */
export const adminChange = (request: FastifyRequest) => ({
  actorAccountId: request.adminScope!.accountId, actingMembershipId: request.adminScope!.membershipId, ip: request.ip,
});
