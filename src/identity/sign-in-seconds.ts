/**
 * A sign-in's own second. The OpenID provider knows a Kelid sign-in by its account and whole
 * second (its `loginTs`, the ID token's `auth_time`; federation/logout.ts endEndedSessions): two
 * sign-ins of one person in one second, in two browsers, would be one to it, and ending either
 * would end the other's apps, or spare the apps of an idled-out one when the other is kept. So
 * every session is inserted here, at a second no other sign-in of its account holds
 * (docs/decisions.md, "One second per sign-in of an account").
 */
import { sql, type RawBuilder } from 'kysely';
import { KEYED } from '../db/keyed.ts';
import type { Executor } from './audit.ts';
import type { newSessionValues } from './sessions.ts';

/**
 * How far ahead of the clock a sign-in may be recorded, in seconds: an app's `max_age` is judged
 * from that time, so only a person signed in to more than once a second for a minute on end (a
 * script on one account, or someone holding the password on purpose) meets the limit.
 */
export const SIGN_IN_LEAD_SECONDS = 60;

/** The latest time a sign-in made at `now` may be recorded at (signInTime). */
const latestSignInTime = (now: Date) => new Date(now.getTime() + SIGN_IN_LEAD_SECONDS * 1000);

/**
 * The time a new sign-in of `accountId` made at `now` is recorded at (its `created_at`), in
 * whole seconds: now's second, or the first second after the account's latest sign-in, live or
 * ended and not yet handled (`ended_sessions`), when that one is in now's second or later. The
 * unique index on `sessions (account_id, created_at)` holds it against sign-ins racing in
 * statements that do not see each other (insertSignIn tries again); deleteDeadSessions keeps a
 * session until its second has passed. A sign-in is thus one second ahead per sign-in of its
 * account already in that second, and at most SIGN_IN_LEAD_SECONDS ahead: past that, the insert
 * does not happen (insertSignIn refuses). Sign-ins recorded further ahead than that (by a
 * process whose clock ran fast, since put right) are not in the way: the seconds looked at are
 * those from now's to the latest allowed, and such a sign-in's second is stepped over once the
 * clock brings it among them.
 */
export const signInTime = (accountId: string, now: Date) => sql<Date>`greatest(date_trunc('second', ${now}::timestamptz), (
  select date_trunc('second', max(taken.at)) + interval '1 second' from (
    select created_at from sessions where account_id = ${accountId}::uuid
      and created_at >= date_trunc('second', ${now}::timestamptz) and created_at <= ${latestSignInTime(now)}::timestamptz
    union all select signed_in_at from ended_sessions where account_id = ${accountId}::uuid
      and signed_in_at >= date_trunc('second', ${now}::timestamptz) and signed_in_at <= ${latestSignInTime(now)}::timestamptz
  ) as taken(at)))`;

/** An account signed in to so often that its next sign-in would be recorded too far ahead: try again in `retryAfterSeconds` (429). */
export class SignInsTooFast extends Error {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super(`this account was signed in to too often; try again in ${retryAfterSeconds} s`);
    this.name = 'SignInsTooFast';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** How many times a sign-in's insert is made again after losing its second to a racing one. */
const SIGN_IN_TRIES = 20;

/**
 * Inserts the session `values` (made at `values.created_at`) with its RFC 8176 `amr` at
 * signInTime, in one keyed statement with `also`: further common table expressions (the audit
 * event, counters) that read `session`, the row inserted, if any, and run whether or not it was.
 * A try that lost its second to a racing sign-in (`on conflict do nothing`) is made again and
 * reads the seconds taken since. Answers the session's id. Throws SignInsTooFast, having inserted
 * nothing (what `also` does regardless stays done), when the time would be too far ahead, or
 * after SIGN_IN_TRIES losses in a row.
 */
export async function insertSignIn(
  db: Executor, values: ReturnType<typeof newSessionValues>['values'], amr: readonly string[], also?: RawBuilder<unknown>,
): Promise<string> {
  const latest = latestSignInTime(values.created_at);
  for (let tries = 0; tries < SIGN_IN_TRIES; tries += 1) {
    const { rows: [answer] } = await sql<{ id: string | null; at: Date }>`${sql.raw(KEYED)}
      with at as (select ${signInTime(values.account_id, values.created_at)} as at),
      session as (
        insert into sessions (token_hash, account_id, kind, ip, user_agent, created_at, last_seen_at, expires_at, amr)
        select ${values.token_hash}, ${values.account_id}::uuid, ${values.kind}::text, ${values.ip}::text, ${values.user_agent}::text,
               at.at, ${values.last_seen_at}::timestamptz, ${values.expires_at}::timestamptz, ${[...amr]}::text[]
        from at where at.at <= ${latest}::timestamptz
        on conflict (account_id, created_at) do nothing
        returning id
      )${also === undefined ? sql`` : sql`, ${also}`}
      select (select id from session) as id, (select at from at) as at`.execute(db);
    if (answer === undefined) throw new Error('a sign-in\'s insert answered no row');
    if (answer.id !== null) return answer.id;
    if (answer.at > latest) throw new SignInsTooFast(Math.ceil((answer.at.getTime() - latest.getTime()) / 1000));
  }
  // So many racing at once for one account: as for a lead too long, the next second will do.
  throw new SignInsTooFast(1);
}
