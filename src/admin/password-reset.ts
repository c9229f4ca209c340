/**
 * Reset by an administrator (F20): a temporary password, shown once, that must be changed at
 * the next sign-in; every session of the account ends; audited. Only accounts with a
 * membership in the actor's subtree, in a role the actor may act on, and held by no batch
 * (batch-overlap.ts): a reset would make that batch's slip wrong.
 */
import { randomInt } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { lockUntilCommit } from '../db/transaction-lock.ts';
import { isUuid } from '../domain/uuid.ts';
import { auditRow, type Executor } from '../identity/audit.ts';
import type { PasswordHasher } from '../identity/passwords.ts';
import { clearAccountFailures } from '../identity/rate-limits.ts';
import { endSessionsOf } from '../identity/sessions.ts';
import { holdingBatches, lockIssuing, overlapRefusal, type Overlap } from './batch-overlap.ts';
import { can } from './permissions.ts';
import { actsOnAccount, type Scope } from './scope.ts';

const UPPER = 'ABCDEFGHJKMNPQRSTUVWXYZ';
const LOWER = 'abcdefghjkmnpqrstuvwxyz';
const pick = (alphabet: string) => alphabet[randomInt(alphabet.length)]!;

/**
 * `Hkmr-4827`: easy to read from a slip and to type on a phone (no 0/O, 1/l/I), and it has
 * upper case, lower case, digits and a symbol, as the default policy asks. About 2.8 × 10⁹
 * possibilities: enough for a password that works once, under lockout, and must be changed.
 */
export function temporaryPassword(): string {
  let letters = pick(UPPER);
  for (let i = 0; i < 3; i++) letters += pick(LOWER);
  return `${letters}-${String(randomInt(10_000)).padStart(4, '0')}`;
}

/**
 * Each account's password becomes its `hash` (must change), its sessions end, its lockout
 * clears, its unused QR sign-ins end; set-based, so a batch writes many accounts in a few statements. In `db`'s
 * transaction. Answers how many sessions ended.
 */
export async function applyTemporaryPasswords(db: Executor, entries: readonly { accountId: string; hash: string }[], now: Date): Promise<number> {
  if (entries.length === 0) return 0;
  const ids = entries.map((e) => e.accountId);
  // An account made by the console has no credential yet: the temporary password is its first.
  await sql`insert into credentials (account_id, password_hash, must_change, changed_at)
    select v.account_id, v.hash, true, ${now} from unnest(${ids}::uuid[], ${entries.map((e) => e.hash)}::text[]) as v(account_id, hash)
    on conflict (account_id) do update set password_hash = excluded.password_hash, must_change = true, changed_at = excluded.changed_at`.execute(db);
  // Every lock of the account (other devices, its own devices, the second factor) goes with the old password; each one lifted is audited.
  const unlocked = await clearAccountFailures(db, ids, now);
  if (unlocked.length > 0) {
    await db.insertInto('audit_events').values(unlocked.map(({ accountId, place }) => auditRow({
      type: 'sign_in.unlocked', subjectAccountId: accountId, data: { by: 'admin_reset', place },
    }))).execute();
  }
  // An older slip's QR sign-in goes with the password it was printed with.
  await db.deleteFrom('sign_in_tokens').where('account_id', 'in', ids).where('used_at', 'is', null).execute();
  return endSessionsOf(db, ids);
}

/**
 * The version of an account's password: 32 hex digits of the SHA-256 of its stored hash, which
 * every new password changes (its salt is drawn anew, even in the same millisecond), and from
 * which nothing of the password can be learnt; '' when it has none yet. A reset page carries the
 * version it was opened at, so that posting it again (a reload, a second click, another tab)
 * issues no second password unasked.
 */
const versionOf = (db: Executor, accountId: string) => sql<{ version: string }>`
  select coalesce((select left(encode(sha256(convert_to(password_hash, 'UTF8')), 'hex'), 32) from credentials where account_id = ${accountId}::uuid), '') as version`
  .execute(db).then((result) => result.rows[0]!.version);

export const passwordVersion = (db: Db, accountId: string): Promise<string> => versionOf(db, accountId);

/** How long after an administrator's reset the question says so before another (minutes). */
export const RECENT_RESET_MINUTES = 15;

/**
 * When this administrator (`actorAccountId`) last reset this account's password, if at or after
 * `since` (its audit event): theirs only, as another level's resets are not theirs to see in
 * the audit log either.
 */
export async function lastResetSince(db: Db, accountId: string, actorAccountId: string, since: Date): Promise<Date | null> {
  const row = await db.selectFrom('audit_events').select('at').where('subject_account_id', '=', accountId).where('actor_account_id', '=', actorAccountId)
    .where('type', '=', 'admin.password_reset').where('at', '>=', since).orderBy('at', 'desc').limit(1).executeTakeFirst();
  return row?.at ?? null;
}

/** The password changed since the page that asked for this reset was opened (passwordVersion). */
export type ChangedSince = { status: 409; code: 'admin.reset_changed_since' };

/**
 * Resets `accountId`'s password (the module's rules). With `ifVersion` (passwordVersion when the
 * confirmation was shown), only if the password is still that one: else ChangedSince and nothing
 * done. Two resets of one account at once wait in turn, so the second sees the first.
 */
export async function resetPassword(
  db: Db, hasher: PasswordHasher, scope: Scope, accountId: string, context: { now: Date; ip: string | null; ifVersion?: string | undefined },
): Promise<{ password: string } | { status: 403 | 404; code: 'access.denied' | 'admin.user_not_found' } | Overlap | ChangedSince> {
  if (!can(scope.role, 'users.reset_password')) return { status: 403, code: 'access.denied' };
  if (!isUuid(accountId) || accountId === scope.accountId) return { status: 404, code: 'admin.user_not_found' };
  const target = await db.selectFrom('accounts as a').select('a.id').where('a.id', '=', accountId).where(actsOnAccount(scope, accountId)).executeTakeFirst();
  if (!target) return { status: 404, code: 'admin.user_not_found' };
  const password = temporaryPassword();
  const hash = await hasher.hash(password);
  return db.transaction().execute(async (trx) => {
    await lockIssuing(trx, 'reset');
    // Resets of one account wait here in turn (an advisory lock: a row lock on the account would meet a set-password link's, taken in the other order).
    await lockUntilCommit(trx, `password-reset:${accountId}`);
    if (context.ifVersion !== undefined && await versionOf(trx, accountId) !== context.ifVersion) return { status: 409 as const, code: 'admin.reset_changed_since' as const };
    const holding = await holdingBatches(trx, scope.accountId, [accountId], context.now);
    if (holding.length > 0) return overlapRefusal(holding);
    const ended = await applyTemporaryPasswords(trx, [{ accountId, hash }], context.now);
    await trx.insertInto('audit_events').values(auditRow({
      type: 'admin.password_reset', actorAccountId: scope.accountId, actingMembershipId: scope.membershipId, subjectAccountId: accountId,
      ip: context.ip, data: { endedSessions: ended },
    })).execute();
    return { password };
  });
}
