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
