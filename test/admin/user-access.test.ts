// An administrator ends a user's sessions and unlocks a locked account (B7), through the admin
// API and the console's user page: scoped like a password reset (outside the scope, an unknown
// or malformed id, the actor: 404 alike), each change audited, and an ended session really
// stops. The API on both databases; the pages on PGlite.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { can } from '../../src/admin/permissions.ts';
import { createAgent, csrfTokenOf, type Agent } from '../helpers/agent.ts';
import { databaseKinds, startTestApp, type DatabaseKind, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor, type NewAccount, type Tree } from '../helpers/fixtures.ts';

const PASSWORD = 'Bazgoshaei-1404!';
const GHOST = '00000000-0000-4000-8000-000000000000';
type Person = { accountId: string; nationalId: string; membershipIds: string[] };

/** An app whose third wrong password locks the account, with the people of two schools. */
async function setUp(kind: DatabaseKind) {
  const t = await startTestApp(kind, { KELID_ADMIN_MFA: 'optional', KELID_LOCKOUT_THRESHOLD: '3', KELID_LOCKOUT_MINUTES: '15' });
  const tree = await createTree(t.handle.db);
  const people: Record<string, Person> = {};
  let n = 0;
  const add = async (key: string, memberships: NonNullable<NewAccount['memberships']>) => {
    const nationalId = nationalIdFor(++n);
    const made = await createAccount(t.handle.db, t.hasher, { nationalId, password: PASSWORD, firstName: key, memberships });
    people[key] = { accountId: made.accountId, nationalId, membershipIds: made.membershipIds };
  };
  await add('principalA', [{ organizationId: tree.schoolA, role: 'principal' }]);
  await add('principalB', [{ organizationId: tree.schoolB, role: 'principal' }]);
  await add('deputyA', [{ organizationId: tree.schoolA, role: 'deputy' }]);
  await add('teacherA', [{ organizationId: tree.schoolA, role: 'teacher' }]);
  await add('studentA', [{ organizationId: tree.schoolA, role: 'student' }]);
  await add('teacherB', [{ organizationId: tree.schoolB, role: 'teacher' }]);
  return { t, tree, people };
}

function helpers(t: TestApp) {
  const signIn = (nationalId: string, password = PASSWORD, ip = '10.4.0.1') =>
    t.app.inject({ method: 'POST', url: '/api/v1/sessions', remoteAddress: ip, payload: { identifier: nationalId, password } });
  const token = async (nationalId: string) => {
    const response = await signIn(nationalId);
    assert.equal(response.statusCode, 201, response.body);
    return response.json().token as string;
  };
  const tokenWorks = async (bearer: string) =>
    (await t.app.inject({ method: 'GET', url: '/api/v1/sessions/current', headers: { authorization: `Bearer ${bearer}` } })).statusCode === 200;
  /** Wrong passwords from an unknown device until the account is locked. */
  const lockOut = async (nationalId: string) => {
    for (let i = 0; i < 2; i++) assert.equal((await signIn(nationalId, `Wrong-${i}-1404!`, '10.4.9.9')).statusCode, 401);
    assert.equal((await signIn(nationalId, 'Wrong-2-1404!', '10.4.9.9')).json().error.code, 'sign_in.locked', 'the third locks');
    const locked = await signIn(nationalId);
    assert.equal(locked.statusCode, 429);
    assert.equal(locked.json().error.code, 'sign_in.locked');
  };
  const events = (accountId: string, type: string) => t.handle.db.selectFrom('audit_events')
    .select(['data', 'actor_account_id', 'acting_membership_id']).where('subject_account_id', '=', accountId).where('type', '=', type).execute();
  const browser = async (nationalId: string): Promise<Agent> => {
    const agent = createAgent(t.app);
    assert.equal((await agent.submit('/sign-in', { identifier: nationalId, password: PASSWORD })).statusCode, 303);
    return agent;
  };
  const signedOut = async (agent: Agent) => String((await agent.get('/')).headers.location ?? '').startsWith('/sign-in');
  return { signIn, token, tokenWorks, lockOut, events, browser, signedOut };
}

for (const kind of databaseKinds) {
  describe(`admin API: end a user's sessions, unlock (${kind})`, () => {
    let t: TestApp;
    let people: Record<string, Person>;
    let h: ReturnType<typeof helpers>;
    const tokens: Record<string, string> = {};

    before(async () => {
      ({ t, people } = await setUp(kind));
      h = helpers(t);
      for (const key of ['principalA', 'deputyA', 'teacherA']) tokens[key] = await h.token(people[key]!.nationalId);
    });
    after(() => t.close());

    const call = (who: string, method: 'GET' | 'POST' | 'DELETE', url: string) =>
      t.app.inject({ method, url: `/api/v1/admin${url}`, headers: { authorization: `Bearer ${tokens[who]}`, 'accept-language': 'fa' } });

    test('unlock after a real lockout: 204, the person signs in again, and exactly one sign_in.unlocked by the admin', async () => {
      const student = people.studentA!;
      await h.lockOut(student.nationalId);
      const locked = (await call('principalA', 'GET', `/users/${student.accountId}`)).json();
      assert.equal(locked.lockedUntil, '2025-11-20T08:15:00.000Z');
      const unlocked = await call('principalA', 'POST', `/users/${student.accountId}/unlock`);
      assert.equal(unlocked.statusCode, 204);
      assert.equal(unlocked.body, '');
      assert.equal((await call('principalA', 'GET', `/users/${student.accountId}`)).json().lockedUntil, null);
      assert.equal((await h.signIn(student.nationalId)).statusCode, 201, 'the right password works again at once');
      assert.equal((await call('principalA', 'POST', `/users/${student.accountId}/unlock`)).statusCode, 204, 'unlocking an open account is no error');
      const audit = await h.events(student.accountId, 'sign_in.unlocked');
      assert.equal(audit.length, 1, 'one lock lifted, one event');
      assert.deepEqual(audit[0]!.data, { by: 'admin', place: 'other_devices' });
      assert.equal(audit[0]!.actor_account_id, people.principalA!.accountId);
      assert.equal(audit[0]!.acting_membership_id, people.principalA!.membershipIds[0]);
    });

    test('end sessions: 204, every session of the user stops (bearer 401, cookie back to sign-in), one event with the count', async () => {
      const teacher = people.teacherA!;
      const first = await h.token(teacher.nationalId);
      const second = await h.token(teacher.nationalId);
      const laptop = await h.browser(teacher.nationalId);
      assert.equal((await call('principalA', 'GET', `/users/${teacher.accountId}`)).json().activeSessions, 4, 'three here and the one of before()');
      const ended = await call('principalA', 'DELETE', `/users/${teacher.accountId}/sessions`);
      assert.equal(ended.statusCode, 204);
      assert.equal(ended.body, '');
      for (const bearer of [first, second, tokens.teacherA!]) {
        assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/sessions', headers: { authorization: `Bearer ${bearer}` } })).statusCode, 401);
      }
      assert.ok(await h.signedOut(laptop), 'the browser cookie opens no page');
      assert.equal((await call('principalA', 'GET', `/users/${teacher.accountId}`)).json().activeSessions, 0);
      const audit = await h.events(teacher.accountId, 'admin.sessions_ended');
      assert.equal(audit.length, 1);
      assert.deepEqual(audit[0]!.data, { ended: 4 });
      assert.equal(audit[0]!.actor_account_id, people.principalA!.accountId);
      assert.equal((await call('principalA', 'DELETE', `/users/${teacher.accountId}/sessions`)).statusCode, 204, 'nothing left: still 204');
      assert.equal((await h.events(teacher.accountId, 'admin.sessions_ended')).length, 1, 'nothing ended, nothing audited');
      assert.ok(await h.tokenWorks(tokens.principalA!), "the admin's own session goes on");
    });

    test('outside the scope, an unknown or malformed id, or oneself: 404 exactly as for nobody, and nothing changes', async () => {
      const teacherB = people.teacherB!;
      const theirs = await h.token(teacherB.nationalId);
      await h.lockOut(teacherB.nationalId);
      const nobody = await call('principalA', 'POST', `/users/${GHOST}/unlock`);
      assert.equal(nobody.statusCode, 404);
      assert.equal(nobody.json().error.code, 'admin.user_not_found');
      for (const id of [teacherB.accountId, people.principalB!.accountId, people.principalA!.accountId, GHOST, 'not-a-uuid']) {
        for (const [method, path] of [['POST', 'unlock'], ['DELETE', 'sessions']] as const) {
          const response = await call('principalA', method, `/users/${id}/${path}`);
          assert.equal(response.statusCode, 404, `${method} ${id}/${path}`);
          assert.equal(response.body, nobody.body, `${method} ${id}/${path}: the same body`);
        }
      }
      assert.ok(await h.tokenWorks(theirs), "school B's teacher is still signed in");
      assert.equal((await h.signIn(teacherB.nationalId)).json().error.code, 'sign_in.locked', 'and still locked');
      assert.equal((await h.events(teacherB.accountId, 'sign_in.unlocked')).length, 0);
    });

    test('who may: a deputy acts on a student (permissions are data); a teacher is refused; nobody without a session', async () => {
      assert.ok(can('deputy', 'sessions.end') && can('deputy', 'accounts.unlock') && can('principal', 'accounts.unlock'));
      assert.ok(!can('teacher', 'sessions.end') && !can('teacher', 'accounts.unlock'));
      assert.equal((await call('deputyA', 'DELETE', `/users/${people.studentA!.accountId}/sessions`)).statusCode, 204);
      const teacher = await t.app.inject({ method: 'POST', url: `/api/v1/admin/users/${people.studentA!.accountId}/unlock`, headers: { authorization: `Bearer ${await h.token(people.teacherA!.nationalId)}` } });
      assert.equal(teacher.statusCode, 403);
      assert.equal((await t.app.inject({ method: 'DELETE', url: `/api/v1/admin/users/${people.studentA!.accountId}/sessions` })).statusCode, 401);
    });
  });
}

describe('console: a user\'s sessions and lock on their page', () => {
  let t: TestApp;
  let people: Record<string, Person>;
  let h: ReturnType<typeof helpers>;
  let principal: Agent;

  before(async () => {
    ({ t, people } = await setUp('pglite'));
    h = helpers(t);
    principal = await h.browser(people.principalA!.nationalId);
  });
  after(() => t.close());

  test('the page shows the live sessions and the lock; each button asks first, then acts and says so', async () => {
    const teacher = people.teacherA!;
    const laptop = await h.browser(teacher.nationalId);
    await h.lockOut(teacher.nationalId);
    const page = await principal.get(`/admin/users/${teacher.accountId}`);
    assert.match(page.body, /<dt>نشست‌های فعال<\/dt><dd>۱<\/dd>/);
    assert.ok(page.body.includes('قفل تا ۱۴۰۴/۰۸/۲۹ ۱۱:۴۵'), 'locked until, in Solar Hijri and Tehran time');
    assert.ok(page.body.includes(`href="/admin/users/${teacher.accountId}/end-sessions"`));
    assert.ok(page.body.includes(`href="/admin/users/${teacher.accountId}/unlock"`));

    const confirm = await principal.get(`/admin/users/${teacher.accountId}/end-sessions`);
    assert.ok(confirm.body.includes('آیا از پایان همه نشست‌های این کاربر اطمینان دارید؟'));
    assert.equal((await principal.post(`/admin/users/${teacher.accountId}/end-sessions`, {})).statusCode, 403, 'no CSRF token, nothing ends');
    assert.equal(await h.signedOut(laptop), false);
    const ended = await principal.post(`/admin/users/${teacher.accountId}/end-sessions`, { _csrf: csrfTokenOf(confirm.body) });
    assert.equal(ended.statusCode, 303);
    assert.equal(ended.headers.location, `/admin/users/${teacher.accountId}?sessions_ended=1`);
    assert.ok((await principal.get(String(ended.headers.location))).body.includes('۱ نشست پایان یافت.'));
    assert.ok(await h.signedOut(laptop), "the teacher's browser is signed out");

    const ask = await principal.get(`/admin/users/${teacher.accountId}/unlock`);
    assert.ok(ask.body.includes('آیا از رفع قفل ورود این کاربر اطمینان دارید؟'));
    assert.equal((await principal.post(`/admin/users/${teacher.accountId}/unlock`, {})).statusCode, 403, 'no CSRF token, no unlock');
    const unlocked = await principal.post(`/admin/users/${teacher.accountId}/unlock`, { _csrf: csrfTokenOf(ask.body) });
    assert.equal(unlocked.headers.location, `/admin/users/${teacher.accountId}?unlocked=1`);
    const after = await principal.get(String(unlocked.headers.location));
    assert.ok(after.body.includes('قفل ورود برداشته شد.'));
    assert.ok(after.body.includes('قفل نیست'));
    assert.match(after.body, /<dt>نشست‌های فعال<\/dt><dd>۰<\/dd>/);
    assert.ok(!after.body.includes('/unlock"') && !after.body.includes('/end-sessions"'), 'nothing left to end or unlock');
    assert.equal((await h.signIn(teacher.nationalId)).statusCode, 201);

    const audit = await principal.get('/admin/audit');
    assert.ok(audit.body.includes('پایان نشست‌ها توسط مدیر') && audit.body.includes('رفع قفل ورود'), 'both in the scope\'s events, in words');
    assert.equal((await h.events(teacher.accountId, 'sign_in.unlocked')).length, 1);
    assert.equal((await h.events(teacher.accountId, 'admin.sessions_ended')).length, 1);
  });

  test("another school's user and a forged id: 404 on the page, the question and the change alike", async () => {
    const other = people.teacherB!;
    const theirs = await h.token(other.nationalId);
    const csrf = csrfTokenOf((await principal.get('/admin/users')).body);
    for (const id of [other.accountId, GHOST, 'zzz']) {
      for (const path of ['end-sessions', 'unlock']) {
        assert.equal((await principal.get(`/admin/users/${id}/${path}`)).statusCode, 404, `GET ${id}/${path}`);
        assert.equal((await principal.post(`/admin/users/${id}/${path}`, { _csrf: csrf })).statusCode, 404, `POST ${id}/${path}`);
      }
    }
    assert.ok(await h.tokenWorks(theirs));
  });
});
