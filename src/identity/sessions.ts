/**
 * Server-side sessions. The browser cookie and the API bearer token carry a random 256-bit
 * token; the database keeps only its SHA-256, so a leaked table signs nobody in. A session
 * ends at its absolute expiry or after `idleMinutes` without use.
 */
import { storableHeader } from '../domain/text.ts';
import { isUuid } from '../domain/uuid.ts';
import { createHash, randomBytes } from 'node:crypto';
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { batched } from '../db/batched.ts';
import type { Db } from '../db/database.ts';
import { KEYED } from '../db/keyed.ts';
import type { Database } from '../db/schema.ts';
import { recordAudit, type Executor } from './audit.ts';

export type SessionLifetimes = { idleMinutes: number; maxHours: number };

export type CurrentSession = {
  id: string;
  accountId: string;
  membershipId: string | null;
  kind: 'browser' | 'api';
  mustChangePassword: boolean;
  /** 'pending': a pre-registration that may sign in and complete its profile, and nothing else. */
  accountStatus: 'active' | 'pending';
  /** Null for non-citizens, whose username is their user code (F15). */
  nationalId: string | null;
  userCode: string;
  firstName: string;
  lastName: string;
  createdAt: Date;
  /** When this session passed a second factor (B3); null if it has not. */
  mfaAt: Date | null;
  /** How it was signed in (RFC 8176 amr values: pwd, otp, hwk, sms…). */
  amr: string[];
};

export const hashToken = (token: string) => createHash('sha256').update(token).digest();

export function newSessionValues(input: {
  accountId: string; kind: 'browser' | 'api'; ip: string | null; userAgent: string | null; now: Date; lifetimes: SessionLifetimes;
}) {
  const token = randomBytes(32).toString('base64url');
  const values = {
    token_hash: hashToken(token),
    account_id: input.accountId,
    kind: input.kind,
    ip: input.ip,
    user_agent: storableHeader(input.userAgent, 512),
    created_at: input.now,
    last_seen_at: input.now,
    expires_at: new Date(input.now.getTime() + input.lifetimes.maxHours * 3_600_000),
  };
  return { token, values };
}

/**
 * The time a new sign-in of `accountId` made at `now` is recorded at (its `created_at`), in
 * whole seconds: now's second, or the first second after the account's latest sign-in, live or
 * ended and not yet handled (`ended_sessions`), when that one is in now's second or later. The
 * provider knows a sign-in by its account and whole second (its `loginTs`, the ID token's
 * `auth_time`; federation/logout.ts endEndedSessions): two sign-ins of one person in one second,
 * in two browsers, would be one to it, and ending either would end the other's apps, or spare
 * the apps of an idled-out one when the other is kept. The unique index on `sessions
 * (account_id, created_at)` holds it against sign-ins racing in statements that do not see each
 * other; deleteDeadSessions keeps a session until its second has passed. A sign-in is thus one
 * second ahead per sign-in of its account already in that second, and at most
 * SIGN_IN_LEAD_SECONDS ahead: past that, the insert does not happen (`insertSignIn` refuses).
 * Sign-ins recorded further ahead than that (by a process whose clock ran fast, since put
 * right) are not in the way: the seconds looked at are those from now's to the latest allowed,
 * and such a sign-in's second is stepped over once the clock brings it among them.
 */
export const signInTime = (accountId: string, now: Date) => sql<Date>`greatest(date_trunc('second', ${now}::timestamptz), (
  select date_trunc('second', max(taken.at)) + interval '1 second' from (
    select created_at from sessions where account_id = ${accountId}::uuid
      and created_at >= date_trunc('second', ${now}::timestamptz) and created_at <= ${latestSignInTime(now)}::timestamptz
    union all select signed_in_at from ended_sessions where account_id = ${accountId}::uuid
      and signed_in_at >= date_trunc('second', ${now}::timestamptz) and signed_in_at <= ${latestSignInTime(now)}::timestamptz
  ) as taken(at)))`;

/**
 * How far ahead of the clock a sign-in may be recorded, in seconds: an app's `max_age` is judged
 * from that time, so only a person signed in to more than once a second for a minute on end (a
 * script on one account, or someone holding the password on purpose) meets the limit.
 */
export const SIGN_IN_LEAD_SECONDS = 60;

/** The latest time a sign-in made at `now` may be recorded at (signInTime). */
export const latestSignInTime = (now: Date) => new Date(now.getTime() + SIGN_IN_LEAD_SECONDS * 1000);

/** An account signed in to so often that its next sign-in would be recorded too far ahead: try again in `retryAfterSeconds` (429). */
export class SignInsTooFast extends Error {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super(`this account was signed in to too often; try again in ${retryAfterSeconds} s`);
    this.name = 'SignInsTooFast';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * The common table expressions of a sign-in's insert, for a `with` that may add its own (the
 * audit event, counters) and ends in SIGN_IN_ANSWER: `at`, the time signInTime gives, and
 * `session`, the session inserted at it unless that is too far ahead or its second was taken by
 * a racing sign-in (then nothing: insertSignIn tells the two apart and tries again or refuses).
 */
export const signInParts = (values: ReturnType<typeof newSessionValues>['values'], amr: readonly string[]) => sql`
  at as (select ${signInTime(values.account_id, values.created_at)} as at),
  session as (
    insert into sessions (token_hash, account_id, kind, ip, user_agent, created_at, last_seen_at, expires_at, amr)
    select ${values.token_hash}, ${values.account_id}::uuid, ${values.kind}::text, ${values.ip}::text, ${values.user_agent}::text,
           at.at, ${values.last_seen_at}::timestamptz, ${values.expires_at}::timestamptz, ${[...amr]}::text[]
    from at where at.at <= ${latestSignInTime(values.created_at)}::timestamptz
    on conflict (account_id, created_at) do nothing
    returning id
  )`;
/** What a statement made of signInParts answers, for insertSignIn. */
export const SIGN_IN_ANSWER = sql`select (select id from session) as id, (select at from at) as at`;

/** How many times a sign-in's insert is made again after losing its second to a racing one. */
const SIGN_IN_TRIES = 20;

/**
 * Runs `insert` (a statement inserting a session at `signInTime` when that is no later than
 * latestSignInTime(now), `on conflict do nothing`, answering the id inserted, if any, and the
 * time it asked for) until it inserts: a try that lost its second to a racing sign-in is made
 * again and reads the seconds taken since. Throws SignInsTooFast, having inserted nothing, when
 * the time would be too far ahead, or after SIGN_IN_TRIES losses in a row.
 */
export async function insertSignIn(now: Date, insert: () => Promise<{ id: string | null; at: Date } | undefined>): Promise<string> {
  const latest = latestSignInTime(now);
  for (let tries = 0; tries < SIGN_IN_TRIES; tries += 1) {
    const answer = await insert();
    if (answer === undefined) throw new Error('a sign-in\'s insert answered no row');
    const { id, at } = answer;
    if (id !== null) return id;
    if (at > latest) throw new SignInsTooFast(Math.ceil((at.getTime() - latest.getTime()) / 1000));
  }
  // So many racing at once for one account: as for a lead too long, the next second will do.
  throw new SignInsTooFast(1);
}

type SessionRow = {
  id: string; account_id: string; membership_id: string | null; kind: 'browser' | 'api'; created_at: Date; last_seen_at: Date; mfa_at: Date | null;
  amr: string[]; must_change: boolean; status: string; national_id: string | null; user_code: string; first_name: string; last_name: string;
};
type Lookup = { hash: string; now: Date; idleSince: Date };
const lookups = new WeakMap<Db, (lookup: Lookup) => Promise<SessionRow | undefined>>();

/**
 * Every request of a signed-in browser looks its session up (pages, the OpenID provider's
 * authorizations): the requests that do at the same time share one statement (db/batched.ts),
 * each with its own token, time and answer. Each token's session is a lateral subquery with
 * `limit 1`, looked up by the token's hash in every plan (a join could be planned, on a fresh
 * install's near-empty table, to read the sessions whole: federation/adapter.ts says more).
 */
function sessionLookup(db: Db) {
  let lookup = lookups.get(db);
  if (!lookup) {
    lookup = batched(async (wanted: readonly Lookup[]) => {
      const { rows } = await sql<SessionRow & { n: string }>`${sql.raw(KEYED)}
        select k.n, s.id, s.account_id, s.membership_id, s.kind, s.created_at, s.last_seen_at, s.mfa_at, s.amr,
          c.must_change, a.status, p.national_id, a.user_code, p.first_name, p.last_name
        from unnest(${wanted.map((w) => w.hash)}::text[], ${wanted.map((w) => w.now.toISOString())}::timestamptz[],
          ${wanted.map((w) => w.idleSince.toISOString())}::timestamptz[]) with ordinality as k(hash, now, idle_since, n)
        cross join lateral (select s.id, s.account_id, s.membership_id, s.kind, s.created_at, s.last_seen_at, s.mfa_at, s.amr from sessions s
          where s.token_hash = decode(k.hash, 'hex') and s.expires_at > k.now and s.last_seen_at > k.idle_since limit 1) s
        join accounts a on a.id = s.account_id join people p on p.id = a.person_id join credentials c on c.account_id = a.id
        where a.status <> 'disabled'`.execute(db);
      const byPlace = new Map(rows.map(({ n, ...row }) => [Number(n), row]));
      return wanted.map((_, i) => byPlace.get(i + 1));
    });
    lookups.set(db, lookup);
  }
  return lookup;
}

/** Finds a live session by its token, with what every page needs, and notes its use (at most once a minute). */
export async function findSession(db: Db, token: string, now: Date, lifetimes: SessionLifetimes): Promise<CurrentSession | undefined> {
  if (token.length < 20 || token.length > 100) return undefined;
  const idleSince = new Date(now.getTime() - lifetimes.idleMinutes * 60_000);
  const row = await sessionLookup(db)({ hash: hashToken(token).toString('hex'), now, idleSince });
  if (row === undefined) return undefined;
  if (now.getTime() - row.last_seen_at.getTime() > 60_000) {
    await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', row.id).execute();
  }
  return {
    id: row.id, accountId: row.account_id, membershipId: row.membership_id, kind: row.kind,
    mustChangePassword: row.must_change, accountStatus: row.status === 'pending' ? 'pending' : 'active', nationalId: row.national_id, userCode: row.user_code,
    firstName: row.first_name, lastName: row.last_name, createdAt: row.created_at, mfaAt: row.mfa_at, amr: row.amr,
  };
}

/**
 * The session passed a second factor: when (the console's door and apps asking for one read
 * it) and how, added to its amr (RFC 8176: `otp` a one-time code from an app or a recovery
 * code, `hwk` a passkey), with `mfa` only after a password (`pwd`): a one-time code to the
 * phone and an authenticator on the same phone are not multiple factors (policy.ts
 * secondFactorPassed, the same rule for the acr).
 */
export async function markSecondFactor(db: Executor, sessionId: string, method: 'otp' | 'hwk', now: Date): Promise<void> {
  await db.updateTable('sessions')
    .set({ mfa_at: now, amr: sql<string[]>`array(select distinct unnest(amr || case when 'pwd' = any(amr) then ${[method, 'mfa']}::text[] else ${[method]}::text[] end) order by 1)` })
    .where('id', '=', sessionId).execute();
}

/**
 * Deletes sessions and, in the same statement, notes each one's account and sign-in in
 * `ended_sessions`, so the apps signed in through it are signed out too
 * (federation/logout.ts endEndedSessions). `wholeAccounts` are also noted with no sign-in: an
 * ending of every session of theirs (but one kept), which reaches the provider sessions whose
 * Kelid session had already gone (idled out and cleaned away) and so had no row to note.
 * Answers how many sessions ended.
 */
async function endSessionsWhere(
  db: Executor, where: (eb: ExpressionBuilder<Database, 'sessions'>) => Expression<SqlBool>, wholeAccounts: readonly string[] = [],
): Promise<number> {
  const result = await db.with('gone', (d) => d.deleteFrom('sessions').where(where).returning(['account_id', 'created_at']))
    .with('noted', (d) => d.insertInto('ended_sessions').columns(['account_id', 'signed_in_at'])
      .expression((eb) => eb.selectFrom('gone').select(['gone.account_id', (e) => e.ref('gone.created_at').$castTo<Date | null>().as('created_at')])
        .unionAll(eb.selectFrom(sql<{ account_id: string }>`(select unnest(${[...wholeAccounts]}::uuid[]) as account_id)`.as('whole')).select(['whole.account_id', sql<Date | null>`null::timestamptz`.as('created_at')]))))
    .selectFrom('gone').select((eb) => eb.fn.countAll<string>().as('ended'))
    .executeTakeFirstOrThrow();
  return Number(result.ended);
}

/** Ends one session; false when there was none (ended already). */
export async function endSession(db: Executor, sessionId: string): Promise<boolean> {
  return (await endSessionsWhere(db, (eb) => eb('id', '=', sessionId))) > 0;
}

/**
 * Ends the session a new sign-in in the same browser replaces (no fixation). Not noted for
 * the apps: the browser's provider session goes on with the new sign-in (policy.ts sends it
 * through the login once more, as upstream does for prompt=login), its apps signed in still.
 */
export async function replaceSession(db: Executor, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

/** Ends every session of these accounts; answers how many. */
export async function endSessionsOf(db: Executor, accountIds: readonly string[]): Promise<number> {
  return accountIds.length === 0 ? 0 : endSessionsWhere(db, (eb) => eb('account_id', 'in', accountIds), accountIds);
}

/** Ends every session of an account but `keepSessionId` (null: every one); answers how many. */
export async function endOtherSessions(db: Executor, accountId: string, keepSessionId: string | null): Promise<number> {
  return endSessionsWhere(db, (eb) => (keepSessionId === null ? eb('account_id', '=', accountId) : eb.and([eb('account_id', '=', accountId), eb('id', '<>', keepSessionId)])), [accountId]);
}

/** Not past its absolute expiry nor idle too long (the same test as findSession's). */
const live = (now: Date, lifetimes: SessionLifetimes) => (eb: ExpressionBuilder<Database, 'sessions'>) =>
  eb.and([eb('expires_at', '>', now), eb('last_seen_at', '>', new Date(now.getTime() - lifetimes.idleMinutes * 60_000))]);

/** An account's live sessions (B7), newest first: what the list of one's sessions shows. */
export async function listSessions(db: Db, accountId: string, now: Date, lifetimes: SessionLifetimes) {
  return db.selectFrom('sessions')
    .select(['id', 'kind', 'ip', 'user_agent', 'amr', 'created_at', 'last_seen_at', 'expires_at'])
    .where('account_id', '=', accountId)
    .where(live(now, lifetimes))
    .orderBy('created_at', 'desc')
    .execute();
}

/** How many live sessions an account has (the console's user page). */
export async function countLiveSessions(db: Db, accountId: string, now: Date, lifetimes: SessionLifetimes): Promise<number> {
  const row = await db.selectFrom('sessions').select((eb) => eb.fn.countAll<string>().as('count'))
    .where('account_id', '=', accountId).where(live(now, lifetimes)).executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Who ends sessions of their own, from where and through what (a page or the API), for the audit. */
export type OwnEnding = { session: { id: string; accountId: string }; ip: string | null; via: 'page' | 'api' };

/**
 * Ends one of the person's own sessions (B7), audited in the same transaction: `sign_out` when
 * it is the session asking, `session.ended` otherwise. Someone else's session, or one that does
 * not exist, is `not_found` alike: an id reveals nothing of other accounts.
 */
export async function endOwnSession(db: Db, sessionId: string, by: OwnEnding): Promise<'ended' | 'not_found'> {
  if (!isUuid(sessionId)) return 'not_found';
  return db.transaction().execute(async (trx) => {
    const ended = await endSessionsWhere(trx, (eb) => eb.and([eb('id', '=', sessionId), eb('account_id', '=', by.session.accountId)]));
    if (ended === 0) return 'not_found';
    await recordAudit(trx, {
      type: sessionId === by.session.id ? 'sign_out' : 'session.ended', actorAccountId: by.session.accountId, subjectAccountId: by.session.accountId,
      ip: by.ip, data: { sessionId, via: by.via },
    });
    return 'ended';
  });
}

/** "End all other sessions" (B7): every session of the account but the one asking; audited when any ended. Answers how many. */
export async function endOwnOtherSessions(db: Db, by: OwnEnding): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const ended = await endOtherSessions(trx, by.session.accountId, by.session.id);
    if (ended > 0) {
      await recordAudit(trx, {
        type: 'session.others_ended', actorAccountId: by.session.accountId, subjectAccountId: by.session.accountId,
        ip: by.ip, data: { ended, kept: by.session.id, via: by.via },
      });
    }
    return ended;
  });
}

/**
 * Removes sessions that can no longer be used; run from a timer. One whose sign-in second is
 * still now's or ahead (signInTime) stays until that second has passed, dead as it is to
 * findSession: removed, it would free its second for the next sign-in of its account, and the
 * provider would take the two for one.
 */
export async function deleteDeadSessions(db: Db, now: Date, lifetimes: SessionLifetimes): Promise<number> {
  const idleSince = new Date(now.getTime() - lifetimes.idleMinutes * 60_000);
  const result = await db.deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', idleSince)]))
    .where('created_at', '<', new Date(Math.floor(now.getTime() / 1000) * 1000))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

