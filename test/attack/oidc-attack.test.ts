// Attacks on the OpenID provider found by a security review (each one failed before its fix):
// a link that signs a person out unasked, a pre-registration using a service, the provider's
// pages repeating an ID token; and what held (tokens across apps, refresh reuse, role tampering).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as oidc from 'openid-client';
import { startListeningApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor } from '../helpers/fixtures.ts';
import { AFTER_LOGOUT, authorizationRequest, authorize, CALLBACK, configFor, cookieBrowser, exchange, formAction, isCallback, registerClient, type TestClient } from '../helpers/oidc.ts';

const PASSWORD = 'Sahar-Mehr-1404!';

describe('attack: OpenID provider', () => {
  let t: TestApp & { baseUrl: string };
  const teacher = { identifier: nationalIdFor(6101), password: PASSWORD };
  const student = { identifier: nationalIdFor(6102), password: PASSWORD };
  const preRegistered = { identifier: nationalIdFor(6103), password: PASSWORD };
  let anyRoleApp: TestClient;
  let staffApp: TestClient;
  let otherApp: TestClient;

  before(async () => {
    t = await startListeningApp('pglite');
    t.clock.now = () => new Date();
    const tree = await createTree(t.handle.db);
    const add = (who: { identifier: string }, role: 'teacher' | 'student') =>
      createAccount(t.handle.db, t.hasher, { nationalId: who.identifier, password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role, startsOn: '2020-09-01', endsOn: null }] });
    await add(teacher, 'teacher');
    await add(student, 'student');
    // A pre-registration (F14): an account whose profile is not complete, its appointment not approved.
    await createAccount(t.handle.db, t.hasher, { nationalId: preRegistered.identifier, password: PASSWORD, status: 'pending',
      memberships: [{ organizationId: tree.schoolA, role: 'father', startsOn: '2020-09-01', endsOn: null, approved: false }] });
    anyRoleApp = await registerClient(t, { clientId: 'atk-any', roles: [], scopes: ['openid', 'profile', 'national_id'] });
    staffApp = await registerClient(t, { clientId: 'atk-staff', roles: ['teacher', 'staff', 'deputy', 'principal'] });
    otherApp = await registerClient(t, { clientId: 'atk-other', redirectUris: ['http://127.0.0.1:4998/callback'], postLogoutRedirectUris: ['http://127.0.0.1:4998/'] });
  });
  after(() => t.close());

  const signInDirect = async (person: { identifier: string; password: string }) => {
    const browser = cookieBrowser();
    const page = await browser.go(`${t.baseUrl}/sign-in`);
    await browser.submit(page, formAction(page.body, /^\/sign-in/), person);
    assert.ok(browser.cookie('kelid_session'), 'signed in');
    return browser;
  };

  test('logout CSRF: a cross-site link to /oidc/session/end does not sign a Kelid-only session out without asking', async () => {
    // The victim signed in to Kelid itself and never used an app: the provider session has no account.
    const victim = await signInDirect(teacher);
    // Any site navigates the victim to the end-session endpoint (a plain GET, no id_token_hint needed).
    const landing = await victim.go(`${t.baseUrl}/oidc/session/end`);
    assert.equal(landing.status, 200);
    // Kelid asks instead ("sign out of Kelid and every service?"): only the person's own press ends it.
    assert.match(landing.body, /id="op.logoutForm"/);
    assert.match(landing.body, /خارج شوید؟/);
    // The page tells the victim they are "already signed out" and auto-submits logout=yes (auto-submit.js).
    const action = /<form method="post" action="([^"]+)"/.exec(landing.body)?.[1]?.replaceAll('&amp;', '&');
    if (action) {
      const fields = Object.fromEntries([...landing.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
      await victim.go(new URL(action, t.baseUrl).href, { form: fields });
    }
    const home = await victim.go(`${t.baseUrl}/account/sessions`);
    assert.doesNotMatch(home.url, /\/sign-in/, 'the Kelid session survived a cross-site link');
  });

  test('a token of one app cannot be revoked by another app', async () => {
    const config = await configFor(t.baseUrl, staffApp);
    const request = await authorizationRequest(config, { scope: 'openid profile roles' });
    const tokens = await exchange(config, await authorize(cookieBrowser(), request, teacher), request);
    const otherConfig = await configFor(t.baseUrl, otherApp);
    await oidc.tokenRevocation(otherConfig, tokens.access_token).catch(() => undefined);
    await oidc.tokenRevocation(otherConfig, tokens.refresh_token!).catch(() => undefined);
    assert.equal((await oidc.tokenIntrospection(config, tokens.access_token)).active, true);
    assert.equal((await oidc.tokenIntrospection(config, tokens.refresh_token!)).active, true);
    assert.equal((await oidc.tokenIntrospection(otherConfig, tokens.access_token)).active, false, 'another app sees it inactive');
  });

  test('a rotated refresh token used again revokes the family', async () => {
    const config = await configFor(t.baseUrl, staffApp);
    const request = await authorizationRequest(config, { scope: 'openid profile roles' });
    const tokens = await exchange(config, await authorize(cookieBrowser(), request, teacher), request);
    const next = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    assert.notEqual(next.refresh_token, tokens.refresh_token);
    await assert.rejects(oidc.refreshTokenGrant(config, tokens.refresh_token!));
    assert.equal((await oidc.tokenIntrospection(config, next.refresh_token!)).active, false, 'the new refresh token dies with the family');
    assert.equal((await oidc.tokenIntrospection(config, next.access_token)).active, false);
  });

  test('a student gets no code from the staff app: prompt=none, role tampering, switch', async () => {
    const config = await configFor(t.baseUrl, staffApp);
    const browser = await signInDirect(student);
    const none = await authorizationRequest(config, { scope: 'openid profile roles', prompt: 'none' });
    const page = await browser.go(none.url.href, { stopAt: isCallback });
    assert.ok(isCallback(page.url));
    assert.match(page.url, /error=/);
    assert.doesNotMatch(page.url, /[?&]code=/);
    const normal = await authorizationRequest(config, { scope: 'openid profile roles' });
    const refusal = await browser.go(normal.url.href, { stopAt: isCallback });
    assert.equal(refusal.status, 403);
    // Post a role choice anyway, with the student's own membership id.
    const membership = await t.handle.db.selectFrom('memberships as m').innerJoin('accounts as a', 'a.id', 'm.account_id').innerJoin('people as p', 'p.id', 'a.person_id')
      .select('m.id').where('p.national_id', '=', student.identifier).executeTakeFirstOrThrow();
    const uid = /\/interaction\/([^/"]+)\/deny/.exec(refusal.body)![1]!;
    const tampered = await browser.submit(refusal, `/interaction/${uid}/role`, { membershipId: membership.id }, isCallback);
    assert.doesNotMatch(tampered.url, /[?&]code=/);
    const notStaff = await browser.submit(refusal, `/interaction/${uid}/consent`, { decision: 'allow' }, isCallback);
    assert.doesNotMatch(notStaff.url, /[?&]code=/);
  });

  test('the provider\'s error page links its language versions under /oidc', async () => {
    const page = await cookieBrowser().go(`${t.baseUrl}/oidc/session/end?client_id=${staffApp.id}&post_logout_redirect_uri=http%3A%2F%2Fevil.example%2F`);
    assert.equal(page.status, 400);
    const links = [...page.body.matchAll(/hreflang="[a-z]+" href="([^"]+)"/g)].map((m) => m[1]!);
    assert.ok(links.length > 0);
    for (const link of links) assert.match(link, /^\/oidc\//, `language link ${link}`);
    // With an ID token as the hint: the page's links do not repeat it (names, roles).
    const config = await configFor(t.baseUrl, staffApp);
    const request = await authorizationRequest(config, { scope: 'openid profile roles' });
    const tokens = await exchange(config, await authorize(cookieBrowser(), request, teacher), request);
    const hinted = await cookieBrowser().go(`${t.baseUrl}/oidc/session/end?id_token_hint=${tokens.id_token!}&post_logout_redirect_uri=http%3A%2F%2Fevil.example%2F`);
    assert.equal(hinted.status, 400);
    assert.ok(!hinted.body.includes(tokens.id_token!.slice(0, 40)), 'the ID token is nowhere in the page');
    assert.match(hinted.body, /hreflang="[a-z]+" href="\/oidc\/session\/end\?post_logout_redirect_uri=/);
  });

  test('a pre-registration uses no service: an app serving any role that does not ask for roles gets no code either', async () => {
    const config = await configFor(t.baseUrl, anyRoleApp);
    const browser = await signInDirect(preRegistered);
    const request = await authorizationRequest(config, { scope: 'openid profile national_id' });
    const page = await browser.go(request.url.href, { stopAt: isCallback });
    const back = page.status === 403 ? await browser.submit(page, formAction(page.body, /\/deny$/), {}, isCallback) : page;
    assert.doesNotMatch(back.url, /[?&]code=/, `pending account got a code: ${back.url}`);
  });

  test('logout goes only to a URI registered for the client of the id_token_hint', async () => {
    const config = await configFor(t.baseUrl, staffApp);
    const browser = cookieBrowser();
    const request = await authorizationRequest(config, { scope: 'openid profile roles' });
    const tokens = await exchange(config, await authorize(browser, request, teacher), request);
    // id_token of the staff app, the other app's post-logout URI, with and without client_id.
    for (const query of [
      { id_token_hint: tokens.id_token!, post_logout_redirect_uri: 'http://127.0.0.1:4998/' },
      { id_token_hint: tokens.id_token!, client_id: otherApp.id, post_logout_redirect_uri: 'http://127.0.0.1:4998/' },
      { client_id: staffApp.id, post_logout_redirect_uri: 'http://127.0.0.1:4999' },
      { client_id: staffApp.id, post_logout_redirect_uri: 'http://127.0.0.1:4999/?x=1' },
      { client_id: staffApp.id, post_logout_redirect_uri: 'HTTP://127.0.0.1:4999/' },
    ]) {
      const page = await browser.go(`${t.baseUrl}/oidc/session/end?${new URLSearchParams(query)}`, { stopAt: () => true });
      assert.ok(page.status === 400 || page.status === 200, `${JSON.stringify(query)} → ${page.status}`);
      assert.ok(page.hops.every((hop) => !/^http:\/\/127\.0\.0\.1:499[89]/.test(hop.location ?? '')), 'no redirect to an unregistered URI');
      assert.doesNotMatch(page.body, /action="http:\/\/127\.0\.0\.1:4998/);
    }
    void AFTER_LOGOUT; void CALLBACK;
  });
});
