// Kelid as an OpenID provider (issue 10), driven by a real OpenID client (openid-client) over
// HTTP, on PGlite and on PostgreSQL: discovery, code + PKCE, claims, refresh with rotation and
// reuse detection, client credentials, introspection, revocation, userinfo, logout.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as oidc from 'openid-client';
import { addClient } from '../../src/federation/clients.ts';
import { clientSecretKey } from '../../src/federation/provider.ts';
import { deriveKeys } from '../../src/secrets.ts';
import { databaseKinds, startListeningApp, type TestApp } from '../helpers/app.ts';
import { cookieBrowser, formAction } from '../helpers/cookie-browser.ts';
import { createAccount, createTree, nationalIdFor, type Tree } from '../helpers/fixtures.ts';

const PASSWORD = 'Sahar-Mehr-1404!';

for (const kind of databaseKinds) {
  describe(`OpenID provider on ${kind}`, () => {
    let t: TestApp & { baseUrl: string };
    let tree: Tree;
    let issuer: URL;
    const teacherId = nationalIdFor(5001);
    const clients = {
      app: { id: 'test-app', secret: 'test-app-secret-'.padEnd(40, 'x') },
      service: { id: 'test-service', secret: 'test-service-secret-'.padEnd(40, 'y') },
    };

    before(async () => {
      t = await startListeningApp(kind, { KELID_ADMIN_MFA: 'optional' });
      issuer = new URL(`${t.baseUrl}/oidc`);
      tree = await createTree(t.handle.db);
      await createAccount(t.handle.db, t.hasher, { nationalId: teacherId, password: PASSWORD, firstName: 'فاطمه', lastName: 'کاظمی', memberships: [{ organizationId: tree.schoolA, role: 'teacher' }] });
      const key = clientSecretKey(deriveKeys(t.config.secret!).federation);
      const change = { actorAccountId: null, actingMembershipId: null, ip: null };
      await addClient(t.handle.db, key, {
        clientId: clients.app.id, name: 'Test app', firstParty: true, confidential: true, secret: clients.app.secret,
        redirectUris: ['http://127.0.0.1:4999/callback'], postLogoutRedirectUris: ['http://127.0.0.1:4999/'],
        grantTypes: ['authorization_code', 'refresh_token'], scopes: ['openid', 'profile', 'national_id', 'roles', 'offline_access'],
        accessTokenFormat: 'opaque', backchannelLogoutUri: null, roles: ['teacher', 'staff'],
      }, ['teacher', 'staff', 'student'], change);
      await addClient(t.handle.db, key, {
        clientId: clients.service.id, name: 'Test service', firstParty: true, confidential: true, secret: clients.service.secret,
        redirectUris: [], postLogoutRedirectUris: [], grantTypes: ['client_credentials'], scopes: [],
        accessTokenFormat: 'opaque', backchannelLogoutUri: null, roles: [],
      }, [], change);
    });
    after(() => t.close());

    const configFor = (client: { id: string; secret: string }) =>
      oidc.discovery(issuer, client.id, client.secret, undefined, { execute: [oidc.allowInsecureRequests] });

    test('discovery advertises the public URL and the features', async () => {
      const config = await configFor(clients.app);
      const meta = config.serverMetadata();
      assert.equal(meta.issuer, issuer.href.replace(/\/$/, ''));
      assert.equal(meta.token_endpoint, `${t.baseUrl}/oidc/token`);
      assert.deepEqual(meta.code_challenge_methods_supported, ['S256']);
      assert.ok(meta.scopes_supported?.includes('national_id'));
      assert.equal(meta.backchannel_logout_supported, true);
    });

    test('a teacher signs in through Kelid\'s pages: code + PKCE, claims of the scopes, sub not the national ID', async () => {
      const config = await configFor(clients.app);
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: 'http://127.0.0.1:4999/callback', scope: 'openid profile national_id roles', state, nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
      });
      const browser = cookieBrowser();
      const isCallback = (location: string) => location.startsWith('http://127.0.0.1:4999/callback');
      const signInPage = await browser.go(url.href, { stopAt: isCallback });
      assert.match(signInPage.url, /\/sign-in\?return_to=%2Finteraction%2F/);
      const back = await browser.submit(signInPage, formAction(signInPage.body, /sign-in/), { identifier: teacherId, password: PASSWORD }, isCallback);
      assert.ok(isCallback(back.url), `ended at ${back.url}: ${back.hops.map((h) => `${h.status} ${h.url}`).join(' → ')}`);
      const tokens = await oidc.authorizationCodeGrant(config, new URL(back.url), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
      const claims = tokens.claims()!;
      assert.notEqual(claims.sub, teacherId);
      assert.equal(claims.national_id, teacherId);
      assert.equal(claims.given_name, 'فاطمه');
      assert.deepEqual((claims.acting_as as { role: string }).role, 'teacher');
      const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
      assert.deepEqual((info.roles as { role: string; organization: string }[]).map((r) => [r.role, r.organization]), [['teacher', 'دبستان الف']]);
    });

    test('client credentials: an opaque token that only its own client may introspect', async () => {
      const config = await configFor(clients.service);
      const token = await oidc.clientCredentialsGrant(config);
      assert.ok(token.access_token);
      const own = await oidc.tokenIntrospection(config, token.access_token);
      assert.equal(own.active, true);
      const other = await oidc.tokenIntrospection(await configFor(clients.app), token.access_token);
      assert.equal(other.active, false);
    });
  });
}
