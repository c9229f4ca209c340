// Bulk passwords (F21, B5): a batch per form however often it is clicked, hashing in the
// background with progress, the passwords and slips shown once, the slip's QR code signing
// its student in once, each account done exactly once even when two workers race.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { batchLockName, createBatchRunner } from '../../src/admin/batch-runner.ts';
import { startBatch } from '../../src/admin/batches.ts';
import { outboxNotifier } from '../../src/notify/outbox.ts';
import { invitationSender } from '../../src/wiring.ts';
import { runBatch } from '../../src/admin/password-batches.ts';
import { resolveScope } from '../../src/admin/scope.ts';
import { deriveKeys } from '../../src/secrets.ts';
import { createAgent, csrfTokenOf, type Agent } from '../helpers/agent.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor, type Tree } from '../helpers/fixtures.ts';

const PASSWORD = 'Modir-Madreseh-1404!';

describe('password batches', () => {
  let t: TestApp;
  let tree: Tree;
  let token: string;
  let principal: Agent;
  const teachers: string[] = [];
  let outsider: string;

  before(async () => {
    t = await startTestApp('postgres', { KELID_ADMIN_MFA: 'optional' });
    tree = await createTree(t.handle.db);
    await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(1), password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'principal' }] });
    for (let i = 0; i < 6; i++) {
      teachers.push((await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(100 + i), password: PASSWORD, lastName: `معلم${i}`, memberships: [{ organizationId: tree.schoolA, role: 'teacher' }] })).accountId);
    }
    outsider = (await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(200), password: PASSWORD, memberships: [{ organizationId: tree.schoolB, role: 'teacher' }] })).accountId;
    token = (await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: nationalIdFor(1), password: PASSWORD } })).json().token;
    principal = createAgent(t.app);
    await principal.submit('/sign-in', { identifier: nationalIdFor(1), password: PASSWORD });
  });
  after(() => t.close());

  const api = (method: 'GET' | 'POST', url: string, payload?: object, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url: `/api/v1/admin${url}`, headers: { authorization: `Bearer ${token}`, ...headers }, ...(payload ? { payload } : {}) });

  test('API: all teachers matching the filter, progress, the passwords once, then the QR sign-in once', async () => {
    const started = await api('POST', '/password-batches', { all: true, role: 'teacher' }, { 'idempotency-key': 'batch-one-0001' });
    assert.equal(started.statusCode, 202, started.body);
    assert.equal(started.json().total, 6);
    const again = await api('POST', '/password-batches', { all: true, role: 'teacher' }, { 'idempotency-key': 'batch-one-0001' });
    assert.equal(again.json().id, started.json().id, 'a retried request finds its batch');
    await waitIdle();
    assert.equal((await api('GET', `/password-batches/${started.json().id}`)).json().state, 'done', 'reading the progress takes nothing');
    const first = await api('POST', `/password-batches/${started.json().id}/passwords`);
    assert.equal(first.json().passwords.length, 6);
    assert.equal((await api('GET', `/password-batches/${started.json().id}`)).json().state, 'shown');
    const second = await api('POST', `/password-batches/${started.json().id}/passwords`);
    assert.equal(second.statusCode, 410, 'the passwords are shown once');
    const stored = await t.handle.db.selectFrom('password_batch_items').select('secret_ciphertext').where('batch_id', '=', started.json().id).execute();
    assert.ok(stored.every((row) => row.secret_ciphertext === null), 'and erased');

    const slip = first.json().passwords[0];
    const signIn = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: slip.nationalId, password: slip.temporaryPassword } });
    assert.equal(signIn.json().mustChangePassword, true);
    const child = createAgent(t.app);
    const path = new URL(slip.qrSignIn).pathname;
    const ask = await child.get(path);
    assert.equal(ask.statusCode, 200);
    assert.match(ask.body, /ورود به عنوان/);
    const used = await child.post(path, { _csrf: csrfTokenOf(ask.body) });
    assert.equal(used.statusCode, 303);
    assert.ok(child.cookies.has('kelid_session'), 'signed in by the QR code');
    const reuse = await createAgent(t.app).get(path);
    assert.equal(reuse.statusCode, 410, 'once');
    // Another slip of the same batch stops working when its password is reset.
    const other = first.json().passwords[1];
    const account = await t.handle.db.selectFrom('accounts as a').innerJoin('people as p', 'p.id', 'a.person_id').select('a.id').where('p.national_id', '=', other.nationalId).executeTakeFirstOrThrow();
    assert.equal((await api('POST', `/users/${account.id}/password-reset`)).statusCode, 200);
    assert.equal((await createAgent(t.app).get(new URL(other.qrSignIn).pathname)).statusCode, 410, 'a slip goes with the password it was printed with');
  });

  test('accounts outside the scope are left out; only outsiders is an empty batch', async () => {
    const response = await api('POST', '/password-batches', { userIds: [outsider] });
    assert.equal(response.statusCode, 422);
    assert.equal(response.json().error.code, 'admin.batch_empty');
    const mixed = await api('POST', '/password-batches', { userIds: [outsider, teachers[0]] });
    assert.equal(mixed.json().total, 1);
    await waitIdle();
    // Shown, so that it holds teachers[0] no longer (batch-overlap.test.ts).
    assert.equal((await api('POST', `/password-batches/${mixed.json().id}/passwords`)).statusCode, 200);
  });

  test('pages: tick rows, a double click makes one batch, progress refreshes itself, slips shown once', async () => {
    const page = await principal.get('/admin/passwords?type=teachers');
    assert.match(page.body, /انتخاب نوع کاربری/);
    assert.match(page.body, />تغییر رمز</);
    const csrf = csrfTokenOf(page.body);
    const requestKey = /name="requestKey" value="([^"]+)"/.exec(page.body)![1]!;
    // A group that is not one offered, misspelt, twice or none: refused, never read as another (a batch for all of a group writes for them all).
    const batchesBefore = await t.handle.db.selectFrom('password_batches').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    for (const type of ['zzz', 'Teachers', ['teachers', 'students'], undefined]) {
      const refused = await principal.post('/admin/password-batches', { _csrf: csrf, requestKey: `${requestKey}x`, ...(type === undefined ? {} : { type }), scope: 'all' });
      assert.equal(refused.statusCode, 400, JSON.stringify(type));
    }
    assert.deepEqual(await t.handle.db.selectFrom('password_batches').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(), batchesBefore, 'no batch started');
    const form = { _csrf: csrf, requestKey, type: 'teachers', scope: 'selected', accountId: [teachers[1]!, teachers[2]!] };
    const [a, b] = await Promise.all([principal.post('/admin/password-batches', form), principal.post('/admin/password-batches', form)]);
    assert.equal(a.statusCode, 303);
    assert.equal(a.headers.location, b.headers.location, 'one batch for a double click');
    const count = await t.handle.db.selectFrom('password_batches').select((eb) => eb.fn.countAll<string>().as('n')).where('request_key', '=', requestKey).executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 1);
    await waitIdle();
    const done = await principal.get(String(a.headers.location));
    assert.match(done.body, /رمز ۲ کاربر صادر شد/);
    const show = await principal.submit(String(a.headers.location), {}, `${a.headers.location}/show`);
    assert.equal(show.statusCode, 200);
    assert.equal((show.body.match(/<article class="slip">/g) ?? []).length, 2);
    assert.equal((show.body.match(/<svg/g) ?? []).length, 2);
    const gone = await principal.submit(String(a.headers.location), {}, `${a.headers.location}/show`);
    assert.equal(gone.statusCode, 410);
    const otherPrincipal = await t.app.inject({ url: String(a.headers.location) });
    assert.equal(otherPrincipal.statusCode, 303, 'nobody else opens it');
  });

  test('two workers on one batch (a restart, two processes): each account is done exactly once', async () => {
    const session = await t.handle.db.selectFrom('sessions').select(['id', 'account_id as accountId', 'membership_id as membershipId']).where('kind', '=', 'api').orderBy('created_at').executeTakeFirstOrThrow();
    const scope = (await resolveScope(t.handle.db, session, '2025-11-20'))!;
    const started = await startBatch(t.handle.db, scope, { accountIds: teachers, requestKey: 'race-key-000001', ip: null, now: t.clock.now() });
    assert.ok(!('status' in started));
    const deps = { db: t.handle.db, hasher: t.hasher, clock: t.clock, secretBox: deriveKeys(t.config.secret!).secretBox, qrDays: 30, concurrency: 2 };
    await Promise.all([runBatch(deps, started.batch.id), runBatch(deps, started.batch.id)]);
    const batch = await t.handle.db.selectFrom('password_batches').select(['state', 'done', 'total']).where('id', '=', started.batch.id).executeTakeFirstOrThrow();
    assert.deepEqual(batch, { state: 'done', done: 6, total: 6 });
  });

  test('a batch another process is working (it holds the batch\'s lock) is left to it, and run once the lock is free', async () => {
    const session = await t.handle.db.selectFrom('sessions').select(['id', 'account_id as accountId', 'membership_id as membershipId']).where('kind', '=', 'api').orderBy('created_at').executeTakeFirstOrThrow();
    const scope = (await resolveScope(t.handle.db, session, '2025-11-20'))!;
    const fresh = [];
    for (let i = 0; i < 2; i++) fresh.push((await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(300 + i), password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'teacher' }] })).accountId);
    const started = await startBatch(t.handle.db, scope, { accountIds: fresh, requestKey: 'lock-key-0000001', ip: null, now: t.clock.now() });
    assert.ok(!('status' in started));
    const progress = () => t.handle.db.selectFrom('password_batches').select(['state', 'done']).where('id', '=', started.batch.id).executeTakeFirstOrThrow();
    const failures: unknown[] = [];
    const runner = createBatchRunner({
      db: t.handle.db, hasher: t.hasher, clock: t.clock, secretBox: deriveKeys(t.config.secret!).secretBox, qrDays: 30, concurrency: 2,
      invitations: invitationSender(t.config, outboxNotifier({ profile: 'ir' })),
    }, (error) => failures.push(error), t.handle.tryLock);

    const elsewhere = await t.handle.tryLock(batchLockName(started.batch.id));
    assert.ok(elsewhere, 'the other process holds the batch');
    runner.run(started.batch.id);
    await runner.idle();
    assert.deepEqual(await progress(), { state: 'running', done: 0 }, 'left to the process that holds it');

    await elsewhere();
    runner.run(started.batch.id);
    await runner.idle();
    assert.deepEqual(await progress(), { state: 'done', done: 2 });
    assert.deepEqual(failures, []);
  });

  async function waitIdle() {
    for (let i = 0; i < 200; i++) {
      const running = await t.handle.db.selectFrom('password_batches').select('id').where('state', '=', 'running').execute();
      if (running.length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('batches did not finish');
  }
});
