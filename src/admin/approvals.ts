/**
 * Approval of self-registered accounts (F14 "approved where the organization requires it"):
 * with KELID_REGISTRATION_APPROVAL=1 a completed pre-registration stays pending until a
 * ministry administrator approves it. Self-registered people belong to no school yet, so
 * only the ministry's scope (the root of the tree) holds them.
 */
import type { Db } from '../db/database.ts';
import { isUuid } from '../domain/uuid.ts';
import { auditRow } from '../identity/audit.ts';
import { can } from './permissions.ts';
import type { Scope } from './scope.ts';

export type AwaitingApproval = { accountId: string; firstName: string; lastName: string; nationalId: string | null; passport: string | null; registryStatus: string; completedAt: Date };

export async function awaitingApproval(db: Db, scope: Scope): Promise<AwaitingApproval[]> {
  if (!can(scope.role, 'accounts.approve')) return [];
  return db.selectFrom('accounts as a').innerJoin('people as p', 'p.id', 'a.person_id')
    .select(['a.id as accountId', 'p.first_name as firstName', 'p.last_name as lastName', 'p.national_id as nationalId', 'p.passport_number as passport',
      'p.registry_status as registryStatus', 'a.profile_completed_at as completedAt'])
    .where('a.status', '=', 'pending').where('a.profile_completed_at', 'is not', null)
    .orderBy('a.profile_completed_at').limit(500).execute() as Promise<AwaitingApproval[]>;
}

export async function approveAccount(db: Db, scope: Scope, accountId: string, ip: string | null): Promise<'approved' | 'not_found' | 'forbidden'> {
  if (!can(scope.role, 'accounts.approve')) return 'forbidden';
  if (!isUuid(accountId)) return 'not_found';
  return db.transaction().execute(async (trx) => {
    const updated = await trx.updateTable('accounts').set({ status: 'active' })
      .where('id', '=', accountId).where('status', '=', 'pending').where('profile_completed_at', 'is not', null).executeTakeFirst();
    if (updated.numUpdatedRows === 0n) return 'not_found' as const;
    await trx.insertInto('audit_events').values(auditRow({
      type: 'admin.account_approved', actorAccountId: scope.accountId, actingMembershipId: scope.membershipId, subjectAccountId: accountId, ip,
    })).execute();
    return 'approved' as const;
  });
}
