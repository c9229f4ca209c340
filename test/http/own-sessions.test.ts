// One's own sessions (B7): the list at /account/sessions and its twin in the API; ending one,
// ending all the others, ending this one. An ended session really stops: its browser cookie
// opens no page and its bearer token gets 401. On PGlite and on PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createAgent, csrfTokenOf, type Agent } from '../helpers/agent.ts';
import { signInMethods } from '../../src/views/pages/sessions.ts';
import { databaseKinds, startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor, type Tree } from '../helpers/fixtures.ts';

const PASSWORD = 'Nashast-Ha-1404!';
const ANDROID = 'Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36';
const WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0';

for (const kind of databaseKinds) {
  describe(`own sessions on ${kind}`, () => {
    let t: TestApp;
    let tree: Tree;
    let person = 0;

    before(async () => {
      t = await startTestApp(kind);
      tree = await createTree(t.handle.db);
    });
    after(() => t.close());

    /** A new account of school A; answers its national ID and account id. */
    const newPerson = async () => {
      const nationalId = nationalIdFor(100 + ++person);
      const { accountId } = await createAccount(t.handle.db, t.hasher, { nationalId, password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'teacher' }] });
      return { nationalId, accountId };
    };
    /** A browser signed in with this User-Agent (the sign-in page, its CSRF token, the form). */
    const browser = async (nationalId: string, userAgent: string, ip = '10.9.0.1'): Promise<Agent> => {
      const agent = createAgent(t.app, { ip });
      const page = await agent.get('/sign-in', { 'user-agent': userAgent });
      const signedIn = await agent.post('/sign-in', { _csrf: csrfTokenOf(page.body), identifier: nationalId, password: PASSWORD }, { 'user-agent': userAgent });
      assert.equal(signedIn.statusCode, 303, signedIn.body.slice(0, 300));
      return agent;
    };
    const apiToken = async (nationalId: string, userAgent = 'okhttp/4.12.0'): Promise<string> => {
      const response = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', headers: { 'user-agent': userAgent }, payload: { identifier: nationalId, password: PASSWORD } });
      assert.equal(response.statusCode, 201);
      return response.json().token;
    };
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    const signedOut = async (agent: Agent) => {
      const home = await agent.get('/');
      return home.statusCode === 303 && String(home.headers.location).startsWith('/sign-in');
    };
    const tokenWorks = async (token: string) => (await t.app.inject({ method: 'GET', url: '/api/v1/sessions/current', headers: bearer(token) })).statusCode === 200;
    const events = (accountId: string, type: string) =>
      t.handle.db.selectFrom('audit_events').select(['data', 'actor_account_id']).where('subject_account_id', '=', accountId).where('type', '=', type).execute();
    /** The action of the end form of the row that names `device`. */
    const endAction = (body: string, device: string) => {
      const row = body.split('<li class="session"').find((part) => part.includes(device));
      const action = row && /action="(\/account\/sessions\/[0-9a-f-]{36}\/end)"/.exec(row)?.[1];
      assert.ok(action, `no end form on the row of ${device}`);
      return action;
    };

    test('the list names each device in words, its address and way of sign-in, in the page\'s dates, and marks this session', async () => {
      const { nationalId } = await newPerson();
      const phone = await browser(nationalId, ANDROID, '10.9.0.7');
      await browser(nationalId, WINDOWS);
      await apiToken(nationalId);
      const page = await phone.get('/account/sessions');
      assert.equal(page.statusCode, 200);
      assert.equal(page.headers['cache-control'], 'no-store');
      assert.match(page.body, /<ul class="sessions" aria-label="نشست‌های فعال">/);
      assert.doesNotMatch(page.body, /<table/, 'cards, not a table that scrolls sideways on a phone');
      for (const words of ['Chrome روی Android', 'Firefox روی Windows', 'okhttp', 'رمز عبور · مرورگر', 'رمز عبور · برنامه یا API', '10.9.0.7']) assert.ok(page.body.includes(words), words);
      assert.equal(page.body.split('همین نشست').length - 1, 1, 'one session is this one');
      assert.match(page.body, /<li class="session" aria-current="true">\s*<h2>Chrome روی Android/);
      assert.ok(page.body.includes('۱۴۰۴/۰۸/۲۹ ۱۱:۳۰'), 'started, in Solar Hijri and Tehran time');
      assert.ok(page.body.includes('پایان همه نشست‌های دیگر'));
      assert.equal(page.body.split('پایان این نشست').length - 1, 3);
      const english = await phone.get('/account/sessions?lang=en');
      for (const words of ['Chrome on Android', 'Firefox on Windows', 'Password · browser', '2025-11-20 11:30', 'This session', 'End all other sessions']) assert.ok(english.body.includes(words), words);
      const hebrew = await phone.get('/account/sessions?lang=he');
      for (const words of ['Chrome ב-Android', '20.11.2025 11:30', 'החיבור הזה']) assert.ok(hebrew.body.includes(words), words);
    });

    test('a session that passed a passkey says so', async () => {
      const { nationalId, accountId } = await newPerson();
      const phone = await browser(nationalId, ANDROID);
      await t.handle.db.updateTable('sessions').set({ amr: ['hwk', 'mfa', 'pwd'] }).where('account_id', '=', accountId).execute();
      assert.ok((await phone.get('/account/sessions?lang=en')).body.includes('Password, Passkey · browser'));
    });

    test('each way of sign-in in words: a code by SMS or by call, an authenticator code after a password', () => {
      assert.deepEqual(signInMethods(['otp', 'sms']), ['sessions.method_sms']);
      assert.deepEqual(signInMethods(['otp', 'tel']), ['sessions.method_tel']);
      assert.deepEqual(signInMethods(['mfa', 'otp', 'pwd']), ['sessions.method_pwd', 'sessions.method_otp']);
      assert.deepEqual(signInMethods(['hwk', 'mfa', 'pwd']), ['sessions.method_pwd', 'sessions.method_hwk']);
      assert.deepEqual(signInMethods(['something-new']), []);
    });

    test('ending another session from the list: its browser is signed out, this one goes on, and it is audited', async () => {
      const { nationalId, accountId } = await newPerson();
      const phone = await browser(nationalId, ANDROID);
      const laptop = await browser(nationalId, WINDOWS);
      const list = await phone.get('/account/sessions');
      const ended = await phone.post(endAction(list.body, 'Firefox'), { _csrf: csrfTokenOf(list.body) });
      assert.equal(ended.statusCode, 303);
      assert.equal(ended.headers.location, '/account/sessions?ended=1');
      const after = await phone.get(String(ended.headers.location));
      assert.ok(after.body.includes('نشست پایان یافت.'));
      assert.ok(!after.body.includes('Firefox'), 'the ended session is no longer listed');
      assert.ok(await signedOut(laptop), 'the ended browser cookie opens no page');
      assert.equal(await signedOut(phone), false);
      const audit = await events(accountId, 'session.ended');
      assert.equal(audit.length, 1);
      assert.equal(audit[0]!.actor_account_id, accountId);
      assert.equal((audit[0]!.data as { via: string }).via, 'page');
    });

    test('end all other sessions: browsers and API tokens alike stop; this one goes on; one event with the count', async () => {
      const { nationalId, accountId } = await newPerson();
      const phone = await browser(nationalId, ANDROID);
      const laptop = await browser(nationalId, WINDOWS);
      const token = await apiToken(nationalId);
      const list = await phone.get('/account/sessions');
      const ended = await phone.post('/account/sessions/end-others', { _csrf: csrfTokenOf(list.body) });
      assert.equal(ended.statusCode, 303);
      assert.equal(ended.headers.location, '/account/sessions?others=2');
      const after = await phone.get(String(ended.headers.location));
      assert.ok(after.body.includes('۲ نشست دیگر پایان یافت.'));
      assert.ok(after.body.includes('نشست دیگری باز نیست.'), 'nothing left to end');
      assert.ok(await signedOut(laptop));
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/sessions', headers: bearer(token) })).statusCode, 401, 'the ended bearer token gets 401');
      assert.equal(await signedOut(phone), false);
      const audit = await events(accountId, 'session.others_ended');
      assert.equal(audit.length, 1);
      assert.equal((audit[0]!.data as { ended: number }).ended, 2);
    });

    test('ending this session from the list signs out', async () => {
      const { nationalId, accountId } = await newPerson();
      const phone = await browser(nationalId, ANDROID);
      const list = await phone.get('/account/sessions');
      const ended = await phone.post(endAction(list.body, 'همین نشست'), { _csrf: csrfTokenOf(list.body) });
      assert.equal(ended.statusCode, 303);
      assert.equal(ended.headers.location, '/sign-in?signed_out');
      assert.equal(phone.cookies.has('kelid_session'), false, 'the cookie is cleared');
      assert.ok(await signedOut(phone));
      assert.equal((await events(accountId, 'sign_out')).length, 1);
    });

    test("someone else's session or a forged id is not found; without the CSRF token nothing ends", async () => {
      const me = await newPerson();
      const other = await newPerson();
      const phone = await browser(me.nationalId, ANDROID);
      const theirs = await browser(other.nationalId, WINDOWS);
      const theirId = /action="\/account\/sessions\/([0-9a-f-]{36})\/end"/.exec((await theirs.get('/account/sessions')).body)![1]!;
      const list = await phone.get('/account/sessions');
      const csrf = csrfTokenOf(list.body);
      const foreign = await phone.post(`/account/sessions/${theirId}/end`, { _csrf: csrf });
      assert.equal(foreign.statusCode, 404);
      const main = (body: string) => body.slice(body.indexOf('<main'));
      assert.equal(main((await phone.post('/account/sessions/00000000-0000-4000-8000-000000000000/end', { _csrf: csrf })).body), main(foreign.body), 'the same answer as for nobody');
      assert.equal((await phone.post('/account/sessions/not-a-uuid/end', { _csrf: csrf })).statusCode, 404);
      assert.equal(await signedOut(theirs), false);
      assert.equal((await phone.post(endAction(list.body, 'همین نشست'), {})).statusCode, 403, 'no CSRF token');
      assert.equal((await phone.post('/account/sessions/end-others', {})).statusCode, 403);
      assert.equal(await signedOut(phone), false);
      assert.equal((await createAgent(t.app).get('/account/sessions')).headers.location, '/sign-in?return_to=%2Faccount%2Fsessions');
    });

    test('the API lists devices and ways of sign-in, and DELETE /sessions?except=current ends the others', async () => {
      const { nationalId, accountId } = await newPerson();
      const token = await apiToken(nationalId);
      const other = await apiToken(nationalId, 'curl/8.5.0');
      const laptop = await browser(nationalId, WINDOWS);
      const listed = (await t.app.inject({ method: 'GET', url: '/api/v1/sessions', headers: bearer(token) })).json().sessions;
      assert.equal(listed.length, 3);
      const browserRow = listed.find((s: { kind: string }) => s.kind === 'browser');
      assert.deepEqual(browserRow.device, { browser: 'Firefox', os: 'Windows', product: null });
      assert.deepEqual(browserRow.amr, ['pwd']);
      assert.deepEqual(listed.find((s: { current: boolean }) => s.current).device, { browser: null, os: null, product: 'okhttp' });

      assert.equal((await t.app.inject({ method: 'DELETE', url: '/api/v1/sessions', headers: bearer(token) })).statusCode, 400, 'except=current is required');
      assert.equal((await t.app.inject({ method: 'DELETE', url: '/api/v1/sessions?except=all', headers: bearer(token) })).statusCode, 400);
      const ended = await t.app.inject({ method: 'DELETE', url: '/api/v1/sessions?except=current', headers: bearer(token) });
      assert.equal(ended.statusCode, 200);
      assert.deepEqual(ended.json(), { ended: 2 });
      assert.equal(await tokenWorks(other), false);
      assert.ok(await signedOut(laptop));
      assert.ok(await tokenWorks(token));
      assert.deepEqual((await t.app.inject({ method: 'DELETE', url: '/api/v1/sessions?except=current', headers: bearer(token) })).json(), { ended: 0 });
      const audit = await events(accountId, 'session.others_ended');
      assert.equal(audit.length, 1, 'nothing ended, nothing audited');
      assert.equal((audit[0]!.data as { via: string }).via, 'api');
      assert.equal((await t.app.inject({ method: 'DELETE', url: '/api/v1/sessions?except=current' })).statusCode, 401);
    });

    test('DELETE /api/v1/sessions/{id} ends another of one\'s sessions (session.ended) and the current one (sign_out)', async () => {
      const { nationalId, accountId } = await newPerson();
      const token = await apiToken(nationalId);
      const other = await apiToken(nationalId);
      const otherId = (await t.app.inject({ method: 'GET', url: '/api/v1/sessions/current', headers: bearer(other) })).json().id;
      assert.equal((await t.app.inject({ method: 'DELETE', url: `/api/v1/sessions/${otherId}`, headers: bearer(token) })).statusCode, 204);
      assert.equal(await tokenWorks(other), false);
      assert.equal((await t.app.inject({ method: 'DELETE', url: '/api/v1/sessions/current', headers: bearer(token) })).statusCode, 204);
      assert.equal(await tokenWorks(token), false);
      assert.equal((await events(accountId, 'session.ended')).length, 1);
      assert.equal((await events(accountId, 'sign_out')).length, 1);
    });

    test('the OpenAPI document describes the new calls', async () => {
      const paths = (await t.app.inject('/api/v1/openapi.json')).json().paths;
      assert.deepEqual(paths['/api/v1/sessions'].delete.parameters.map((p: { name: string; in: string; required: boolean }) => [p.name, p.in, p.required]), [['except', 'query', true]]);
      assert.ok(paths['/api/v1/admin/users/{id}/sessions'].delete.summary);
      assert.ok(paths['/api/v1/admin/users/{id}/unlock'].post.summary);
    });

    test('the menu and the home page link the list; one\'s sign-in history shows the sessions ended', async () => {
      const { nationalId } = await newPerson();
      const phone = await browser(nationalId, ANDROID);
      await browser(nationalId, WINDOWS);
      const home = await phone.get('/');
      assert.equal(home.body.split('href="/account/sessions"').length - 1, 2, 'in the menu and on the home page');
      const list = await phone.get('/account/sessions');
      await phone.post('/account/sessions/end-others', { _csrf: csrfTokenOf(list.body) });
      assert.ok((await phone.get('/account/activity')).body.includes('پایان نشست‌های دیگر'));
    });
  });
}
