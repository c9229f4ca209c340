/**
 * Brute-force protection (B2), the rules (no I/O). A counter counts the attempts *admitted*
 * (their password was checked) in the current run of failures; OWASP's Authentication Cheat
 * Sheet and its "device cookies" are the model (docs/decisions.md, Lockout):
 *
 *   failures < delayAfter       open
 *   failures ≥ delayAfter       each attempt waits 1 s, 2 s, 4 s… after the last (capped at 5 min)
 *   failures ≥ captchaAfter     each attempt must bring a solved captcha as well
 *   failures ≥ threshold        locked for lockMinutes; after that the run starts again
 *
 * An attempt refused by these rules is not admitted, not checked and not counted: forty
 * guesses sent at once are three checked passwords, not a lock (issue 9, fault 5). Each
 * counter belongs to one place: a device that has signed in to the account before has its
 * own, every other device shares the account's, so failures elsewhere never shut the owner's
 * own phone out.
 */
export type LockoutPolicy = { delayAfter: number; captchaAfter: number; threshold: number; lockMinutes: number };
export type FailureState = { failures: number; lastFailedAt: Date; lockedUntil: Date | null };
export type Gate =
  | { kind: 'open' }
  | { kind: 'wait'; seconds: number }
  | { kind: 'captcha' }
  | { kind: 'locked'; minutes: number };

export const MAX_DELAY_SECONDS = 300;

/** Seconds an attempt must wait after the last one once `failures` were admitted. */
export const delaySeconds = (failures: number, policy: LockoutPolicy) =>
  Math.min(MAX_DELAY_SECONDS, 2 ** (failures - policy.delayAfter));

/**
 * May one more attempt be admitted? `captchaSolved`: the attempt brings a solved captcha;
 * `captchaAnyway`: a captcha is asked whatever the count (the client address failed too often).
 */
export function gateFor(
  state: FailureState | undefined, policy: LockoutPolicy, now: Date, options: { captchaSolved: boolean; captchaAnyway: boolean },
): Gate {
  const captcha = (failures: number) => !options.captchaSolved && (options.captchaAnyway || failures >= policy.captchaAfter);
  if (state === undefined || (state.lockedUntil !== null && state.lockedUntil <= now)) {
    // No run yet, or the lock has run out: a fresh start.
    return captcha(0) ? { kind: 'captcha' } : { kind: 'open' };
  }
  if (state.lockedUntil !== null) return { kind: 'locked', minutes: Math.ceil((state.lockedUntil.getTime() - now.getTime()) / 60_000) };
  if (state.failures >= policy.delayAfter) {
    const waitMs = state.lastFailedAt.getTime() + delaySeconds(state.failures, policy) * 1000 - now.getTime();
    if (waitMs > 0) return { kind: 'wait', seconds: Math.ceil(waitMs / 1000) };
  }
  return captcha(state.failures) ? { kind: 'captcha' } : { kind: 'open' };
}

export type ProtectionChange = 'sign_in.delayed' | 'sign_in.captcha_required' | 'sign_in.locked';

/**
 * The changes of protection the admitted attempt numbered `failures` causes when it fails:
 * each number is given to exactly one attempt per run, so each change is recorded once,
 * whichever of many racing attempts it is.
 */
export function changesAt(failures: number, policy: LockoutPolicy): ProtectionChange[] {
  const changes: ProtectionChange[] = [];
  if (failures === policy.delayAfter && policy.delayAfter < policy.threshold) changes.push('sign_in.delayed');
  if (failures === policy.captchaAfter && policy.captchaAfter < policy.threshold) changes.push('sign_in.captcha_required');
  if (failures === policy.threshold) changes.push('sign_in.locked');
  return changes;
}
