/**
 * Brute-force protection (B2). Per account: after `delayAfter` consecutive failures each
 * further try must wait 1 s, 2 s, 4 s… and at `threshold` failures the account is locked for
 * `lockMinutes`. An identifier that matches no account gets its own counter and the very
 * same answers, so the limits reveal nothing about which accounts exist. Per client
 * address: fixed-window counters of failures. Counters live in PostgreSQL, so every
 * process behind a load balancer sees the same numbers, and they change in single
 * atomic statements (no read-then-write).
 */
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from './audit.ts';

export type LockoutPolicy = { delayAfter: number; threshold: number; lockMinutes: number };
export type FailureState = { failures: number; lastFailedAt: Date; lockedUntil: Date | null };
export type Gate = { kind: 'open' } | { kind: 'wait'; seconds: number } | { kind: 'locked'; minutes: number };

const MAX_DELAY_SECONDS = 300;

/** Pure: may this key try now? */
export function gateFor(state: FailureState | undefined, policy: LockoutPolicy, now: Date): Gate {
  if (state === undefined) return { kind: 'open' };
  if (state.lockedUntil !== null && state.lockedUntil > now) {
    return { kind: 'locked', minutes: Math.ceil((state.lockedUntil.getTime() - now.getTime()) / 60_000) };
  }
  if (state.lockedUntil !== null) return { kind: 'open' }; // the lock has run out: a fresh start
  if (state.failures < policy.delayAfter) return { kind: 'open' };
  const delay = Math.min(MAX_DELAY_SECONDS, 2 ** (state.failures - policy.delayAfter));
  const waitMs = state.lastFailedAt.getTime() + delay * 1000 - now.getTime();
  return waitMs > 0 ? { kind: 'wait', seconds: Math.ceil(waitMs / 1000) } : { kind: 'open' };
}

export async function readFailures(db: Executor, key: string): Promise<FailureState | undefined> {
  const row = await db.selectFrom('sign_in_failures').selectAll().where('key', '=', key).executeTakeFirst();
  return row && { failures: row.failures, lastFailedAt: row.last_failed_at, lockedUntil: row.locked_until };
}

/**
 * One more attempt for `key`, as a statement (also usable as a CTE): after an expired lock the
 * count starts again from one; reaching the threshold locks. Attempts are counted *before* the
 * password is checked, so requests racing in parallel cannot slip past the limit.
 */
export function failureUpsert(key: string | RawBuilder<string>, policy: LockoutPolicy, now: Date): RawBuilder<{ failures: number; locked_until: Date | null }> {
  const lockUntil = new Date(now.getTime() + policy.lockMinutes * 60_000);
  return sql`
    insert into sign_in_failures as f (key, failures, last_failed_at, locked_until)
    values (${key}, 1, ${now}, case when 1 >= ${policy.threshold} then ${lockUntil}::timestamptz end)
    on conflict (key) do update set
      failures = case when f.locked_until is not null and f.locked_until <= ${now} then 1 else f.failures + 1 end,
      last_failed_at = ${now},
      locked_until = case
        when f.locked_until is not null and f.locked_until > ${now} then f.locked_until
        when (case when f.locked_until is not null then 1 else f.failures + 1 end) >= ${policy.threshold} then ${lockUntil}::timestamptz
        else null end
    returning failures, locked_until`;
}

/** Counts one attempt; answers its number and whether the key is now locked. */
export async function recordFailure(db: Executor, key: string, policy: LockoutPolicy, now: Date): Promise<{ failures: number; locked: boolean }> {
  const row = (await failureUpsert(key, policy, now).execute(db)).rows[0];
  return { failures: row?.failures ?? 1, locked: row?.locked_until != null && row.locked_until > now };
}

export async function clearFailures(db: Executor, key: string): Promise<void> {
  await db.deleteFrom('sign_in_failures').where('key', '=', key).execute();
}

export type WindowLimit = { limit: number; windowMinutes: number };

/** One more hit on a fixed-window counter, as a statement (also usable as a CTE). */
export function counterUpsert(bucket: string, key: string, window: WindowLimit, now: Date): RawBuilder<{ hits: number }> {
  const windowStart = new Date(now.getTime() - window.windowMinutes * 60_000);
  return sql`
    insert into rate_counters as r (bucket, key, window_start, hits) values (${bucket}, ${key}, ${now}, 1)
    on conflict (bucket, key) do update set
      hits = case when r.window_start <= ${windowStart} then 1 else r.hits + 1 end,
      window_start = case when r.window_start <= ${windowStart} then ${now} else r.window_start end
    returning hits`;
}

/** Adds one hit to a fixed-window counter and answers the count in the current window. */
export async function hitCounter(db: Executor, bucket: string, key: string, window: WindowLimit, now: Date): Promise<number> {
  return (await counterUpsert(bucket, key, window, now).execute(db)).rows[0]?.hits ?? 1;
}

/** Counters and failure rows nobody needs any more (a day after their last use). */
export async function deleteStaleCounters(db: Executor, now: Date): Promise<void> {
  const dayAgo = new Date(now.getTime() - 86_400_000);
  await db.deleteFrom('rate_counters').where('window_start', '<', dayAgo).execute();
  await db.deleteFrom('sign_in_failures').where('last_failed_at', '<', dayAgo)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)])).execute();
}
