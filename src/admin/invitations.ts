/**
 * Sending one person the set-password link (F19) from the console or the admin API: only
 * accounts the actor acts on (scope.ts; anyone else answers exactly like an unknown user), to
 * the address on record, which must exist. The link replaces any older one; audited.
 */
import type { Db } from '../db/database.ts';
import { isUuid } from '../domain/uuid.ts';
import { invitationTargets, sendInvitation, type InvitationSender } from '../identity/invitations.ts';
import { can } from './permissions.ts';
import { actsOnAccount, type Scope } from './scope.ts';

export type InviteRefusal =
  | { status: 403; code: 'access.denied' }
  | { status: 404; code: 'admin.user_not_found' }
  | { status: 409; code: 'invitation.no_email' | 'invitation.no_national_id' | 'invitation.disabled' };

export async function inviteUser(
  db: Db, sender: InvitationSender, scope: Scope, accountId: string, context: { now: Date; ip: string | null },
): Promise<{ to: string; expiresAt: Date } | InviteRefusal> {
  if (!can(scope.role, 'users.invite')) return { status: 403, code: 'access.denied' };
  if (!isUuid(accountId) || accountId === scope.accountId) return { status: 404, code: 'admin.user_not_found' };
  const inScope = await db.selectFrom('accounts as a').select('a.id').where('a.id', '=', accountId).where(actsOnAccount(scope, accountId)).executeTakeFirst();
  if (!inScope) return { status: 404, code: 'admin.user_not_found' };
  const [target] = await invitationTargets(db, [accountId]);
  if (!target) return { status: 404, code: 'admin.user_not_found' };
  if (target.status === 'disabled') return { status: 409, code: 'invitation.disabled' };
  if (!target.hasNationalId) return { status: 409, code: 'invitation.no_national_id' };
  const email = target.email;
  if (email === null) return { status: 409, code: 'invitation.no_email' };
  const expiresAt = await db.transaction().execute((trx) => sendInvitation(trx, sender, { ...target, email }, {
    actorAccountId: scope.accountId, actingMembershipId: scope.membershipId, ip: context.ip, via: 'admin',
  }, context.now));
  return { to: email, expiresAt };
}
