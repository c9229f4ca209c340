// A Kelid session ended elsewhere (B7: another device's list, an administrator) is the end of
// single sign-on for its browser too: the provider's session follows Kelid's, so the next app
// that browser opens asks for a sign-in instead of handing out a code.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startListeningApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor } from '../helpers/fixtures.ts';
import * as oidc from 'openid-client';
import { deleteDeadSessions } from '../../src/identity/sessions.ts';
import { authorizationRequest, authorize, configFor, cookieBrowser, exchange, isCallback, registerClient, type TestClient } from '../helpers/oidc.ts';

const PASSWORD = 'Payan-Nashast-1404!';

describe('single sign-on after a session is ended elsewhere', () => {
  let t: TestApp & { baseUrl: string };
  let app: TestClient;
  const teacher = { identifier: nationalIdFor(5201), password: PASSWORD };
  const principal = { identifier: nationalIdFor(5202), password: PASSWORD };
  const idledOut = { identifier: nationalIdFor(5203), password: PASSWORD };
  let teacherId = '';
  let idledOutId = '';

  before(async () => {
    t = await startListeningApp('postgres', { KELID_ADMIN_MFA: 'optional' });
    // The provider keeps time by the real clock (auth_time, max_age): Kelid's must follow it here.
    t.clock.now = () => new Date();
    const tree = await createTree(t.handle.db);
    const open = { startsOn: '2020-09-01', endsOn: null };
    teacherId = (await createAccount(t.handle.db, t.hasher, { nationalId: teacher.identifier, password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'teacher', ...open }] })).accountId;
    await createAccount(t.handle.db, t.hasher, { nationalId: principal.identifier, password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'principal', ...open }] });
    idledOutId = (await createAccount(t.handle.db, t.hasher, { nationalId: idledOut.identifier, password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'teacher', ...open }] })).accountId;
    app = await registerClient(t, { clientId: 'any-role-app', roles: [], scopes: ['openid', 'profile'] });
  });
  after(() => t.close());

  const signInApi = async (who: { identifier: string; password: string }) => {
    const response = await fetch(`${t.baseUrl}/api/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(who) });
    assert.equal(response.status, 201);
    return ((await response.json()) as { token: string }).token;
  };
  const openApp = async (browser: ReturnType<typeof cookieBrowser>, person?: typeof teacher) => {
    const config = await configFor(t.baseUrl, app);
    const request = await authorizationRequest(config, { scope: 'openid profile' });
    return { config, request, page: await authorize(browser, request, person) };
  };

  for (const [who, end] of [
    ['the person, from another device', async () => {
      const token = await signInApi(teacher);
      const response = await fetch(`${t.baseUrl}/api/v1/sessions?except=current`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
      assert.equal(response.status, 200);
    }],
    ['an administrator', async () => {
      const token = await signInApi(principal);
      const response = await fetch(`${t.baseUrl}/api/v1/admin/users/${teacherId}/sessions`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
      assert.equal(response.status, 204);
    }],
  ] as const) {
    test(`ended by ${who}: the browser is asked to sign in again at the next app request`, async () => {
      const browser = cookieBrowser();
      const first = await openApp(browser, teacher);
      await exchange(first.config, first.page, first.request);
      const again = await openApp(browser);
      assert.ok(isCallback(again.page.url), 'signed in: straight through');

      await end();
      const after = await openApp(browser);
      assert.ok(!isCallback(after.page.url), 'no code for a browser whose Kelid session has ended');
      assert.match(after.page.url, /\/sign-in/);
      assert.equal(after.page.status, 200);
      assert.match((await browser.go(`${t.baseUrl}/`)).url, /\/sign-in/, "and Kelid's own pages ask too");
    });
  }

  test('ended by an administrator after the Kelid session had idled out and been cleaned away: the app\'s tokens stop too', async () => {
    const browser = cookieBrowser();
    const { config, request, page } = await openApp(browser, idledOut);
    const tokens = await exchange(config, page, request);
    assert.ok(tokens.refresh_token, 'the app holds a refresh token');
    // Kelid's idle timeout passes (the provider's session, 12 h, does not) and the housekeeping removes the session.
    const cleaned = await deleteDeadSessions(t.handle.db, new Date(Date.now() + 31 * 60_000), t.config.session);
    assert.ok(cleaned >= 1);
    assert.equal((await oidc.tokenIntrospection(config, tokens.access_token)).active, true, 'an idle Kelid session alone does not end the app\'s');

    const admin = await signInApi(principal);
    const ended = await fetch(`${t.baseUrl}/api/v1/admin/users/${idledOutId}/sessions`, { method: 'DELETE', headers: { authorization: `Bearer ${admin}` } });
    assert.equal(ended.status, 204);
    let active = true;
    for (let waited = 0; active && waited < 10_000; waited += 100) {
      active = (await oidc.tokenIntrospection(config, tokens.access_token)).active;
      if (active) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(active, false, 'the app\'s access token is revoked');
    await assert.rejects(oidc.refreshTokenGrant(config, tokens.refresh_token!), (error: unknown) => error instanceof oidc.ResponseBodyError && error.error === 'invalid_grant');
  });

  test('a burst of sign-ins in one second: a password change kept in one browser still ends the apps of another that idled out', async () => {
    const person = { identifier: nationalIdFor(5205), password: PASSWORD };
    await createAccount(t.handle.db, t.hasher, { nationalId: person.identifier, password: PASSWORD, memberships: [] });
    // Kelid's clock stands still: every sign-in below is made in one second (the provider keeps the real time).
    const at = new Date(Math.floor(Date.now() / 1000) * 1000 + 250);
    t.clock.now = () => at;
    try {
      for (let i = 0; i < 12; i += 1) await signInApi(person);
      const idled = cookieBrowser();
      const kept = cookieBrowser();
      const tokensOf = async (browser: ReturnType<typeof cookieBrowser>) => { const opened = await openApp(browser, person); return { config: opened.config, tokens: await exchange(opened.config, opened.page, opened.request) }; };
      const idledApp = await tokensOf(idled);
      const keptApp = await tokensOf(kept);
      // The kept browser is used 29 minutes on; the other has idled out by 40 and is cleaned away.
      t.clock.now = () => new Date(at.getTime() + 29 * 60_000);
      assert.equal((await kept.go(`${t.baseUrl}/password`)).status, 200);
      await deleteDeadSessions(t.handle.db, new Date(at.getTime() + 40 * 60_000), t.config.session);
      t.clock.now = () => new Date(at.getTime() + 40 * 60_000);
      const page = await kept.go(`${t.baseUrl}/password`);
      const changed = await kept.submit(page, '/password', { current: PASSWORD, password: 'Tazeh-Ramz-1405!y', repeat: 'Tazeh-Ramz-1405!y' });
      assert.ok(changed.status < 400, `${changed.status} ${changed.url}`);
      const active = async (x: { config: oidc.Configuration; tokens: { access_token: string } }) => (await oidc.tokenIntrospection(x.config, x.tokens.access_token)).active;
      for (let waited = 0; waited < 10_000 && await active(idledApp); waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(await active(idledApp), false, 'the idled-out browser\'s app is signed out');
      assert.equal(await active(keptApp), true, 'the app of the browser that changed the password keeps its session');
    } finally {
      t.clock.now = () => new Date();
    }
  });

  test('a password change ends the apps of the person\'s other sign-ins, idled out or live, and keeps those of the browser it was made in', async () => {
    const person = { identifier: nationalIdFor(5204), password: PASSWORD };
    await createAccount(t.handle.db, t.hasher, { nationalId: person.identifier, password: PASSWORD, memberships: [] });
    const here = cookieBrowser();
    const elsewhere = cookieBrowser();
    const gone = cookieBrowser();
    const tokensOf = async (browser: ReturnType<typeof cookieBrowser>) => { const opened = await openApp(browser, person); return { config: opened.config, tokens: await exchange(opened.config, opened.page, opened.request) }; };
    const idled = await tokensOf(gone);
    await deleteDeadSessions(t.handle.db, new Date(Date.now() + 31 * 60_000), t.config.session);
    const other = await tokensOf(elsewhere);
    const kept = await tokensOf(here);

    const page = await here.go(`${t.baseUrl}/password`);
    const changed = await here.submit(page, '/password', { current: PASSWORD, password: 'Tazeh-Ramz-1405!x', repeat: 'Tazeh-Ramz-1405!x' });
    assert.ok(changed.status < 400, `${changed.status} ${changed.url}`);
    const active = async (x: { config: oidc.Configuration; tokens: { access_token: string } }) => (await oidc.tokenIntrospection(x.config, x.tokens.access_token)).active;
    for (let waited = 0; waited < 10_000 && (await active(other) || await active(idled)); waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(await active(other), false, 'the other browser\'s app is signed out');
    assert.equal(await active(idled), false, 'and the app of a sign-in that had idled out');
    assert.equal(await active(kept), true, 'the app of the browser that changed the password keeps its session');
    assert.ok(isCallback((await openApp(here)).page.url), 'and that browser still goes straight through');
  });
});
