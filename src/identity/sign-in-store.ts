/**
 * The sign-in's database work in as few round trips as it can be. One statement looks up the
 * account, its credential and its active memberships, picks the counter of the place the
 * attempt comes from (this device's own if it signed in to the account before, else the
 * account's shared one, else the unknown identifier's), reads the client address's failures,
 * *and admits the attempt* on that counter before any password is checked (rate-limits.ts
 * `admission`), so parallel guesses cannot slip past the rules. One statement on success
 * writes the session and its audit event and clears the run of failures.
 *
 * The address counts failures only, after the fact: a school's lab signs hundreds of pupils
 * in through one address at once, and their successful sign-ins must not add up.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { KEYED } from '../db/keyed.ts';
import type { Identifier, SignInCandidate } from './accounts.ts';
import type { auditRow } from './audit.ts';
import type { KnownDevice } from './devices.ts';
import { activeMembershipsJson, type MembershipView } from './memberships.ts';
import { admission, toAdmitted, type Admitted, type FailureState, type LockoutPolicy, type WindowLimit } from './rate-limits.ts';
import type { newSessionValues } from './sessions.ts';
import { insertSignIn } from './sign-in-seconds.ts';

/** RFC 8176: a password sign-in's amr (a second factor adds to it later: sessions.ts markSecondFactor). */
const PASSWORD_AMR = ['pwd'];

export const ADDRESS_BUCKET = 'sign_in.address';

export type SignInAttempt = {
  candidate: SignInCandidate | undefined;
  /** The counter the attempt counts on: `device:<account>:<nonce>`, `account:…` or `unknown:…`. */
  failureKey: string;
  /** The counter as this statement read it, to say why a refused attempt was refused. */
  prior: FailureState | undefined;
  /** The counter as this attempt left it; undefined when the attempt was refused (not checked, not counted). */
  admitted: Admitted | undefined;
  /** Whether the address's failures alone ask for a captcha (never for a known device). */
  captchaAnyway: boolean;
  addressHits: number;
  memberships: MembershipView[];
};

export async function admitSignIn(
  db: Db, identifier: Identifier,
  limits: { lockout: LockoutPolicy; address: WindowLimit; addressKey: string; now: Date; today: string; devices: readonly KnownDevice[]; captchaSolved: boolean },
): Promise<SignInAttempt> {
  const match = identifier.kind === 'national_id'
    ? sql`a.person_id = (select id from people where national_id = ${identifier.value})`
    : sql`a.user_code = ${identifier.value}`;
  // Unknown identifiers get a counter of their own, so they are slowed and locked exactly like accounts.
  const unknownKey = `unknown:${identifier.kind}:${identifier.value}`;
  const result = await sql<{
    id: string | null; status: SignInCandidate['status'] | null; password_hash: string | null; must_change: boolean | null;
    failure_key: string; captcha_anyway: boolean; prior_failures: number | null; prior_last_failed_at: Date | null; prior_locked_until: Date | null;
    failures: number | null; locked_until: Date | null; previous_lock_until: Date | null; address_hits: number; memberships: MembershipView[];
  }>`${sql.raw(KEYED)}
    with candidate as (
      select a.id, a.status, c.password_hash, c.must_change
      from accounts a join credentials c on c.account_id = a.id
      where ${match}
    ),
    place as (select coalesce(
      -- A known device's own counter, 'device:<account>:<nonce>': by account, so a new password can clear it (rate-limits.ts clearAccountFailures).
      (select 'device:' || d.account_id::text || ':' || d.nonce from unnest(${limits.devices.map((d) => d.accountId)}::uuid[], ${limits.devices.map((d) => d.nonce)}::text[]) as d(account_id, nonce)
        where d.account_id = (select id from candidate) limit 1),
      (select 'account:' || id::text from candidate),
      ${unknownKey}) as k),
    address as (select coalesce((select hits from rate_counters where bucket = ${ADDRESS_BUCKET} and key = ${limits.addressKey}
      and window_start > ${new Date(limits.now.getTime() - limits.address.windowMinutes * 60_000)}), 0) as hits),
    gate as (select (select k from place) not like 'device:%' and (select hits from address) >= ${limits.address.limit} as captcha_anyway),
    prior as (select f.failures, f.last_failed_at, f.locked_until from sign_in_failures f where f.key = (select k from place)),
    attempt as (${admission(sql<string>`(select k from place)`, limits.lockout, limits.now, { captchaSolved: limits.captchaSolved, captchaAnyway: sql<boolean>`(select captcha_anyway from gate)` })})
    select candidate.id, candidate.status, candidate.password_hash, candidate.must_change,
      place.k as failure_key, gate.captcha_anyway,
      prior.failures as prior_failures, prior.last_failed_at as prior_last_failed_at, prior.locked_until as prior_locked_until,
      attempt.failures, attempt.locked_until, attempt.previous_lock_until, address.hits as address_hits,
      ${activeMembershipsJson(sql`candidate.id`, limits.today)} as memberships
    from place cross join address cross join gate
    left join attempt on true
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
    admitted: toAdmitted(row.failures === null ? undefined : { failures: row.failures, locked_until: row.locked_until, previous_lock_until: row.previous_lock_until }),
    captchaAnyway: row.captcha_anyway,
    addressHits: row.address_hits,
    memberships: row.memberships,
  };
}

/**
 * On success: the session and its audit event, and the run of failures of this place cleared;
 * answers the session's id. Throws SignInsTooFast (sign-in-seconds.ts insertSignIn), the failures
 * cleared and nothing else written, when the account's sign-ins are too far ahead of the clock.
 */
export async function insertSessionAndAudit(
  db: Db, session: ReturnType<typeof newSessionValues>['values'], audit: ReturnType<typeof auditRow>,
  counted: { failureKey: string },
): Promise<string> {
  return insertSignIn(db, session, PASSWORD_AMR, sql`
    event as (
      insert into audit_events (type, actor_account_id, acting_membership_id, subject_account_id, ip, user_agent, data, request_id)
      select ${audit.type}::text, ${audit.actor_account_id}::uuid, ${audit.acting_membership_id}::uuid, ${audit.subject_account_id}::uuid,
             ${audit.ip}::text, ${audit.user_agent}::text, ${audit.data}::jsonb, ${audit.request_id}::uuid
      from session
    ), cleared as (
      -- The password was right, whether or not the session could be made now.
      delete from sign_in_failures where key = ${counted.failureKey}
    )`);
}
