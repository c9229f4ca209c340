/**
 * An administrator ends a user's sessions or lifts a lock on their sign-in (B7, issue 11):
 * for a lost phone still signed in, or a person who locked themselves out. Scoped as a
 * password reset is (password-reset.ts): only people wholly the actor's, never the actor; any
 * other id, in another school or nowhere, is `admin.user_not_found` alike. Each change is
 * audited in its own transaction, with who did it acting as which appointment.
 */
import type { Db } from '../db/database.ts';
import { isUuid } from '../domain/uuid.ts';
import { auditRow } from '../identity/audit.ts';
import { accountLockedUntil, clearAccountFailures } from '../identity/rate-limits.ts';
import { countLiveSessions, endOtherSessions, type SessionLifetimes } from '../identity/sessions.ts';
import { can, type AdminAction } from './permissions.ts';
import { actsOnAccount, type Scope } from './scope.ts';

export type AccessRefusal = { status: 403 | 404; code: 'access.denied' | 'admin.user_not_found' };

type Context = { now: Date; ip: string | null };

export type AccessState = { activeSessions: number; lockedUntil: Date | null };

/** What the user page shows of the account's access: live sessions, and until when it is locked. Read only where the user is visible (userDetail). */
export async function accessState(db: Db, accountId: string, now: Date, lifetimes: SessionLifetimes): Promise<AccessState> {
  const [activeSessions, lockedUntil] = await Promise.all([countLiveSessions(db, accountId, now, lifetimes), accountLockedUntil(db, accountId, now)]);
  return { activeSessions, lockedUntil };
}

/** The refusal, if any, for acting on this account: no permission (403), or not the actor's to act on (404). */
async function refusal(db: Db, scope: Scope, accountId: string, action: AdminAction): Promise<AccessRefusal | undefined> {
  if (!can(scope.role, action)) return { status: 403, code: 'access.denied' };
  if (!isUuid(accountId) || accountId === scope.accountId) return { status: 404, code: 'admin.user_not_found' };
  const target = await db.selectFrom('accounts as a').select('a.id').where('a.id', '=', accountId).where(actsOnAccount(scope, accountId)).executeTakeFirst();
  return target ? undefined : { status: 404, code: 'admin.user_not_found' };
}

/** Ends every session of the account (browser and API): `admin.sessions_ended` when any ended. Answers how many. */
export async function endUserSessions(db: Db, scope: Scope, accountId: string, context: Context): Promise<{ ended: number } | AccessRefusal> {
  const refused = await refusal(db, scope, accountId, 'sessions.end');
  if (refused) return refused;
  return db.transaction().execute(async (trx) => {
    const ended = await endOtherSessions(trx, accountId, null);
    if (ended > 0) {
      await trx.insertInto('audit_events').values(auditRow({
        type: 'admin.sessions_ended', actorAccountId: scope.accountId, actingMembershipId: scope.membershipId, subjectAccountId: accountId,
        ip: context.ip, data: { ended },
      })).execute();
    }
    return { ended };
  });
}

/**
 * Lifts the account's locks and ends its runs of failures (rate-limits.ts clearAccountFailures):
 * one `sign_in.unlocked` per lock that was on, `{by: 'admin', place}` as recovery and reset
 * write theirs. Answers the places unlocked (none when nothing was locked).
 */
export async function unlockUser(db: Db, scope: Scope, accountId: string, context: Context): Promise<{ unlocked: string[] } | AccessRefusal> {
  const refused = await refusal(db, scope, accountId, 'accounts.unlock');
  if (refused) return refused;
  return db.transaction().execute(async (trx) => {
    const lifted = await clearAccountFailures(trx, [accountId], context.now);
    if (lifted.length > 0) {
      await trx.insertInto('audit_events').values(lifted.map(({ place }) => auditRow({
        type: 'sign_in.unlocked', actorAccountId: scope.accountId, actingMembershipId: scope.membershipId, subjectAccountId: accountId,
        ip: context.ip, data: { by: 'admin', place },
      }))).execute();
    }
    return { unlocked: lifted.map(({ place }) => place) };
  });
}
