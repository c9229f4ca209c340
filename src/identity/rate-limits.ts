/**
 * Brute-force protection (B2) and fixed-window counters, in PostgreSQL. The rules live in
 * src/domain/lockout.ts; here each is one atomic statement (no read-then-write), so every
 * process behind a load balancer sees the same numbers and racing requests cannot slip past
 * a limit. An identifier that matches no account has a counter of its own and gets the very
 * same answers, so the limits reveal nothing about which accounts exist.
 */
import { sql, type RawBuilder } from 'kysely';
import { MAX_DELAY_SECONDS, gateFor, type FailureState, type Gate, type LockoutPolicy } from '../domain/lockout.ts';
import type { Executor } from './audit.ts';

export type { FailureState, LockoutPolicy } from '../domain/lockout.ts';

/** What an admitted attempt made of its counter. */
export type Admitted = { failures: number; lockedUntil: Date | null; previousLockUntil: Date | null };
export type AdmissionRow = { failures: number; locked_until: Date | null; previous_lock_until: Date | null };

/**
 * Admits one attempt for `key` if the rules let it through (domain/lockout.ts `gateFor`, in
 * SQL), counting it *before* the password is checked: a statement (also usable as a CTE)
 * that returns the counter as this attempt left it, or no row when the attempt is refused.
 * After a lock has run out the run starts again from one, and `previous_lock_until` tells
 * the attempt that noticed it (once).
 */
export function admission(
  key: string | RawBuilder<string>, policy: LockoutPolicy, now: Date,
  options: { captchaSolved: boolean; captchaAnyway: boolean | RawBuilder<boolean> },
): RawBuilder<AdmissionRow> {
  const lockUntil = new Date(now.getTime() + policy.lockMinutes * 60_000);
  const solved = sql`${options.captchaSolved}::boolean`;
  const anyway = typeof options.captchaAnyway === 'boolean' ? sql`${options.captchaAnyway}::boolean` : options.captchaAnyway;
  const ranOut = sql`(f.locked_until is not null and f.locked_until <= ${now}::timestamptz)`;
  const next = sql`(case when ${ranOut} then 1 else f.failures + 1 end)`;
  return sql<AdmissionRow>`
    insert into sign_in_failures as f (key, failures, last_failed_at, locked_until, previous_lock_until)
    select ${key}, 1, ${now}::timestamptz, case when 1 >= ${policy.threshold} then ${lockUntil}::timestamptz end, null
    where ${solved} or not ${anyway}
    on conflict (key) do update set
      failures = ${next},
      last_failed_at = ${now}::timestamptz,
      locked_until = case when ${next} >= ${policy.threshold} then ${lockUntil}::timestamptz end,
      previous_lock_until = case when ${ranOut} then f.locked_until end
    where (${ranOut} and (${solved} or not ${anyway}))
      or (f.locked_until is null
        and (f.failures < ${policy.delayAfter}
          or f.last_failed_at + make_interval(secs => least(${MAX_DELAY_SECONDS}, power(2, f.failures - ${policy.delayAfter}))) <= ${now}::timestamptz)
        and (${solved} or (not ${anyway} and f.failures < ${policy.captchaAfter})))
    returning failures, locked_until, previous_lock_until`;
}

export const toAdmitted = (row: AdmissionRow | undefined): Admitted | undefined =>
  row && { failures: row.failures, lockedUntil: row.locked_until, previousLockUntil: row.previous_lock_until };

/**
 * Admits one attempt of a signed-in session's guessing (the current password when changing
 * it, a second factor): delays, then a lock, never a captcha (the session already proved a
 * password). Answers the counter as the attempt left it and the policy it ran under, or why
 * the attempt was refused.
 */
export async function admitSessionAttempt(
  db: Executor, key: string, lockout: LockoutPolicy, now: Date,
): Promise<{ admitted: Admitted; policy: LockoutPolicy } | { refused: Exclude<Gate, { kind: 'open' | 'captcha' }> }> {
  const policy = { ...lockout, captchaAfter: lockout.threshold };
  const admitted = toAdmitted((await admission(key, policy, now, { captchaSolved: false, captchaAnyway: false }).execute(db)).rows[0]);
  if (admitted) return { admitted, policy };
  const gate = gateFor(await readFailures(db, key), policy, now, { captchaSolved: false, captchaAnyway: false });
  // A racing attempt took the last opening a moment ago: the next one waits at least a second.
  return { refused: gate.kind === 'locked' || gate.kind === 'wait' ? gate : { kind: 'wait', seconds: 1 } };
}

export async function readFailures(db: Executor, key: string): Promise<FailureState | undefined> {
  const row = await db.selectFrom('sign_in_failures').selectAll().where('key', '=', key).executeTakeFirst();
  return row && { failures: row.failures, lastFailedAt: row.last_failed_at, lockedUntil: row.locked_until };
}

/** The place a counter belongs to, as the audit names it (identity/sign-in.ts). */
export function placeOfKey(key: string): 'known_device' | 'other_devices' | 'session' | 'second_factor' {
  if (key.startsWith('device:')) return 'known_device';
  if (key.startsWith('session:')) return 'session';
  if (key.startsWith('mfa:')) return 'second_factor';
  return 'other_devices';
}

/** Ends the run of failures of these keys; answers the keys whose lock was still on (an unlock to audit). */
export async function clearFailures(db: Executor, keys: string | readonly string[], now: Date): Promise<string[]> {
  const list = [keys].flat();
  if (list.length === 0) return [];
  const rows = await db.deleteFrom('sign_in_failures').where('key', 'in', list).returning(['key', 'locked_until']).execute();
  return rows.filter((row) => row.locked_until !== null && row.locked_until > now).map((row) => row.key);
}

/**
/**
 * The counters that belong to an account: the shared one (`account:`), the second factor's
 * (`mfa:`), each known device's (`device:<account>:…`) and the current-password guesses of each
 * of its sessions (`session:`). A new password (an admin's reset, a recovery) makes them moot,
 * and an administrator's unlock lifts them: the owner's own phone must not stay locked.
 */
function keysOfAccounts(ids: readonly string[]) {
  // Device keys by their account part: a seq scan of the failure rows (a day's worth at most,
  // deleteStaleCounters), rather than one LIKE per account, which a batch of thousands would be.
  return sql<boolean>`(key = any(${ids.flatMap((id) => [`account:${id}`, `mfa:${id}`])}::text[])
    or (key like 'device:%' and split_part(key, ':', 2) = any(${ids}::text[]))
    or key in (select 'session:' || s.id::text from sessions s where s.account_id = any(${ids}::uuid[])))`;
}

/** Until when the account is locked anywhere (its latest lock), or null. */
export async function accountLockedUntil(db: Executor, accountId: string, now: Date): Promise<Date | null> {
  const row = await db.selectFrom('sign_in_failures').select((eb) => eb.fn.max('locked_until').as('until'))
    .where(keysOfAccounts([accountId])).where('locked_until', '>', now).executeTakeFirst();
  return row?.until ?? null;
}

/** Ends every run of failures of these accounts (keysOfAccounts); answers one entry per lock that was still on, to audit each lifted lock once. */
export async function clearAccountFailures(
  db: Executor, accountIds: readonly string[], now: Date,
): Promise<{ accountId: string; place: ReturnType<typeof placeOfKey> }[]> {
  if (accountIds.length === 0) return [];
  const ids = [...new Set(accountIds)];
  const rows = await db.deleteFrom('sign_in_failures').where(keysOfAccounts(ids)).returning(['key', 'locked_until']).execute();
  const sessionOwners = new Map<string, string>();
  if (rows.some((row) => row.key.startsWith('session:'))) {
    const sessions = await db.selectFrom('sessions').select(['id', 'account_id']).where('account_id', 'in', ids).execute();
    for (const session of sessions) sessionOwners.set(`session:${session.id}`, session.account_id);
  }
  return rows.filter((row) => row.locked_until !== null && row.locked_until > now)
    .map((row) => ({ accountId: row.key.startsWith('session:') ? sessionOwners.get(row.key) ?? '' : row.key.split(':')[1]!, place: placeOfKey(row.key) }));
}

export type WindowLimit = { limit: number; windowMinutes: number };

/**
 * One more hit on a fixed-window counter, as a statement (also usable as a CTE). `by: 0` reads
 * the count with the very same work, where doing less would tell something (notify/send-limits.ts).
 */
export function counterUpsert(bucket: string, key: string, window: WindowLimit, now: Date, by: 0 | 1 = 1): RawBuilder<{ hits: number }> {
  const windowStart = new Date(now.getTime() - window.windowMinutes * 60_000);
  return sql`
    insert into rate_counters as r (bucket, key, window_start, hits) values (${bucket}, ${key}, ${now}, ${by}::int)
    on conflict (bucket, key) do update set
      hits = case when r.window_start <= ${windowStart} then ${by}::int else r.hits + ${by}::int end,
      window_start = case when r.window_start <= ${windowStart} then ${now} else r.window_start end
    returning hits`;
}

/** Adds one hit (or, with `by: 0`, none) to a fixed-window counter and answers the count in the current window. */
export async function hitCounter(db: Executor, bucket: string, key: string, window: WindowLimit, now: Date, by: 0 | 1 = 1): Promise<number> {
  return (await counterUpsert(bucket, key, window, now, by).execute(db)).rows[0]?.hits ?? by;
}

/**
 * Adds one hit to each of `counters` (a null key counts nothing: a request with no client
 * address), in order, whatever the others say (a refused attempt counts too), and answers the
 * first whose count is now past its limit, or undefined. The request limits of code sign-in,
 * recovery and registration: an identifier from one address, from everywhere, an address.
 */
export async function firstOver(db: Executor, counters: readonly { bucket: string; key: string | null; window: WindowLimit }[], now: Date): Promise<WindowLimit | undefined> {
  let over: WindowLimit | undefined;
  for (const { bucket, key, window } of counters) {
    if (key === null) continue;
    if (await hitCounter(db, bucket, key, window, now) > window.limit) over ??= window;
  }
  return over;
}

/**
 * Wrong tries at `key` within a window (the one-time codes' per day), counted before the try is
 * checked, as the sign-in's admission is, so that tries sent in parallel cannot all pass under
 * the limit: `admit()` takes one of the window's `window.limit` tries, or answers false when none
 * is left (no try is checked there); `giveBack()` returns the one taken when the try was not a
 * wrong code after all (the right one, or one not compared).
 */
export function wrongTries(db: Executor, bucket: string, key: string, window: WindowLimit, now: Date) {
  const windowStart = new Date(now.getTime() - window.windowMinutes * 60_000);
  let taken: Date | undefined;
  return {
    admit: async (): Promise<boolean> => {
      const { rows: [row] } = await sql<{ window_start: Date }>`
        insert into rate_counters as r (bucket, key, window_start, hits) values (${bucket}, ${key}, ${now}, 1)
        on conflict (bucket, key) do update set
          hits = case when r.window_start <= ${windowStart} then 1 else r.hits + 1 end,
          window_start = case when r.window_start <= ${windowStart} then ${now} else r.window_start end
        where r.window_start <= ${windowStart} or r.hits < ${window.limit}
        returning window_start`.execute(db);
      taken = row?.window_start;
      return row !== undefined;
    },
    giveBack: async (): Promise<void> => {
      if (taken === undefined) return;
      await sql`update rate_counters set hits = greatest(hits - 1, 0) where bucket = ${bucket} and key = ${key} and window_start = ${taken}`.execute(db);
      taken = undefined;
    },
  };
}

/** Counters and failure rows nobody needs any more (a day after their last use). */
export async function deleteStaleCounters(db: Executor, now: Date): Promise<void> {
  const dayAgo = new Date(now.getTime() - 86_400_000);
  await db.deleteFrom('rate_counters').where('window_start', '<', dayAgo).execute();
  await db.deleteFrom('sign_in_failures').where('last_failed_at', '<', dayAgo)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)])).execute();
}
