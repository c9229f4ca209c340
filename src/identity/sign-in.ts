/**
 * Password sign-in (F1) with the lockout core (B2). The same steps serve the sign-in page,
 * `POST /api/v1/sessions` and, later, the OpenID provider's interaction.
 *
 * An unknown identifier and a wrong password get the same answer after the same work: an
 * argon2 verification against a dummy hash, the same failure counters, the same audit row.
 */
import type { Db } from '../db/database.ts';
import { normalizeDigitString } from '../domain/digits.ts';
import { parseNationalId } from '../domain/national-id.ts';
import { USER_CODE_PATTERN, rehashPassword, type Identifier } from './accounts.ts';
import { auditRow } from './audit.ts';
import { isoDateIn, type Clock } from './clock.ts';
import type { MembershipView } from './memberships.ts';
import type { PasswordHasher } from './passwords.ts';
import { gateFor, hitCounter, type LockoutPolicy, type WindowLimit } from './rate-limits.ts';
import { ADDRESS_BUCKET, countSignInAttempt, insertSessionAndAudit, type SignInAttempt } from './sign-in-store.ts';
import { newSessionValues, type SessionLifetimes } from './sessions.ts';

export type SignInDeps = {
  db: Db;
  clock: Clock;
  hasher: PasswordHasher;
  profile: 'ir' | 'il';
  /** The profile's time zone: memberships count from and to civil dates there. */
  timeZone: string;
  lockout: LockoutPolicy;
  addressLimit: WindowLimit;
  lifetimes: SessionLifetimes;
};

export type SignInInput = { identifier: string; password: string; kind: 'browser' | 'api'; ip: string | null; userAgent: string | null };

export type SignInResult =
  | { ok: true; token: string; sessionId: string; accountId: string; mustChangePassword: boolean; memberships: MembershipView[] }
  | { ok: false; status: 400 | 401 | 429; code: string; field?: 'identifier' | 'password'; params?: Record<string, number> };

const MAX_PASSWORD_LENGTH = 1024; // argon2 hashes anything, but a 100 KB "password" is an attack, not a typo

/** National ID in any digits and spacing, or the user code (any case, dashes allowed). */
export function parseIdentifier(raw: string, profile: 'ir' | 'il'): Identifier | { error: string } {
  const compact = normalizeDigitString(raw);
  if (compact === '') return { error: 'identifier.required' };
  if (/^\d+$/.test(compact)) {
    const parsed = parseNationalId(compact, profile);
    return parsed.ok ? { kind: 'national_id', value: parsed.value } : { error: parsed.code };
  }
  const code = compact.toUpperCase();
  return USER_CODE_PATTERN.test(code) ? { kind: 'user_code', value: code } : { error: 'identifier.invalid' };
}

export async function signIn(deps: SignInDeps, input: SignInInput): Promise<SignInResult> {
  const identifier = parseIdentifier(input.identifier, deps.profile);
  if ('error' in identifier) return { ok: false, status: 400, code: identifier.error, field: 'identifier' };
  if (input.password === '') return { ok: false, status: 400, code: 'password.required', field: 'password' };
  if (input.password.length > MAX_PASSWORD_LENGTH) return { ok: false, status: 400, code: 'password.too_long', field: 'password' };

  const now = deps.clock.now();
  const addressKey = input.ip ?? 'unknown';
  const attempt = await countSignInAttempt(deps.db, identifier, {
    lockout: deps.lockout, address: deps.addressLimit, addressKey, now, today: isoDateIn(now, deps.timeZone),
  });
  const refused = refusal(attempt, deps, now);
  if (refused) return refused;

  const { candidate } = attempt;
  const checked = candidate
    ? await deps.hasher.check(candidate.passwordHash, input.password)
    : (await deps.hasher.verifyNothing(input.password), { valid: false, renew: false });

  if (!candidate || !checked.valid || candidate.status === 'disabled') return failed(deps, input, attempt, identifier);

  const rehash = checked.renew ? await deps.hasher.hash(input.password) : undefined;
  const { token, values } = newSessionValues({
    accountId: candidate.accountId, kind: input.kind, ip: input.ip, userAgent: input.userAgent, now, lifetimes: deps.lifetimes,
  });
  const sessionId = await insertSessionAndAudit(deps.db, values, auditRow({
    type: 'sign_in.succeeded', actorAccountId: candidate.accountId, subjectAccountId: candidate.accountId,
    ip: input.ip, userAgent: input.userAgent, data: { method: 'password', via: input.kind, identifier: identifier.kind },
  }), { failureKey: attempt.failureKey });
  // Rare, off the common path: a hash made with other parameters is renewed.
  if (rehash !== undefined) await rehashPassword(deps.db, candidate.accountId, candidate.passwordHash, rehash);
  return { ok: true, token, sessionId, accountId: candidate.accountId, mustChangePassword: candidate.mustChange, memberships: attempt.memberships };
}

/** Limits, decided from the attempt already counted: the address, the lock, the delay. */
function refusal(attempt: SignInAttempt, deps: SignInDeps, now: Date): SignInResult | undefined {
  if (attempt.addressHits >= deps.addressLimit.limit) {
    return { ok: false, status: 429, code: 'sign_in.address_limited', params: { minutes: deps.addressLimit.windowMinutes } };
  }
  const priorGate = gateFor(attempt.prior, deps.lockout, now);
  if (priorGate.kind === 'locked') return { ok: false, status: 429, code: 'sign_in.locked', params: { minutes: priorGate.minutes } };
  // Parallel attempts each got their own number: past the threshold none is checked at all.
  if (attempt.attemptNumber > deps.lockout.threshold && attempt.lockedUntil !== null) {
    return { ok: false, status: 429, code: 'sign_in.locked', params: { minutes: Math.ceil((attempt.lockedUntil.getTime() - now.getTime()) / 60_000) } };
  }
  if (priorGate.kind === 'wait') return { ok: false, status: 429, code: 'sign_in.wait', params: { seconds: priorGate.seconds } };
  return undefined;
}

async function failed(deps: SignInDeps, input: SignInInput, attempt: SignInAttempt, identifier: Identifier): Promise<SignInResult> {
  const accountId = attempt.candidate?.accountId ?? null;
  const lockedNow = attempt.attemptNumber === deps.lockout.threshold;
  await deps.db.transaction().execute(async (trx) => {
    const addressHits = await hitCounter(trx, ADDRESS_BUCKET, input.ip ?? 'unknown', deps.addressLimit, deps.clock.now());
    const common = { subjectAccountId: accountId, ip: input.ip, userAgent: input.userAgent };
    // Unknown identifiers are recorded too (an attack on them is still an attack), by kind only.
    await trx.insertInto('audit_events').values(auditRow({
      ...common, type: 'sign_in.failed', data: { method: 'password', via: input.kind, identifier: identifier.kind, failures: attempt.attemptNumber },
    })).execute();
    if (lockedNow) {
      await trx.insertInto('audit_events').values(auditRow({ ...common, type: 'sign_in.locked', data: { minutes: deps.lockout.lockMinutes } })).execute();
    }
    if (addressHits === deps.addressLimit.limit) {
      await trx.insertInto('audit_events').values(auditRow({ ...common, type: 'sign_in.address_limited', data: { windowMinutes: deps.addressLimit.windowMinutes } })).execute();
    }
  });
  if (lockedNow) return { ok: false, status: 429, code: 'sign_in.locked', params: { minutes: deps.lockout.lockMinutes } };
  return { ok: false, status: 401, code: 'sign_in.invalid' };
}
