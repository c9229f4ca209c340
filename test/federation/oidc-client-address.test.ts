// The OpenID provider behind a load balancer (issue 12): the client address it records comes
// from Fastify's trusted `request.ip` (KELID_TRUST_PROXY), never from the first entry of an
// X-Forwarded-For the client wrote itself; and the tokens it issues are counted by grant type.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as oidc from 'openid-client';
import { startListeningApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor } from '../helpers/fixtures.ts';
import { metricValue } from '../helpers/metrics.ts';
import { authorizationRequest, authorize, configFor, cookieBrowser, exchange, registerClient, type TestClient } from '../helpers/oidc.ts';

const PASSWORD = 'Sahar-Mehr-1404!';

for (const [setting, expected] of [['1', '198.51.100.20'], ['0', '127.0.0.1']] as const) {
  describe(`the provider's client address with KELID_TRUST_PROXY=${setting}`, () => {
    let t: TestApp & { baseUrl: string };
    let app: TestClient;
    let service: TestClient;
    const teacher = { identifier: nationalIdFor(9401), password: PASSWORD };

    before(async () => {
      t = await startListeningApp('pglite', { KELID_TRUST_PROXY: setting, KELID_ADMIN_MFA: 'optional' });
      const tree = await createTree(t.handle.db);
      await createAccount(t.handle.db, t.hasher, { nationalId: teacher.identifier, password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'teacher' }] });
      app = await registerClient(t, { clientId: 'payslips', roles: ['teacher'] });
      service = await registerClient(t, { clientId: 'test-service', redirectUris: [], postLogoutRedirectUris: [], grantTypes: ['client_credentials'], scopes: [] });
    });
    after(() => t.close());

    test('a sign-in for an app is audited with the address the trusted proxy saw; its grants are counted', async () => {
      // The load balancer (here: loopback, the nearest hop) appends what it saw to what the client wrote.
      const browser = cookieBrowser({ headers: { 'x-forwarded-for': '203.0.113.9, 198.51.100.20' } });
      const config = await configFor(t.baseUrl, app);
      const request = await authorizationRequest(config);
      const tokens = await exchange(config, await authorize(browser, request, teacher), request);
      assert.equal(typeof tokens.access_token, 'string');

      const events = await t.handle.db.selectFrom('audit_events').select(['type', 'ip']).where('type', 'in', ['sign_in.succeeded', 'oidc.signed_in']).orderBy('id').execute();
      assert.deepEqual(events, [{ type: 'sign_in.succeeded', ip: expected }, { type: 'oidc.signed_in', ip: expected }]);

      await oidc.clientCredentialsGrant(await configFor(t.baseUrl, service));
      const metrics = await (await fetch(`${t.baseUrl}/metrics`)).text();
      assert.equal(metricValue(metrics, 'kelid_oidc_grants_total{grant_type="authorization_code"}'), 1);
      assert.equal(metricValue(metrics, 'kelid_oidc_grants_total{grant_type="client_credentials"}'), 1);
      assert.equal(metricValue(metrics, 'kelid_oidc_grants_total{grant_type="refresh_token"}'), 0);
      assert.equal(metricValue(metrics, 'kelid_sign_ins_total{method="password",outcome="success"}'), 1);
    });
  });
}
