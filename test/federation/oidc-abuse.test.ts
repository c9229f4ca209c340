// Bad input and abuse at the OpenID provider (issue 10): reused and stolen codes, PKCE missing
// or downgraded, redirect URIs that differ by a character, a trailing slash or case, revoked
// client secrets, mismatched state, hostile text. Every refusal is an OAuth error or a
// localized page, never a 500.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as oidc from 'openid-client';
import { rotateClientSecret } from '../../src/federation/clients.ts';
import { clientSecretKey } from '../../src/federation/client-secrets.ts';
import { deriveKeys } from '../../src/secrets.ts';
import { startListeningApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor } from '../helpers/fixtures.ts';
import { authorizationRequest, authorize, CALLBACK, configFor, cookieBrowser, exchange, registerClient, type TestClient } from '../helpers/oidc.ts';

const PASSWORD = 'Sahar-Mehr-1404!';

describe('OpenID provider under abuse', () => {
  let t: TestApp & { baseUrl: string };
  const teacher = { identifier: nationalIdFor(5201), password: PASSWORD };
  let app: TestClient;
  let other: TestClient;
  let mobile: TestClient;

  before(async () => {
    t = await startListeningApp('postgres');
    const tree = await createTree(t.handle.db);
    await createAccount(t.handle.db, t.hasher, { nationalId: teacher.identifier, password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'teacher' }] });
    app = await registerClient(t, { clientId: 'abuse-app' });
    other = await registerClient(t, { clientId: 'other-app' });
    mobile = await registerClient(t, { clientId: 'mobile-app', confidential: false, grantTypes: ['authorization_code', 'refresh_token'] });
  });
  after(() => t.close());

  const codeFor = async (client: TestClient, parameters: Record<string, string> = {}) => {
    const config = await configFor(t.baseUrl, client);
    const request = await authorizationRequest(config, parameters);
    const page = await authorize(cookieBrowser(), request, teacher);
    return { config, request, page };
  };
  const isOAuthError = (code: string) => (error: unknown) => error instanceof oidc.ResponseBodyError && error.error === code;

  test('a code works once; used again it fails and revokes what it gave', async () => {
    const { config, request, page } = await codeFor(app);
    const tokens = await exchange(config, page, request);
    await assert.rejects(exchange(config, page, request), isOAuthError('invalid_grant'));
    assert.equal((await oidc.tokenIntrospection(config, tokens.access_token)).active, false, 'the first exchange\'s tokens are revoked');
  });

  test('a code of one app is worthless to another, and to a wrong PKCE verifier', async () => {
    const { request, page } = await codeFor(app);
    const otherConfig = await configFor(t.baseUrl, other);
    await assert.rejects(oidc.authorizationCodeGrant(otherConfig, new URL(page.url), { pkceCodeVerifier: request.verifier, expectedState: request.state }), isOAuthError('invalid_grant'));
    const fresh = await codeFor(app);
    await assert.rejects(oidc.authorizationCodeGrant(fresh.config, new URL(fresh.page.url), { pkceCodeVerifier: oidc.randomPKCECodeVerifier(), expectedState: fresh.request.state }), isOAuthError('invalid_grant'));
  });

  test('a public client must use PKCE with S256: missing or plain is refused back at the app', async () => {
    const config = await configFor(t.baseUrl, mobile);
    for (const parameters of [{ code_challenge: '', code_challenge_method: '' }, { code_challenge_method: 'plain', code_challenge: 'a'.repeat(43) }]) {
      const url = oidc.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid', state: 's', ...parameters });
      for (const key of ['code_challenge', 'code_challenge_method'] as const) if (parameters[key] === '') url.searchParams.delete(key);
      const page = await cookieBrowser().go(url.href, { stopAt: (location) => location.startsWith(CALLBACK) });
      assert.equal(new URL(page.url).searchParams.get('error'), 'invalid_request', JSON.stringify(parameters));
    }
    const { request, page } = await codeFor(mobile);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(page.url), { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce });
    assert.ok(tokens.access_token, 'with S256 it works');
  });

  test('redirect URIs match exactly: one character, a trailing slash, a case or a fragment away is a localized page, not a redirect', async () => {
    const config = await configFor(t.baseUrl, app);
    for (const redirect of ['http://127.0.0.1:4999/callbacK', 'http://127.0.0.1:4999/callback/', 'http://127.0.0.1:4999/CALLBACK', 'http://127.0.0.1:4999/callback?x=1', 'http://127.0.0.1:4998/callback', 'https://evil.example/callback']) {
      const url = oidc.buildAuthorizationUrl(config, { redirect_uri: redirect, scope: 'openid', state: 's', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' });
      const page = await cookieBrowser().go(url.href);
      assert.equal(page.status, 400, redirect);
      assert.equal(page.hops[0]!.location, null, `${redirect}: no redirect at all`);
      assert.match(page.body, /<html lang="fa"/);
      assert.match(page.body, /نشانی بازگشت این سامانه/);
    }
  });

  test('an unknown app is a localized page; a rotated secret stops working at once', async () => {
    const unknown = await cookieBrowser().go(`${t.baseUrl}/oidc/auth?client_id=nobody&redirect_uri=${encodeURIComponent(CALLBACK)}&response_type=code&scope=openid`);
    assert.equal(unknown.status, 400);
    assert.match(unknown.body, /این سامانه در «کلید» ثبت نشده است/);
    const rotating = await registerClient(t, { clientId: 'rotating-app', grantTypes: ['client_credentials'], redirectUris: [], postLogoutRedirectUris: [], scopes: [] });
    const before = await configFor(t.baseUrl, rotating);
    assert.ok((await oidc.clientCredentialsGrant(before)).access_token);
    const secret = await rotateClientSecret(t.handle.db, clientSecretKey(deriveKeys(t.config.secret!).federation), 'rotating-app', { actorAccountId: null, actingMembershipId: null, ip: null });
    await assert.rejects(oidc.clientCredentialsGrant(before), isOAuthError('invalid_client'));
    assert.ok((await oidc.clientCredentialsGrant(await configFor(t.baseUrl, { id: 'rotating-app', secret: secret! }))).access_token);
    const audited = await t.handle.db.selectFrom('audit_events').select('id').where('type', '=', 'client.secret_rotated').execute();
    assert.equal(audited.length, 1);
  });

  test('discovery names the public URL whatever Host or forwarded headers a client sends', async () => {
    const response = await fetch(`${t.baseUrl}/oidc/.well-known/openid-configuration`, { headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' } });
    const meta = await response.json() as { issuer: string; authorization_endpoint: string };
    assert.equal(meta.issuer, `${t.baseUrl}/oidc`);
    assert.equal(meta.authorization_endpoint, `${t.baseUrl}/oidc/auth`);
  });

  test('the app checks state and nonce: the provider returns them unchanged, so a mismatch is caught', async () => {
    const { config, request, page } = await codeFor(app);
    assert.equal(new URL(page.url).searchParams.get('state'), request.state);
    await assert.rejects(oidc.authorizationCodeGrant(config, new URL(page.url), { pkceCodeVerifier: request.verifier, expectedState: 'another-state' }));
  });

  test('hostile text at every endpoint: an OAuth error or a page, never a 500', async () => {
    const nul = encodeURIComponent('a\u0000b');
    const huge = 'x'.repeat(60_000);
    const requests: [string, RequestInit?][] = [
      [`${t.baseUrl}/oidc/auth?client_id=abuse-app&state=${nul}&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(CALLBACK)}`],
      [`${t.baseUrl}/oidc/auth?client_id=%ED%A0%80&response_type=code`],
      [`${t.baseUrl}/oidc/auth?client_id=abuse-app&state=${huge}`],
      [`${t.baseUrl}/oidc/auth/${'%00'.repeat(3)}`],
      [`${t.baseUrl}/oidc/session/end?id_token_hint=${nul}`],
      [`${t.baseUrl}/oidc/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('abuse-app:x').toString('base64')}` }, body: `grant_type=authorization_code&code=${nul}&redirect_uri=x&code_verifier=${nul}` }],
      [`${t.baseUrl}/oidc/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `grant_type=refresh_token&refresh_token=${nul}&client_id=${nul}` }],
      [`${t.baseUrl}/oidc/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"grant_type":"client_credentials","client_id":"\\ud800"}' }],
      [`${t.baseUrl}/oidc/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from([0x67, 0x72, 0x61, 0x6e, 0x74, 0x3d, 0xff]) }],
      [`${t.baseUrl}/oidc/token/introspection`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${huge}` }],
      [`${t.baseUrl}/oidc/me`, { headers: { authorization: `Bearer ${'%00'}` } }],
      [`${t.baseUrl}/oidc/jwks?x=${nul}`],
      [`${t.baseUrl}/interaction/${nul}`],
      [`${t.baseUrl}/interaction/nope/role`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'membershipId=%00' }],
    ];
    for (const [url, init] of requests) {
      const response = await fetch(url, { redirect: 'manual', ...init });
      const body = await response.text();
      assert.ok(response.status < 500, `${init?.method ?? 'GET'} ${url.slice(0, 120)}: ${response.status} ${body.slice(0, 200)}`);
      assert.doesNotMatch(body, /\bat .+\.(ts|js):\d+/, 'no stack trace');
    }
  });

  test('hostile text in a pushed authorization request\'s body (read back at /auth by its request_uri): an OAuth error, never a 500', async () => {
    const basic = `Basic ${Buffer.from(`abuse-app:${app.secret}`).toString('base64')}`;
    const params = (extra: string) => `client_id=abuse-app&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(CALLBACK)}`
      + `&code_challenge=${'a'.repeat(43)}&code_challenge_method=S256&${extra}`;
    for (const extra of ['state=a%00b', 'ui_locales=fa%00', 'nonce=%ED%A0%80x', 'state=%FF%FE', `login_hint=${encodeURIComponent('\u202e\u200bx')}`]) {
      const pushed = await fetch(`${t.baseUrl}/oidc/request`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic }, body: params(extra) });
      const pushedBody = await pushed.text();
      assert.ok(pushed.status < 500, `PAR ${extra}: ${pushed.status} ${pushedBody.slice(0, 200)}`);
      if (pushed.status !== 201) continue;
      const { request_uri: uri } = JSON.parse(pushedBody) as { request_uri: string };
      for (const accept of ['text/html', 'application/json']) {
        const response = await fetch(`${t.baseUrl}/oidc/auth?client_id=abuse-app&request_uri=${encodeURIComponent(uri)}`, { redirect: 'manual', headers: { accept } });
        const body = await response.text();
        assert.ok(response.status < 500, `auth after PAR ${extra} (${accept}): ${response.status} ${body.slice(0, 200)}`);
        assert.doesNotMatch(body, /\bat .+\.(ts|js):\d+/, 'no stack trace');
        // Refused at once, or on to the sign-in: an error for the app names invalid_request.
        const location = response.headers.get('location') ?? '';
        if (location.startsWith(CALLBACK)) assert.equal(new URL(location).searchParams.get('error'), 'invalid_request', `${extra}: ${location}`);
      }
    }
  });

  test('an address with no endpoint is a localized page for a browser and a JSON error for an app, not upstream\'s plain text', async () => {
    for (const path of ['/oidc/nope', '/oidc/token/nope', '/oidc/%D9%86%D8%A7', '/oidc/.well-known/nope']) {
      const page = await fetch(`${t.baseUrl}${path}?lang=he`, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
      assert.equal(page.status, 404, path);
      assert.match(page.headers.get('content-type') ?? '', /^text\/html/, path);
      const html = await page.text();
      assert.match(html, /<html lang="he" dir="rtl">/, `${path}: in the language asked`);
      assert.match(html, /הדף המבוקש לא נמצא/, `${path}: says the page was not found`);
      const api = await fetch(`${t.baseUrl}${path}`, { method: 'POST', headers: { accept: 'application/json' } });
      assert.equal(api.status, 404, path);
      assert.deepEqual(Object.keys(await api.json() as object).sort(), ['error', 'error_description'], path);
    }
    // The endpoints themselves are untouched.
    assert.equal((await fetch(`${t.baseUrl}/oidc/jwks`)).status, 200);
  });

  test('Kelid\'s own refusals at the provider are OAuth\'s error for apps\' servers and a localized page for browsers', async () => {
    // Hostile text in a parameter: a NUL, a lone surrogate, a direction override alone is fine.
    for (const query of ['client_id=a%00b', 'x=%ED%A0%80', 'scope=openid%00']) {
      for (const path of ['/oidc/token', '/oidc/jwks', '/oidc/me', '/oidc/token/introspection']) {
        const answer = await fetch(`${t.baseUrl}${path}?${query}`, { method: path === '/oidc/jwks' ? 'GET' : 'POST', headers: { 'accept-language': 'en' } });
        assert.equal(answer.status, 400, `${path}?${query}`);
        assert.match(answer.headers.get('content-type') ?? '', /^application\/json/);
        const body = await answer.json() as Record<string, unknown>;
        assert.deepEqual(Object.keys(body).sort(), ['error', 'error_description'], `${path}?${query}: OAuth's shape (RFC 6749 §5.2)`);
        assert.equal(body.error, 'invalid_request');
        assert.match(String(body.error_description), new RegExp(`^${query.split('=')[0]}: `), 'names the parameter');
      }
      const page = await fetch(`${t.baseUrl}/oidc/auth?lang=en&${query}`, { headers: { accept: 'text/html' } });
      assert.equal(page.status, 400, `/oidc/auth?${query}`);
      assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
      const html = await page.text();
      // The person followed an app's link and typed none of it: the page says so, and names no parameter.
      assert.match(html, /The connected service sent a request that is not valid\. Go back to it and try again\./);
      assert.doesNotMatch(html, new RegExp(`\\(${query.split('=')[0]}\\)`));
    }
    // At userinfo the code is in WWW-Authenticate too, where OAuth clients read it (RFC 6750 §3).
    const userinfo = await fetch(`${t.baseUrl}/oidc/me?x=%00`, { headers: { authorization: 'Bearer x' } });
    assert.equal(userinfo.status, 400);
    assert.equal(userinfo.headers.get('www-authenticate'), 'Bearer error="invalid_request"');
    // The app's ui_locales says the person's language when they chose none here (as the interaction pages do).
    const asked = await fetch(`${t.baseUrl}/oidc/auth?state=a%00b&ui_locales=xx-YY%20he-IL%20en`, { headers: { accept: 'text/html', 'accept-language': 'en' } });
    assert.equal(asked.status, 400);
    assert.match(await asked.text(), /<html lang="he" dir="rtl">/);
    // An app's sign-out carries an ID token: a refusal drawn there does not repeat it in the page's links, however it is spelt.
    // An app's other hints about the person (a national ID) neither: an app that posted them kept them out of the address on purpose.
    for (const hint of ['id_token_hint', 'id%5Ftoken%5Fhint', 'login_hint', 'logout_hint']) {
      const signOut = await fetch(`${t.baseUrl}/oidc/session/end?${hint}=eyJSECRET.eyJNAMES.sig&post_logout_redirect_uri=x&x=%00`, { headers: { accept: 'text/html' } });
      assert.equal(signOut.status, 400);
      const html = await signOut.text();
      assert.doesNotMatch(html, /eyJSECRET|eyJNAMES/, hint);
      assert.match(html, /post_logout_redirect_uri=x/, 'the rest of the address stays in the links');
    }
    // A path the router cannot decode: the same two forms.
    const api = await fetch(`${t.baseUrl}/oidc/token/%FF`, { method: 'POST' });
    assert.equal(api.status, 400);
    assert.equal((await api.json() as { error: string }).error, 'invalid_request');
  });
});
