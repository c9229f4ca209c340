// Back-channel logout in the example apps (OpenID Connect Back-Channel Logout 1.0): a logout
// token is checked as §2.6 asks before any session ends, and only the sessions it names end;
// anything wrong is a 400 invalid_request, never a 500. Kelid's own tokens, end to end, are
// in test/e2e/single-sign-on.test.ts.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { buildApp } from '../../examples/payslips/server.ts';
import { readConfig } from '../../examples/shared/config.ts';
import { BACKCHANNEL_LOGOUT_EVENT, LogoutTokenError, SeenTokens, verifyLogoutToken } from '../../examples/shared/logout-token.ts';
import { fakeKelid, person, signIn } from './fake-kelid.ts';

const ISSUER = 'https://kelid.test/oidc';
const CLIENT = 'payslips';
const kelidKey = await generateKeyPair('RS256');
const otherKey = await generateKeyPair('RS256');
const keys = createLocalJWKSet({ keys: [{ ...await exportJWK(kelidKey.publicKey), kid: 'k1', alg: 'RS256' }] });

type Header = { alg?: string; typ?: string | undefined; kid?: string };
/** Claims to change; `undefined` leaves one out. */
type Claims = Record<string, unknown>;

/** A logout token as Kelid makes one (oidc-provider: typ logout+jwt, two minutes), with changes. */
async function logoutToken(claims: Claims = {}, header: Header = {}, key = kelidKey.privateKey) {
  const now = Math.floor(Date.now() / 1000);
  const payload: JWTPayload = {
    iss: ISSUER, aud: CLIENT, iat: now, exp: now + 120, jti: randomUUID(), sub: 'teacher-1', sid: 'sid-1',
    events: { [BACKCHANNEL_LOGOUT_EVENT]: {} }, ...claims,
  };
  for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
  const protectedHeader: Record<string, unknown> = { alg: 'RS256', typ: 'logout+jwt', kid: 'k1', ...header };
  if (protectedHeader['typ'] === undefined) delete protectedHeader['typ'];
  return new SignJWT(payload).setProtectedHeader(protectedHeader as { alg: string }).sign(key);
}

const check = (token: string, seen = new SeenTokens()) => verifyLogoutToken(token, { keys, issuer: ISSUER, clientId: CLIENT, seen });

describe('logout token checks (§2.6)', () => {
  test('Kelid\'s token names the session and the person', async () => {
    assert.deepEqual(await check(await logoutToken()), { sid: 'sid-1', sub: 'teacher-1' });
    assert.deepEqual(await check(await logoutToken({ sid: undefined })), { sid: null, sub: 'teacher-1' });
    assert.deepEqual(await check(await logoutToken({ sub: undefined })), { sid: 'sid-1', sub: null });
    assert.deepEqual(await check(await logoutToken({}, { typ: undefined })), { sid: 'sid-1', sub: 'teacher-1' }, 'an untyped token is not refused for that alone');
  });

  const refused: [string, () => Promise<string>][] = [
    ['signed with another key', () => logoutToken({}, {}, otherKey.privateKey)],
    ['another issuer', () => logoutToken({ iss: 'https://evil.test/oidc' })],
    ['for another app', () => logoutToken({ aud: 'exam-registration' })],
    ['expired', () => logoutToken({ iat: Math.floor(Date.now() / 1000) - 600, exp: Math.floor(Date.now() / 1000) - 480 })],
    ['issued long ago, however long it claims to live', () => logoutToken({ iat: Math.floor(Date.now() / 1000) - 3600, exp: Math.floor(Date.now() / 1000) + 3600 })],
    ['issued in the future', () => logoutToken({ iat: Math.floor(Date.now() / 1000) + 600, exp: Math.floor(Date.now() / 1000) + 720 })],
    ['without iat', () => logoutToken({ iat: undefined })],
    ['without the event', () => logoutToken({ events: { 'http://schemas.openid.net/event/other': {} } })],
    ['without events', () => logoutToken({ events: undefined })],
    ['with a nonce (an ID token)', () => logoutToken({ nonce: 'n' })],
    ['with neither sid nor sub', () => logoutToken({ sid: undefined, sub: undefined })],
    ['without jti', () => logoutToken({ jti: undefined })],
    ['typed as something else', () => logoutToken({}, { typ: 'JWT' })],
    ['not a JWT', async () => 'not-a-jwt'],
    ['unsigned (alg none)', async () => `${Buffer.from('{"alg":"none","typ":"logout+jwt"}').toString('base64url')}.${Buffer.from(JSON.stringify({ iss: ISSUER, aud: CLIENT, sid: 's', events: { [BACKCHANNEL_LOGOUT_EVENT]: {} } })).toString('base64url')}.`],
  ];
  for (const [why, make] of refused) {
    test(`refused: ${why}`, async () => {
      await assert.rejects(check(await make()), LogoutTokenError);
    });
  }

  test('refused: the same token twice (its jti is remembered while it lives)', async () => {
    const seen = new SeenTokens();
    const token = await logoutToken();
    await check(token, seen);
    await assert.rejects(check(token, seen), /replayed/);
  });
});

describe('POST /backchannel-logout', () => {
  const config = readConfig({}, { clientId: CLIENT, clientSecret: 'payslips-secret', port: 4003 });
  const teacher = person({ sub: 'teacher-1', roles: [{ role: 'teacher', organization: 'School A', organization_id: 'a', organization_type: null, district: null, province: null, starts_on: null, ends_on: null, grade: null }] });

  async function appWithSessions() {
    const seen = new SeenTokens();
    const kelid = { ...fakeKelid(teacher), verifyLogoutToken: (token: string) => verifyLogoutToken(token, { keys, issuer: ISSUER, clientId: CLIENT, seen }) };
    const app = await buildApp(config, { kelid });
    // The same person signed in twice (two browsers: two Kelid sessions).
    const first = await signIn(app, { code: 'c', sid: 'sid-1' });
    const second = await signIn(app, { code: 'c', sid: 'sid-2' });
    const signedIn = async (cookie: string) => (await app.inject({ url: '/', headers: { cookie } })).body.includes('action="/sign-out"');
    const post = (body: string, type = 'application/x-www-form-urlencoded') =>
      app.inject({ method: 'POST', url: '/backchannel-logout', headers: { 'content-type': type }, payload: body });
    return { app, first: first.cookie, second: second.cookie, signedIn, post };
  }

  test('a valid token ends the sessions of its sid, and only those; 200, not stored', async () => {
    const { first, second, signedIn, post } = await appWithSessions();
    assert.equal(await signedIn(first), true);
    const answer = await post(`logout_token=${await logoutToken({ sid: 'sid-1' })}`);
    assert.equal(answer.statusCode, 200);
    assert.equal(answer.headers['cache-control'], 'no-store');
    assert.equal(await signedIn(first), false, 'the session Kelid named has ended');
    assert.equal(await signedIn(second), true, 'the same person\'s other Kelid session goes on');
  });

  test('a token with only the sub ends every session of that person', async () => {
    const { first, second, signedIn, post } = await appWithSessions();
    assert.equal((await post(`logout_token=${await logoutToken({ sid: undefined, sub: 'teacher-1' })}`)).statusCode, 200);
    assert.equal(await signedIn(first), false);
    assert.equal(await signedIn(second), false);
  });

  test('a token for another person with this sid ends nothing', async () => {
    const { first, signedIn, post } = await appWithSessions();
    assert.equal((await post(`logout_token=${await logoutToken({ sid: 'sid-1', sub: 'someone-else' })}`)).statusCode, 200);
    assert.equal(await signedIn(first), true);
  });

  test('anything else is 400 invalid_request, and no session ends', async () => {
    const { first, signedIn, post } = await appWithSessions();
    const replayed = await logoutToken({ sid: 'sid-9' });
    assert.equal((await post(`logout_token=${replayed}`)).statusCode, 200);
    const answers = await Promise.all([
      post(''),
      post('logout_token='),
      post('logout_token=junk'),
      post(`logout_token=${await logoutToken({ sid: 'sid-1', nonce: 'n' })}`),
      post(`logout_token=${await logoutToken({ sid: 'sid-1' }, {}, otherKey.privateKey)}`),
      post(`logout_token=${replayed}`),
      post(JSON.stringify({ logout_token: await logoutToken({ sid: 'sid-1' }) }), 'application/json'),
      post(`logout_token=${'x'.repeat(20_000)}`),
      post('logout_token=%E0%A4%A', 'application/x-www-form-urlencoded'),
    ]);
    for (const answer of answers) {
      assert.equal(answer.statusCode, 400, answer.body);
      assert.equal(answer.json().error, 'invalid_request');
      assert.equal(answer.headers['cache-control'], 'no-store');
    }
    assert.equal(await signedIn(first), true);
  });

  test('a GET is no logout', async () => {
    const { app, first, signedIn } = await appWithSessions();
    const answer = await app.inject({ url: `/backchannel-logout?logout_token=${await logoutToken({ sid: 'sid-1' })}` });
    assert.equal(answer.statusCode, 404);
    assert.equal(await signedIn(first), true);
  });
});
