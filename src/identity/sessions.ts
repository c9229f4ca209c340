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
 * still now's or ahead (sign-in-seconds.ts signInTime) stays until that second has passed, dead as it is to
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

