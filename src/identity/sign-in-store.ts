/**
 * The sign-in's database work in as few round trips as it can be. One statement looks up the
 * account, its credential and its active memberships, reads the client address's failures,
 * *and counts the attempt* against the account (or the unknown identifier) before any
 * password is checked, so parallel guesses cannot slip past the lock. One statement on
 * success writes the session and its audit event and clears the run of failures.
 *
 * The address counts failures only, after the fact: a school's lab signs hundreds of pupils
 * in through one address at once, and their successful sign-ins must not add up.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Identifier, SignInCandidate } from './accounts.ts';
import type { auditRow } from './audit.ts';
import { activeMembershipsJson, type MembershipView } from './memberships.ts';
import { failureUpsert, type FailureState, type LockoutPolicy, type WindowLimit } from './rate-limits.ts';
import type { newSessionValues } from './sessions.ts';

export const ADDRESS_BUCKET = 'sign_in.address';

export type SignInAttempt = {
  candidate: SignInCandidate | undefined;
  failureKey: string;
  /** The counter as it was before this attempt (for the progressive delay). */
  prior: FailureState | undefined;
  /** This attempt's number in the run of failures, and the lock it may have set. */
  attemptNumber: number;
  lockedUntil: Date | null;
  addressHits: number;
  memberships: MembershipView[];
};

export async function countSignInAttempt(
  db: Db, identifier: Identifier,
  limits: { lockout: LockoutPolicy; address: WindowLimit; addressKey: string; now: Date; today: string },
): Promise<SignInAttempt> {
  const match = identifier.kind === 'national_id'
    ? sql`a.person_id = (select id from people where national_id = ${identifier.value})`
    : sql`a.user_code = ${identifier.value}`;
  // Unknown identifiers get a counter of their own, so they are slowed and locked exactly like accounts.
  const unknownKey = `unknown:${identifier.kind}:${identifier.value}`;
  const result = await sql<{
    id: string | null; status: SignInCandidate['status'] | null; password_hash: string | null; must_change: boolean | null;
    failure_key: string; prior_failures: number | null; prior_last_failed_at: Date | null; prior_locked_until: Date | null;
    attempt_number: number; locked_until: Date | null; address_hits: number; memberships: MembershipView[];
  }>`
    with candidate as (
      select a.id, a.status, c.password_hash, c.must_change
      from accounts a join credentials c on c.account_id = a.id
      where ${match}
    ),
    attempt_key as (select coalesce((select 'account:' || id::text from candidate), ${unknownKey}) as k),
    prior as (select f.failures, f.last_failed_at, f.locked_until from sign_in_failures f where f.key = (select k from attempt_key)),
    attempt as (${failureUpsert(sql<string>`(select k from attempt_key)`, limits.lockout, limits.now)}),
    address as (select coalesce((select hits from rate_counters where bucket = ${ADDRESS_BUCKET} and key = ${limits.addressKey}
      and window_start > ${new Date(limits.now.getTime() - limits.address.windowMinutes * 60_000)}), 0) as hits)
    select candidate.id, candidate.status, candidate.password_hash, candidate.must_change,
      (select k from attempt_key) as failure_key,
      prior.failures as prior_failures, prior.last_failed_at as prior_last_failed_at, prior.locked_until as prior_locked_until,
      attempt.failures as attempt_number, attempt.locked_until, address.hits as address_hits,
      ${activeMembershipsJson(sql`candidate.id`, limits.today)} as memberships
    from attempt cross join address
    left join candidate on true
    left join prior on true`.execute(db);
  const row = result.rows[0];
  if (row === undefined) throw new Error('sign-in lookup returned no row');
  return {
    candidate: row.id !== null && row.status !== null && row.password_hash !== null
      ? { accountId: row.id, status: row.status, passwordHash: row.password_hash, mustChange: row.must_change ?? false }
      : undefined,
    failureKey: row.failure_key,
    prior: row.prior_failures !== null && row.prior_last_failed_at !== null
      ? { failures: row.prior_failures, lastFailedAt: row.prior_last_failed_at, lockedUntil: row.prior_locked_until }
      : undefined,
    attemptNumber: row.attempt_number,
    lockedUntil: row.locked_until,
    addressHits: row.address_hits,
    memberships: row.memberships,
  };
}

/** On success: the session and its audit event, and the run of failures cleared. */
export async function insertSessionAndAudit(
  db: Db, session: ReturnType<typeof newSessionValues>['values'], audit: ReturnType<typeof auditRow>,
  counted: { failureKey: string },
): Promise<string> {
  const result = await sql<{ id: string }>`
    with session as (
      insert into sessions (token_hash, account_id, kind, ip, user_agent, created_at, last_seen_at, expires_at)
      values (${session.token_hash}, ${session.account_id}, ${session.kind}, ${session.ip}, ${session.user_agent},
              ${session.created_at}, ${session.last_seen_at}, ${session.expires_at})
      returning id
    ), event as (
      insert into audit_events (type, actor_account_id, acting_membership_id, subject_account_id, ip, user_agent, data)
      values (${audit.type}, ${audit.actor_account_id}, ${audit.acting_membership_id}, ${audit.subject_account_id},
              ${audit.ip}, ${audit.user_agent}, ${audit.data}::jsonb)
    ), cleared as (
      delete from sign_in_failures where key = ${counted.failureKey}
    )
    select id from session`.execute(db);
  const id = result.rows[0]?.id;
  if (id === undefined) throw new Error('session insert returned no id');
  return id;
}
