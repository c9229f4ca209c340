/**
 * Password sign-in (F1) with brute-force protection (B2, src/domain/lockout.ts). The same
 * steps serve the sign-in page, `POST /api/v1/sessions` and, later, the OpenID provider's
 * interaction. Answers domain codes; the HTTP layer decides statuses (src/errors.ts).
 *
 * An unknown identifier and a wrong password get the same answer after the same work: an
 * argon2 verification against a dummy hash, the same failure counters, the same audit rows.
 * An attempt the rules refuse (wait, captcha, lock) is answered at once, unchecked and
 * uncounted, for known and unknown identifiers alike.
 *
 * Under load (issue 12) the attempt takes its place in the hash queue before anything else: a
 * full queue throws HashQueueFull (503 with Retry-After) before the captcha is spent and before
 * the attempt is counted, so a refusal for load is no failure, writes no session and no audit.
 */
import type { Db } from '../db/database.ts';
import { addressKeyOf } from '../domain/client-address.ts';
import { normalizeDigitString } from '../domain/digits.ts';
import { changesAt, gateFor, type Gate, type LockoutPolicy } from '../domain/lockout.ts';
import { parseNationalId } from '../domain/national-id.ts';
import { checkPassword, type PasswordPolicy } from '../domain/password-policy.ts';
import { USER_CODE_PATTERN, rehashPassword, type Identifier } from './accounts.ts';
import { auditRow, recordAudit, type AuditEvent } from './audit.ts';
import { isoDateIn, type Clock } from './clock.ts';
import { readDeviceTokens, rememberDevice } from './devices.ts';
import type { MembershipView } from './memberships.ts';
import { HashQueueFull, withHashRoom, type PasswordHasher } from './passwords.ts';
import { hitCounter, placeOfKey, type WindowLimit } from './rate-limits.ts';
import { ADDRESS_BUCKET, admitSignIn, insertSessionAndAudit, type SignInAttempt } from './sign-in-store.ts';
import { newSessionValues, type SessionLifetimes } from './sessions.ts';
import { SignInsTooFast } from './sign-in-seconds.ts';
import type { SignInMeter, SignInOutcome } from './sign-in-meter.ts';

export type SignInDeps = {
  db: Db;
  clock: Clock;
  hasher: PasswordHasher;
  profile: 'ir' | 'il';
  /** The profile's time zone: memberships count from and to civil dates there. */
  timeZone: string;
  lockout: LockoutPolicy;
  /** Failures from one client address per window before unknown devices there need a captcha. */
  addressLimit: WindowLimit;
  lifetimes: SessionLifetimes;
  /** Signs device tokens (identity/devices.ts). */
  deviceKey: Buffer;
  /** Checks (and spends) a captcha solution, or a security image's answer with its `captchaId`. */
  captcha: { verify(answer: { captcha: string; captchaId?: string | undefined; ip: string | null }, now: Date): Promise<boolean> };
  /** The password rules, for a password whose hash predates normalization (see `weakOnceNormalized`). */
  policy: PasswordPolicy;
  /** Counts each attempt's outcome (kelid_sign_ins_total). */
  meter?: SignInMeter | undefined;
};

export type SignInInput = {
  identifier: string; password: string; kind: 'browser' | 'api'; ip: string | null; userAgent: string | null;
  /** The device tokens this browser or app holds (the cookie, or the API's `deviceToken`). */
  deviceTokens?: string | undefined;
  /** A solved captcha, when the rules ask for one; with `captchaId`, the answer to that security image. */
  captcha?: string | undefined;
  captchaId?: string | undefined;
};

export type SignInRefusal =
  | 'identifier.required' | 'identifier.invalid' | 'national_id.format' | 'national_id.checksum' | 'national_id.required'
  | 'password.required' | 'password.too_long'
  | 'sign_in.invalid' | 'sign_in.wait' | 'sign_in.locked' | 'sign_in.captcha_required';

export type SignInResult =
  | {
    ok: true; token: string; sessionId: string; accountId: string; mustChangePassword: boolean; memberships: MembershipView[];
    /** The device tokens to keep: the cookie's new value (browser) or this device's token (API). */
    deviceCookie: string; deviceToken: string;
  }
  | {
    ok: false; code: SignInRefusal; field?: 'identifier' | 'password' | 'captcha'; params?: Record<string, number>;
    /** The next attempt from here will need a solved captcha (the page shows it right away). */
    captchaNext?: boolean;
  };

/** The address limit's key: an IPv6 client counts by its /64 (domain/client-address.ts). */
const addressOf = (input: SignInInput) => addressKeyOf(input.ip);

const MAX_PASSWORD_LENGTH = 1024; // argon2 hashes anything, but a 100 KB "password" is an attack, not a typo

/** National ID in any digits and spacing, or the user code (any case, dashes allowed). */
export function parseIdentifier(raw: string, profile: 'ir' | 'il'): Identifier | { error: SignInRefusal } {
  const compact = normalizeDigitString(raw);
  if (compact === '') return { error: 'identifier.required' };
  if (/^\d+$/.test(compact)) {
    const parsed = parseNationalId(compact, profile);
    return parsed.ok ? { kind: 'national_id', value: parsed.value } : { error: parsed.code };
  }
  const code = compact.toUpperCase();
  return USER_CODE_PATTERN.test(code) ? { kind: 'user_code', value: code } : { error: 'identifier.invalid' };
}

/**
 * A password sign-in: the session, or why not (a domain code). Throws HashQueueFull, having
 * written nothing, when the hash queue has no room, and SignInsTooFast (sign-in-seconds.ts), the
 * password right and only this place's failures cleared, when the account was signed in to
 * too often; each outcome is counted on `deps.meter`.
 */
export async function signIn(deps: SignInDeps, input: SignInInput): Promise<SignInResult> {
  const identifier = parseIdentifier(input.identifier, deps.profile);
  if ('error' in identifier) return counted(deps, { ok: false, code: identifier.error, field: 'identifier' });
  if (input.password === '') return counted(deps, { ok: false, code: 'password.required', field: 'password' });
  if (input.password.length > MAX_PASSWORD_LENGTH) return counted(deps, { ok: false, code: 'password.too_long', field: 'password', params: { max: MAX_PASSWORD_LENGTH } });
  let result: SignInResult;
  try {
    // One place per attempt, and no more than its address's share (KELID_HASH_QUEUE_PER_ADDRESS).
    result = await withHashRoom(deps, (reserved) => admitAndCheck(reserved, input, identifier), addressOf(input));
  } catch (error) {
    if (error instanceof HashQueueFull) deps.meter?.('password', 'shed');
    // The password was right but the account was signed in to too often: told to wait, like a delay.
    if (error instanceof SignInsTooFast) deps.meter?.('password', 'delayed');
    throw error;
  }
  return counted(deps, result);
}

/**
 * Throws HashQueueFull (counted as shed) when a sign-in from `ip` would be refused for load now
 * (the queue full, or the address holding its share of it): for a caller that writes something
 * of its own first (the sign-in page's flow row), so that under load it writes nothing at all.
 * signIn itself still takes its place, as the queue may fill meanwhile.
 */
export function refuseSignInWhenBusy(deps: SignInDeps, ip: string | null): void {
  if (deps.hasher.admits(addressKeyOf(ip))) return;
  deps.meter?.('password', 'shed');
  throw new HashQueueFull(deps.hasher.load().retryAfterSeconds);
}

const outcomes: { readonly [K in SignInRefusal]?: SignInOutcome } = {
  'sign_in.invalid': 'failure', 'sign_in.locked': 'locked', 'sign_in.wait': 'delayed', 'sign_in.captcha_required': 'captcha_required',
};

function counted(deps: SignInDeps, result: SignInResult): SignInResult {
  deps.meter?.('password', result.ok ? 'success' : outcomes[result.code] ?? 'malformed');
  return result;
}

/** The attempt proper, its place in the hash queue held: admitted by the lockout rules, checked, its session or its failure written. */
async function admitAndCheck(deps: SignInDeps, input: SignInInput, identifier: Identifier): Promise<SignInResult> {
  const now = deps.clock.now();
  // A solution is spent whether or not it was needed: it is the client's work, not ours.
  const captchaSolved = input.captcha !== undefined && input.captcha !== '' && await deps.captcha.verify({ captcha: input.captcha, captchaId: input.captchaId, ip: input.ip }, now);
  const attempt = await admitSignIn(deps.db, identifier, {
    lockout: deps.lockout, address: deps.addressLimit, addressKey: addressOf(input), now, today: isoDateIn(now, deps.timeZone),
    devices: readDeviceTokens(deps.deviceKey, input.deviceTokens), captchaSolved,
  });
  const { admitted, candidate } = attempt;
  if (admitted === undefined) return refused(attempt, deps.lockout, now, captchaSolved);

  const checked = candidate
    ? await deps.hasher.check(candidate.passwordHash, input.password)
    : (await deps.hasher.verifyNothing(input.password), { valid: false, renew: false });
  const unlock = admitted.previousLockUntil === null ? [] : [protectionEvent(input, attempt, 'sign_in.unlocked', { by: 'expiry', lockedUntil: admitted.previousLockUntil.toISOString() })];
  if (!candidate || !checked.valid || candidate.status === 'disabled') return failed(deps, input, attempt, identifier, unlock);

  const rehash = checked.renew ? await deps.hasher.hash(input.password) : undefined;
  const mustChange = candidate.mustChange || (checked.legacy === true && weakOnceNormalized(deps.policy, input.password, identifier));
  const { token, values } = newSessionValues({
    accountId: candidate.accountId, kind: input.kind, ip: input.ip, userAgent: input.userAgent, now, lifetimes: deps.lifetimes,
  });
  const sessionId = await insertSessionAndAudit(deps.db, values, auditRow({
    type: 'sign_in.succeeded', actorAccountId: candidate.accountId, subjectAccountId: candidate.accountId,
    ip: input.ip, userAgent: input.userAgent, data: { method: 'password', via: input.kind, identifier: identifier.kind, place: placeOfKey(attempt.failureKey) },
  }), { failureKey: attempt.failureKey });
  // Rare, off the common path: a lock that ran out, a hash made with other parameters or before normalization.
  for (const event of unlock) await recordAudit(deps.db, event);
  if (rehash !== undefined) await rehashPassword(deps.db, candidate.accountId, candidate.passwordHash, rehash, mustChange && !candidate.mustChange);
  const device = rememberDevice(deps.deviceKey, input.deviceTokens, candidate.accountId);
  return {
    ok: true, token, sessionId, accountId: candidate.accountId, mustChangePassword: mustChange, memberships: attempt.memberships,
    deviceCookie: device.cookie, deviceToken: device.token,
  };
}

/**
 * A password set before passwords were normalized was judged as typed: `۱۲۳۴۵۶۷۸` passed
 * where `12345678`, what it is hashed as now, is one of the commonest. When its renewed hash
 * holds a password the rules refuse, its owner must choose another (must_change, at once).
 */
function weakOnceNormalized(policy: PasswordPolicy, password: string, identifier: Identifier): boolean {
  const context = identifier.kind === 'national_id' ? { nationalId: identifier.value } : { userCode: identifier.value };
  return checkPassword(password, policy, context).length > 0;
}

/** Why the rules refused the attempt, from the counter as read (racing attempts may see it a moment old). */
function refused(attempt: SignInAttempt, policy: LockoutPolicy, now: Date, captchaSolved: boolean): SignInResult {
  const gate: Gate = gateFor(attempt.prior, policy, now, { captchaSolved, captchaAnyway: attempt.captchaAnyway });
  if (gate.kind === 'locked') return { ok: false, code: 'sign_in.locked', params: { minutes: gate.minutes } };
  if (gate.kind === 'captcha') return { ok: false, code: 'sign_in.captcha_required', field: 'captcha', captchaNext: true };
  // A parallel attempt took the last opening a moment ago: the next one waits at least a second.
  return { ok: false, code: 'sign_in.wait', params: { seconds: gate.kind === 'wait' ? gate.seconds : 1 } };
}

function protectionEvent(input: SignInInput, attempt: SignInAttempt, type: AuditEvent['type'], data: Record<string, unknown>): AuditEvent {
  return {
    type, subjectAccountId: attempt.candidate?.accountId ?? null, ip: input.ip, userAgent: input.userAgent,
    data: { ...data, place: placeOfKey(attempt.failureKey) },
  };
}

async function failed(deps: SignInDeps, input: SignInInput, attempt: SignInAttempt, identifier: Identifier, earlier: AuditEvent[]): Promise<SignInResult> {
  const failures = attempt.admitted!.failures;
  const now = deps.clock.now();
  const lockedUntil = attempt.admitted!.lockedUntil;
  const addressHits = await deps.db.transaction().execute(async (trx) => {
    const hits = await hitCounter(trx, ADDRESS_BUCKET, addressOf(input), deps.addressLimit, now);
    // Unknown identifiers are recorded too (an attack on them is still an attack), by kind only.
    const events: AuditEvent[] = [
      ...earlier,
      protectionEvent(input, attempt, 'sign_in.failed', { method: 'password', via: input.kind, identifier: identifier.kind, failures }),
      // Each change of protection by the one attempt whose number causes it (domain/lockout.ts changesAt).
      ...changesAt(failures, deps.lockout).map((type) => protectionEvent(input, attempt, type, type === 'sign_in.locked'
        ? { minutes: deps.lockout.lockMinutes, until: lockedUntil?.toISOString() ?? null } : { failures })),
      ...(hits === deps.addressLimit.limit ? [protectionEvent(input, attempt, 'sign_in.address_limited', { windowMinutes: deps.addressLimit.windowMinutes })] : []),
    ];
    await trx.insertInto('audit_events').values(events.map(auditRow)).execute();
    return hits;
  });
  if (lockedUntil !== null && lockedUntil > now) return { ok: false, code: 'sign_in.locked', params: { minutes: deps.lockout.lockMinutes } };
  const captchaNext = failures >= deps.lockout.captchaAfter || (!attempt.failureKey.startsWith('device:') && addressHits >= deps.addressLimit.limit);
  return { ok: false, code: 'sign_in.invalid', ...(captchaNext ? { captchaNext } : {}) };
}
