// A Kelid session ended elsewhere (B7: another device's list, an administrator) is the end of
// single sign-on for its browser too: the provider's session follows Kelid's, so the next app
// that browser opens asks for a sign-in instead of handing out a code.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startListeningApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor } from '../helpers/fixtures.ts';
import { authorizationRequest, authorize, configFor, cookieBrowser, exchange, isCallback, registerClient, type TestClient } from '../helpers/oidc.ts';

const PASSWORD = 'Payan-Nashast-1404!';

describe('single sign-on after a session is ended elsewhere', () => {
  let t: TestApp & { baseUrl: string };
  let app: TestClient;
  const teacher = { identifier: nationalIdFor(5201), password: PASSWORD };
  const principal = { identifier: nationalIdFor(5202), password: PASSWORD };
  let teacherId = '';

  before(async () => {
    t = await startListeningApp('postgres', { KELID_ADMIN_MFA: 'optional' });
    // The provider keeps time by the real clock (auth_time, max_age): Kelid's must follow it here.
    t.clock.now = () => new Date();
    const tree = await createTree(t.handle.db);
    const open = { startsOn: '2020-09-01', endsOn: null };
    teacherId = (await createAccount(t.handle.db, t.hasher, { nationalId: teacher.identifier, password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'teacher', ...open }] })).accountId;
    await createAccount(t.handle.db, t.hasher, { nationalId: principal.identifier, password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'principal', ...open }] });
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
});
