// Operators' endpoints, HTTPS cookies and headers, and the coarse request limit.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { REQUEST_TIMEOUT_MS } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { sharedForASecond } from '../../src/http/ops.ts';
import { createAgent } from '../helpers/agent.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor } from '../helpers/fixtures.ts';

describe('operations', () => {
  let t: TestApp;
  before(async () => { t = await startTestApp('pglite', { KELID_PUBLIC_URL: 'https://kelid.example', KELID_RATE_LIMIT_PER_MINUTE: '40' }); });
  after(() => t.close());

  test('healthz, readyz and metrics answer', async () => {
    assert.deepEqual((await t.app.inject('/healthz')).json(), { status: 'ok' });
    assert.deepEqual((await t.app.inject('/readyz')).json(), { status: 'ready' });
    await t.app.inject('/sign-in');
    const metrics = await t.app.inject('/metrics');
    assert.equal(metrics.statusCode, 200);
    assert.match(metrics.body, /kelid_http_requests_total\{method="GET",route="\/sign-in",status="200"\} \d+/);
    assert.match(metrics.body, /process_resident_memory_bytes/);
  });

  test('/metrics answers the machine and private networks only, and nothing a proxy forwarded: the others get a 404', async () => {
    for (const remoteAddress of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '10.1.2.3', '172.20.0.5', '192.168.1.9', 'fd12::7', '169.254.1.1']) {
      assert.equal((await t.app.inject({ url: '/metrics', remoteAddress })).statusCode, 200, remoteAddress);
    }
    for (const remoteAddress of ['192.0.2.2', '8.8.8.8', '2001:db8::1', '::ffff:192.0.2.2', '172.32.0.1']) {
      const refused = await t.app.inject({ url: '/metrics', remoteAddress, headers: { 'accept-language': 'en' } });
      assert.equal(refused.statusCode, 404, remoteAddress);
      assert.doesNotMatch(refused.body, /kelid_|process_/);
    }
    for (const headers of [{ 'x-forwarded-for': '192.0.2.2' }, { forwarded: 'for=192.0.2.2' }, { 'x-forwarded-for': '127.0.0.1' }]) {
      assert.equal((await t.app.inject({ url: '/metrics', remoteAddress: '10.0.0.2', headers })).statusCode, 404, JSON.stringify(headers));
    }
    assert.equal((await t.app.inject({ url: '/%6detrics', remoteAddress: '192.0.2.2' })).statusCode, 404, 'encoded, the same');
  });

  test('a request must arrive whole within five minutes: a body trickled in to hold a connection is cut off (Node answers 408)', () => {
    assert.equal(t.app.server.requestTimeout, REQUEST_TIMEOUT_MS);
    assert.equal(REQUEST_TIMEOUT_MS, 300_000);
  });

  test('KELID_METRICS_FROM names who may scrape instead', async () => {
    const other = await startTestApp('pglite', { KELID_METRICS_FROM: '203.0.113.0/24, ::1' });
    try {
      assert.equal((await other.app.inject({ url: '/metrics', remoteAddress: '203.0.113.9' })).statusCode, 200);
      assert.equal((await other.app.inject({ url: '/metrics', remoteAddress: '::1' })).statusCode, 200);
      assert.equal((await other.app.inject({ url: '/metrics', remoteAddress: '127.0.0.1' })).statusCode, 404, 'the defaults are replaced');
      assert.equal((await other.app.inject({ url: '/metrics', remoteAddress: '10.0.0.1' })).statusCode, 404);
    } finally {
      await other.close();
    }
    assert.throws(() => loadConfig({ KELID_METRICS_FROM: 'prometheus.local' }), /KELID_METRICS_FROM takes IP addresses and CIDR ranges, got "prometheus.local"/);
  });

  test('behind HTTPS the session cookie is __Host- and Secure, and HSTS is sent', async () => {
    const tree = await createTree(t.handle.db);
    const nationalId = nationalIdFor(301);
    await createAccount(t.handle.db, t.hasher, { nationalId, password: 'Sahar-Mehr-1404!', memberships: [{ organizationId: tree.schoolA, role: 'teacher' }] });
    const agent = createAgent(t.app);
    const page = await agent.get('/sign-in');
    assert.match(String(page.headers['strict-transport-security']), /max-age=31536000/);
    const response = await agent.submit('/sign-in', { identifier: nationalId, password: 'Sahar-Mehr-1404!' });
    const cookie = response.cookies.find((c) => c.name === '__Host-kelid_session');
    assert.equal(cookie?.secure, true);
    assert.equal(cookie?.httpOnly, true);
  });

  test('too many requests from one address get a localized 429', async () => {
    let last = await t.app.inject({ url: '/healthz', remoteAddress: '10.9.9.9' });
    for (let i = 0; i < 45 && last.statusCode !== 429; i++) {
      last = await t.app.inject({ url: '/api/v1/sessions/current', remoteAddress: '10.9.9.9', headers: { 'accept-language': 'en' } });
    }
    assert.equal(last.statusCode, 429);
    assert.equal(last.json().error.code, 'error.rate_limited');
    assert.match(last.json().error.message, /Too many requests/);
  });

  test('the provider\'s pages count against the per-address limit; the endpoints apps\' servers call do not', async () => {
    const authorize = (address: string) => t.app.inject({ url: '/oidc/auth?client_id=exam-registration&lang=en', remoteAddress: address, headers: { accept: 'text/html' } });
    let last = await authorize('10.9.9.7');
    assert.ok(last.headers['x-ratelimit-remaining'] !== undefined, 'counted');
    for (let i = 0; i < 45 && last.statusCode !== 429; i++) last = await authorize('10.9.9.7');
    // A browser sent to /oidc/auth past the limit gets the page, in the language it chose.
    assert.equal(last.statusCode, 429);
    assert.ok(Number(last.headers['retry-after']) > 0);
    assert.match(last.body, /<html[^>]* lang="en"/);
    assert.match(last.body, /role="alert">[^<]*Too many requests/);
    // One budget per address: the rest of Kelid refuses it too, the sign-out as well; another address is served.
    assert.equal((await t.app.inject({ url: '/api/v1/sessions/current', remoteAddress: '10.9.9.7' })).statusCode, 429);
    assert.equal((await t.app.inject({ url: '/oidc/session/end', remoteAddress: '10.9.9.7' })).statusCode, 429);
    assert.notEqual((await authorize('10.9.9.6')).statusCode, 429);
    // An app's server behind that address (one address for all its users) still gets its tokens and keys.
    const token = await t.app.inject({ method: 'POST', url: '/oidc/token', remoteAddress: '10.9.9.7', headers: { accept: 'application/json' }, payload: { grant_type: 'client_credentials' } });
    assert.notEqual(token.statusCode, 429);
    assert.equal(token.headers['content-type']?.toString().startsWith('application/json'), true);
    assert.equal((await t.app.inject({ url: '/oidc/jwks', remoteAddress: '10.9.9.7' })).statusCode, 200);
    assert.equal((await t.app.inject({ url: '/oidc/.well-known/openid-configuration', remoteAddress: '10.9.9.7' })).statusCode, 200);
  });

  test('the provider\'s pages are counted whatever the case of their path, as the provider reads it', async () => {
    // Upstream's router takes /oidc/AUTH for /oidc/auth: so does the per-address limit.
    for (const [i, path] of ['/oidc/AUTH', '/oidc/Auth/', '/oidc/session/END', '/oidc/Session/End'].entries()) {
      const address = `10.9.8.${i + 1}`;
      const visit = () => t.app.inject({ url: `${path}?client_id=exam-registration&lang=en`, remoteAddress: address, headers: { accept: 'text/html' } });
      let last = await visit();
      assert.ok(last.headers['x-ratelimit-remaining'] !== undefined, `${path}: counted`);
      for (let n = 0; n < 45 && last.statusCode !== 429; n++) last = await visit();
      assert.equal(last.statusCode, 429, path);
      assert.match(last.body, /<html[^>]* lang="en"/, `${path}: the page`);
    }
    // Not the provider's (its router folds no non-ASCII letter into an ASCII one): not a page, not counted.
    const lookalike = await t.app.inject({ url: '/oidc/\u017Fession/end', remoteAddress: '10.9.8.9' });
    assert.equal(lookalike.headers['x-ratelimit-remaining'], undefined);
    // The userinfo endpoint in any case refuses as RFC 6750 says, with WWW-Authenticate.
    const userinfo = await t.app.inject({ url: '/oidc/ME?x=%FF', remoteAddress: '10.9.8.10' });
    assert.equal(userinfo.statusCode, 400);
    assert.match(String(userinfo.headers['www-authenticate']), /^Bearer error="invalid_request"/);
  });

  test('the probes are never rate limited: a flood from their address does not fail them', async () => {
    let last = await t.app.inject({ url: '/api/v1/sessions/current', remoteAddress: '10.9.9.8' });
    for (let i = 0; i < 45 && last.statusCode !== 429; i++) last = await t.app.inject({ url: '/api/v1/sessions/current', remoteAddress: '10.9.9.8' });
    assert.equal(last.statusCode, 429, 'the address is over its limit');
    assert.equal((await t.app.inject({ url: '/healthz', remoteAddress: '10.9.9.8' })).statusCode, 200);
    assert.equal((await t.app.inject({ url: '/readyz', remoteAddress: '10.9.9.8' })).statusCode, 200);
    assert.equal((await t.app.inject({ url: '/metrics', remoteAddress: '10.9.9.8' })).statusCode, 429, '/metrics is still limited');
  });

  test('static assets are not counted: a flood of them does not spend an address\'s share of pages', async () => {
    const page = await t.app.inject({ url: '/sign-in', remoteAddress: '10.9.7.77' });
    const asset = /(\/assets\/[^"']+\.css)/.exec(page.body)?.[1];
    assert.ok(asset, 'the page links a stylesheet');
    for (let i = 0; i < 100; i++) assert.equal((await t.app.inject({ url: asset, remoteAddress: '10.9.7.77' })).statusCode, 200, `asset request ${i}`);
    assert.equal((await t.app.inject({ url: '/sign-in', remoteAddress: '10.9.7.77' })).statusCode, 200, 'pages still served');
  });

  test('only the assets\' own URLs go uncounted: any other path under /assets (a 404, an old name\'s redirect, a query) spends the share', async () => {
    const page = await t.app.inject({ url: '/sign-in', remoteAddress: '10.9.7.78' });
    const asset = /(\/assets\/[^"']+\.css)/.exec(page.body)?.[1]!;
    const unhashed = asset.replace(/\.[0-9a-f]{12}(\.css)$/, '$1');
    for (const [url, status] of [['/assets/nothing-here.css', 404], [unhashed, 302], [`${asset}?v=1`, 200]] as const) {
      const address = `10.9.7.${79 + [404, 302, 200].indexOf(status)}`;
      let last = await t.app.inject({ url, remoteAddress: address });
      assert.equal(last.statusCode, status, url);
      for (let i = 0; i < 45 && last.statusCode !== 429; i++) last = await t.app.inject({ url, remoteAddress: address });
      assert.equal(last.statusCode, 429, `${url}: counted, so the address runs out`);
    }
  });
});

test('readiness asks the database at most once a second, however many ask at once (a flood of /readyz queued a query each)', async () => {
  let at = 0;
  let looks = 0;
  let answer = true;
  const ready = sharedForASecond(async () => { looks++; await new Promise((resolve) => setTimeout(resolve, 20)); return answer; }, () => at);
  const first = await Promise.all(Array.from({ length: 200 }, () => ready()));
  assert.equal(looks, 1);
  assert.ok(first.every((ok) => ok));
  at = 999;
  answer = false;
  assert.equal(await ready(), true, 'kept for the second');
  assert.equal(looks, 1);
  at = 1000;
  assert.equal(await ready(), false, 'then asked again');
  assert.equal(looks, 2);
});
