/**
 * The sign-in's database work in as few round trips as it can be: one read (address counter,
 * account, credential and failure counter together) and one write on success (session and
 * audit event in a single statement). Password hashing must dominate a sign-in's cost.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Identifier, SignInCandidate } from './accounts.ts';
import type { auditRow } from './audit.ts';
import { activeMembershipsJson, type MembershipView } from './memberships.ts';
import type { FailureState } from './rate-limits.ts';
import type { newSessionValues } from './sessions.ts';

export type SignInLookup = {
  addressHits: number; candidate: SignInCandidate | undefined; failureKey: string; failures: FailureState | undefined; memberships: MembershipView[];
};

export async function lookUpSignIn(db: Db, identifier: Identifier, address: { key: string; since: Date }, today: string): Promise<SignInLookup> {
  const match = identifier.kind === 'national_id'
    ? sql`a.person_id = (select id from people where national_id = ${identifier.value})`
    : sql`a.user_code = ${identifier.value}`;
  // Unknown identifiers get a counter of their own, so they are slowed and locked exactly like accounts.
  const unknownKey = `unknown:${identifier.kind}:${identifier.value}`;
  const result = await sql<{
    address_hits: number | null; id: string | null; status: SignInCandidate['status'] | null; password_hash: string | null; must_change: boolean | null;
    failure_key: string; failures: number | null; last_failed_at: Date | null; locked_until: Date | null; memberships: MembershipView[];
  }>`
    with candidate as (
      select a.id, a.status, c.password_hash, c.must_change
      from accounts a join credentials c on c.account_id = a.id
      where ${match}
    )
    select
      (select hits from rate_counters where bucket = 'sign_in.address' and key = ${address.key} and window_start > ${address.since}) as address_hits,
      candidate.id, candidate.status, candidate.password_hash, candidate.must_change,
      coalesce('account:' || candidate.id::text, ${unknownKey}) as failure_key,
      f.failures, f.last_failed_at, f.locked_until,
      ${activeMembershipsJson(sql`candidate.id`, today)} as memberships
    from (select 1) as one
    left join candidate on true
    left join sign_in_failures f on f.key = coalesce('account:' || candidate.id::text, ${unknownKey})`.execute(db);
  const row = result.rows[0];
  if (row === undefined) throw new Error('sign-in lookup returned no row');
  return {
    addressHits: row.address_hits ?? 0,
    candidate: row.id !== null && row.status !== null && row.password_hash !== null
      ? { accountId: row.id, status: row.status, passwordHash: row.password_hash, mustChange: row.must_change ?? false }
      : undefined,
    failureKey: row.failure_key,
    failures: row.failures !== null && row.last_failed_at !== null
      ? { failures: row.failures, lastFailedAt: row.last_failed_at, lockedUntil: row.locked_until }
      : undefined,
    memberships: row.memberships,
  };
}

/** Inserts the session and its audit event in one statement (atomic without a transaction). */
export async function insertSessionAndAudit(
  db: Db, session: ReturnType<typeof newSessionValues>['values'], audit: ReturnType<typeof auditRow>,
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
    )
    select id from session`.execute(db);
  const id = result.rows[0]?.id;
  if (id === undefined) throw new Error('session insert returned no id');
  return id;
}
