/**
 * Accounts: a person's login. The username is the national ID; the user code is issued once
 * at creation, never changes, and signs in just as well.
 */
import { randomInt } from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { Executor } from './audit.ts';
import type { PasswordHasher } from './passwords.ts';

// No 0/O, 1/I/L: a code read aloud or copied from paper must not be ambiguous.
const USER_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const USER_CODE_PATTERN = /^[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{8}$/;

export function newUserCode(): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
  // Always at least one letter, so a user code can never be mistaken for a national ID.
  return /[A-Z]/.test(code) ? code : newUserCode();
}

export const formatUserCode = (code: string) => `${code.slice(0, 4)}-${code.slice(4)}`;

/** Draws of a new code before giving up: at 10 million accounts one draw in ~85,000 is taken, five in a row never happen. */
const CODE_DRAWS = 5;

/**
 * Runs `insert` with a newly drawn user code until one is free (user codes are random, 31^8 of
 * them: at national scale a draw that is taken is expected, about once in 85,000 new accounts
 * at 10 million). `insert` answers its row, or undefined when the code was taken (its
 * `ON CONFLICT (user_code) DO NOTHING`, or the unique column's own); any other conflict is its
 * own to raise. Throws after CODE_DRAWS taken draws. (`drawCode`: tests choose the codes.)
 */
export async function withFreshCode<T>(insert: (code: string) => Promise<T | undefined>, drawCode: () => string = newUserCode): Promise<T> {
  for (let draw = 0; draw < CODE_DRAWS; draw++) {
    const row = await insert(drawCode());
    if (row !== undefined) return row;
  }
  throw new Error(`no free code in ${CODE_DRAWS} draws`);
}

/**
 * The account of each person of `personIds` (`accounts`: person id → account id), an active
 * one with a newly drawn user code made for whoever has none (`created`: their person ids).
 * One per person: a person whose account another transaction made meanwhile gets that one (the
 * unique key on person_id decides the race). A user code already taken is drawn again for that
 * person alone (withFreshCode's reason); throws after CODE_DRAWS rounds that left someone
 * without an account. (`drawCode`: tests choose the codes.)
 */
export async function ensureAccounts(db: Executor, personIds: readonly string[], drawCode: () => string = newUserCode): Promise<{ accounts: Map<string, string>; created: Set<string> }> {
  // In one order everywhere: two transactions making accounts for the same people take the row locks alike, and never deadlock.
  const wanted = [...new Set(personIds)].sort();
  const accounts = new Map<string, string>();
  const created = new Set<string>();
  for (let draw = 0; draw < CODE_DRAWS && accounts.size < wanted.length; draw++) {
    const missing = wanted.filter((id) => !accounts.has(id));
    // No conflict target: a person who has an account and a code that is taken are both skipped here, and told apart below.
    const made = await db.insertInto('accounts').values(missing.map((id) => ({ person_id: id, user_code: drawCode(), status: 'active' as const })))
      .onConflict((oc) => oc.doNothing()).returning(['id', 'person_id']).execute();
    for (const row of made) created.add(row.person_id);
    for (const row of await db.selectFrom('accounts').select(['id', 'person_id']).where('person_id', 'in', missing).execute()) accounts.set(row.person_id, row.id);
  }
  if (accounts.size < wanted.length) throw new Error(`no free user code in ${CODE_DRAWS} draws`);
  return { accounts, created };
}

/** One person's account (`person.accountId`, or ensureAccounts' for them) and whether this call made it. */
export async function accountFor(db: Executor, person: { id: string; accountId: string | null }): Promise<{ accountId: string; newAccount: boolean }> {
  if (person.accountId) return { accountId: person.accountId, newAccount: false };
  const { accounts, created } = await ensureAccounts(db, [person.id]);
  return { accountId: accounts.get(person.id)!, newAccount: created.has(person.id) };
}

export type SignInCandidate = {
  accountId: string;
  status: 'active' | 'pending' | 'disabled';
  passwordHash: string;
  mustChange: boolean;
};

export type Identifier = { kind: 'national_id'; value: string } | { kind: 'user_code'; value: string };

/**
 * A new password; a printed slip's QR sign-in that was not used yet stops working with the old
 * one. An account made by the console or an import has no password yet: this is its first.
 */
export async function setPassword(db: Executor, accountId: string, passwordHash: string, mustChange: boolean, now: Date): Promise<void> {
  await db.insertInto('credentials')
    .values({ account_id: accountId, password_hash: passwordHash, must_change: mustChange, changed_at: now })
    .onConflict((oc) => oc.column('account_id').doUpdateSet({ password_hash: passwordHash, must_change: mustChange, changed_at: now }))
    .execute();
  await db.deleteFrom('sign_in_tokens').where('account_id', '=', accountId).where('used_at', 'is', null).execute();
}

/**
 * The same password under new hash parameters, after a sign-in: only if the hash is still the
 * one that was checked, so a reset or recovery committed meanwhile is never undone.
 */
/** The same password's new hash; `mustChange` also asks for a new password at once (never lifts that request). */
export async function rehashPassword(db: Executor, accountId: string, oldHash: string, newHash: string, mustChange = false): Promise<void> {
  await db.updateTable('credentials').set({ password_hash: newHash, ...(mustChange ? { must_change: true } : {}) })
    .where('account_id', '=', accountId).where('password_hash', '=', oldHash).execute();
}

export async function currentPasswordHash(db: Db, accountId: string): Promise<string | undefined> {
  const row = await db.selectFrom('credentials').select('password_hash').where('account_id', '=', accountId).executeTakeFirst();
  return row?.password_hash;
}

/**
 * Whether `password` is the account's password now. A new password must differ from it, by
 * change-password (F17), recovery and a set-password link alike; asked only once the person
 * is proven (a code, a link and its national ID), so the answer tells no one else anything.
 */
export async function isCurrentPassword(db: Db, hasher: Pick<PasswordHasher, 'check'>, accountId: string, password: string): Promise<boolean> {
  const stored = await currentPasswordHash(db, accountId);
  return stored !== undefined && (await hasher.check(stored, password)).valid;
}

/** The account's email address, proven by its owner now (an email code, a set-password link used). */
export async function setProvenEmail(db: Executor, accountId: string, email: string, now: Date): Promise<void> {
  await db.updateTable('accounts').set({ email, email_verified_at: now }).where('id', '=', accountId).execute();
}
