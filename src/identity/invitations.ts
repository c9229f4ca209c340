/**
 * Set-password invitations (F19): a one-time link emailed to an account's address. The token
 * is 256 random bits, stored only as its SHA-256. Only the newest unexpired invitation of an
 * account works: issuing one voids the older ones. Opening the link reads it and never spends
 * it (mail scanners fetch links before people do); saving the password spends it, once, in
 * the transaction of the new password. National IDs typed against it are counted atomically,
 * and too many wrong ones void it. A password set after a link was sent (changed, recovered,
 * reset by an administrator, or set by another link) ends it: the link was for the password
 * as it stood. The only place that knows the `invitations` table.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { parseLocale, type Locale } from '../config.ts';
import type { Db } from '../db/database.ts';
import { auditRow, type Executor } from './audit.ts';
import type { Notifier } from './notifier.ts';

/** What sending needs: where the link points, how long it lives, and the outbox. */
export type InvitationSender = { notifier: Notifier; publicUrl: string; hours: number; defaultLocale: Locale };

/** Why a link no longer works, as the wizard tells it. */
export type InvitationProblem = 'used' | 'expired' | 'replaced' | 'wrong_ids' | 'password_changed';
export type Invitation = { id: string; accountId: string; email: string; expiresAt: Date };
export type InvitationLookup = { invitation: Invitation; problem: InvitationProblem | null };

/** National IDs that do not match before the link is void (a person mistypes; a finder guesses). */
export const MAX_WRONG_IDS = 5;

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
export const hashInvitationToken = (token: string) => createHash('sha256').update(token).digest();
export const invitationUrl = (publicUrl: string, token: string) => `${publicUrl}/set-password?token=${token}`;

const localeOf = (value: string | null, fallback: Locale): Locale => parseLocale(value) ?? fallback;

/** Who an invitation goes to: the account's address on record, its language, its name. */
export type InvitationTarget = {
  accountId: string; email: string | null; locale: string | null; name: string; status: 'active' | 'pending' | 'disabled';
  /** The wizard identifies by national ID: a person without one (a passport holder) cannot use a link. */
  hasNationalId: boolean;
  /** An active account that already has a password: its email is a link to set a new one, not news of an account. */
  hasPassword: boolean;
};

export async function invitationTargets(db: Executor, accountIds: readonly string[]): Promise<InvitationTarget[]> {
  if (accountIds.length === 0) return [];
  return db.selectFrom('accounts as a').innerJoin('people as p', 'p.id', 'a.person_id')
    .select(['a.id as accountId', 'a.email', 'a.locale', 'a.status', sql<string>`p.first_name || ' ' || p.last_name`.as('name'), sql<boolean>`p.national_id is not null`.as('hasNationalId'),
      sql<boolean>`exists (select 1 from credentials c where c.account_id = a.id)`.as('hasPassword')])
    .where('a.id', 'in', accountIds).execute();
}

/**
 * Issues and emails one invitation to each target's address on record, voiding their older
 * ones, in the caller's transaction (the message exists exactly when the invitation does),
 * which holds the targets' invitation locks from here to its end.
 * Targets without an address are the caller's to leave out. Answers when the links expire.
 */
export async function sendInvitations(
  db: Executor, sender: InvitationSender, targets: readonly (InvitationTarget & { email: string })[],
  by: { createdBy: string | null; batchId: string | null }, now: Date,
): Promise<Date> {
  const expiresAt = new Date(now.getTime() + sender.hours * 3_600_000);
  if (targets.length === 0) return expiresAt;
  const ids = targets.map((t) => t.accountId);
  // Two invitations of one person at once (a double click, two administrators) wait here in
  // turn, so the later voids the earlier: only the newest works. Advisory locks, in one order,
  // that only invitations take: a row lock on the account would meet other writers' foreign-key
  // locks in another order and deadlock (a password batch did, in review).
  await sql`select pg_advisory_xact_lock(hashtextextended('invitation:' || id, 0)) from unnest(${[...new Set(ids)].sort()}::text[]) as t(id)`.execute(db);
  await db.updateTable('invitations').set({ voided_at: now, void_reason: 'replaced' })
    .where('account_id', 'in', ids).where('used_at', 'is', null).where('voided_at', 'is', null).execute();
  const tokens = targets.map(() => randomBytes(32).toString('base64url'));
  await db.insertInto('invitations').values(targets.map((t, i) => ({
    account_id: t.accountId, token_hash: hashInvitationToken(tokens[i]!), email: t.email,
    created_by: by.createdBy, batch_id: by.batchId, created_at: now, expires_at: expiresAt,
    password_set_at: sql<Date | null>`(select c.changed_at from credentials c where c.account_id = ${t.accountId}::uuid)`,
  }))).execute();
  for (const [i, t] of targets.entries()) {
    await sender.notifier.enqueue(db, {
      channel: 'email', to: t.email, template: 'invitation.email', locale: localeOf(t.locale, sender.defaultLocale),
      params: { name: t.name, url: invitationUrl(sender.publicUrl, tokens[i]!), hours: String(sender.hours), account: t.status === 'active' && t.hasPassword ? 'existing' : 'new' },
    });
  }
  return expiresAt;
}

/** One invitation, audited: by an administrator (`actor`), or asked for from a dead link (no actor). */
export async function sendInvitation(
  db: Executor, sender: InvitationSender, target: InvitationTarget & { email: string },
  by: { actorAccountId: string | null; actingMembershipId: string | null; ip: string | null; via: 'admin' | 'new_link' }, now: Date,
): Promise<Date> {
  const expiresAt = await sendInvitations(db, sender, [target], { createdBy: by.actorAccountId, batchId: null }, now);
  await db.insertInto('audit_events').values(auditRow({
    type: 'invitation.sent', actorAccountId: by.actorAccountId, actingMembershipId: by.actingMembershipId, subjectAccountId: target.accountId,
    ip: by.ip, data: { via: by.via },
  })).execute();
  return expiresAt;
}

/** The invited person as the wizard checks them: national ID, user code, name, and whether the account may still sign in. */
export type InvitedAccount = { id: string; nationalId: string | null; userCode: string; name: string; disabled: boolean };

export async function invitedAccount(db: Executor, accountId: string): Promise<InvitedAccount | undefined> {
  const row = await db.selectFrom('accounts as a').innerJoin('people as p', 'p.id', 'a.person_id')
    .select(['a.id', 'p.national_id', 'a.user_code', 'a.status', sql<string>`p.first_name || ' ' || p.last_name`.as('name')])
    .where('a.id', '=', accountId).executeTakeFirst();
  return row && { id: row.id, nationalId: row.national_id, userCode: row.user_code, name: row.name, disabled: row.status === 'disabled' };
}

type InvitationRow = { id: string; account_id: string; email: string; expires_at: Date; used_at: Date | null; void_reason: 'replaced' | 'wrong_ids' | null; password_changed: boolean };

const problemOf = (row: InvitationRow, now: Date): InvitationProblem | null => {
  if (row.used_at !== null) return 'used';
  if (row.void_reason !== null) return row.void_reason;
  // An expired link says so, whatever happened since: it tells its holder nothing of the account.
  if (row.expires_at <= now) return 'expired';
  if (row.password_changed) return 'password_changed';
  return null;
};

/** A password set since the invitation was sent: the link is over (a password change, a recovery, a reset, another link). */
const passwordSetSince = sql<boolean>`(select c.changed_at from credentials c where c.account_id = invitations.account_id) is distinct from invitations.password_set_at`;

const columns = ['id', 'account_id', 'email', 'expires_at', 'used_at', 'void_reason', passwordSetSince.as('password_changed')] as const;
const lookup = (row: InvitationRow, now: Date): InvitationLookup => ({
  invitation: { id: row.id, accountId: row.account_id, email: row.email, expiresAt: row.expires_at }, problem: problemOf(row, now),
});

/** The invitation a link's token names, and why it no longer works (null: it works); undefined for a token of no invitation. */
export async function findInvitation(db: Db, token: string, now: Date): Promise<InvitationLookup | undefined> {
  if (!TOKEN.test(token)) return undefined;
  const row = await db.selectFrom('invitations').select(columns).where('token_hash', '=', hashInvitationToken(token)).executeTakeFirst();
  return row && lookup(row, now);
}

/** The same, by the invitation's id (a flow keeps the id, never the token). */
export async function invitationById(db: Executor, id: string, now: Date): Promise<InvitationLookup | undefined> {
  const row = await db.selectFrom('invitations').select(columns).where('id', '=', id).executeTakeFirst();
  return row && lookup(row, now);
}

/**
 * Counts a national ID that did not match, in one statement (parallel guesses cannot pass
 * the limit); the last allowed one voids the link. Answers the tries left (0: void now).
 */
export async function countWrongId(db: Executor, id: string, now: Date): Promise<number> {
  const row = (await sql<{ wrong_ids: number }>`
    update invitations set wrong_ids = wrong_ids + 1,
      voided_at = case when wrong_ids + 1 >= ${MAX_WRONG_IDS} then ${now}::timestamptz end,
      void_reason = case when wrong_ids + 1 >= ${MAX_WRONG_IDS} then 'wrong_ids' end
    where id = ${id} and used_at is null and voided_at is null
    returning wrong_ids`.execute(db)).rows[0];
  return row === undefined ? 0 : Math.max(0, MAX_WRONG_IDS - row.wrong_ids);
}

/**
 * Spends the invitation, in the transaction of the password it lets the person set: false when
 * it was spent, voided or expired meanwhile, or a password was set since it was sent (a second
 * tab, a newer link, the clock, a password change).
 */
export async function spendInvitation(db: Executor, id: string, now: Date): Promise<boolean> {
  // The password as it stands is held until the caller's transaction ends: a change committing
  // between this check and the link's own password would otherwise be overwritten by it.
  await sql`select 1 from credentials c where c.account_id = (select i.account_id from invitations i where i.id = ${id}) for update`.execute(db);
  const result = await db.updateTable('invitations').set({ used_at: now })
    .where('id', '=', id).where('used_at', 'is', null).where('voided_at', 'is', null).where('expires_at', '>', now)
    .where(sql<boolean>`not ${passwordSetSince}`)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Invitations 90 days past their expiry, removed: until then an old link still says it was
 * used or expired and offers a new one; after, it is simply not a link.
 */
export async function deleteOldInvitations(db: Db, now: Date): Promise<number> {
  const result = await db.deleteFrom('invitations').where('expires_at', '<', new Date(now.getTime() - 90 * 86_400_000)).executeTakeFirst();
  return Number(result.numDeletedRows);
}
