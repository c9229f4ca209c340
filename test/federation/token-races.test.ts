// One code, one refresh token, redeemed by requests racing each other (an attacker with a stolen
// token timing it with the app's own use): at most one of them gets tokens, and once two met,
// the whole family is revoked, so that whatever the winner was given is dead too. On PGlite and
// on PostgreSQL, with a real OpenID client (openid-client) over HTTP.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as oidc from 'openid-client';
import { databaseKinds, startListeningApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor } from '../helpers/fixtures.ts';
import { authorizationRequest, authorize, configFor, cookieBrowser, exchange, registerClient, type TestClient } from '../helpers/oidc.ts';

const PASSWORD = 'Sahar-Mehr-1404!';
const RACERS = 8;

for (const kind of databaseKinds) {
  describe(`redemptions racing on ${kind}`, () => {
    let t: TestApp & { baseUrl: string };
    let app: TestClient;
    const teacher = { identifier: nationalIdFor(5301), password: PASSWORD };

    before(async () => {
      t = await startListeningApp(kind, { KELID_ADMIN_MFA: 'optional' });
      const tree = await createTree(t.handle.db);
      await createAccount(t.handle.db, t.hasher, { nationalId: teacher.identifier, password: PASSWORD, firstName: 'فاطمه', lastName: 'کاظمی', memberships: [{ organizationId: tree.schoolA, role: 'teacher' }] });
      app = await registerClient(t, { clientId: 'race-app', roles: ['teacher'] });
      // A first grant loads what every later one shares (keys, the client): the race below is between warm requests.
      const config = await configFor(t.baseUrl, app);
      const request = await authorizationRequest(config);
      await exchange(config, await authorize(cookieBrowser(), request, teacher), request);
    });
    after(() => t.close());

    const invalidGrant = (result: PromiseSettledResult<unknown>) =>
      result.status === 'rejected' && (result.reason as oidc.ResponseBodyError).error === 'invalid_grant';
    const alive = async (config: oidc.Configuration, accessToken: string) => {
      try {
        await oidc.fetchUserInfo(config, accessToken, oidc.skipSubjectCheck);
        return true;
      } catch {
        return false;
      }
    };

    test(`one code sent ${RACERS} times at once gives tokens at most once, and none that work once two met`, async () => {
      const config = await configFor(t.baseUrl, app);
      const request = await authorizationRequest(config, { scope: 'openid profile offline_access', prompt: 'consent' });
      const callback = await authorize(cookieBrowser(), request, teacher);
      const results = await Promise.allSettled(Array.from({ length: RACERS }, () => exchange(config, callback, request)));
      const won = results.filter((r) => r.status === 'fulfilled');
      assert.ok(won.length <= 1, `tokens ${won.length} times for one code`);
      assert.ok(results.every((r) => r.status === 'fulfilled' || invalidGrant(r)), 'every other one is invalid_grant');
      for (const r of won) {
        const tokens = (r as PromiseFulfilledResult<oidc.TokenEndpointResponse>).value;
        assert.equal(await alive(config, tokens.access_token), false, 'the winner\'s access token is revoked with its family');
        await assert.rejects(oidc.refreshTokenGrant(config, tokens.refresh_token!), (error: oidc.ResponseBodyError) => error.error === 'invalid_grant');
      }
    });

    test(`one refresh token sent ${RACERS} times at once rotates at most once, and the family is revoked`, async () => {
      const config = await configFor(t.baseUrl, app);
      const request = await authorizationRequest(config, { scope: 'openid profile offline_access', prompt: 'consent' });
      const tokens = await exchange(config, await authorize(cookieBrowser(), request, teacher), request);
      assert.ok(tokens.refresh_token);
      assert.equal(await alive(config, tokens.access_token), true);
      const results = await Promise.allSettled(Array.from({ length: RACERS }, () => oidc.refreshTokenGrant(config, tokens.refresh_token!)));
      const won = results.filter((r) => r.status === 'fulfilled') as PromiseFulfilledResult<oidc.TokenEndpointResponse>[];
      assert.ok(won.length <= 1, `rotated ${won.length} times`);
      assert.ok(results.every((r) => r.status === 'fulfilled' || invalidGrant(r)), 'every other one is invalid_grant');
      assert.equal(await alive(config, tokens.access_token), false, 'the first access token is revoked');
      for (const { value } of won) {
        assert.equal(await alive(config, value.access_token), false, 'the winner\'s new access token is dead');
        await assert.rejects(oidc.refreshTokenGrant(config, value.refresh_token!), (error: oidc.ResponseBodyError) => error.error === 'invalid_grant', 'and its new refresh token');
      }
    });

    test('one after the other, as before: the first redemption works, the second is refused and revokes the first\'s tokens', async () => {
      const config = await configFor(t.baseUrl, app);
      const request = await authorizationRequest(config, { scope: 'openid profile offline_access', prompt: 'consent' });
      const callback = await authorize(cookieBrowser(), request, teacher);
      const first = await exchange(config, callback, request);
      assert.equal(await alive(config, first.access_token), true);
      const second = await oidc.refreshTokenGrant(config, first.refresh_token!);
      assert.equal(await alive(config, second.access_token), true, 'a refresh alone still works');
      await assert.rejects(exchange(config, callback, request), (error: oidc.ResponseBodyError) => error.error === 'invalid_grant');
      assert.equal(await alive(config, second.access_token), false);
    });
  });
}
