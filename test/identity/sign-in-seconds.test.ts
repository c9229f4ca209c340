// The provider knows a sign-in by its account and whole second (federation/logout.ts): each
// sign-in of one account lands in a second of its own, so ending one never signs out the apps of
// another made in the same second in another browser (identity/sign-in-seconds.ts).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { auditRow } from '../../src/identity/audit.ts';
import { openCodeSession } from '../../src/identity/code-sign-in.ts';
import { createPasswordHasher } from '../../src/identity/passwords.ts';
import { deleteDeadSessions, endSession, newSessionValues } from '../../src/identity/sessions.ts';
import { SIGN_IN_LEAD_SECONDS, signInTime, SignInsTooFast } from '../../src/identity/sign-in-seconds.ts';
import { insertSessionAndAudit } from '../../src/identity/sign-in-store.ts';
import { cheapArgon2, databaseKinds, openTestDatabase, startTestApp, type TestApp } from '../helpers/app.ts';
import { createAgent, csrfTokenOf } from '../helpers/agent.ts';
import { hashQrToken } from '../../src/admin/password-batches.ts';
import { randomBytes } from 'node:crypto';
import { createAccount, nationalIdFor } from '../helpers/fixtures.ts';
import { keyedPlan } from '../helpers/keyed-plan.ts';
import { sql } from 'kysely';

const lifetimes = { idleMinutes: 30, maxHours: 12 };
const NOW = new Date('2026-09-01T07:30:00.250Z');
const second = (date: Date) => Math.floor(date.getTime() / 1000);

for (const kind of databaseKinds) {
  describe(`sign-in times of one account on ${kind}`, () => {
    let db: Awaited<ReturnType<typeof openTestDatabase>>;
    before(async () => { db = await openTestDatabase(kind); });
    after(() => db.close());

    const hasher = createPasswordHasher({ memoryCost: Number(cheapArgon2.KELID_ARGON2_MEMORY_KIB), timeCost: Number(cheapArgon2.KELID_ARGON2_ITERATIONS), parallelism: 1 });
    const account = async (n: number) => (await createAccount(db.handle.db, hasher, { nationalId: nationalIdFor(n), password: 'Ramz-Aval-1404!', mobile: '+989121112233' })).accountId;
    const byPassword = async (accountId: string, now: Date) => {
      const { values } = newSessionValues({ accountId, kind: 'browser', ip: null, userAgent: null, now, lifetimes });
      return insertSessionAndAudit(db.handle.db, values, auditRow({ type: 'sign_in.succeeded', actorAccountId: accountId, subjectAccountId: accountId }), { failureKey: `account:${accountId}` });
    };
    const byCode = async (accountId: string, now: Date) => (await openCodeSession(db.handle.db, lifetimes, { accountId, channel: 'sms', kind: 'api', ip: null, userAgent: null, now }))!.sessionId;
    const createdAt = async (sessionId: string) => (await db.handle.db.selectFrom('sessions').select('created_at').where('id', '=', sessionId).executeTakeFirstOrThrow()).created_at;

    test('sign-ins of one person in one second, by password or by code, each get a whole second of their own', async () => {
      const person = await account(6101);
      const times = [];
      for (const signIn of [byPassword, byCode, byPassword]) times.push((await createdAt(await signIn(person, NOW))).getTime() / 1000);
      assert.deepEqual(times, [second(NOW), second(NOW) + 1, second(NOW) + 2]);
      assert.equal(second(await createdAt(await byPassword(await account(6102), NOW))), second(NOW), "another person's sign-in keeps its own second");
      const later = new Date(NOW.getTime() + 10_000);
      assert.equal(second(await createdAt(await byPassword(person, later))), second(later), 'a sign-in in a later second keeps its second');
    });

    test('sign-ins racing at once, and one from a process whose clock is behind, each get a second of their own', async () => {
      const person = await account(6105);
      const ids = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? byPassword : byCode)(person, NOW)));
      const behind = await byPassword(person, new Date(NOW.getTime() - 5_000));
      const seconds = await Promise.all([...ids, behind].map(async (id) => second(await createdAt(id))));
      assert.equal(new Set(seconds).size, 9, `seconds: ${seconds.join(' ')}`);
      assert.equal(Math.max(...seconds), second(NOW) + 8);
      const events = await db.handle.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<string>().as('n'))
        .where('subject_account_id', '=', person).where('type', '=', 'sign_in.succeeded').executeTakeFirstOrThrow();
      assert.equal(Number(events.n), 9, 'one audit event per sign-in, none for an insert that lost its second and was made again');
    });

    test('an ended sign-in whose apps are not yet signed out keeps its second from the next one', async () => {
      const person = await account(6103);
      assert.equal(await endSession(db.handle.db, await byPassword(person, NOW)), true);
      const next = await byCode(person, NOW);
      assert.equal(second(await createdAt(next)), second(NOW) + 1);
      assert.equal(await endSession(db.handle.db, next), true);
      await db.handle.db.deleteFrom('ended_sessions').where('account_id', '=', person).execute();
      assert.equal(second(await createdAt(await byPassword(person, NOW))), second(NOW), 'with the endings handled and nothing live, the second is free again');
    });

    test('a sign-in more than a minute ahead of the clock is refused, writing nothing but the failures cleared; it goes once the clock catches up', async () => {
      const person = await account(6106);
      for (let i = 0; i <= SIGN_IN_LEAD_SECONDS; i += 1) await (i % 2 === 0 ? byPassword : byCode)(person, NOW);
      await db.handle.db.insertInto('sign_in_failures').values({ key: `account:${person}`, failures: 2, last_failed_at: NOW }).execute();
      const count = async (table: 'sessions' | 'audit_events') => Number((await db.handle.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n'))
        .where(table === 'sessions' ? 'account_id' : 'subject_account_id', '=', person).executeTakeFirstOrThrow()).n);
      const before = { sessions: await count('sessions'), events: await count('audit_events') };
      assert.equal(before.sessions, SIGN_IN_LEAD_SECONDS + 1);
      await assert.rejects(byPassword(person, NOW), (error: unknown) => error instanceof SignInsTooFast && error.retryAfterSeconds === 1);
      await assert.rejects(byCode(person, NOW), SignInsTooFast);
      assert.deepEqual({ sessions: await count('sessions'), events: await count('audit_events') }, before);
      assert.equal((await db.handle.db.selectFrom('sign_in_failures').select('key').where('key', '=', `account:${person}`).execute()).length, 0, 'the right password cleared the run of failures');
      const caughtUp = new Date(NOW.getTime() + 2_000);
      assert.equal(second(await createdAt(await byPassword(person, caughtUp))), second(NOW) + SIGN_IN_LEAD_SECONDS + 1);
    });

    test('a sign-in recorded an hour ahead by a clock since set back is not in the way, and its second is stepped over when the clock gets there', async () => {
      const person = await account(6111);
      const hourOn = new Date(NOW.getTime() + 3_600_000);
      const ahead = await byPassword(person, hourOn);
      assert.equal(second(await createdAt(await byCode(person, NOW))), second(NOW), 'not refused, not pushed an hour on');
      assert.equal(second(await createdAt(await byPassword(person, hourOn))), second(hourOn) + 1);
      assert.equal(second(await createdAt(ahead)), second(hourOn));
    });

    test('the idle clean-up keeps a session whose second is still ahead, so its second is never given to the next sign-in', async () => {
      const person = await account(6107);
      const ids = [];
      for (let i = 0; i < 5; i += 1) ids.push(await byPassword(person, NOW));
      const last = ids.at(-1)!;
      await db.handle.db.updateTable('sessions').set({ last_seen_at: new Date(NOW.getTime() - 31 * 60_000) }).where('id', '=', last).execute();
      await deleteDeadSessions(db.handle.db, NOW, lifetimes);
      assert.equal(second(await createdAt(await byPassword(person, NOW))), second(NOW) + 5, 'the idled-out session still holds its second');
      await deleteDeadSessions(db.handle.db, new Date(NOW.getTime() + 10_000), lifetimes);
      assert.equal((await db.handle.db.selectFrom('sessions').select('id').where('id', '=', last).execute()).length, 0, 'and is cleaned away once it has passed');
    });

    if (kind === 'postgres') {
      test('the look at the account\'s own second is read by key: hundreds of its sign-ins before cost it nothing', async () => {
        const person = await account(6104);
        const plan = async () => keyedPlan(db.url!, sql`select ${signInTime(person, NOW)} as at`.compile(db.handle.db));
        const few = await plan();
        assert.doesNotMatch(few.plan, /Seq Scan/, few.plan);
        assert.match(few.plan, /sessions_account/);
        assert.match(few.plan, /ended_sessions_account/);
        await sql`insert into sessions (token_hash, account_id, kind, created_at, last_seen_at, expires_at)
          select sha256(n::text::bytea), ${person}::uuid, 'api', ${NOW}::timestamptz - n * interval '1 minute', ${NOW}, ${NOW}::timestamptz + interval '1 hour'
          from generate_series(1, 500) n`.execute(db.handle.db);
        await sql`analyze sessions`.execute(db.handle.db);
        const many = await plan();
        assert.ok(many.buffers <= few.buffers + 4, `${few.buffers} buffers with no sign-in before, ${many.buffers} with 500`);
      });
    }
  });
}

describe('a sign-in refused for being too far ahead, over HTTP', () => {
  let t: TestApp;
  before(async () => { t = await startTestApp('pglite'); });
  after(() => t.close());
  const PASSWORD = 'Ramz-Aval-1404!';
  const person = async (n: number) => {
    const identifier = nationalIdFor(n);
    return { identifier, accountId: (await createAccount(t.handle.db, t.hasher, { nationalId: identifier, password: PASSWORD })).accountId };
  };
  /** As if the account had been signed in to once a second for the next minute (every second up to the lead taken). */
  const fill = async (accountId: string) => {
    const now = t.clock.now();
    await sql`insert into sessions (token_hash, account_id, kind, created_at, last_seen_at, expires_at)
      select sha256((${accountId} || n::text)::bytea), ${accountId}::uuid, 'api', date_trunc('second', ${now}::timestamptz) + n * interval '1 second', ${now}, ${now}::timestamptz + interval '1 hour'
      from generate_series(0, ${SIGN_IN_LEAD_SECONDS}) n`.execute(t.handle.db);
  };

  test('the JSON API answers 429 with Retry-After and the reason in the person\'s language', async () => {
    const { identifier } = await person(6108);
    const signIn = () => t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier, password: PASSWORD }, headers: { 'accept-language': 'fa' } });
    for (let i = 0; i <= SIGN_IN_LEAD_SECONDS; i += 1) assert.equal((await signIn()).statusCode, 201);
    const refused = await signIn();
    assert.equal(refused.statusCode, 429);
    assert.equal(refused.headers['retry-after'], '1');
    assert.match(refused.body, /پشت‌سرهم/);
    t.clock.advance(2_000);
    assert.equal((await signIn()).statusCode, 201);
  });

  test('the sign-in page answers 429 with Retry-After, counted as told to wait', async () => {
    const { identifier, accountId } = await person(6109);
    await fill(accountId);
    const delayed = async () => Number(/kelid_sign_ins_total\{method="password",outcome="delayed"\} (\d+)/.exec((await t.app.inject('/metrics')).body)?.[1] ?? 0);
    const before = await delayed();
    const page = await createAgent(t.app).submit('/sign-in', { identifier, password: PASSWORD }, '/sign-in');
    assert.equal(page.statusCode, 429);
    assert.ok(Number(page.headers['retry-after']) >= 1);
    assert.equal(await delayed(), before + 1);
  });

  test('a QR slip refused for it is not spent: it signs in once the clock has caught up', async () => {
    const { accountId } = await person(6110);
    await fill(accountId);
    const slip = randomBytes(24).toString('base64url');
    await t.handle.db.insertInto('sign_in_tokens').values({ token_hash: hashQrToken(slip), account_id: accountId, expires_at: new Date(t.clock.now().getTime() + 86_400_000) }).execute();
    const agent = createAgent(t.app);
    const refused = await agent.post(`/q/${slip}`, { _csrf: csrfTokenOf((await agent.get(`/q/${slip}`)).body) }, { 'accept-language': 'he' });
    assert.equal(refused.statusCode, 429);
    assert.match(refused.body, /ברצף/);
    const slipRow = await t.handle.db.selectFrom('sign_in_tokens').select('used_at').where('token_hash', '=', hashQrToken(slip)).executeTakeFirstOrThrow();
    assert.equal(slipRow.used_at, null, 'the slip is left unspent');
    t.clock.advance(3_000);
    const signedIn = await agent.post(`/q/${slip}`, { _csrf: csrfTokenOf((await agent.get(`/q/${slip}`)).body) });
    assert.equal(signedIn.statusCode, 303);
  });
});
