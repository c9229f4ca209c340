/**
 * Change password (F17), also the forced change after a temporary password. A wrong current
 * password counts like a failed sign-in, on the session's own counter (delay, then lock): a
 * stolen session must not become a password oracle, and someone guessing at the account from
 * elsewhere must not stop its owner from changing the password. On success every other
 * session of the account ends.
 */
import type { Db } from '../db/database.ts';
import { checkPassword, type PasswordPolicy, type PasswordProblem } from '../domain/password-policy.ts';
import { normalizeSecret } from '../domain/secret-text.ts';
import { setPassword } from './accounts.ts';
import { auditRow } from './audit.ts';
import type { Clock } from './clock.ts';
import { addressKeyOf } from '../domain/client-address.ts';
import { withHashRoom, type PasswordHasher } from './passwords.ts';
import { admitSessionAttempt, clearFailures, type LockoutPolicy } from './rate-limits.ts';
import { changesAt } from '../domain/lockout.ts';
import { endOtherSessions } from './sessions.ts';
import { currentPasswordHash } from './accounts.ts';

export type ChangePasswordDeps = { db: Db; clock: Clock; hasher: PasswordHasher; policy: PasswordPolicy; lockout: LockoutPolicy };

export type ChangePasswordInput = {
  accountId: string; sessionId: string; nationalId: string | null; userCode: string;
  current: string; password: string; repeat: string; ip: string | null; userAgent: string | null;
  /** False when the current password is not asked (asksCurrentPassword). */
  askCurrent?: boolean;
};

/**
 * Whether the change asks for the current password: always, except the forced change of a
 * temporary password in a session signed in by a one-time code (F3): the code to the mobile
 * on record proved the person, who may never have seen the temporary password (a parent whose
 * slip went home with the child), as recovery by the mobile's code does.
 */
export const asksCurrentPassword = (session: { mustChangePassword: boolean; amr: readonly string[] }) =>
  !(session.mustChangePassword && !session.amr.includes('pwd'));

export type ChangePasswordProblem =
  | PasswordProblem | 'password.mismatch' | 'password.same_as_current' | 'change_password.current_wrong' | 'sign_in.wait' | 'sign_in.locked';
export type FieldProblem = { code: ChangePasswordProblem; field?: 'current' | 'password' | 'repeat'; params?: Record<string, number> };

export type ChangePasswordResult = { ok: true; endedSessions: number } | { ok: false; status: 400 | 429; problems: FieldProblem[] };

/** Changes a signed-in person's password. Throws HashQueueFull, having written nothing, when the hash queue has no room. */
export async function changePassword(deps: ChangePasswordDeps, input: ChangePasswordInput): Promise<ChangePasswordResult> {
  const problems: FieldProblem[] = [];
  const askCurrent = input.askCurrent ?? true;
  if (askCurrent && input.current === '') problems.push({ code: 'password.required', field: 'current' });
  for (const problem of checkPassword(input.password, deps.policy, { ...(input.nationalId ? { nationalId: input.nationalId } : {}), userCode: input.userCode })) {
    problems.push({ code: problem, field: 'password' });
  }
  if (normalizeSecret(input.repeat) !== normalizeSecret(input.password)) problems.push({ code: 'password.mismatch', field: 'repeat' });
  if (askCurrent && input.password !== '' && normalizeSecret(input.password) === normalizeSecret(input.current)) problems.push({ code: 'password.same_as_current', field: 'password' });
  if (input.current.length > 1024) problems.push({ code: 'password.too_long', field: 'current', params: { max: 1024 } });
  if (problems.length > 0) return { ok: false, status: 400, problems };
  // The attempt is counted before the current password is checked: the hash's place comes first (issue 12).
  return withHashRoom(deps, (reserved) => checkAndChange(reserved, input, askCurrent), addressKeyOf(input.ip));
}

/** The change proper, its place in the hash queue held: the attempt admitted, the current password checked, the new one set. */
async function checkAndChange(deps: ChangePasswordDeps, input: ChangePasswordInput, askCurrent: boolean): Promise<ChangePasswordResult> {
  const now = deps.clock.now();
  const failureKey = `session:${input.sessionId}`;
  const attempt = await admitSessionAttempt(deps.db, failureKey, deps.lockout, now);
  if ('refused' in attempt) {
    const { refused } = attempt;
    return { ok: false, status: 429, problems: [refused.kind === 'locked' ? { code: 'sign_in.locked', params: { minutes: refused.minutes } } : { code: 'sign_in.wait', params: { seconds: refused.seconds } }] };
  }
  const { admitted, policy } = attempt;

  const stored = await currentPasswordHash(deps.db, input.accountId);
  // Without the current password asked (a temporary one, after a code), the new one is compared with the stored hash instead.
  if (!askCurrent && stored !== undefined && (await deps.hasher.check(stored, input.password)).valid) {
    return { ok: false, status: 400, problems: [{ code: 'password.same_as_current', field: 'password' }] };
  }
  if (askCurrent && (stored === undefined || !(await deps.hasher.check(stored, input.current)).valid)) {
    const common = { actorAccountId: input.accountId, subjectAccountId: input.accountId, ip: input.ip, userAgent: input.userAgent };
    await deps.db.insertInto('audit_events').values([
      auditRow({ ...common, type: 'sign_in.failed', data: { method: 'password', via: 'change_password', failures: admitted.failures, place: 'session' } }),
      ...changesAt(admitted.failures, policy).map((type) => auditRow({ ...common, type, data: { failures: admitted.failures, place: 'session' } })),
    ]).execute();
    if (admitted.lockedUntil !== null) return { ok: false, status: 429, problems: [{ code: 'sign_in.locked', params: { minutes: deps.lockout.lockMinutes } }] };
    return { ok: false, status: 400, problems: [{ code: 'change_password.current_wrong', field: 'current' }] };
  }

  const hash = await deps.hasher.hash(input.password);
  const endedSessions = await deps.db.transaction().execute(async (trx) => {
    await setPassword(trx, input.accountId, hash, false, now);
    const ended = await endOtherSessions(trx, input.accountId, input.sessionId);
    await clearFailures(trx, failureKey, now);
    await trx.insertInto('audit_events').values(auditRow({
      type: 'password.changed', actorAccountId: input.accountId, subjectAccountId: input.accountId,
      ip: input.ip, userAgent: input.userAgent, data: { endedSessions: ended, ...(askCurrent ? {} : { proof: 'otp' }) },
    })).execute();
    return ended;
  });
  return { ok: true, endedSessions };
}
