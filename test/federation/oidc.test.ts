// Kelid as an OpenID provider (issue 10), driven by a real OpenID client (openid-client) over
// HTTP, on PGlite and on PostgreSQL: discovery, code + PKCE through Kelid's own sign-in page,
// the claims of each scope, userinfo, refresh with rotation and reuse detection, client
// credentials, introspection (own tokens only), revocation, JWT access tokens, ES256 ID tokens.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as jose from 'jose';
import * as oidc from 'openid-client';
import { databaseKinds, startListeningApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor, type Tree } from '../helpers/fixtures.ts';
import { authorizationRequest, authorize, configFor, cookieBrowser, exchange, registerClient, type TestClient } from '../helpers/oidc.ts';

const PASSWORD = 'Sahar-Mehr-1404!';

for (const kind of databaseKinds) {
  describe(`OpenID provider on ${kind}`, () => {
    let t: TestApp & { baseUrl: string };
    let tree: Tree;
    const teacher = { identifier: nationalIdFor(5001), password: PASSWORD };
    let app: TestClient;
    let jwtApp: TestClient;
    let service: TestClient;

    before(async () => {
      t = await startListeningApp(kind, { KELID_ADMIN_MFA: 'optional' });
      tree = await createTree(t.handle.db);
      await createAccount(t.handle.db, t.hasher, { nationalId: teacher.identifier, password: PASSWORD, firstName: 'فاطمه', lastName: 'کاظمی', memberships: [{ organizationId: tree.schoolA, role: 'teacher' }] });
      app = await registerClient(t, { clientId: 'test-app', roles: ['teacher', 'staff'] });
      jwtApp = await registerClient(t, { clientId: 'jwt-app', accessTokenFormat: 'jwt', idTokenAlg: 'ES256', scopes: ['openid', 'profile', 'roles'] });
      service = await registerClient(t, { clientId: 'test-service', redirectUris: [], postLogoutRedirectUris: [], grantTypes: ['client_credentials'], scopes: [] });
    });
    after(() => t.close());

    const signIn = async (client: TestClient, parameters: Record<string, string> = {}) => {
      const config = await configFor(t.baseUrl, client);
      const request = await authorizationRequest(config, parameters);
      const page = await authorize(cookieBrowser(), request, teacher);
      return { config, tokens: await exchange(config, page, request) };
    };

    test('discovery advertises the public URL and the features', async () => {
      const meta = (await configFor(t.baseUrl, app)).serverMetadata();
      assert.equal(meta.issuer, `${t.baseUrl}/oidc`);
      assert.equal(meta.token_endpoint, `${t.baseUrl}/oidc/token`);
      assert.equal(meta.jwks_uri, `${t.baseUrl}/oidc/jwks`);
      assert.deepEqual(meta.code_challenge_methods_supported, ['S256']);
      assert.deepEqual(meta.response_types_supported, ['code']);
      assert.ok(['national_id', 'roles', 'children'].every((scope) => meta.scopes_supported?.includes(scope)));
      assert.deepEqual(meta.id_token_signing_alg_values_supported, ['RS256', 'ES256']);
      assert.equal(meta.backchannel_logout_supported, true);
      assert.ok(meta.end_session_endpoint && meta.introspection_endpoint && meta.revocation_endpoint && meta.userinfo_endpoint);
      const jwks = await (await fetch(meta.jwks_uri!)).json() as { keys: { kty: string; d?: string }[] };
      assert.deepEqual(jwks.keys.map((k) => k.kty).sort(), ['EC', 'RSA']);
      assert.ok(jwks.keys.every((k) => k.d === undefined), 'only public keys are published');
    });

    test('a teacher signs in through Kelid\'s pages: code + PKCE, the claims of the scopes, sub not the national ID', async () => {
      const { config, tokens } = await signIn(app);
      const claims = tokens.claims()!;
      assert.match(claims.sub, /^[0-9a-f-]{36}$/);
      assert.notEqual(claims.sub, teacher.identifier);
      assert.equal(claims.national_id, teacher.identifier);
      assert.equal(claims.given_name, 'فاطمه');
      assert.deepEqual(claims.acting_as, { role: 'teacher', organization: 'دبستان الف', organization_id: tree.schoolA });
      assert.equal(claims.acr, 'urn:kelid:acr:password');
      assert.deepEqual(claims.amr, ['pwd']);
      assert.equal(claims.phone_number, undefined, 'no claim of a scope not asked');
      const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
      assert.deepEqual((info.roles as { role: string; organization: string; district: string }[]).map((r) => [r.role, r.organization, r.district]), [['teacher', 'دبستان الف', 'مشهد ناحیه ۵']]);
      assert.deepEqual(info.acting_as, claims.acting_as);
      assert.equal(info.user_code !== undefined, true);
    });

    test('refresh tokens rotate; a rotated one used again revokes the whole family', async () => {
      const { config, tokens } = await signIn(app, { scope: 'openid profile offline_access', prompt: 'consent' });
      assert.ok(tokens.refresh_token);
      const second = await oidc.refreshTokenGrant(config, tokens.refresh_token);
      assert.ok(second.refresh_token && second.refresh_token !== tokens.refresh_token, 'a new refresh token each time');
      const third = await oidc.refreshTokenGrant(config, second.refresh_token);
      await assert.rejects(oidc.refreshTokenGrant(config, tokens.refresh_token), (error: oidc.ResponseBodyError) => error.error === 'invalid_grant');
      await assert.rejects(oidc.refreshTokenGrant(config, third.refresh_token!), (error: oidc.ResponseBodyError) => error.error === 'invalid_grant', 'the newest one of the family is revoked too');
      const introspected = await oidc.tokenIntrospection(config, third.access_token);
      assert.equal(introspected.active, false, 'and its access tokens');
    });

    test('revocation: a revoked access token is inactive and refused at userinfo', async () => {
      const { config, tokens } = await signIn(app);
      assert.equal((await oidc.tokenIntrospection(config, tokens.access_token)).active, true);
      await oidc.tokenRevocation(config, tokens.access_token);
      assert.equal((await oidc.tokenIntrospection(config, tokens.access_token)).active, false);
      await assert.rejects(oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub));
    });

    test('client credentials: an opaque token that only its own client may introspect', async () => {
      const config = await configFor(t.baseUrl, service);
      const token = await oidc.clientCredentialsGrant(config);
      assert.ok(token.access_token && !token.access_token.includes('.'), 'opaque');
      assert.equal((await oidc.tokenIntrospection(config, token.access_token)).active, true);
      const other = await oidc.tokenIntrospection(await configFor(t.baseUrl, app), token.access_token);
      assert.equal(other.active, false);
      await assert.rejects(oidc.clientCredentialsGrant(config, { scope: 'scim' }), (error: oidc.ResponseBodyError) => error.error === 'invalid_scope');
    });

    test('an app that asked for JWT access tokens gets ES256 JWTs for its own API, and ES256 ID tokens', async () => {
      const { config, tokens } = await signIn(jwtApp, { scope: 'openid profile roles' });
      const header = jose.decodeProtectedHeader(tokens.access_token);
      assert.equal(header.alg, 'ES256');
      const jwks = jose.createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!));
      const { payload } = await jose.jwtVerify(tokens.access_token, jwks, { issuer: `${t.baseUrl}/oidc`, audience: 'urn:kelid:app:jwt-app' });
      assert.equal(payload.client_id, 'jwt-app');
      assert.equal(jose.decodeProtectedHeader(tokens.id_token!).alg, 'ES256');
      assert.deepEqual((tokens.claims()!.acting_as as { role: string }).role, 'teacher', 'claims in the ID token');
    });
  });
}
