// The HTML journeys without a browser: sign-in, role choice, home, change password, sign-out.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createAgent, csrfTokenOf } from '../helpers/agent.ts';
import { databaseKinds, startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor, type Tree } from '../helpers/fixtures.ts';

const PASSWORD = 'Sahar-Mehr-1404!';
const NEW_PASSWORD = 'Baran-Abaan-1405#';

for (const kind of databaseKinds) {
  describe(`pages on ${kind}`, () => {
    let t: TestApp;
    let tree: Tree;
    before(async () => {
      t = await startTestApp(kind);
      tree = await createTree(t.handle.db);
    });
    after(() => t.close());

    test('the sign-in page is Persian, right to left, with a CSRF token and strict headers', async () => {
      const page = await createAgent(t.app).get('/sign-in');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<html lang="fa" dir="rtl">/);
      assert.match(page.body, /name="_csrf" value="[^"]+"/);
      assert.match(page.body, />ورود</);
      assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
      assert.equal(page.headers['x-frame-options'], 'DENY');
      assert.equal(page.headers['cache-control'], 'no-store');
    });

    test('?lang=he switches to Hebrew and is remembered; en is left to right', async () => {
      const agent = createAgent(t.app);
      assert.match((await agent.get('/sign-in?lang=he')).body, /<html lang="he" dir="rtl">/);
      assert.match((await agent.get('/sign-in')).body, /<html lang="he" dir="rtl">/);
      assert.match((await agent.get('/sign-in?lang=en')).body, /<html lang="en" dir="ltr">/);
    });

    test('a POST with a token from another browser is refused too', async () => {
      const mine = createAgent(t.app);
      const theirs = createAgent(t.app);
      const theirToken = /name="_csrf" value="([^"]+)"/.exec((await theirs.get('/sign-in')).body)?.[1] ?? '';
      await mine.get('/sign-in');
      const response = await mine.post('/sign-in', { _csrf: theirToken, identifier: nationalIdFor(1), password: PASSWORD });
      assert.equal(response.statusCode, 403);
    });

    test('a token is good only with the session it was drawn for: a CSRF cookie and token planted from another browser (cookie tossing) act in no one\'s session', async () => {
      const nationalId = nationalIdFor(131);
      await createAccount(t.handle.db, t.hasher, { nationalId, password: PASSWORD });
      const attacker = createAgent(t.app);
      const planted = /name="_csrf" value="([^"]+)"/.exec((await attacker.get('/sign-in')).body)![1]!;
      const victim = createAgent(t.app);
      assert.equal((await victim.submit('/sign-in', { identifier: nationalId, password: PASSWORD })).statusCode, 303);
      // A neighbouring host of the same site sets the attacker's CSRF cookie in the victim's browser.
      victim.cookies.set('kelid_csrf', attacker.cookies.get('kelid_csrf')!);
      const forged = await victim.post('/account/sessions/end-others', { _csrf: planted });
      assert.equal(forged.statusCode, 403);
      assert.equal((await victim.get('/')).statusCode, 200, 'still signed in');
      // The victim's own form, drawn for the session, works with whatever secret cookie the browser holds.
      assert.equal((await victim.submit('/account/sessions', {}, '/account/sessions/end-others')).statusCode, 303);
      // A token drawn before the sign-in is not one for the session either.
      const other = createAgent(t.app);
      const before = /name="_csrf" value="([^"]+)"/.exec((await other.get('/sign-in')).body)![1]!;
      assert.equal((await other.submit('/sign-in', { identifier: nationalId, password: PASSWORD })).statusCode, 303);
      assert.equal((await other.post('/account/sessions/end-others', { _csrf: before })).statusCode, 403);
    });

    test('the ways in are tied to the session too: a planted CSRF cookie signs no signed-in person in as someone else; a second tab\'s form says to reload, which finds the person signed in', async () => {
      const [victimId, attackerId] = [nationalIdFor(132), nationalIdFor(133)];
      for (const nationalId of [victimId, attackerId]) await createAccount(t.handle.db, t.hasher, { nationalId, password: PASSWORD });
      const attacker = createAgent(t.app);
      const planted = /name="_csrf" value="([^"]+)"/.exec((await attacker.get('/sign-in')).body)![1]!;
      const victim = createAgent(t.app);
      assert.equal((await victim.submit('/sign-in', { identifier: victimId, password: PASSWORD })).statusCode, 303);
      const session = victim.cookies.get('kelid_session');
      victim.cookies.set('kelid_csrf', attacker.cookies.get('kelid_csrf')!);
      const forced = await victim.post('/sign-in', { _csrf: planted, identifier: attackerId, password: PASSWORD });
      assert.equal(forced.statusCode, 403, 'login CSRF on a signed-in person');
      assert.equal(victim.cookies.get('kelid_session'), session, 'still their own session');
      // The second tab (its own CSRF cookie back): refused, in the person's language, and a reload finds them signed in.
      victim.cookies.delete('kelid_csrf');
      const tab = createAgent(t.app);
      const tabToken = /name="_csrf" value="([^"]+)"/.exec((await tab.get('/sign-in')).body)![1]!;
      assert.equal((await tab.submit('/sign-in', { identifier: victimId, password: PASSWORD })).statusCode, 303);
      const late = await tab.post('/sign-in', { _csrf: tabToken, identifier: victimId, password: PASSWORD });
      assert.equal(late.statusCode, 403);
      assert.match(late.body, /فرم منقضی شده یا نامعتبر است/);
      assert.equal((await tab.get('/sign-in')).headers.location, '/', 'reloaded: signed in already');
    });

    test('a POST without its CSRF token is refused with 403', async () => {
      const agent = createAgent(t.app);
      await agent.get('/sign-in');
      const response = await agent.post('/sign-in', { identifier: nationalIdFor(1), password: PASSWORD });
      assert.equal(response.statusCode, 403);
      assert.match(response.body, /فرم منقضی شده یا نامعتبر است/);
    });

    test('a principal with two appointments signs in, chooses a role, and sees it on the home page', async () => {
      const nationalId = nationalIdFor(101);
      await createAccount(t.handle.db, t.hasher, {
        nationalId, password: PASSWORD, firstName: 'علی', lastName: 'محمدی',
        memberships: [{ organizationId: tree.schoolA, role: 'principal' }, { organizationId: tree.schoolB, role: 'teacher' }],
      });
      const agent = createAgent(t.app);
      const signedIn = await agent.submit('/sign-in', { identifier: nationalId, password: PASSWORD });
      assert.equal(signedIn.statusCode, 303);
      assert.equal(signedIn.headers.location, '/role');
      const cookie = signedIn.cookies.find((c) => c.name === 'kelid_session');
      assert.ok(cookie?.httpOnly);
      assert.equal(cookie?.sameSite, 'Lax');

      const rolePage = await agent.get('/role');
      assert.match(rolePage.body, /نقش و سازمان خود را انتخاب کنید/);
      const options = [...rolePage.body.matchAll(/name="membershipId" value="([^"]+)"/g)].map((m) => m[1]);
      assert.equal(options.length, 2);
      assert.match(rolePage.body, /دبستان الف · مشهد ناحیه ۵ · خراسان رضوی/);

      const principalOption = /value="([^"]+)"[^>]*>\s*<span><strong>مدیر<\/strong>/.exec(rolePage.body)?.[1];
      assert.ok(principalOption);
      const chosen = await agent.submit('/role', { membershipId: principalOption });
      assert.equal(chosen.statusCode, 303);
      const home = await agent.get('/');
      assert.equal(home.statusCode, 200);
      assert.match(home.body, /علی محمدی/);
      assert.match(home.body, /مدیر · دبستان الف/);
      assert.match(home.body, /از ۱۴۰۴\/۰۷\/۰۱ تا ۱۴۰۵\/۰۶\/۳۱/, 'the appointment in Solar Hijri with Persian digits, as the console shows and takes dates');
      assert.match(home.body, /فیش حقوقی/);
      assert.match(home.body, /تغییر نقش/);
    });

    test('the role page checks no role at first; Confirm without one is told to choose; next time the last choice is checked', async () => {
      const nationalId = nationalIdFor(112);
      await createAccount(t.handle.db, t.hasher, {
        nationalId, password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'principal' }, { organizationId: tree.schoolB, role: 'teacher' }],
      });
      const checkedRole = (body: string) => /value="([^"]+)" checked/.exec(body)?.[1];
      const agent = createAgent(t.app);
      await agent.submit('/sign-in', { identifier: nationalId, password: PASSWORD });
      const first = await agent.get('/role');
      assert.equal(checkedRole(first.body), undefined, 'no role is chosen for the person');
      const empty = await agent.submit('/role', {});
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /لطفاً نقش و سازمان خود را انتخاب نمایید/);
      assert.equal(checkedRole(empty.body), undefined);
      assert.equal((await agent.get('/')).headers.location, '/role', 'still acting as nobody');

      const teacher = /value="([^"]+)"[^>]*>\s*<span><strong>معلم<\/strong>/.exec(first.body)?.[1];
      assert.ok(teacher);
      assert.equal((await agent.submit('/role', { membershipId: teacher })).statusCode, 303);
      assert.equal(checkedRole((await agent.get('/role')).body), teacher, 'switching: the role acted as now is checked');

      const later = createAgent(t.app);
      await later.submit('/sign-in', { identifier: nationalId, password: PASSWORD });
      assert.equal(checkedRole((await later.get('/role')).body), teacher, 'the next sign-in offers the role chosen last');
      const api = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: nationalId, password: PASSWORD } });
      const none = await t.app.inject({ method: 'PUT', url: '/api/v1/sessions/current/membership', headers: { authorization: `Bearer ${api.json().token}` }, payload: { membershipId: '' } });
      assert.equal(none.statusCode, 422);
      assert.equal(none.json().error.code, 'role_choice.required');
    });

    test('a tampered membership id is refused on the role page', async () => {
      const nationalId = nationalIdFor(102);
      const other = await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(103), password: PASSWORD, memberships: [{ organizationId: tree.schoolC, role: 'principal' }] });
      await createAccount(t.handle.db, t.hasher, {
        nationalId, password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'teacher' }, { organizationId: tree.schoolB, role: 'teacher' }],
      });
      const agent = createAgent(t.app);
      await agent.submit('/sign-in', { identifier: nationalId, password: PASSWORD });
      const response = await agent.submit('/role', { membershipId: other.membershipIds[0]! });
      assert.equal(response.statusCode, 400);
      assert.match(response.body, /این نقش برای شما فعال نیست/);
    });

    test('with no active appointment, the person is told so and sees no services', async () => {
      const nationalId = nationalIdFor(104);
      await createAccount(t.handle.db, t.hasher, { nationalId, password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'teacher', startsOn: '2020-09-22', endsOn: '2021-09-22' }] });
      const agent = createAgent(t.app);
      assert.equal((await agent.submit('/sign-in', { identifier: nationalId, password: PASSWORD })).headers.location, '/');
      const home = await agent.get('/');
      assert.match(home.body, /تا زمانی که حکم فعالی ندارید/);
      assert.doesNotMatch(home.body, /فیش حقوقی/);
    });

    test('the services menu lists only the apps that serve one of the person\'s roles; an app for every role, or none registered, is listed', async () => {
      const clients = [
        { client_id: 'home-exams', name: 'exams', redirect_uris: ['http://localhost:4001/callback'], roles: ['student'] },
        { client_id: 'home-parents', name: 'parents', redirect_uris: ['http://localhost:4002/callback'], roles: ['father', 'mother', 'guardian'] },
        { client_id: 'home-payslips', name: 'payslips', redirect_uris: ['http://localhost:4003/callback'], roles: ['teacher', 'principal'] },
      ] as const;
      const menu = async (role: 'student' | 'teacher' | 'father', n: number) => {
        const nationalId = nationalIdFor(n);
        await createAccount(t.handle.db, t.hasher, { nationalId, password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role }] });
        const agent = createAgent(t.app);
        await agent.submit('/sign-in', { identifier: nationalId, password: PASSWORD });
        const home = await agent.get('/');
        return [...home.body.matchAll(/<li><a href="[^"]+">([^<]+)<\/a><\/li>/g)].map((m) => m[1]);
      };
      await t.handle.db.insertInto('oidc_clients').values(clients.map((c) => ({ ...c, redirect_uris: [...c.redirect_uris], roles: [...c.roles] }))).execute();
      try {
        // System support (F29) closes the menu for everyone signed in.
        assert.deepEqual(await menu('student', 140), ['ثبت نام آزمون مدارس تیز هوشان', 'پشتیبانی سامانه'], 'a student sees neither payslips nor the parents portal');
        assert.deepEqual(await menu('teacher', 141), ['فیش حقوقی', 'پشتیبانی سامانه']);
        assert.deepEqual(await menu('father', 142), ['پورتال اولیا', 'پشتیبانی سامانه']);
        await t.handle.db.updateTable('oidc_clients').set({ roles: [] }).where('client_id', '=', 'home-exams').execute();
        await t.handle.db.deleteFrom('oidc_clients').where('client_id', '=', 'home-parents').execute();
        assert.deepEqual(await menu('teacher', 143), ['ثبت نام آزمون مدارس تیز هوشان', 'فیش حقوقی', 'پورتال اولیا', 'پشتیبانی سامانه'], 'an app for any role, and a service no registered app stands for');
      } finally {
        await t.handle.db.deleteFrom('oidc_clients').where('client_id', 'like', 'home-%').execute();
      }
    });

    test('a wrong password keeps the identifier, explains, and never echoes the password', async () => {
      const agent = createAgent(t.app);
      const response = await agent.submit('/sign-in', { identifier: nationalIdFor(105), password: 'Secret-<b>-123' });
      assert.equal(response.statusCode, 400);
      assert.match(response.body, /نام کاربری یا رمز عبور صحیح نیست/);
      assert.match(response.body, new RegExp(`value="${nationalIdFor(105)}"`));
      assert.doesNotMatch(response.body, /Secret-/);
    });

    test('return_to brings the person back after sign-in, and only to this site', async () => {
      const nationalId = nationalIdFor(106);
      await createAccount(t.handle.db, t.hasher, { nationalId, password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'teacher' }] });
      const agent = createAgent(t.app);
      const away = await agent.submit('/sign-in?return_to=//evil.example/x', { identifier: nationalId, password: PASSWORD }, '/sign-in?return_to=//evil.example/x');
      assert.equal(away.headers.location, '/');
      const agent2 = createAgent(t.app);
      const back = await agent2.submit('/sign-in?return_to=%2Fpassword', { identifier: nationalId, password: PASSWORD }, '/sign-in?return_to=%2Fpassword');
      assert.equal(back.headers.location, '/password');
    });

    test('changing the password checks the old one and the policy, then ends the other sessions', async () => {
      const nationalId = nationalIdFor(107);
      await createAccount(t.handle.db, t.hasher, { nationalId, password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'teacher' }] });
      const apiToken = (await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: nationalId, password: PASSWORD } })).json().token;
      const agent = createAgent(t.app);
      await agent.submit('/sign-in', { identifier: nationalId, password: PASSWORD });

      const weak = await agent.submit('/password', { current: PASSWORD, password: 'abc', repeat: 'abd' });
      assert.equal(weak.statusCode, 400);
      assert.match(weak.body, /رمز عبور باید حداقل ۸ کاراکتر باشد/);
      assert.match(weak.body, /رمز عبور و تکرار آن یکسان نیستند/);

      const wrongOld = await agent.submit('/password', { current: 'Wrong-Old-1!', password: NEW_PASSWORD, repeat: NEW_PASSWORD });
      assert.match(wrongOld.body, /رمز عبور قدیمی صحیح نیست/);

      const done = await agent.submit('/password', { current: PASSWORD, password: NEW_PASSWORD, repeat: NEW_PASSWORD });
      assert.equal(done.statusCode, 200);
      assert.match(done.body, /کلمه عبور شما با موفقیت تغییر یافت/);
      assert.equal((await agent.get('/')).statusCode, 200, 'this session goes on');
      const old = await t.app.inject({ method: 'GET', url: '/api/v1/sessions/current', headers: { authorization: `Bearer ${apiToken}` } });
      assert.equal(old.statusCode, 401, 'the other session has ended');
      const signIn = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: nationalId, password: NEW_PASSWORD } });
      assert.equal(signIn.statusCode, 201);
      const events = await t.handle.db.selectFrom('audit_events').select('type').where('type', '=', 'password.changed').execute();
      assert.ok(events.length >= 1);
    });

    test('wrong current passwords on the change page slow down, then lock this session\'s changes, audited; the account still signs in', async () => {
      const nationalId = nationalIdFor(110);
      const { accountId } = await createAccount(t.handle.db, t.hasher, { nationalId, password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'teacher' }] });
      const agent = createAgent(t.app);
      await agent.submit('/sign-in', { identifier: nationalId, password: PASSWORD });
      let last = 0;
      for (let i = 0; i < t.config.lockout.threshold; i++) {
        t.clock.advance(6 * 60_000); // past any delay, well inside the session's idle time
        last = (await agent.submit('/password', { current: `Wrong-${i}-Aa!`, password: NEW_PASSWORD, repeat: NEW_PASSWORD })).statusCode;
      }
      assert.equal(last, 429, 'the guess that reaches the threshold locks');
      const refused = await agent.submit('/password', { current: PASSWORD, password: NEW_PASSWORD, repeat: NEW_PASSWORD });
      assert.equal(refused.statusCode, 429, 'locked: even the right password is not checked');
      const events = await t.handle.db.selectFrom('audit_events').select(['type', 'data']).where('subject_account_id', '=', accountId).execute();
      assert.equal(events.filter((e) => e.type === 'sign_in.failed').length, t.config.lockout.threshold);
      assert.deepEqual(events.filter((e) => e.type === 'sign_in.locked').map((e) => (e.data as { place: string }).place), ['session']);
      // The guesses were this session's: the owner signs in elsewhere as usual.
      assert.equal((await createAgent(t.app).submit('/sign-in', { identifier: nationalId, password: PASSWORD })).statusCode, 303);
    });

    test('a temporary password leads straight to the forced change, and nowhere else', async () => {
      const nationalId = nationalIdFor(108);
      await createAccount(t.handle.db, t.hasher, { nationalId, password: PASSWORD, mustChange: true, memberships: [{ organizationId: tree.schoolA, role: 'student' }] });
      const agent = createAgent(t.app);
      const signedIn = await agent.submit('/sign-in', { identifier: nationalId, password: PASSWORD });
      assert.equal(signedIn.headers.location, '/password');
      assert.equal((await agent.get('/')).headers.location, '/password?return_to=%2F');
      const form = await agent.get('/password');
      assert.match(form.body, /رمز عبور موقت/);
      const changed = await agent.submit('/password', { current: PASSWORD, password: NEW_PASSWORD, repeat: NEW_PASSWORD });
      assert.equal(changed.statusCode, 200);
      assert.match(changed.body, /کلمه عبور شما با موفقیت تغییر یافت/, 'the forced change says it is done, like the ordinary one');
      assert.match(changed.body, /<a class="button" href="\/">ادامه<\/a>/, 'then goes on home');
      assert.equal((await agent.get('/')).statusCode, 200);
    });

    test('after the forced change, the sign-in goes on where it was heading: the role choice, then return_to', async () => {
      const nationalId = nationalIdFor(111);
      await createAccount(t.handle.db, t.hasher, {
        nationalId, password: PASSWORD, mustChange: true,
        memberships: [{ organizationId: tree.schoolA, role: 'principal' }, { organizationId: tree.schoolB, role: 'teacher' }],
      });
      const agent = createAgent(t.app);
      const signedIn = await agent.submit('/sign-in?return_to=%2Faccount%2Factivity', { identifier: nationalId, password: PASSWORD }, '/sign-in?return_to=%2Faccount%2Factivity');
      assert.equal(signedIn.headers.location, '/password?return_to=%2Faccount%2Factivity');
      const form = await agent.get(signedIn.headers.location!);
      assert.match(form.body, /action="\/password\?return_to=%2Faccount%2Factivity"/, 'the form keeps the way on');
      const changed = await agent.submit(signedIn.headers.location!, { current: PASSWORD, password: NEW_PASSWORD, repeat: NEW_PASSWORD });
      assert.equal(changed.statusCode, 200);
      assert.match(changed.body, /class="alert success" role="status">کلمه عبور شما با موفقیت تغییر یافت/);
      const next = /<a class="button" href="([^"]+)">ادامه<\/a>/.exec(changed.body)?.[1];
      assert.equal(next, '/role?return_to=%2Faccount%2Factivity', 'two roles: the role choice comes next, and then the page asked for');
      const rolePage = await agent.get(next!);
      assert.equal(rolePage.statusCode, 200);
      assert.match(rolePage.body, /action="\/role\?return_to=%2Faccount%2Factivity"/);
    });

    test('signing out ends the session', async () => {
      const nationalId = nationalIdFor(109);
      await createAccount(t.handle.db, t.hasher, { nationalId, password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'teacher' }] });
      const agent = createAgent(t.app);
      await agent.submit('/sign-in', { identifier: nationalId, password: PASSWORD });
      const token = agent.cookies.get('kelid_session');
      const out = await agent.submit('/', {}, '/sign-out');
      assert.equal(out.statusCode, 303);
      const replay = await t.app.inject({ method: 'GET', url: '/', headers: { cookie: `kelid_session=${token}` } });
      assert.equal(replay.statusCode, 303, 'the old cookie no longer opens the home page');
      assert.match(String(replay.headers.location), /^\/sign-in/);
    });

    test('"sign out" in a second tab after the first signed out signs out too, not "form expired"; while signed in, a forged sign-out is still refused', async () => {
      const nationalId = nationalIdFor(9140);
      await createAccount(t.handle.db, t.hasher, { nationalId, password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'teacher' }] });
      const agent = createAgent(t.app);
      await agent.submit('/sign-in', { identifier: nationalId, password: PASSWORD });
      const forged = await agent.post('/sign-out', { _csrf: 'forged' });
      assert.equal(forged.statusCode, 403, 'signed in: the token is asked for');
      assert.equal((await agent.get('/')).statusCode, 200, 'still signed in');
      const secondTab = csrfTokenOf((await agent.get('/')).body);
      assert.equal((await agent.submit('/', {}, '/sign-out')).statusCode, 303);
      const stale = await agent.post('/sign-out', { _csrf: secondTab });
      assert.equal(stale.statusCode, 303);
      assert.equal(stale.headers.location, '/sign-in?signed_out');
      // Another site's form: the SameSite=Lax cookie does not come with it, and the answer must not clear it either.
      const victim = createAgent(t.app);
      await victim.submit('/sign-in', { identifier: nationalId, password: PASSWORD });
      const crossSite = await t.app.inject({ method: 'POST', url: '/sign-out', payload: 'x=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(crossSite.statusCode, 303);
      assert.equal(crossSite.headers['set-cookie'], undefined, 'no cookie sent, none cleared');
      assert.equal((await victim.get('/')).statusCode, 200, 'the victim is still signed in');
      // Someone else signed in meanwhile (a shared computer): the old tab's form, sent by the browser from this origin, signs them out.
      const cookieOf = (agent: ReturnType<typeof createAgent>) => [...agent.cookies].map(([n, v]) => `${n}=${v}`).join('; ');
      for (const origin of [{}, { 'sec-fetch-site': 'same-origin', 'sec-fetch-user': '?1' }, { 'sec-fetch-site': 'same-origin' }, { origin: new URL(t.config.publicUrl).origin },
        { 'sec-fetch-site': 'same-site', 'sec-fetch-user': '?1' }, { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }]) {
        const shared = createAgent(t.app);
        await shared.submit('/sign-in', { identifier: nationalId, password: PASSWORD });
        const oldTab = csrfTokenOf((await shared.get('/')).body);
        await shared.submit('/', {}, '/sign-out');
        await shared.submit('/sign-in', { identifier: nationalId, password: PASSWORD });
        const out = await t.app.inject({ method: 'POST', url: '/sign-out', payload: `_csrf=${encodeURIComponent(oldTab)}`, headers: { cookie: cookieOf(shared), 'content-type': 'application/x-www-form-urlencoded', ...origin } });
        const fromHere = 'sec-fetch-user' in origin && origin['sec-fetch-site'] === 'same-origin';
        // No word of a button pressed on this origin (a form a page submits by itself, an older browser), or another site
        // (with the cookie: a sibling host, a browser with SameSite=None): the token is asked for.
        assert.equal(out.statusCode, fromHere ? 303 : 403, JSON.stringify(origin));
        assert.equal((await shared.get('/')).statusCode, fromHere ? 303 : 200, JSON.stringify(origin));
      }
      // A dead session's cookie sent without its token: refused, as any form.
      const ended = createAgent(t.app);
      await ended.submit('/sign-in', { identifier: nationalId, password: PASSWORD });
      await t.handle.db.deleteFrom('sessions').where('account_id', '=', (await t.handle.db.selectFrom('accounts').innerJoin('people', 'people.id', 'accounts.person_id').select('accounts.id').where('people.national_id', '=', nationalId).executeTakeFirstOrThrow()).id).execute();
      assert.equal((await ended.post('/sign-out', { _csrf: 'forged' })).statusCode, 403);
    });
  });
}
