// Sending set-password links (F19): one user's from the admin API and the console (scope:
// another school's user answers like an unknown one; no address is a clear 409), bulk links
// with progress and the users skipped for want of an address, the import's option to send
// them, and batches of links and of passwords that never hold people from each other.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startBatch } from '../../src/admin/batches.ts';
import { runInvitationBatch } from '../../src/admin/invitation-batches.ts';
import { runBatch } from '../../src/admin/password-batches.ts';
import { resolveScope } from '../../src/admin/scope.ts';
import { accountClaims } from '../../src/federation/claims.ts';
import { outboxNotifier } from '../../src/notify/outbox.ts';
import { deriveKeys } from '../../src/secrets.ts';
import { createAgent, csrfTokenOf, type Agent } from '../helpers/agent.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { withTableHeld } from '../helpers/races.ts';
import { createAccount, createTree, nationalIdFor, type Tree } from '../helpers/fixtures.ts';
import { flowClient } from '../helpers/flow-client.ts';
import { invitedPerson, linkFor, outbox } from '../helpers/set-password.ts';

const PASSWORD = 'Modir-Madreseh-1404!';

describe('set-password invitations from the console and the admin API', () => {
  let t: TestApp;
  let tree: Tree;
  const tokens: Record<string, string> = {};
  const parents: { accountId: string; email: string | null; nationalId: string }[] = [];
  let otherSchool: string;
  let principalPages: Agent;

  before(async () => {
    t = await startTestApp('postgres', { KELID_ADMIN_MFA: 'optional', KELID_SMS: 'dev', KELID_EMAIL: 'dev', KELID_INVITATION_HOURS: '48' });
    tree = await createTree(t.handle.db);
    const staff: [string, number, string, 'principal' | 'deputy' | 'ministry_admin' | 'teacher'][] = [
      ['principalA', 1, tree.schoolA, 'principal'], ['principalB', 2, tree.schoolB, 'principal'], ['deputyA', 3, tree.schoolA, 'deputy'],
      ['ministry', 4, tree.ministry, 'ministry_admin'], ['teacherA', 5, tree.schoolA, 'teacher'],
    ];
    for (const [name, n, organizationId, role] of staff) {
      await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(n), password: PASSWORD, memberships: [{ organizationId, role }] });
      tokens[name] = (await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: nationalIdFor(n), password: PASSWORD } })).json().token;
    }
    // Parents of school A: four with an address, two without.
    for (let i = 0; i < 6; i++) {
      const nationalId = nationalIdFor(300 + i);
      const email = i < 4 ? `parent${i}@example.org` : null;
      const person = await invitedPerson(t.handle.db, { nationalId, email, organizationId: tree.schoolA, lastName: `ولی${i}` });
      parents.push({ accountId: person.accountId, email, nationalId });
    }
    otherSchool = (await invitedPerson(t.handle.db, { nationalId: nationalIdFor(400), email: 'other@example.org', organizationId: tree.schoolB })).accountId;
    principalPages = createAgent(t.app);
    await principalPages.submit('/sign-in', { identifier: nationalIdFor(1), password: PASSWORD });
  });
  after(() => t.close());

  const api = (who: string, method: 'GET' | 'POST', url: string, payload?: object, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url: `/api/v1/admin${url}`, headers: { authorization: `Bearer ${tokens[who]}`, 'accept-language': 'en', ...headers }, ...(payload ? { payload } : {}) });

  async function waitIdle() {
    for (let i = 0; i < 400; i++) {
      const running = await t.handle.db.selectFrom('password_batches').select('id').where('state', '=', 'running').execute();
      if (running.length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('batches did not finish');
  }

  test('one user: 202 and the address; outside the scope a 404 like an unknown user; no address a 409 in words', async () => {
    const sent = await api('principalA', 'POST', `/users/${parents[0]!.accountId}/invitations`);
    assert.equal(sent.statusCode, 202, sent.body);
    assert.equal(sent.json().to, 'parent0@example.org');
    assert.equal(Date.parse(sent.json().expiresAt) - t.clock.now().getTime(), 48 * 3_600_000, 'KELID_INVITATION_HOURS');
    await linkFor(t.app, 'parent0@example.org');

    const outside = await api('principalB', 'POST', `/users/${parents[0]!.accountId}/invitations`);
    const unknown = await api('principalB', 'POST', '/users/00000000-0000-4000-8000-000000000000/invitations');
    assert.equal(outside.statusCode, 404);
    assert.deepEqual(outside.json(), unknown.json(), 'another school\'s user answers like one that does not exist');
    assert.equal((await api('principalA', 'POST', `/users/${otherSchool}/invitations`)).statusCode, 404);
    assert.equal((await api('ministry', 'POST', `/users/${otherSchool}/invitations`)).statusCode, 202, 'the ministry reaches everyone');
    assert.equal((await api('deputyA', 'POST', `/users/${parents[1]!.accountId}/invitations`)).statusCode, 403);
    assert.equal((await api('teacherA', 'POST', `/users/${parents[1]!.accountId}/invitations`)).statusCode, 403);
    assert.equal((await api('principalA', 'POST', '/users/not-a-uuid/invitations')).statusCode, 404);

    const none = await api('principalA', 'POST', `/users/${parents[4]!.accountId}/invitations`, undefined, { 'accept-language': 'fa' });
    assert.equal(none.statusCode, 409);
    assert.equal(none.json().error.code, 'invitation.no_email');
    assert.match(none.json().error.message, /پست الکترونیکی ثبت نشده است/);
  });

  test('one person invited several times at once (a double click, two administrators): only the newest link is live', async () => {
    const accountId = parents[3]!.accountId;
    const answers = await withTableHeld(t.handle.db, 'audit_events', 4, () => ['principalA', 'ministry', 'principalA', 'ministry'].map((who) => api(who, 'POST', `/users/${accountId}/invitations`)));
    assert.deepEqual(answers.map((answer) => answer.statusCode), [202, 202, 202, 202]);
    const live = await t.handle.db.selectFrom('invitations').select('id').where('account_id', '=', accountId)
      .where('used_at', 'is', null).where('voided_at', 'is', null).execute();
    assert.equal(live.length, 1);
  });

  test('in bulk: every parent matching the filter, progress, the ones without an address skipped and named', async () => {
    const started = await api('principalA', 'POST', '/invitations', { all: true, role: 'father' }, { 'idempotency-key': 'invite-all-0001' });
    assert.equal(started.statusCode, 202, started.body);
    assert.equal(started.json().total, 6);
    assert.equal((await api('principalA', 'POST', '/invitations', { all: true, role: 'father' }, { 'idempotency-key': 'invite-all-0001' })).json().id, started.json().id, 'a retry finds its batch');
    await waitIdle();
    const status = (await api('principalA', 'GET', `/invitations/${started.json().id}`)).json();
    assert.equal(status.state, 'done');
    assert.deepEqual({ total: status.total, done: status.done, skipped: status.skipped, sent: status.sent }, { total: 6, done: 6, skipped: 2, sent: 4 });
    assert.deepEqual(status.skippedUsers.map((u: { nationalId: string; reason: string }) => [u.nationalId, u.reason]).sort(),
      [[parents[4]!.nationalId, 'no_email'], [parents[5]!.nationalId, 'no_email']]);
    for (const parent of parents.slice(0, 4)) {
      const { token } = await linkFor(t.app, parent.email!);
      const c = flowClient(t.app);
      const opened = await c.press(await c.start('set-password'), 'submit', { token });
      assert.equal(opened.flow.state, 'identify', `the newest link of ${parent.email} works`);
    }
    assert.equal((await api('principalB', 'GET', `/invitations/${started.json().id}`)).statusCode, 404, 'nobody else reads it');
    assert.equal((await api('principalA', 'GET', `/password-batches/${started.json().id}`)).statusCode, 404, 'nor is it a password batch');
    assert.equal((await api('principalA', 'POST', '/invitations', { userIds: [otherSchool] })).statusCode, 422, 'only outsiders: an empty batch');
  });

  test('a running bulk sending holds its people against another, not against passwords; two runners email each person once', async () => {
    const session = await t.handle.db.selectFrom('sessions').select(['id', 'account_id as accountId', 'membership_id as membershipId'])
      .where('kind', '=', 'api').orderBy('created_at').executeTakeFirstOrThrow();
    const scope = (await resolveScope(t.handle.db, session, '2025-11-20'))!;
    const ids = parents.map((p) => p.accountId);
    const first = await startBatch(t.handle.db, scope, { accountIds: ids, requestKey: 'held-000000001', ip: null, now: t.clock.now(), kind: 'invitations' });
    assert.ok(!('status' in first) && first.created);
    const same = await startBatch(t.handle.db, scope, { accountIds: ids, requestKey: 'held-000000002', ip: null, now: t.clock.now(), kind: 'invitations' });
    assert.ok(!('status' in same) && same.batch.id === first.batch.id, 'the same people again: that very batch');
    const overlap = await startBatch(t.handle.db, scope, { accountIds: ids.slice(0, 2), requestKey: 'held-000000003', ip: null, now: t.clock.now(), kind: 'invitations' });
    assert.ok('status' in overlap && overlap.status === 409 && overlap.code === 'invitation.batch_overlaps');
    const passwords = await startBatch(t.handle.db, scope, { accountIds: ids.slice(0, 2), requestKey: 'held-000000004', ip: null, now: t.clock.now() });
    assert.ok(!('status' in passwords), 'links hold nobody from passwords');
    const wrongKind = await startBatch(t.handle.db, scope, { accountIds: ids, requestKey: 'held-000000004', ip: null, now: t.clock.now(), kind: 'invitations' });
    assert.ok('status' in wrongKind && wrongKind.status === 422, 'a password batch\'s key is not an invitation\'s retry');

    const before = (await outbox(t.app)).filter((m) => m.template === 'invitation.email').length;
    const deps = { db: t.handle.db, clock: t.clock, sender: { notifier: outboxNotifier({ profile: 'ir' }), publicUrl: t.config.publicUrl, hours: 48, defaultLocale: 'fa' as const } };
    if (!('status' in first)) await Promise.all([runInvitationBatch(deps, first.batch.id), runInvitationBatch(deps, first.batch.id)]);
    const after = (await outbox(t.app)).filter((m) => m.template === 'invitation.email').length;
    assert.equal(after - before, 4, 'each reachable parent once');
    const batch = await t.handle.db.selectFrom('password_batches').select(['state', 'done', 'skipped']).where('id', '=', 'status' in first ? '' : first.batch.id).executeTakeFirstOrThrow();
    assert.deepEqual(batch, { state: 'done', done: 6, skipped: 2 });
    // The password batch started above is worked too, and shown, so that it holds nobody for the tests after.
    if (!('status' in passwords)) {
      await runBatch({ db: t.handle.db, hasher: t.hasher, clock: t.clock, secretBox: deriveKeys(t.config.secret!).secretBox, qrDays: 30, concurrency: 2 }, passwords.batch.id);
      assert.equal((await api('principalA', 'POST', `/password-batches/${passwords.batch.id}/passwords`)).statusCode, 200);
    }
    await waitIdle();
  });

  test('the import sends links to the people of the file who have an address, and records the file\'s address as unproven', async () => {
    for (const n of [600, 601, 602]) await t.handle.db.insertInto('people').values({ national_id: nationalIdFor(n), first_name: `ولی${n}`, last_name: 'وارد', birth_date: '1980-01-01' }).execute();
    await t.handle.db.insertInto('people').values({ national_id: nationalIdFor(610), first_name: 'دانش', last_name: 'آموز', birth_date: '2015-01-01' }).execute();
    const csv = 'national_id,role,start,end,child_national_id,email\n'
      + `${nationalIdFor(610)},student,,,,\n`
      + `${nationalIdFor(600)},father,,,${nationalIdFor(610)},Vali600@Example.org\n`
      + `${nationalIdFor(601)},mother,,,${nationalIdFor(610)},\n`
      + `${nationalIdFor(602)},teacher,,,,not-an-email\n`;
    const upload = await t.app.inject({
      method: 'POST', url: '/api/v1/admin/imports?invite=1', payload: csv,
      headers: { authorization: `Bearer ${tokens.principalA}`, 'content-type': 'text/csv' },
    });
    assert.equal(upload.statusCode, 200, upload.body);
    const report = upload.json();
    assert.deepEqual({ created: report.created, rejected: report.rejected }, { created: 3, rejected: 1 });
    assert.deepEqual(report.rows.find((r: { line: number }) => r.line === 5).reasons, ['import.email_invalid']);
    assert.equal(report.invitations.total, 1, 'only the father has an address');
    await waitIdle();
    const { token } = await linkFor(t.app, 'vali600@example.org');
    const father = await t.handle.db.selectFrom('accounts as a').innerJoin('people as p', 'p.id', 'a.person_id').select(['a.id', 'a.email', 'a.email_verified_at'])
      .where('p.national_id', '=', nationalIdFor(600)).executeTakeFirstOrThrow();
    assert.deepEqual({ email: father.email, verified: father.email_verified_at !== null }, { email: 'vali600@example.org', verified: false });
    const claims = async () => accountClaims({ db: t.handle.db, today: '2025-11-20', defaultLocale: 'fa' }, father.id, new Set(['openid', 'email']), undefined);
    assert.equal((await claims())?.email_verified, false, 'an address from a file is not its owner\'s word');

    const c = flowClient(t.app);
    const identify = (await c.press(await c.start('set-password'), 'submit', { token })).flow;
    const choose = (await c.press(identify, 'confirm', { nationalId: nationalIdFor(600) })).flow;
    const done = await c.press(choose, 'save', { password: 'Pedar-Khub-1405!', repeat: 'Pedar-Khub-1405!', question: 'first_teacher', answer: 'رضایی', email: 'vali600@example.org' });
    assert.equal(done.flow.state, 'done');
    assert.equal((await claims())?.email_verified, true, 'the link proved it');

    // The same file again: an address on record is never replaced by the file's.
    await t.handle.db.updateTable('accounts').set({ email: 'own@example.org' }).where('id', '=', father.id).execute();
    await t.app.inject({ method: 'POST', url: '/api/v1/admin/imports', payload: csv, headers: { authorization: `Bearer ${tokens.principalA}`, 'content-type': 'text/csv' } });
    assert.equal((await t.handle.db.selectFrom('accounts').select('email').where('id', '=', father.id).executeTakeFirstOrThrow()).email, 'own@example.org');
  });

  test('the import gives no address to someone who is not wholly the importer\'s (a teacher also at another school), nor sends them a link', async () => {
    const shared = await invitedPerson(t.handle.db, { nationalId: nationalIdFor(620), email: null, organizationId: tree.schoolB, role: 'teacher' });
    const own = await invitedPerson(t.handle.db, { nationalId: nationalIdFor(621), email: null, organizationId: tree.schoolA, role: 'teacher' });
    const csv = 'national_id,role,start,end,child_national_id,email\n'
      + `${nationalIdFor(620)},teacher,,,,chosen-by-a@example.org\n`
      + `${nationalIdFor(621)},teacher,,,,own-teacher@example.org\n`;
    const upload = await t.app.inject({
      method: 'POST', url: '/api/v1/admin/imports?invite=1', payload: csv,
      headers: { authorization: `Bearer ${tokens.principalA}`, 'content-type': 'text/csv' },
    });
    assert.equal(upload.statusCode, 200, upload.body);
    const emailOf = async (accountId: string) => (await t.handle.db.selectFrom('accounts').select('email').where('id', '=', accountId).executeTakeFirstOrThrow()).email;
    assert.equal(await emailOf(shared.accountId), null, 'school B\'s teacher keeps no address of school A\'s choosing');
    assert.equal(await emailOf(own.accountId), 'own-teacher@example.org');
    assert.equal(upload.json().invitations.total, 1);
    await waitIdle();
  });

  test('the console: the user page\'s button, a question, then the link; bulk links beside bulk passwords with progress', async () => {
    const page = await principalPages.get(`/admin/users/${parents[1]!.accountId}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /parent1@example\.org/);
    assert.match(page.body, new RegExp(`href="/admin/users/${parents[1]!.accountId}/invite">✉ ارسال پیوند تعیین رمز عبور</a>`));
    assert.match(page.body, /href="\/admin\/invitations">ارسال گروهی پیوند رمز عبور<\/a>/, 'in the console menu');
    const question = await principalPages.get(`/admin/users/${parents[1]!.accountId}/invite`);
    assert.match(question.body, /آیا از ارسال پیوند تعیین رمز عبور به ایمیل این کاربر اطمینان دارید؟/);
    assert.match(question.body, /۴۸ ساعت/);
    const noCsrf = await principalPages.post(`/admin/users/${parents[1]!.accountId}/invite`, {});
    assert.equal(noCsrf.statusCode, 403, 'a post without the form\'s token is refused');
    const sent = await principalPages.post(`/admin/users/${parents[1]!.accountId}/invite`, { _csrf: csrfTokenOf(question.body) });
    assert.equal(sent.statusCode, 303);
    assert.match((await principalPages.get(String(sent.headers.location))).body, /پیوند تعیین رمز عبور به parent1@example\.org فرستاده شد\./);

    const without = await principalPages.get(`/admin/users/${parents[5]!.accountId}/invite`);
    assert.match(without.body, /پست الکترونیکی ثبت نشده است/);
    assert.ok(!without.body.includes(`action="/admin/users/${parents[5]!.accountId}/invite"`), 'nothing to confirm');
    const refused = await principalPages.post(`/admin/users/${parents[5]!.accountId}/invite`, { _csrf: csrfTokenOf(without.body) });
    assert.equal(refused.statusCode, 409);
    assert.equal((await principalPages.get(`/admin/users/${otherSchool}/invite`)).statusCode, 404);

    const bulk = await principalPages.get('/admin/invitations?type=parents');
    assert.equal(bulk.statusCode, 200);
    assert.match(bulk.body, /<form method="post" action="\/admin\/invitation-batches">/);
    const requestKey = /name="requestKey" value="([^"]+)"/.exec(bulk.body)![1]!;
    const form = { _csrf: csrfTokenOf(bulk.body), requestKey, type: 'parents', scope: 'all' };
    const [a, b] = await Promise.all([principalPages.post('/admin/invitation-batches', form), principalPages.post('/admin/invitation-batches', form)]);
    assert.equal(a.statusCode, 303);
    assert.equal(a.headers.location, b.headers.location, 'one batch for a double click');
    await waitIdle();
    const progress = await principalPages.get(String(a.headers.location));
    // Four parents of before, and the imported father; the imported mother has no address either.
    assert.match(progress.body, /پیوند برای ۵ کاربر فرستاده شد؛ ۳ کاربر رد شد\./);
    assert.match(progress.body, /ایمیل ندارد/);
    assert.equal((await createAgent(t.app).get(String(a.headers.location))).statusCode, 303, 'nobody else opens it');
  });
});
