// One sign-in for every app (issue 10 §2–§3): the Kelid session is the provider's, so a person
// signed in goes straight through; prompt=login and max_age ask again; acr_values asks a second
// factor; the role to act as is chosen among the roles an app serves (none: access_denied);
// third-party apps ask consent and see a pairwise sub; signing out of Kelid signs out of the
// apps (back-channel logout), and an app's sign-out signs out of Kelid.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import * as jose from 'jose';
import { sql } from 'kysely';
import * as oidc from 'openid-client';
import { Secret, TOTP } from 'otpauth';
import { startListeningApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor, type Tree } from '../helpers/fixtures.ts';
import { AFTER_LOGOUT, authorizationRequest, authorize, CALLBACK, configFor, cookieBrowser, exchange, formAction, isCallback, registerClient, type TestClient } from '../helpers/oidc.ts';

const PASSWORD = 'Sahar-Mehr-1404!';

describe('single sign-on across apps', () => {
  let t: TestApp & { baseUrl: string };
  let tree: Tree;
  let logoutServer: Server;
  const logoutTokens: { client: string; token: string }[] = [];
  let logoutUri = '';
  const person = (n: number) => ({ identifier: nationalIdFor(n), password: PASSWORD });
  const teacher = person(5101);
  const principal = person(5102);
  const student = person(5103);
  const parent = person(5104);
  const stolen = person(5190);
  const leaving = person(5191);
  let apps: Record<'staff' | 'parents' | 'anyone' | 'thirdA' | 'thirdB' | 'thirdC' | 'staffBack' | 'heads', TestClient>;
  let students: { accountId: string; personId: string };

  before(async () => {
    logoutServer = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => { body += chunk; });
      request.on('end', () => {
        logoutTokens.push({ client: request.url ?? '', token: new URLSearchParams(body).get('logout_token') ?? '' });
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => logoutServer.listen(0, '127.0.0.1', resolve));
    const address = logoutServer.address();
    logoutUri = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    t = await startListeningApp('postgres', { KELID_ADMIN_MFA: 'required' });
    // The provider keeps time by the real clock (auth_time, max_age): Kelid's must follow it here.
    t.clock.now = () => new Date();
    tree = await createTree(t.handle.db);
    // Open-ended appointments: this test runs on the real date (above).
    const add = (who: { identifier: string }, memberships: NonNullable<Parameters<typeof createAccount>[2]['memberships']>, names: [string, string] = ['مریم', 'رضایی']) =>
      createAccount(t.handle.db, t.hasher, { nationalId: who.identifier, password: PASSWORD, firstName: names[0], lastName: names[1], memberships: memberships.map((m) => ({ startsOn: '2020-09-01', endsOn: null, ...m })) });
    await add(teacher, [{ organizationId: tree.schoolA, role: 'teacher' }, { organizationId: tree.schoolA, role: 'mother' }]);
    await add(stolen, [{ organizationId: tree.schoolA, role: 'teacher' }]);
    await add(leaving, [{ organizationId: tree.schoolA, role: 'teacher' }]);
    await add(principal, [{ organizationId: tree.schoolA, role: 'principal' }, { organizationId: tree.schoolB, role: 'teacher' }]);
    students = await add(student, [{ organizationId: tree.schoolA, role: 'student' }], ['امیر', 'نوری']);
    const parentAccount = await add(parent, [{ organizationId: tree.schoolA, role: 'father' }]);
    await t.handle.db.insertInto('guardianships').values({ parent_person_id: parentAccount.personId, child_person_id: students.personId, relation: 'father' }).execute();
    await t.handle.db.updateTable('memberships').set({ grade: 6 }).where('account_id', '=', students.accountId).execute();
    const employees = ['teacher', 'staff', 'deputy', 'principal'] as const;
    apps = {
      staff: await registerClient(t, { clientId: 'staff-app', roles: [...employees], backchannelLogoutUri: `${logoutUri}/staff-app` }),
      staffBack: await registerClient(t, { clientId: 'staff-app-2', roles: [...employees], backchannelLogoutUri: `${logoutUri}/staff-app-2` }),
      parents: await registerClient(t, { clientId: 'parents-app', roles: ['father', 'mother', 'guardian'], scopes: ['openid', 'profile', 'national_id', 'roles', 'children'] }),
      anyone: await registerClient(t, { clientId: 'anyone-app', roles: [], scopes: ['openid', 'profile', 'roles', 'children'] }),
      thirdA: await registerClient(t, { clientId: 'third-a', firstParty: false, roles: [], scopes: ['openid', 'profile'] }),
      thirdB: await registerClient(t, { clientId: 'third-b', firstParty: false, roles: [], scopes: ['openid', 'profile'], redirectUris: ['http://localhost:4998/callback'] }),
      heads: await registerClient(t, { clientId: 'heads-app', roles: ['principal'], scopes: ['openid', 'profile', 'roles'] }),
      // Another vendor's app on third-a's host (shared hosting), a path of its own.
      thirdC: await registerClient(t, { clientId: 'third-c', firstParty: false, roles: [], scopes: ['openid', 'profile'], redirectUris: [new URL('/other-vendor/callback', CALLBACK).href] }),
    };
  });
  after(async () => { await t.close(); logoutServer.close(); });

  const start = async (client: TestClient, parameters: Record<string, string> = {}) => {
    const config = await configFor(t.baseUrl, client);
    return { config, request: await authorizationRequest(config, { scope: 'openid profile roles', ...parameters }) };
  };

  test('signed in at one app, a person opens a second app without typing a password', async () => {
    const browser = cookieBrowser();
    const first = await start(apps.staff);
    const one = await authorize(browser, first.request, teacher);
    const tokensOne = await exchange(first.config, one, first.request);
    assert.equal((tokensOne.claims()!.acting_as as { role: string }).role, 'teacher');
    const second = await start(apps.parents, { scope: 'openid profile roles children' });
    const two = await authorize(browser, second.request);
    assert.ok(isCallback(two.url), `asked again: ${two.url}`);
    assert.ok(!two.hops.some((hop) => hop.url.includes('/sign-in')), 'no sign-in page on the way');
    const tokensTwo = await exchange(second.config, two, second.request);
    assert.equal((tokensTwo.claims()!.acting_as as { role: string }).role, 'mother', 'the parents app acts as the mother');
    assert.equal(tokensTwo.claims()!.sub, tokensOne.claims()!.sub, 'first-party apps share the subject');
  });

  test('a principal with two roles picks one among those the app serves, and the claims say which', async () => {
    const browser = cookieBrowser();
    const { config, request } = await start(apps.staff);
    const rolePage = await authorize(browser, request, principal);
    assert.match(rolePage.url, /\/interaction\//);
    assert.equal(rolePage.status, 200);
    assert.doesNotMatch(rolePage.body, / checked/, 'nothing chosen for the person');
    const teacherOption = /value="([0-9a-f-]{36})"[^>]*>\s*<span><strong>معلم/.exec(rolePage.body)?.[1];
    assert.ok(teacherOption, 'the teacher role is offered');
    const back = await browser.submit(rolePage, formAction(rolePage.body, /\/role$/), { membershipId: teacherOption }, isCallback);
    const claims = (await exchange(config, back, request)).claims()!;
    assert.deepEqual(claims.acting_as, { role: 'teacher', organization: 'دبیرستان ب', organization_id: tree.schoolB });
    assert.deepEqual((claims.roles as { role: string }[]).map((r) => r.role).sort(), ['principal', 'teacher']);
  });

  test('acting as an administrator in an app needs the second factor first', async () => {
    const browser = cookieBrowser();
    const { request } = await start(apps.staff);
    const rolePage = await authorize(browser, request, principal);
    const principalOption = /value="([0-9a-f-]{36})"[^>]*>\s*<span><strong>مدیر</.exec(rolePage.body)?.[1];
    const next = await browser.submit(rolePage, formAction(rolePage.body, /\/role$/), { membershipId: principalOption! }, isCallback);
    assert.match(next.url, /\/(mfa|account\/mfa)\?return_to=%2Finteraction%2F/);
  });

  test('an app that serves only administrators: the second factor comes first even when the app does not ask for roles', async () => {
    const browser = cookieBrowser();
    const { request } = await start(apps.heads, { scope: 'openid profile' });
    const next = await authorize(browser, request, principal);
    assert.match(next.url, /\/(mfa|account\/mfa)\?return_to=%2Finteraction%2F/, `let in as a principal alone: ${next.url}`);
    // Silently, signed in at Kelid's own page: a page is needed, so the app hears so, and gets no code.
    const signedIn = cookieBrowser();
    const form = await signedIn.go(`${t.baseUrl}/sign-in`);
    await signedIn.submit(form, formAction(form.body, /^\/sign-in/), principal);
    const silent = await start(apps.heads, { scope: 'openid profile', prompt: 'none' });
    const answer = await signedIn.go(silent.request.url.href, { stopAt: isCallback });
    assert.ok(isCallback(answer.url), answer.url);
    // No provider session is made where a page is needed (login_required), as for any request it cannot answer silently.
    assert.deepEqual([new URL(answer.url).searchParams.get('code'), new URL(answer.url).searchParams.get('error')], [null, 'login_required']);
  });

  test('"no role" taken for a request without the roles scope is not reused for one that asks for roles: the principal still chooses, and the second factor comes first', async () => {
    const browser = cookieBrowser();
    const plain = await start(apps.staffBack, { scope: 'openid profile' });
    const first = await authorize(browser, plain.request, principal);
    assert.ok(isCallback(first.url), `no roles asked, nothing to choose: ${first.url}`);
    const withRoles = await start(apps.staffBack, { scope: 'openid profile roles' });
    const rolePage = await authorize(browser, withRoles.request);
    assert.ok(!isCallback(rolePage.url), `roles asked: decided again, not a code at once: ${rolePage.url}`);
    assert.match(rolePage.url, /\/interaction\//);
    const principalOption = /value="([0-9a-f-]{36})"[^>]*>\s*<span><strong>مدیر</.exec(rolePage.body)?.[1];
    const next = await browser.submit(rolePage, formAction(rolePage.body, /\/role$/), { membershipId: principalOption! }, isCallback);
    assert.match(next.url, /\/(mfa|account\/mfa)\?return_to=%2Finteraction%2F/, 'acting as principal needs the second factor');
  });

  test('a person with none of the app\'s roles gets Kelid\'s page in their language, then the app hears access_denied', async () => {
    const browser = cookieBrowser();
    const { request } = await start(apps.staff);
    const refusal = await authorize(browser, request, student);
    assert.equal(refusal.status, 403);
    assert.match(refusal.body, /برای نقش‌های شما نیست/);
    const back = await browser.submit(refusal, formAction(refusal.body, /\/deny$/), {}, isCallback);
    const params = new URL(back.url).searchParams;
    assert.equal(params.get('error'), 'access_denied');
    assert.equal(params.get('code'), null, 'no code');
    assert.equal(params.get('state'), request.state);
    const events = await t.handle.db.selectFrom('audit_events').select('data').where('type', '=', 'oidc.access_denied').execute();
    assert.ok(events.some((e) => (e.data as { clientId: string }).clientId === 'staff-app'));
  });

  test('prompt=none: a second app with one role to act as answers at once; with two, the app hears interaction_required', async () => {
    const browser = cookieBrowser();
    const first = await start(apps.staff);
    await exchange(first.config, await authorize(browser, first.request, teacher), first.request);
    const silent = await start(apps.parents, { scope: 'openid profile roles', prompt: 'none' });
    const answered = await browser.go(silent.request.url.href, { stopAt: isCallback });
    assert.ok(isCallback(answered.url), answered.url);
    const claims = (await exchange(silent.config, answered, silent.request)).claims()!;
    assert.equal((claims.acting_as as { role: string }).role, 'mother');

    const principalBrowser = cookieBrowser();
    const own = await start(apps.anyone, { scope: 'openid profile' });
    await exchange(own.config, await authorize(principalBrowser, own.request, principal), own.request);
    const two = await start(apps.staff, { prompt: 'none' });
    const refused = await principalBrowser.go(two.request.url.href, { stopAt: isCallback });
    assert.equal(new URL(refused.url).searchParams.get('error'), 'interaction_required');
  });

  test('prompt=none after a sign-in at Kelid\'s own page, before any app: a code without a page (the provider\'s session made silently)', async () => {
    const browser = cookieBrowser();
    const signedOut = await start(apps.parents, { scope: 'openid profile roles', prompt: 'none' });
    const refused = await browser.go(signedOut.request.url.href, { stopAt: isCallback });
    assert.equal(new URL(refused.url).searchParams.get('error'), 'login_required', 'no Kelid session: no code');

    const form = await browser.go(`${t.baseUrl}/sign-in`);
    await browser.submit(form, formAction(form.body, /^\/sign-in/), parent);
    const silent = await start(apps.parents, { scope: 'openid profile roles', prompt: 'none' });
    const answered = await browser.go(silent.request.url.href, { stopAt: isCallback });
    assert.ok(isCallback(answered.url) && new URL(answered.url).searchParams.get('code'), answered.url);
    assert.equal(new URL(answered.url).searchParams.get('state'), silent.request.state);
    const path = answered.hops.map((hop) => new URL(hop.url).pathname);
    assert.ok(path.some((hop) => hop.startsWith('/interaction/')) && !path.includes('/sign-in'), `through Kelid's interaction, no sign-in page: ${path.join(' → ')}`);
    const tokens = await exchange(silent.config, answered, silent.request);
    assert.equal((tokens.claims()!.acting_as as { role: string }).role, 'father');
    // The provider's session is the Kelid session's sign-in: ending it (signing out of Kelid) ends the app's tokens.
    const home = await browser.go(`${t.baseUrl}/`);
    await browser.submit(home, '/sign-out', {});
    assert.equal((await oidc.tokenIntrospection(silent.config, tokens.access_token)).active, false);
  });

  test('prompt=none with a Kelid sign-in only, where a page would be needed: the app hears why (OIDC Core 3.1.2.6), and no page is shown', async () => {
    const signedIn = async (who: { identifier: string; password: string }) => {
      const browser = cookieBrowser();
      const form = await browser.go(`${t.baseUrl}/sign-in`);
      await browser.submit(form, formAction(form.body, /^\/sign-in/), who);
      return browser;
    };
    const silently = async (browser: ReturnType<typeof cookieBrowser>, client: TestClient, parameters: Record<string, string> = { prompt: 'none' }) => {
      const { request } = await start(client, parameters);
      const answer = await browser.go(request.url.href, { stopAt: isCallback });
      assert.ok(isCallback(answer.url), `a page was shown: ${answer.status} ${answer.url}`);
      const params = new URL(answer.url).searchParams;
      assert.equal(params.get('state'), request.state);
      assert.equal(params.get('code'), null, 'no code');
      return params.get('error');
    };
    const principalBrowser = await signedIn(principal);
    assert.equal(await silently(principalBrowser, apps.staff), 'interaction_required', 'two roles to choose among');
    const studentBrowser = await signedIn(student);
    assert.equal(await silently(studentBrowser, apps.staff), 'access_denied', 'none of the app\'s roles');
    const events = await t.handle.db.selectFrom('audit_events').select('data').where('type', '=', 'oidc.access_denied').execute();
    assert.ok(events.some((e) => (e.data as { reason: string }).reason === 'no_role_for_app'));
    const parentBrowser = await signedIn(parent);
    assert.equal(await silently(parentBrowser, apps.thirdA, { prompt: 'none', scope: 'openid profile' }), 'consent_required', 'a third-party app\'s consent');
    assert.equal(await silently(parentBrowser, apps.parents, { prompt: 'none', max_age: '0' }), 'login_required', 'a fresh sign-in asked for');
    // A max_age the Kelid sign-in is within: a code, though the provider has no session of its own yet (found by a review).
    const recent = await start(apps.parents, { prompt: 'none', max_age: '86400' });
    const withinAge = await (await signedIn(parent)).go(recent.request.url.href, { stopAt: isCallback });
    assert.ok(new URL(withinAge.url).searchParams.get('code'), withinAge.url);
    assert.ok(Math.abs(Number((await exchange(recent.config, withinAge, recent.request)).claims()!.auth_time) - Date.now() / 1000) < 120, 'auth_time is the Kelid sign-in\'s');
    // A temporary password is changed before any app is reached.
    const leavingBrowser = await signedIn(leaving);
    const account = await t.handle.db.selectFrom('people').innerJoin('accounts', 'accounts.person_id', 'people.id').select('accounts.id').where('national_id', '=', leaving.identifier).executeTakeFirstOrThrow();
    await t.handle.db.updateTable('credentials').set({ must_change: true }).where('account_id', '=', account.id).execute();
    assert.equal(await silently(leavingBrowser, apps.staff), 'interaction_required', 'a temporary password to change');
    await t.handle.db.updateTable('credentials').set({ must_change: false }).where('account_id', '=', account.id).execute();
    // The Kelid session ended elsewhere (its cookie still sent): the sign-in page is not shown either.
    await t.handle.db.deleteFrom('sessions').where('account_id', '=', account.id).execute();
    assert.equal(await silently(leavingBrowser, apps.staff), 'login_required', 'signed out');
    // The mark alone asks what prompt=none asks: no page, whoever sends it.
    assert.equal(await silently(cookieBrowser(), apps.staff, { kelid_silent: '1' }), 'login_required', 'an app that sends the mark itself');
  });

  test('login_hint (OIDC Core 3.1.2.1): an identifier the app hints at is the sign-in form\'s first value, in any digits; anything else is left out; the person may sign in as another', async () => {
    const valueOf = (body: string) => /<input[^>]*name="identifier"[^>]*>/.exec(body)?.[0].match(/value="([^"]*)"/)?.[1] ?? '';
    const persian = (digits: string) => digits.replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]!);
    const browser = cookieBrowser();
    const { config, request } = await start(apps.parents, { login_hint: ` ${persian(parent.identifier)} ` });
    const page = await browser.go(request.url.href, { stopAt: isCallback });
    assert.match(page.url, /\/sign-in\?return_to=%2Finteraction%2F/);
    assert.equal(valueOf(page.body), parent.identifier);
    // Someone else with the interaction's address but not the app's request learns nothing of it.
    const bare = new URL(page.url);
    bare.searchParams.delete('login_hint');
    assert.equal(valueOf((await cookieBrowser().go(bare.href)).body), '', 'the hint comes from the address, never from the interaction');
    // The last two are cut where a character's two halves meet (an emoji): the cut keeps the pair whole, no 500.
    for (const junk of ['<b>x</b>', 'Call 0912 123 4567 for help', '0012345678', 'x'.repeat(300), `${'a'.repeat(63)}\u{1F600}`, `${'۱'.repeat(63)}\u{1F600}`]) {
      const other = await start(apps.parents, { login_hint: junk });
      const shown = await cookieBrowser().go(other.request.url.href, { stopAt: isCallback });
      assert.match(shown.url, /\/sign-in\?return_to=%2Finteraction%2F/);
      assert.equal(valueOf(shown.body), '', `not an identifier: ${junk.slice(0, 40)}`);
      assert.ok(!shown.body.includes('Call 0912'), 'nothing of it on the page');
    }
    // Only a hint: the teacher who is also a mother signs in over the father's ID, as herself.
    const back = await browser.submit(page, formAction(page.body, /^\/sign-in/), teacher, isCallback);
    const claims = (await exchange(config, back, request)).claims()!;
    assert.equal((claims.acting_as as { role: string }).role, 'mother');
  });

  test('refused, "sign in with another account" signs out of Kelid and comes back to the same app\'s sign-in: the other account gets its code', async () => {
    const browser = cookieBrowser();
    // The app hinted at the student: the hint names the person signed out, not the other account, and goes.
    const { config, request } = await start(apps.staff, { login_hint: student.identifier });
    const refusal = await authorize(browser, request, student);
    assert.equal(refusal.status, 403);
    const signIn = await browser.submit(refusal, formAction(refusal.body, /\/switch$/), {});
    assert.match(signIn.url, /\/sign-in\?return_to=%2Finteraction%2F/);
    assert.ok(!signIn.url.includes(student.identifier), `no hint in ${signIn.url}`);
    const back = await browser.submit(signIn, formAction(signIn.body, /^\/sign-in/), teacher, isCallback);
    const claims = (await exchange(config, back, request)).claims()!;
    assert.equal((claims.acting_as as { role: string }).role, 'teacher');
  });

  test('children: a parent\'s own children with school and grade; a person who is no parent gets an empty list', async () => {
    const parentRun = await start(apps.parents, { scope: 'openid profile roles children' });
    const parentClaims = (await exchange(parentRun.config, await authorize(cookieBrowser(), parentRun.request, parent), parentRun.request)).claims()!;
    assert.deepEqual(parentClaims.children, [{ national_id: student.identifier, given_name: 'امیر', family_name: 'نوری', school: 'دبستان الف', grade: 6 }]);
    const anyoneRun = await start(apps.anyone, { scope: 'openid profile roles children' });
    const studentClaims = (await exchange(anyoneRun.config, await authorize(cookieBrowser(), anyoneRun.request, student), anyoneRun.request)).claims()!;
    assert.deepEqual(studentClaims.children, []);
    assert.equal((studentClaims.roles as { grade?: number }[])[0]!.grade, 6, 'a student\'s grade comes with the role');
  });

  test('prompt=login and an exceeded max_age ask for the password again; a fresh sign-in satisfies them', async () => {
    const browser = cookieBrowser();
    const first = await start(apps.staff);
    await exchange(first.config, await authorize(browser, first.request, teacher), first.request);
    for (const parameters of [{ prompt: 'login' }, { max_age: '0' }]) {
      const again = await start(apps.staff, parameters);
      const page = await authorize(browser, again.request);
      assert.match(page.url, /\/sign-in\?return_to=.*again=1/, JSON.stringify(parameters));
      const back = await browser.submit(page, formAction(page.body, /^\/sign-in/), teacher, isCallback);
      const claims = (await exchange(again.config, back, again.request)).claims()!;
      assert.ok(claims.auth_time! >= Math.floor(Date.now() / 1000) - 5, 'auth_time is the new sign-in');
    }
    // Signing in again in the same browser replaces the Kelid session, signing out of nothing:
    // the apps of the ended-sessions watch (every 2 s) hear no logout for the browser's sid.
    const third = await start(apps.staffBack);
    const sid = (await exchange(third.config, await authorize(browser, third.request), third.request)).claims()!.sid;
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const jwks = jose.createRemoteJWKSet(new URL(`${t.baseUrl}/oidc/jwks`));
    const sids = await Promise.all(logoutTokens.map(async (l) => (await jose.jwtVerify(l.token, jwks, { issuer: `${t.baseUrl}/oidc` })).payload.sid));
    assert.ok(!sids.includes(sid), 'no app was told this browser signed out');
  });

  test('acr_values asking a second factor: a person with one passes it, and the ID token says mfa', async () => {
    const mfaPerson = person(5105);
    const { accountId } = await createAccount(t.handle.db, t.hasher, { nationalId: mfaPerson.identifier, password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'teacher', startsOn: '2020-09-01', endsOn: null }] });
    const { seal } = await import('../../src/identity/secret-box.ts');
    const { deriveKeys } = await import('../../src/secrets.ts');
    const secret = new Secret({ size: 20 });
    await t.handle.db.insertInto('mfa_totp').values({ account_id: accountId, secret_ciphertext: seal(deriveKeys(t.config.secret!).secretBox, secret.base32), confirmed_at: new Date() }).execute();
    const browser = cookieBrowser();
    const { config, request } = await start(apps.staff, { acr_values: 'urn:kelid:acr:mfa' });
    const mfaPage = await authorize(browser, request, mfaPerson);
    assert.match(mfaPage.url, /\/mfa\?return_to=%2Finteraction%2F/);
    const code = new TOTP({ secret, digits: 6, period: 30 }).generate({ timestamp: t.clock.now().getTime() });
    const back = await browser.submit(mfaPage, formAction(mfaPage.body, /^\/mfa/), { code }, isCallback);
    const claims = (await exchange(config, back, request)).claims()!;
    assert.equal(claims.acr, 'urn:kelid:acr:mfa');
    assert.deepEqual([...(claims.amr as string[])].sort(), ['mfa', 'otp', 'pwd']);
  });

  test('signed in by a one-time code, an app hears amr otp+sms and the code\'s acr; an app asking for a password gets the password sign-in first', async () => {
    const codePerson = person(5106);
    await createAccount(t.handle.db, t.hasher, {
      nationalId: codePerson.identifier, password: PASSWORD, mobile: '+989125106000',
      memberships: [{ organizationId: tree.schoolA, role: 'teacher', startsOn: '2020-09-01', endsOn: null }],
    });
    const newestCode = async () => {
      const rows = await sql<{ text: string }>`select text from outbox where recipient = '+989125106000' and status <> 'withheld' order by seq desc limit 1`.execute(t.handle.db);
      return /[0-9۰-۹]{6}/.exec(rows.rows[0]!.text)![0];
    };
    const browser = cookieBrowser();
    const first = await start(apps.staff);
    const signIn = await browser.go(first.request.url.href);
    const codeLink = /<a href="(\/sign-in\/code\?return_to=[^"]+)">/.exec(signIn.body);
    assert.ok(codeLink, 'the sign-in page offers the code');
    const identify = await browser.go(new URL(codeLink[1]!.replace(/&amp;/g, '&'), signIn.url).href);
    const verify = await browser.submit(identify, new URL(identify.url).pathname, { identifier: codePerson.identifier, action: 'send_sms' });
    assert.match(verify.body, /autocomplete="one-time-code"/);
    const back = await browser.submit(verify, new URL(verify.url).pathname, { code: await newestCode(), action: 'verify' }, isCallback);
    const claims = (await exchange(first.config, back, first.request)).claims()!;
    assert.deepEqual([...(claims.amr as string[])].sort(), ['otp', 'sms']);
    assert.equal(claims.acr, 'urn:kelid:acr:code');

    // Another app wants a password: the same browser is sent to the password sign-in, with no code offered.
    const second = await start(apps.staffBack, { acr_values: 'urn:kelid:acr:password' });
    const passwordPage = await browser.go(second.request.url.href);
    assert.match(passwordPage.url, /\/sign-in\?return_to=%2Finteraction%2F[^&]+&again=1&password=1$/);
    assert.doesNotMatch(passwordPage.body, /\/sign-in\/code/);
    const done = await browser.submit(passwordPage, formAction(passwordPage.body, /^\/sign-in/), codePerson, isCallback);
    const strong = (await exchange(second.config, done, second.request)).claims()!;
    assert.equal(strong.acr, 'urn:kelid:acr:password');
    assert.deepEqual(strong.amr, ['pwd']);
  });

  test('a code and an authenticator are not the password and a second factor: no mfa acr, and an admin role asks for the password', async () => {
    const phonePerson = person(5107);
    const { accountId } = await createAccount(t.handle.db, t.hasher, {
      nationalId: phonePerson.identifier, password: PASSWORD, mobile: '+989125107000',
      memberships: [{ organizationId: tree.schoolA, role: 'teacher', startsOn: '2020-09-01', endsOn: null }, { organizationId: tree.schoolA, role: 'principal', startsOn: '2020-09-01', endsOn: null }],
    });
    const { seal } = await import('../../src/identity/secret-box.ts');
    const { deriveKeys } = await import('../../src/secrets.ts');
    const secret = new Secret({ size: 20 });
    await t.handle.db.insertInto('mfa_totp').values({ account_id: accountId, secret_ciphertext: seal(deriveKeys(t.config.secret!).secretBox, secret.base32), confirmed_at: new Date() }).execute();
    const newestCode = async () => {
      const rows = await sql<{ text: string }>`select text from outbox where recipient = '+989125107000' and status <> 'withheld' order by seq desc limit 1`.execute(t.handle.db);
      return /[0-9۰-۹]{6}/.exec(rows.rows[0]!.text)![0];
    };
    const browser = cookieBrowser();
    // Signed in by a code, then past the authenticator (the second-factor page of the console).
    const identify = await browser.go(`${t.baseUrl}/sign-in/code`);
    const verify = await browser.submit(identify, new URL(identify.url).pathname, { identifier: phonePerson.identifier, action: 'send_sms' });
    await browser.submit(verify, new URL(verify.url).pathname, { code: await newestCode(), action: 'verify' });
    const mfaPage = await browser.go(`${t.baseUrl}/mfa`);
    const totp = new TOTP({ secret, digits: 6, period: 30 }).generate({ timestamp: t.clock.now().getTime() });
    await browser.submit(mfaPage, formAction(mfaPage.body, /^\/mfa/), { code: totp });
    const [session] = await t.handle.db.selectFrom('sessions').select(['mfa_at', 'amr']).where('account_id', '=', accountId).execute();
    assert.ok(session!.mfa_at, 'the authenticator was passed');

    const { config, request } = await start(apps.staff);
    const rolePage = await authorize(browser, request);
    const option = (label: string) => new RegExp(`value="([0-9a-f-]{36})"[^>]*>\\s*<span><strong>${label}<`).exec(rolePage.body)?.[1];
    // Acting as principal (an admin role, second factor required): the password first, not the authenticator again.
    const principal = await browser.submit(rolePage, formAction(rolePage.body, /\/role$/), { membershipId: option('مدیر')! }, isCallback);
    assert.match(principal.url, /\/sign-in\?return_to=%2Finteraction%2F[^&]+&again=1&password=1$/);
    // As a teacher: in, with the code's class.
    const back = await browser.submit(rolePage, formAction(rolePage.body, /\/role$/), { membershipId: option('معلم')! }, isCallback);
    const claims = (await exchange(config, back, request)).claims()!;
    assert.equal(claims.acr, 'urn:kelid:acr:code');
    assert.deepEqual([...(claims.amr as string[])].sort(), ['otp', 'sms'], 'no mfa in amr either without a password');
    // An app asking for the second factor's class gets the password sign-in first.
    const strong = await start(apps.staffBack, { acr_values: 'urn:kelid:acr:mfa' });
    assert.match((await browser.go(strong.request.url.href)).url, /\/sign-in\?return_to=%2Finteraction%2F[^&]+&again=1&password=1$/);
  });

  test('response_mode=form_post: Kelid\'s page in the person\'s language posts the answer to the app, with no inline script', async () => {
    const browser = cookieBrowser();
    const fields = (body: string) => Object.fromEntries([...body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!.replaceAll('&amp;', '&')]));
    // Signed out, prompt=none: the error goes back by the form.
    const silent = await start(apps.staff, { response_mode: 'form_post', prompt: 'none' });
    const refusal = await browser.go(silent.request.url.href, { stopAt: isCallback });
    assert.equal(refusal.status, 400);
    assert.match(refusal.body, /<html lang="fa" dir="rtl"/);
    assert.deepEqual([fields(refusal.body).error, fields(refusal.body).state], ['login_required', silent.request.state]);
    // Signed in: the code, to the registered redirect URI, in the person's language.
    const { config, request } = await start(apps.staff, { response_mode: 'form_post' });
    const page = await authorize(browser, request, teacher);
    assert.equal(page.status, 200);
    assert.match(page.body, /<html lang="fa" dir="rtl"/);
    assert.ok(page.body.includes(`<form method="post" action="${CALLBACK}" data-auto-submit>`));
    assert.match(page.body, />ادامه<\/button>/);
    assert.doesNotMatch(page.body, /Submitting Callback|JavaScript|<script>/);
    assert.match(page.body, /<script src="\/assets\/auto-submit\.[0-9a-f]+\.js" defer><\/script>/);
    const answer = fields(page.body);
    assert.equal(answer.state, request.state);
    const callback = new URL(CALLBACK);
    for (const [name, value] of Object.entries(answer)) callback.searchParams.set(name, value);
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce });
    assert.ok(tokens.claims()!.sub, 'the code posted is the one the app redeems');
  });

  test('third-party apps ask consent in the person\'s language and see a pairwise sub, stable per app, another in every app even on one host', async () => {
    const browser = cookieBrowser();
    const subs: string[] = [];
    for (const client of [apps.thirdA, apps.thirdA, apps.thirdB, apps.thirdC]) {
      const config = await configFor(t.baseUrl, client);
      const redirect = client === apps.thirdB ? 'http://localhost:4998/callback' : client === apps.thirdC ? new URL('/other-vendor/callback', CALLBACK).href : CALLBACK;
      const request = await authorizationRequest(config, { scope: 'openid profile', redirect_uri: redirect });
      let page = await browser.go(request.url.href, { stopAt: (location) => location.startsWith(redirect) });
      if (/\/sign-in/.test(page.url)) page = await browser.submit(page, formAction(page.body, /^\/sign-in/), teacher, (location) => location.startsWith(redirect));
      if (page.status === 200) {
        assert.match(page.body, /می‌خواهد این اطلاعات شما را ببیند/);
        assert.match(page.body, /نام، نام خانوادگی و زبان شما/);
        page = await browser.submit(page, formAction(page.body, /\/consent$/), { decision: 'allow' }, (location) => location.startsWith(redirect));
      }
      assert.ok(page.url.startsWith(redirect), `stopped at ${page.status} ${page.url}: ${page.hops.map((h) => `${h.status} ${h.url}`).join(' → ')}`);
      const tokens = await oidc.authorizationCodeGrant(config, new URL(page.url), { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce });
      subs.push(tokens.claims()!.sub);
      // No identifier the same at every app beside the pairwise sub: not in the ID token, not at userinfo.
      const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
      for (const claims of [tokens.claims()!, userinfo]) {
        assert.equal(claims.user_code, undefined, 'no user code for a third-party app');
        assert.equal(claims.given_name, 'مریم', 'the names, as the consent page said');
      }
    }
    // A first-party app still gets the user code with profile.
    const first = await start(apps.staff, { scope: 'openid profile' });
    assert.match(String((await exchange(first.config, await authorize(browser, first.request), first.request)).claims()!.user_code), /^[A-Z0-9]{8}$/);
    assert.equal(subs[0], subs[1], 'the same app sees the same sub');
    assert.notEqual(subs[0], subs[2], 'another app cannot link it');
    assert.notEqual(subs[0], subs[3], 'nor can another app on the same host: pairwise per app, not per host');
    assert.equal(new Set(subs).size, 3);
    assert.ok(subs.every((sub) => !/^[0-9a-f-]{36}$/.test(sub)), 'not the account id');
  });

  test('a third-party app with JWT access tokens (its own API as the resource) is asked consent once, then signs in', async () => {
    const jwtApp = await registerClient(t, { clientId: 'third-jwt', firstParty: false, accessTokenFormat: 'jwt', roles: [], scopes: ['openid', 'profile'] });
    const browser = cookieBrowser();
    const { config, request } = await start(jwtApp, { scope: 'openid profile' });
    const consent = await authorize(browser, request, teacher);
    assert.match(consent.body, /می‌خواهد این اطلاعات شما را ببیند/);
    const back = await browser.submit(consent, formAction(consent.body, /\/consent$/), { decision: 'allow' }, isCallback);
    assert.ok(isCallback(back.url), `after one consent, back at the app (not asked again): ${back.status} ${back.url}`);
    const tokens = await exchange(config, back, request);
    assert.equal(tokens.access_token.split('.').length, 3, 'a JWT access token');
  });

  test('consent refused: the app hears access_denied', async () => {
    const browser = cookieBrowser();
    const config = await configFor(t.baseUrl, apps.thirdA);
    const request = await authorizationRequest(config, { scope: 'openid profile', prompt: 'consent' });
    const page = await authorize(browser, request, student);
    const back = await browser.submit(page, formAction(page.body, /\/consent$/), { decision: 'deny' }, isCallback);
    assert.equal(new URL(back.url).searchParams.get('error'), 'access_denied');
  });

  test('signing out of Kelid tells the apps by back-channel, and the next app asks for the password', async () => {
    const browser = cookieBrowser();
    const one = await start(apps.staff);
    const tokens = await exchange(one.config, await authorize(browser, one.request, teacher), one.request);
    const two = await start(apps.staffBack);
    await exchange(two.config, await authorize(browser, two.request), two.request);
    logoutTokens.length = 0;
    const home = await browser.go(`${t.baseUrl}/`);
    await browser.submit(home, '/sign-out', {});
    assert.deepEqual(logoutTokens.map((l) => l.client).sort(), ['/staff-app', '/staff-app-2']);
    const jwks = jose.createRemoteJWKSet(new URL(`${t.baseUrl}/oidc/jwks`));
    const { payload } = await jose.jwtVerify(logoutTokens.find((l) => l.client === '/staff-app')!.token, jwks, { issuer: `${t.baseUrl}/oidc`, audience: 'staff-app' });
    assert.equal(payload.sub, tokens.claims()!.sub);
    assert.equal(payload.sid, tokens.claims()!.sid);
    assert.ok((payload.events as Record<string, unknown>)['http://schemas.openid.net/event/backchannel-logout']);
    const again = await start(apps.staff);
    const page = await authorize(browser, again.request);
    assert.match(page.url, /\/sign-in\?return_to=/, 'signed out everywhere');
  });

  test('a principal who also teaches, let into an employees\' app with the password: once the teaching ends, refreshes stop (the second factor a new sign-in would ask)', async () => {
    const head = person(5120);
    const { accountId } = await createAccount(t.handle.db, t.hasher, { nationalId: head.identifier, password: PASSWORD, memberships: [
      { organizationId: tree.schoolA, role: 'principal', startsOn: '2020-09-01', endsOn: null }, { organizationId: tree.schoolB, role: 'teacher', startsOn: '2020-09-01', endsOn: null }] });
    const browser = cookieBrowser();
    const { config, request } = await start(apps.staff, { scope: 'openid profile' });
    const tokens = await exchange(config, await authorize(browser, request, head), request);
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    assert.ok(refreshed.access_token, 'as a teacher too: no second factor asked');
    await t.handle.db.updateTable('memberships').set({ ends_on: '2020-12-31' }).where('account_id', '=', accountId).where('role', '=', 'teacher').execute();
    await assert.rejects(oidc.refreshTokenGrant(config, refreshed.refresh_token!), (error: { error?: string }) => error.error === 'invalid_grant');
    // A new sign-in asks the second factor first.
    const again = await start(apps.staff, { scope: 'openid profile' });
    assert.match((await authorize(browser, again.request)).url, /\/(mfa|account\/mfa)\?return_to=%2Finteraction%2F/);
  });

  test('a third-party app keeps its people\'s sub when it moves host, and asks their consent again there; one registered again under a removed app\'s client ID is another app to its people', async () => {
    const { removeClient, updateClient } = await import('../../src/federation/clients.ts');
    const { CLIENT_ROLES } = await import('../../src/domain/oidc-client.ts');
    const change = { actorAccountId: null, actingMembershipId: null, ip: null };
    const signIn = async (browser: ReturnType<typeof cookieBrowser>, client: TestClient, redirect: string) => {
      const config = await configFor(t.baseUrl, client);
      const request = await authorizationRequest(config, { scope: 'openid profile', redirect_uri: redirect });
      const arrived = (location: string) => location.startsWith(redirect);
      let page = await browser.go(request.url.href, { stopAt: arrived });
      if (/\/sign-in/.test(page.url)) page = await browser.submit(page, formAction(page.body, /^\/sign-in/), teacher, arrived);
      const consentAsked = page.status === 200 && /\/consent"/.test(page.body);
      if (consentAsked) page = await browser.submit(page, formAction(page.body, /\/consent$/), { decision: 'allow' }, arrived);
      assert.ok(arrived(page.url), `stopped at ${page.status} ${page.url}`);
      const tokens = await oidc.authorizationCodeGrant(config, new URL(page.url), { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce });
      return { sub: tokens.claims()!.sub, consentAsked };
    };
    const mover = await registerClient(t, { clientId: 'mover', firstParty: false, roles: [], scopes: ['openid', 'profile'] });
    const browser = cookieBrowser();
    const first = await signIn(browser, mover, CALLBACK);
    assert.equal(first.consentAsked, true);
    assert.equal((await signIn(browser, mover, CALLBACK)).consentAsked, false, 'consented once');
    const elsewhere = 'http://localhost:4997/callback';
    assert.deepEqual(await updateClient(t.handle.db, 'mover', { redirectUris: [elsewhere] }, CLIENT_ROLES, change), { ok: true, changed: ['redirectUris'], grantsEnded: true });
    assert.deepEqual(await signIn(browser, mover, elsewhere), { sub: first.sub, consentAsked: true }, 'the same sub, consent asked again at the new host');

    await removeClient(t.handle.db, 'mover', change);
    const reborn = await registerClient(t, { clientId: 'mover', firstParty: false, roles: [], scopes: ['openid', 'profile'], redirectUris: [elsewhere] });
    assert.notEqual((await signIn(browser, reborn, elsewhere)).sub, first.sub, 'another registration, another sub');

    // An app registered before its sector was drawn (migration 0030) made its people's sub from its host: moved, it keeps that host as its sector.
    await t.handle.db.updateTable('oidc_clients').set({ pairwise_sector: null }).where('client_id', '=', 'mover').execute();
    assert.equal((await updateClient(t.handle.db, 'mover', { redirectUris: ['https://new.example.org/cb'] }, CLIENT_ROLES, change)).ok, true);
    const stored = await t.handle.db.selectFrom('oidc_clients').select('pairwise_sector').where('client_id', '=', 'mover').executeTakeFirstOrThrow();
    assert.equal(stored.pairwise_sector, 'localhost:4997');
  });

  test('an appointment that ended stops the refreshes of the apps that serve its role (invalid_grant), not of an app for anyone', async () => {
    const browser = cookieBrowser();
    const grants = [];
    for (const [app, scope] of [[apps.staff, 'openid profile'], [apps.staffBack, 'openid profile roles'], [apps.anyone, 'openid profile']] as const) {
      const { config, request } = await start(app, { scope });
      const tokens = await exchange(config, await authorize(browser, request, leaving), request);
      grants.push({ config, refresh: (await oidc.refreshTokenGrant(config, tokens.refresh_token!)).refresh_token! });
    }
    await t.handle.db.updateTable('memberships').set({ ends_on: '2020-12-31' })
      .where('account_id', '=', (eb) => eb.selectFrom('accounts as a').innerJoin('people as p', 'p.id', 'a.person_id').select('a.id').where('p.national_id', '=', leaving.identifier))
      .execute();
    for (const { config, refresh } of grants.slice(0, 2)) {
      await assert.rejects(oidc.refreshTokenGrant(config, refresh), (error: { error?: string }) => error.error === 'invalid_grant');
    }
    const anyone = await oidc.refreshTokenGrant(grants[2]!.config, grants[2]!.refresh);
    assert.ok(anyone.access_token, 'an app for anyone still refreshes');
    // Still signed in to Kelid, in the browser that chose the role: no new code either, for a
    // role chosen (roles asked) or taken (not asked), with a page or with prompt=none.
    for (const [app, scope] of [[apps.staff, 'openid profile'], [apps.staffBack, 'openid profile roles']] as const) {
      for (const parameters of [{ scope }, { scope, prompt: 'none' }]) {
        const page = await authorize(browser, (await start(app, parameters)).request);
        assert.ok(!(isCallback(page.url) && new URL(page.url).searchParams.has('code')), `no code once the role ended: ${page.status} ${page.url}`);
        if (isCallback(page.url)) assert.ok(new URL(page.url).searchParams.get('error'), 'an error to the app');
        else assert.equal(page.status, 403, 'the localized refusal');
      }
    }
    const open = await authorize(browser, (await start(apps.anyone, { scope: 'openid profile' })).request);
    assert.ok(isCallback(open.url) && new URL(open.url).searchParams.has('code'), 'an app for anyone still signs the person in');
  });

  test('a session ended from another browser signs its apps out too (back-channel), and its tokens stop working', async () => {
    const thief = cookieBrowser();
    const owner = cookieBrowser();
    const first = await start(apps.staff);
    const tokens = await exchange(first.config, await authorize(thief, first.request, stolen), first.request);
    assert.equal((await oidc.tokenIntrospection(first.config, tokens.access_token)).active, true);
    logoutTokens.length = 0;
    // The owner signs in elsewhere and ends every other session from the list of sessions.
    const signIn = await owner.go(`${t.baseUrl}/sign-in`);
    await owner.submit(signIn, formAction(signIn.body, /^\/sign-in/), stolen);
    const list = await owner.go(`${t.baseUrl}/account/sessions`);
    const ended = await owner.submit(list, '/account/sessions/end-others', {});
    assert.match(ended.url, /others=1/);
    // Other tests' endings may be told meanwhile: this session's are the ones with its sid.
    const jwks = jose.createRemoteJWKSet(new URL(`${t.baseUrl}/oidc/jwks`));
    const told = async () => (await Promise.all(logoutTokens.map(async (l) => ({ client: l.client, payload: (await jose.jwtVerify(l.token, jwks, { issuer: `${t.baseUrl}/oidc` })).payload }))))
      .filter((l) => l.payload.sub === tokens.claims()!.sub);
    for (let waited = 0; waited < 10_000 && (await told()).length === 0; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    const heard = await told();
    assert.deepEqual(heard.map((l) => [l.client, l.payload.aud, l.payload.sid]), [['/staff-app', 'staff-app', tokens.claims()!.sid]], 'the app of the ended session is told, once');
    assert.equal((await oidc.tokenIntrospection(first.config, tokens.access_token)).active, false, 'its grant went with it');
    // The thief's browser is asked to sign in again; the owner's goes straight through, its apps untold.
    assert.match((await authorize(thief, (await start(apps.staff)).request)).url, /\/sign-in\?return_to=/);
    const mine = await start(apps.staff);
    await exchange(mine.config, await authorize(owner, mine.request), mine.request);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    assert.equal((await told()).length, 1, 'the owner\'s own sign-in and app are not told');
    assert.equal(await t.handle.db.selectFrom('ended_sessions').select('id').executeTakeFirst(), undefined, 'every ending handled');
  });

  test('an app\'s sign-out (RP-initiated, confirmed) ends the Kelid session, and goes back only to a registered URI', async () => {
    const browser = cookieBrowser();
    const { config, request } = await start(apps.staff);
    const tokens = await exchange(config, await authorize(browser, request, teacher), request);
    const unregistered = oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: 'http://127.0.0.1:4999/evil' });
    const refused = await browser.go(unregistered.href);
    assert.equal(refused.status, 400);
    assert.match(refused.body, /<html lang="fa"/);
    const logout = oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: AFTER_LOGOUT, state: 'bye' });
    const confirm = await browser.go(logout.href);
    assert.match(confirm.body, /خارج شوید؟/);
    assert.match(confirm.body, /id="op.logoutForm"/);
    const done = await browser.go(new URL(/action="([^"]+)"/.exec(confirm.body.slice(confirm.body.indexOf('op.logoutForm') - 200))![1]!.replaceAll('&amp;', '&'), t.baseUrl).href, {
      form: { xsrf: /name="xsrf" value="([^"]+)"/.exec(confirm.body)![1]!, logout: 'yes' }, stopAt: isCallback,
    });
    assert.equal(done.url, `${AFTER_LOGOUT}?state=bye`);
    assert.equal(browser.cookie('kelid_session'), undefined, 'the Kelid session cookie is gone');
    const home = await browser.go(`${t.baseUrl}/`);
    assert.match(home.url, /\/sign-in/);

    // The app's sign-out again, no one signed in any more (another tab did it): Kelid's page in
    // the person's language, whose button (pressed by a script, or by hand without one) goes on.
    const again = await browser.go(oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: AFTER_LOGOUT, state: 'again' }).href);
    assert.equal(again.status, 200);
    assert.match(again.body, /<html lang="fa"/);
    assert.match(again.body, /شما از «کلید» خارج شده‌اید/);
    assert.doesNotMatch(again.body, /Continue|JavaScript/);
    const back = await browser.go(new URL(/<form method="post" action="([^"]+)"/.exec(again.body)![1]!.replaceAll('&amp;', '&'), t.baseUrl).href, {
      form: { xsrf: /name="xsrf" value="([^"]+)"/.exec(again.body)![1]!, logout: /name="logout" value="([^"]+)"/.exec(again.body)![1]! }, stopAt: isCallback,
    });
    assert.equal(back.url, `${AFTER_LOGOUT}?state=again`);
  });

  test('a language chosen on the provider\'s own pages (the sign-out question\'s links) is remembered, as on every other page', async () => {
    for (const path of ['/oidc/session/end?lang=he', '/oidc/auth?client_id=nobody&lang=he']) {
      const answer = await fetch(`${t.baseUrl}${path}`, { redirect: 'manual' });
      assert.match(await answer.text(), /<html lang="he"/, path);
      assert.match(answer.headers.getSetCookie().join('\n'), /^kelid_lang=he; Max-Age=31536000; Path=\/; HttpOnly; SameSite=Lax$/m, path);
    }
  });

  test('a form posted to the authorization and end-session endpoints (OIDC Core 3.1.2.1, RP-Initiated Logout §2) is answered as the GET: a 303 to it', async () => {
    const browser = cookieBrowser();
    const { config, request } = await start(apps.staff);
    const form = { ...Object.fromEntries(request.url.searchParams), login_hint: teacher.identifier };
    const posted = await browser.go(`${t.baseUrl}/oidc/auth`, { form, stopAt: (location) => location.includes('/oidc/auth?') });
    assert.equal(posted.status, 303);
    assert.deepEqual([...new URL(posted.url).searchParams.keys()], ['kelid_form'], 'the parameters, sealed: none of them in the address');
    for (const value of Object.values(form)) assert.ok(!posted.url.includes(encodeURIComponent(value)), value);
    const signIn = await browser.go(posted.url);
    assert.match(signIn.url, /\/sign-in\?return_to=%2Finteraction%2F/);
    assert.ok(!signIn.url.includes(teacher.identifier), `the posted login_hint is in no address: ${signIn.url}`);
    const back = await browser.submit(signIn, formAction(signIn.body, /^\/sign-in/), teacher, isCallback);
    const tokens = await exchange(config, back, request);
    assert.equal((tokens.claims()!.acting_as as { role: string }).role, 'teacher');

    // Signed in now: a second form goes straight through.
    const second = await start(apps.staff);
    const through = await browser.go(`${t.baseUrl}/oidc/auth`, { form: Object.fromEntries(second.request.url.searchParams), stopAt: isCallback });
    assert.ok(isCallback(through.url) && new URL(through.url).searchParams.get('code'), through.url);

    // A parameter in the address and in the form is given twice: the provider's refusal, no 500.
    const twice = await browser.go(`${t.baseUrl}/oidc/auth?state=x`, { form: Object.fromEntries(second.request.url.searchParams), stopAt: isCallback });
    assert.ok(twice.status === 400 || /error=invalid_request/.test(twice.url), `${twice.status} ${twice.url}`);
    // A form too long to become an address: Kelid's page, in the person's language.
    const huge = await browser.go(`${t.baseUrl}/oidc/auth`, { form: { ...form, state: 'x'.repeat(10_000) } });
    assert.equal(huge.status, 400);
    assert.match(huge.body, /<html lang="fa"/);
    // Bytes that are not UTF-8 are refused as in a GET's query, not turned into U+FFFD.
    const notUtf8 = await fetch(`${t.baseUrl}/oidc/auth`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'fa' }, redirect: 'manual',
      body: Buffer.concat([Buffer.from(`${new URLSearchParams(form).toString()}&nonce=`), Buffer.from([0xff, 0xfe])]),
    });
    assert.equal(notUtf8.status, 400);
    assert.equal(notUtf8.headers.get('location'), null);

    const logout = await browser.go(`${t.baseUrl}/oidc/session/end`, {
      form: { id_token_hint: tokens.id_token!, post_logout_redirect_uri: AFTER_LOGOUT, state: 'bye' }, stopAt: (location) => location.includes('/oidc/session/end?'),
    });
    assert.equal(logout.status, 303);
    assert.ok(!logout.url.includes(tokens.id_token!.slice(0, 20)), 'the ID token is not in the address');
    const confirm = await browser.go(logout.url);
    assert.equal(confirm.status, 200);
    assert.match(confirm.body, /id="op.logoutForm"/);
    // Other media types and endpoints are the provider's to answer, as before: no 303, no 500.
    const json = await fetch(`${t.baseUrl}/oidc/auth`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(form), redirect: 'manual' });
    assert.ok(json.status >= 400 && json.status < 500, String(json.status));
  });

  test('an app\'s sign-out answered "only this service" says the person is still in Kelid; "yes" says they are out of everything', async () => {
    for (const answer of ['no', 'yes'] as const) {
      const browser = cookieBrowser();
      const { config, request } = await start(apps.staff);
      const tokens = await exchange(config, await authorize(browser, request, teacher), request);
      // No post-logout address: the provider's own success page, drawn by Kelid.
      const confirm = await browser.go(oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token! }).href);
      assert.match(confirm.body, /<button type="submit" class="secondary" form="op.logoutForm">نه، فقط از این سامانه<\/button>/);
      const action = new URL(/action="([^"]+)"/.exec(confirm.body.slice(confirm.body.indexOf('op.logoutForm') - 200))![1]!.replaceAll('&amp;', '&'), t.baseUrl).href;
      const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.body)![1]!;
      const done = await browser.go(action, { form: answer === 'yes' ? { xsrf, logout: 'yes' } : { xsrf } });
      assert.match(done.url, /\/oidc\/session\/end\/success/);
      const home = await browser.go(`${t.baseUrl}/`);
      if (answer === 'no') {
        assert.match(done.body, /از این سامانه خارج شدید، ولی هنوز در «کلید» هستید/);
        assert.doesNotMatch(done.body, /از «کلید» و سامانه‌های متصل خارج شدید/);
        assert.doesNotMatch(home.url, /\/sign-in/, 'still signed in to Kelid, as the page says');
      } else {
        assert.match(done.body, /از «کلید» و سامانه‌های متصل خارج شدید/);
        assert.match(home.url, /\/sign-in/, 'signed out of Kelid, as the page says');
      }
    }
  });
});
