/**
 * One-time verification codes (F9, F10): 6 digits from a CSPRNG, stored only as an HMAC bound
 * to the flow, the purpose and the target, valid 5 minutes, compared in constant time, with
 * tries counted atomically and a resend cooldown. A code sent to one number proves nothing
 * about another: changing the number voids it.
 */
import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import { normalizeDigitString } from '../domain/digits.ts';
import { hmacSha256 } from '../secrets.ts';
import type { Executor } from './audit.ts';

export type CodePolicy = { lifetimeMinutes: number; maxTries: number; cooldownSeconds: number };
export const defaultCodePolicy: CodePolicy = { lifetimeMinutes: 5, maxTries: 5, cooldownSeconds: 60 };

/** What a code or link proves, for which flow, sent to whom (the HMAC binds all three). */
export type CodeTarget = { flowId: string; purpose: 'mobile' | 'email' | 'recovery' | 'sign_in' | 'recovery_link'; target: string };

const digest = (key: Buffer, t: CodeTarget, code: string) =>
  hmacSha256(key, `${t.flowId}\u0000${t.purpose}\u0000${t.target}\u0000${code}`).toString('hex');

/** Seconds until another code may be sent for this flow and purpose (0: now). */
export async function cooldownLeft(db: Executor, t: Omit<CodeTarget, 'target'>, policy: CodePolicy, now: Date): Promise<number> {
  const last = await db.selectFrom('verification_codes').select('sent_at')
    .where('flow_id', '=', t.flowId).where('purpose', '=', t.purpose)
    .orderBy('sent_at', 'desc').limit(1).executeTakeFirst();
  if (!last) return 0;
  const left = last.sent_at.getTime() + policy.cooldownSeconds * 1000 - now.getTime();
  return left > 0 ? Math.ceil(left / 1000) : 0;
}

/** Stores a secret (older ones of the same flow and purpose stop counting), good for `minutes`. */
async function storeSecret(db: Executor, key: Buffer, t: CodeTarget, secret: string, minutes: number, now: Date): Promise<void> {
  await db.updateTable('verification_codes').set({ used_at: now })
    .where('flow_id', '=', t.flowId).where('purpose', '=', t.purpose).where('used_at', 'is', null).execute();
  await db.insertInto('verification_codes').values({
    flow_id: t.flowId, purpose: t.purpose, target: t.target, code_hmac: digest(key, t, secret),
    sent_at: now, expires_at: new Date(now.getTime() + minutes * 60_000),
  }).execute();
}

/** Stores a new code (older ones of the same flow and purpose stop counting) and returns it, to be sent. */
export async function issueCode(db: Executor, key: Buffer, t: CodeTarget, policy: CodePolicy, now: Date): Promise<string> {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await storeSecret(db, key, t, code, policy.lifetimeMinutes, now);
  return code;
}

/**
 * A one-time link's secret: 256 bits (base64url, 43 characters), stored only as an HMAC like
 * a code, good for `minutes`, with the same tries and single use. The link carries it with
 * its flow's id (`{flowId}.{secret}`, linkToken), so it can be opened in another browser.
 */
export async function issueLinkSecret(db: Executor, key: Buffer, t: CodeTarget, minutes: number, now: Date): Promise<string> {
  const secret = randomBytes(32).toString('base64url');
  await storeSecret(db, key, t, secret, minutes, now);
  return `${t.flowId}.${secret}`;
}

/** A link token's flow id and secret, or undefined when it cannot be one of ours. */
export function parseLinkToken(token: string): { flowId: string; secret: string } | undefined {
  const match = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/.exec(token.trim());
  return match ? { flowId: match[1]!, secret: match[2]! } : undefined;
}

/**
 * A code's check. `code.spent`: the flow's latest code was spent a moment ago by another
 * request for the same flow (a double click, two tabs), which moved the flow on in the same
 * transaction (spendCodes); what was typed is not compared: the caller answers as for a flow
 * moved on (flow.changed), not as a wrong code.
 */
export type CodeCheck = 'ok' | 'code.required' | 'code.format' | 'code.not_sent' | 'code.spent' | 'code.expired' | 'code.invalid' | 'code.too_many_tries';

export async function checkCode(db: Executor, key: Buffer, t: CodeTarget, input: string, policy: CodePolicy, now: Date): Promise<CodeCheck> {
  const code = normalizeDigitString(input);
  if (code === '') return 'code.required';
  if (!/^\d{6}$/.test(code)) return 'code.format';
  return compareLatest(db, key, t, code, policy.maxTries, now);
}

export type LinkCheck = 'ok' | 'link.invalid' | 'link.expired';

/** A link token's secret against its flow's latest link (same tries and expiry rules as a code). Used or unknown: invalid. */
export async function checkLinkSecret(db: Executor, key: Buffer, t: CodeTarget, secret: string, maxTries: number, now: Date): Promise<LinkCheck> {
  const checked = await compareLatest(db, key, t, secret, maxTries, now);
  // A link spent already is one used: invalid, as an unknown one.
  return checked === 'ok' ? 'ok' : checked === 'code.expired' ? 'link.expired' : 'link.invalid';
}

async function compareLatest(db: Executor, key: Buffer, t: CodeTarget, code: string, maxTries: number, now: Date): Promise<Exclude<CodeCheck, 'code.required' | 'code.format'>> {
  const latest = await db.selectFrom('verification_codes').select(['id', 'target', 'expires_at', 'used_at'])
    .where('flow_id', '=', t.flowId).where('purpose', '=', t.purpose)
    .orderBy('sent_at', 'desc').limit(1).executeTakeFirst();
  if (!latest) return 'code.not_sent';
  if (latest.used_at !== null) return 'code.spent';
  if (latest.expires_at <= now) return 'code.expired';
  // Count the try before comparing, in one statement: parallel guesses cannot exceed the limit.
  const counted = await sql<{ code_hmac: string; target: string }>`
    update verification_codes set tries = tries + 1
    where id = ${latest.id} and tries < ${maxTries} and used_at is null
    returning code_hmac, target`.execute(db);
  const row = counted.rows[0];
  if (!row) {
    // Out of tries, or spent since it was read by a racing request that moved the flow on.
    const current = await db.selectFrom('verification_codes').select('used_at').where('id', '=', latest.id).executeTakeFirst();
    return current !== undefined && current.used_at !== null ? 'code.spent' : 'code.too_many_tries';
  }
  const expected = Buffer.from(row.code_hmac, 'hex');
  const given = Buffer.from(digest(key, { ...t, target: row.target }, code), 'hex');
  // A code sent to another number or address than the one now in the form proves nothing.
  if (row.target !== t.target || !timingSafeEqual(expected, given)) return 'code.invalid';
  return 'ok';
}

/**
 * Spends the flow's current codes, in the transaction of what they prove: a flow that needs
 * two codes (mobile and email) spends neither until both are right. Answers how many it spent.
 */
export async function spendCodes(db: Executor, flowId: string, now: Date): Promise<number> {
  const result = await db.updateTable('verification_codes').set({ used_at: now })
    .where('flow_id', '=', flowId).where('used_at', 'is', null).where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
