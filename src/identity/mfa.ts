/**
 * Multi-factor for administrators (B3): TOTP (RFC 6238, via `otpauth`) with ten one-time
 * recovery codes. The seed is stored encrypted; each time step is accepted once (a code
 * seen over a shoulder cannot be replayed); wrong codes count toward a lockout like
 * passwords do. A session that passed the second factor carries `mfa_at`.
 */
import { randomInt } from 'node:crypto';
import { sql } from 'kysely';
import { Secret, TOTP } from 'otpauth';
import type { Db } from '../db/database.ts';
import { normalizeDigitString } from '../domain/digits.ts';
import { normalizeSecret } from '../domain/secret-text.ts';
import { hmacHex } from '../secrets.ts';
import { auditRow } from './audit.ts';
import { changesAt } from '../domain/lockout.ts';
import { admitSessionAttempt, clearFailures, type LockoutPolicy } from './rate-limits.ts';
import { open, seal } from './secret-box.ts';
import { markSecondFactor } from './sessions.ts';

export type MfaKeys = { secretBox: Buffer; codes: Buffer };
const PERIOD = 30;

const totpFor = (base32: string, label: string) => new TOTP({ issuer: 'Kelid', label, algorithm: 'SHA1', digits: 6, period: PERIOD, secret: Secret.fromBase32(base32) });

export async function hasConfirmedTotp(db: Db, accountId: string): Promise<boolean> {
  const row = await db.selectFrom('mfa_totp').select('account_id').where('account_id', '=', accountId).where('confirmed_at', 'is not', null).executeTakeFirst();
  return row !== undefined;
}

/**
 * An unconfirmed seed for the account, bound to this session; its otpauth:// URI for the QR
 * code. `fresh` makes a new one (each time the page is opened), so a seed is only ever shown
 * to the session that will confirm it; a wrong code redraws the same seed.
 */
export async function startTotpEnrolment(
  db: Db, keys: MfaKeys, session: { id: string; accountId: string }, label: string, fresh: boolean,
): Promise<{ uri: string; secret: string } | 'already_enrolled'> {
  if (await hasConfirmedTotp(db, session.accountId)) return 'already_enrolled';
  const existing = fresh ? undefined : await db.selectFrom('mfa_totp').select('secret_ciphertext')
    .where('account_id', '=', session.accountId).where('pending_session_id', '=', session.id).executeTakeFirst();
  const kept = existing ? open(keys.secretBox, existing.secret_ciphertext) : undefined;
  const secret = kept ?? new Secret({ size: 20 }).base32;
  if (!kept) {
    const sealed = seal(keys.secretBox, secret);
    await db.insertInto('mfa_totp').values({ account_id: session.accountId, secret_ciphertext: sealed, pending_session_id: session.id })
      .onConflict((oc) => oc.column('account_id').doUpdateSet({ secret_ciphertext: sealed, pending_session_id: session.id, last_step: 0 })).execute();
  }
  return { uri: totpFor(secret, label).toString(), secret };
}

const RECOVERY_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const newRecoveryCode = () => Array.from({ length: 10 }, (_, i) => (i === 5 ? '-' : '') + RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join('');
// Typed on any keyboard (Persian digits, full-width letters): the same code (secret-text.ts).
const recoveryKey = (code: string) => normalizeSecret(code).toUpperCase().replace(/[^A-Z0-9]/g, '');

/** The step a code matches (within one step of the clock either way), if any. */
function matchingStep(secret: string, code: string, now: Date): number | undefined {
  const delta = totpFor(secret, 'x').validate({ token: code, timestamp: now.getTime(), window: 1 });
  return delta === null ? undefined : Math.floor(now.getTime() / 1000 / PERIOD) + delta;
}

export type MfaCheck = { ok: true; recoveryCodes?: string[] } | { ok: false; code: 'mfa.invalid' | 'mfa.locked' | 'sign_in.wait'; params?: Record<string, number> };

/**
 * Confirms this session's enrolment with a first code; answers the ten recovery codes, shown
 * once. Two confirmations at once (a double click, two tabs) confirm once: the other answers
 * `enrolled_meanwhile`, no codes, so the codes shown are the ones that work.
 */
export async function confirmTotp(
  db: Db, keys: MfaKeys, session: { id: string; accountId: string }, input: string, now: Date,
): Promise<MfaCheck | { ok: false; code: 'enrolled_meanwhile' }> {
  const accountId = session.accountId;
  const row = await db.selectFrom('mfa_totp').select(['secret_ciphertext', 'confirmed_at'])
    .where('account_id', '=', accountId).where('pending_session_id', '=', session.id).executeTakeFirst();
  const secret = row && row.confirmed_at === null ? open(keys.secretBox, row.secret_ciphertext) : undefined;
  const step = secret === undefined ? undefined : matchingStep(secret, normalizeDigitString(input), now);
  if (step === undefined) return { ok: false, code: 'mfa.invalid' };
  const codes = Array.from({ length: 10 }, newRecoveryCode);
  const confirmed = await db.transaction().execute(async (trx) => {
    const claimed = await trx.updateTable('mfa_totp').set({ confirmed_at: now, last_step: step, pending_session_id: null })
      .where('account_id', '=', accountId).where('pending_session_id', '=', session.id).where('confirmed_at', 'is', null)
      // The seed the code was checked against: this session may have drawn another since (the enrolment page opened again).
      .where('secret_ciphertext', '=', row!.secret_ciphertext)
      .returning('account_id').executeTakeFirst();
    if (!claimed) return false;
    await trx.deleteFrom('mfa_recovery_codes').where('account_id', '=', accountId).execute();
    await trx.insertInto('mfa_recovery_codes').values(codes.map((code) => ({ account_id: accountId, code_hmac: hmacHex(keys.codes, recoveryKey(code)) }))).execute();
    await trx.insertInto('audit_events').values(auditRow({ type: 'mfa.enrolled', actorAccountId: accountId, subjectAccountId: accountId, data: { kind: 'totp' } })).execute();
    return true;
  });
  return confirmed ? { ok: true, recoveryCodes: codes } : { ok: false, code: 'enrolled_meanwhile' };
}

/** Checks a TOTP code or a recovery code for a session; on success the session carries the factor. */
export async function verifySecondFactor(
  db: Db, keys: MfaKeys, session: { id: string; accountId: string }, input: string, context: { now: Date; lockout: LockoutPolicy; ip: string | null },
): Promise<MfaCheck> {
  const { now } = context;
  const failureKey = `mfa:${session.accountId}`;
  const attempt = await admitSessionAttempt(db, failureKey, context.lockout, now);
  if ('refused' in attempt) {
    return attempt.refused.kind === 'locked'
      ? { ok: false, code: 'mfa.locked', params: { minutes: attempt.refused.minutes } }
      : { ok: false, code: 'sign_in.wait', params: { seconds: attempt.refused.seconds } };
  }
  const { admitted, policy } = attempt;

  const digits = normalizeDigitString(input);
  let method: 'totp' | 'recovery_code' | undefined;
  if (/^\d{6}$/.test(digits)) {
    const row = await db.selectFrom('mfa_totp').select('secret_ciphertext').where('account_id', '=', session.accountId).where('confirmed_at', 'is not', null).executeTakeFirst();
    const secret = row ? open(keys.secretBox, row.secret_ciphertext) : undefined;
    const step = secret === undefined ? undefined : matchingStep(secret, digits, now);
    // Each step once, decided in one statement: two requests with the same code cannot both pass.
    const taken = step === undefined ? 0 : Number((await db.updateTable('mfa_totp').set({ last_step: step })
      .where('account_id', '=', session.accountId).where(sql<boolean>`last_step < ${step}`).executeTakeFirst()).numUpdatedRows);
    if (taken === 1) method = 'totp';
  } else if (recoveryKey(input).length === 10) {
    const used = await db.updateTable('mfa_recovery_codes').set({ used_at: now })
      .where('account_id', '=', session.accountId).where('code_hmac', '=', hmacHex(keys.codes, recoveryKey(input))).where('used_at', 'is', null).executeTakeFirst();
    if (used.numUpdatedRows === 1n) method = 'recovery_code';
  }
  await db.transaction().execute(async (trx) => {
    if (method) {
      await clearFailures(trx, failureKey, now);
      await markSecondFactor(trx, session.id, 'otp', now);
    }
    const common = { actorAccountId: session.accountId, subjectAccountId: session.accountId, ip: context.ip };
    await trx.insertInto('audit_events').values([
      auditRow({ ...common, type: method ? (method === 'recovery_code' ? 'mfa.recovery_code_used' : 'mfa.verified') : 'mfa.failed', data: method ? {} : { failures: admitted.failures } }),
      // The second factor's own delay and lock, each recorded by the attempt that causes it.
      ...(method ? [] : changesAt(admitted.failures, policy).map((type) => auditRow({ ...common, type, data: { failures: admitted.failures, place: 'second_factor' } }))),
    ]).execute();
  });
  if (method) return { ok: true };
  return admitted.lockedUntil !== null ? { ok: false, code: 'mfa.locked', params: { minutes: policy.lockMinutes } } : { ok: false, code: 'mfa.invalid' };
}

/** Marks a session as having passed the second factor (right after a confirmed enrolment). */
export async function markSessionMfa(db: Db, sessionId: string, now: Date): Promise<void> {
  await markSecondFactor(db, sessionId, 'otp', now);
}
