/**
 * Signing out of the apps when a Kelid session ends (OIDC Back-Channel Logout 1.0).
 *
 * - This browser signs out (POST /sign-out, its own row on the sessions page):
 *   `endProviderSession` ends the provider's session of the browser at once.
 * - A session ends anywhere else (another browser's list of sessions, an administrator, a
 *   password change, a recovery): the statement that ended it noted it in `ended_sessions`
 *   (identity/sessions.ts), and `endEndedSessions`, run every few seconds by each process
 *   (`startEndedSessionsWatch`), ends the provider's sessions born of it; an account-wide
 *   ending, every provider session of the account left without a Kelid session.
 *
 * Either way, as upstream's end_session does: every app of the session with a back-channel
 * logout URI is told (all at once: one slow app holds no other back), the app's grant goes
 * with its tokens unless it outlives a logout (offline_access), before the app is told, and the
 * session goes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sql } from 'kysely';
import type Provider from 'oidc-provider';
import type { Db } from '../db/database.ts';
import type { KelidSession } from './policy.ts';
import type { Federation } from './provider.ts';

type ProviderSession = InstanceType<Provider['Session']>;
// Client.backchannelLogout(sub, sid) is what upstream's end_session calls; its types do not list it.
type LoggingOutClient = { backchannelLogoutUri?: string; backchannelLogout(sub: string, sid: string): Promise<void> };

async function endSessionModel(provider: Provider, session: ProviderSession, onError: (error: unknown) => void): Promise<void> {
  await Promise.all(Object.entries(session.authorizations ?? {}).map(async ([clientId, authorization]) => {
    const client = await provider.Client.find(clientId) as unknown as LoggingOutClient | undefined;
    // The grant goes first: an app told of the logout finds its tokens dead already (told at the same time, a test's
    // introspection after the logout token once found the access token still active).
    if (authorization.grantId && !authorization.persistsLogout) {
      const grant = await provider.Grant.find(authorization.grantId);
      await grant?.destroy();
      await provider.Grant.adapter.revokeByGrantId(authorization.grantId);
    }
    if (client?.backchannelLogoutUri && session.accountId) await client.backchannelLogout(session.accountId, authorization.sid ?? '').catch(onError);
  }));
  await session.destroy();
}

type Raw = { req: IncomingMessage; res: ServerResponse };

/** The interaction `returnTo` names, freed from `session` when it belongs to it (followSignIn). */
async function freeInteraction(provider: Provider, session: ProviderSession, returnTo: string | undefined): Promise<void> {
  const uid = returnTo === undefined ? undefined : /^\/interaction\/([A-Za-z0-9_-]{1,64})$/.exec(returnTo)?.[1];
  if (uid === undefined) return;
  const interaction = await provider.Interaction.find(uid);
  if (!interaction || interaction.session?.uid !== session.uid) return;
  // Only a request still at its sign-in: one past it (the role choice, a consent) holds the first
  // person's sign-in (lastSubmission) and grant, and is left to close as before (410).
  if (interaction.prompt?.name !== 'login' || interaction.result !== undefined || interaction.lastSubmission !== undefined) return;
  // Nothing of the first person's stays with it: their session, and their grant of the app,
  // which ends with their session (a grant's models go with it, the interaction among them).
  delete interaction.session;
  delete interaction.grantId;
  const ttl = (interaction.exp ?? 0) - Math.floor(Date.now() / 1000);
  if (ttl > 0) await interaction.save(ttl);
}

/** The provider's session of this browser (its session cookie, `kelid_oidc_session`), if it has one. */
async function browserSession(federation: Federation, raw: Raw): Promise<{ provider: Provider; session: ProviderSession | undefined }> {
  const provider = await federation.provider();
  const id = provider.createContext(raw.req, raw.res).cookies.get(federation.sessionCookie, { signed: true });
  return { provider, session: id ? await provider.Session.find(id) : undefined };
}

/** Ends the provider's session of this browser, if it has one. */
export async function endProviderSession(federation: Federation, raw: Raw, onError: (error: unknown) => void): Promise<void> {
  const { provider, session } = await browserSession(federation, raw);
  if (session) await endSessionModel(provider, session, onError);
}

/**
 * A new Kelid sign-in in this browser (the one it replaces is not noted in `ended_sessions`):
 * the provider's session of the browser follows it at once. Someone else's (another person
 * at a shared computer, or a stolen session's) ends, its apps told; the same person's goes on
 * as this sign-in (its `loginTs`, `acr`, `amr`), so ending this sign-in anywhere ends it too.
 * `newSignIn` is read only when there is a signed-in provider session to compare it with.
 *
 * When the sign-in returns to an app's interaction (`returnTo` `/interaction/{uid}`) that began
 * under the session that ends (the next person at a shared computer opened the app first) and
 * is still at its sign-in, the interaction is freed from that session, as upstream frees it when an interaction signs in
 * another account (resume.js), so that it carries on as the new person's instead of closing:
 * upstream refuses an interaction whose session is gone ("session not found").
 */
export async function followSignIn(
  federation: Federation, raw: Raw, newSignIn: () => Promise<Pick<KelidSession, 'accountId' | 'authTime' | 'acr' | 'amr'> | undefined>, onError: (error: unknown) => void,
  returnTo?: string,
): Promise<void> {
  const { provider, session } = await browserSession(federation, raw);
  if (!session?.accountId) return;
  const signIn = await newSignIn();
  if (!signIn) return;
  if (session.accountId !== signIn.accountId) {
    await freeInteraction(provider, session, returnTo);
    await endSessionModel(provider, session, onError);
    return;
  }
  Object.assign(session, { loginTs: signIn.authTime, acr: signIn.acr, amr: signIn.amr });
  await session.persist();
}

const ENDINGS_PER_BATCH = 100;

/**
 * Takes up to `limit` noted endings (each taken by one process: SKIP LOCKED) and ends the
 * provider's sessions of the same account and sign-in (the provider's `loginTs` is the Kelid
 * session's creation, in whole seconds: policy.ts keeps them equal). An ending with no sign-in
 * (an account-wide one: identity/sessions.ts endSessionsWhere) ends every provider session of
 * the account whose Kelid session no longer exists, as read now: one that idled out long ago
 * included, a sign-in made since the ending (or the one kept) not. Answers how many endings
 * it took. An ending taken by a process that dies before telling the apps is not told again:
 * back-channel logout is best effort upstream too, and the apps' own sessions still expire.
 */
export async function endEndedSessions(federation: Federation, db: Db, onError: (error: unknown) => void, limit = ENDINGS_PER_BATCH): Promise<number> {
  const taken = await sql<{ account_id: string; login_ts: number | null }>`
    delete from ended_sessions where id in (select id from ended_sessions order by id limit ${limit} for update skip locked)
    returning account_id, floor(extract(epoch from signed_in_at))::bigint::float8 as login_ts`.execute(db);
  if (taken.rows.length === 0) return 0;
  const wanted = new Set(taken.rows.filter((row) => row.login_ts !== null).map((row) => `${row.account_id} ${row.login_ts}`));
  const wholeAccounts = [...new Set(taken.rows.filter((row) => row.login_ts === null).map((row) => row.account_id))];
  const [candidates, live] = await Promise.all([
    db.selectFrom('oidc_models').select(['id', sql<string>`payload ->> 'accountId'`.as('account_id'), sql<number | null>`(payload ->> 'loginTs')::float8`.as('login_ts')])
      .where('model', '=', 'Session')
      .where(sql<string>`payload ->> 'accountId'`, 'in', [...new Set(taken.rows.map((row) => row.account_id))])
      .execute(),
    wholeAccounts.length === 0 ? [] : db.selectFrom('sessions')
      .select(['account_id', sql<number>`floor(extract(epoch from created_at))::bigint::float8`.as('login_ts')])
      .where('account_id', 'in', wholeAccounts).execute(),
  ]);
  const whole = new Set(wholeAccounts);
  const alive = new Set(live.map((row) => `${row.account_id} ${row.login_ts}`));
  const ends = (row: { account_id: string; login_ts: number | null }) => wanted.has(`${row.account_id} ${row.login_ts}`)
    || (whole.has(row.account_id) && !alive.has(`${row.account_id} ${row.login_ts}`));
  const provider = await federation.provider();
  await Promise.all(candidates.filter(ends).map(async (row) => {
    const session = await provider.Session.find(row.id);
    if (session) await endSessionModel(provider, session, onError);
  }));
  return taken.rows.length;
}

/** Runs `endEndedSessions` every `everyMs` (and again at once while there is more); `stop` ends it. */
export function startEndedSessionsWatch(federation: Federation, db: Db, onError: (error: unknown) => void, everyMs: number): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const run = async () => {
    try {
      while (!stopped && await endEndedSessions(federation, db, onError) === ENDINGS_PER_BATCH) { /* a full batch: more may wait */ }
    } catch (error) {
      onError(error);
    }
    if (!stopped) {
      timer = setTimeout(() => { running = run(); }, everyMs);
      timer.unref();
    }
  };
  running = run();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
