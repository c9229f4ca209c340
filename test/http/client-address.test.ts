// The client address behind load balancers (issue 9, fault 3): it comes only from hops Kelid
// trusts (a hop count or a list of proxies), so a client cannot choose the address that its
// per-address limits and the audit see by writing X-Forwarded-For itself.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startListeningApp, startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, nationalIdFor } from '../helpers/fixtures.ts';

const PASSWORD = 'Sahar-Mehr-1404!';

const settings: [string, Record<string, string>][] = [
  ['one trusted hop', { KELID_TRUST_PROXY: '1' }],
  ['a list of proxies', { KELID_TRUST_PROXY: '10.9.0.0/16, 10.8.0.5' }],
];

for (const [name, env] of settings) {
  describe(`client address with ${name}`, () => {
    let t: TestApp;
    const nationalId = nationalIdFor(4401);
    before(async () => {
      t = await startTestApp('pglite', { ...env, KELID_ADDRESS_FAILURE_LIMIT: '3', KELID_ADDRESS_WINDOW_MINUTES: '15' });
      await createAccount(t.handle.db, t.hasher, { nationalId, password: PASSWORD });
    });
    after(() => t.close());

    // The load balancer (10.9.1.1 or 10.8.0.5) appends the address it saw to what the client wrote.
    const proxy = env.KELID_TRUST_PROXY === '1' ? '10.9.1.1' : '10.8.0.5';
    // A different unknown identifier each time: the account's own lockout must not be what answers.
    let tries = 0;
    const signIn = (forwardedFor: string) => t.app.inject({
      method: 'POST', url: '/api/v1/sessions', remoteAddress: proxy,
      headers: { 'x-forwarded-for': forwardedFor }, payload: { identifier: nationalIdFor(4500 + tries++), password: 'Wrong-Password-1' },
    });
    const lastFailure = async () => (await t.handle.db.selectFrom('audit_events').select('ip').where('type', '=', 'sign_in.failed')
      .orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()).ip;

    test('the audit records the address the proxy saw, not the one the client wrote', async () => {
      await signIn('203.0.113.7, 198.51.100.77');
      assert.equal(await lastFailure(), '198.51.100.77');
      await signIn('198.51.100.77');
      assert.equal(await lastFailure(), '198.51.100.77');
    });

    test('rotating the client-written entry does not escape the per-address limit', async () => {
      const answers = [];
      for (let i = 0; i < 6; i++) answers.push((await signIn(`203.0.113.${i}, 198.51.100.88`)).json().error.code);
      assert.ok(answers.slice(3).every((code) => code !== 'sign_in.invalid'), `answers: ${answers.join(', ')}`);
      const other = await signIn('198.51.100.99');
      assert.equal(other.json().error.code, 'sign_in.invalid', 'another real address is not limited');
    });

    test('a client talking to Kelid directly, not through a trusted proxy, is its own address', async () => {
      const direct = await t.app.inject({
        method: 'POST', url: '/api/v1/sessions', remoteAddress: '203.0.113.50',
        headers: { 'x-forwarded-for': '198.51.100.1' }, payload: { identifier: nationalIdFor(4403), password: 'Wrong-Password-1' },
      });
      assert.equal(direct.statusCode, 401);
      const expected = env.KELID_TRUST_PROXY === '1' ? '198.51.100.1' : '203.0.113.50';
      // A hop count trusts the nearest hop whoever it is: only a list of proxies can tell a direct client (docs/decisions.md).
      assert.equal(await lastFailure(), expected);
    });
  });
}

describe('client address without a proxy setting', () => {
  let t: TestApp;
  before(async () => { t = await startTestApp('pglite'); });
  after(() => t.close());

  test('X-Forwarded-For is ignored', async () => {
    await t.app.inject({
      method: 'POST', url: '/api/v1/sessions', remoteAddress: '203.0.113.60',
      headers: { 'x-forwarded-for': '198.51.100.2' }, payload: { identifier: nationalIdFor(4404), password: 'Wrong-Password-1' },
    });
    const row = await t.handle.db.selectFrom('audit_events').select('ip').where('type', '=', 'sign_in.failed').executeTakeFirstOrThrow();
    assert.equal(row.ip, '203.0.113.60');
  });
});

describe('an IPv6 client counts by its /64', () => {
  let t: TestApp;
  before(async () => { t = await startTestApp('pglite', { KELID_ADDRESS_FAILURE_LIMIT: '3', KELID_ADDRESS_WINDOW_MINUTES: '15', KELID_RATE_LIMIT_PER_MINUTE: '4' }); });
  after(() => t.close());

  let tries = 0;
  const signIn = (remoteAddress: string) => t.app.inject({
    method: 'POST', url: '/api/v1/sessions', remoteAddress, payload: { identifier: nationalIdFor(4600 + tries++), password: 'Wrong-Password-1' },
  });

  test('failures from many addresses of one /64 add up to the address limit; another /64 is not limited', async () => {
    const answers = [];
    for (let i = 1; i <= 4; i++) answers.push((await signIn(`2001:db8:5:5::${i}`)).json().error.code);
    assert.deepEqual(answers.slice(0, 3), ['sign_in.invalid', 'sign_in.invalid', 'sign_in.invalid']);
    assert.equal(answers[3], 'sign_in.captcha_required', `answers: ${answers.join(', ')}`);
    assert.equal((await signIn('2001:db8:5:6::1')).json().error.code, 'sign_in.invalid');
    const audited = await t.handle.db.selectFrom('audit_events').select('ip').where('type', '=', 'sign_in.failed').orderBy('id').execute();
    assert.equal(audited[1]?.ip, '2001:db8:5:5::2', 'the audit keeps the exact address');
  });

  test('the requests-per-minute limit counts the /64 too (@fastify/rate-limit\'s own default, kept)', async () => {
    const statuses = [];
    for (let i = 1; i <= 5; i++) statuses.push((await t.app.inject({ url: '/api/v1/captcha', remoteAddress: `2001:db8:9:9:${i}::1` })).statusCode);
    assert.deepEqual(statuses, [200, 200, 200, 200, 429]);
  });
});

describe('X-Forwarded-For entries that are not bare addresses, through a real socket', () => {
  let t: TestApp & { baseUrl: string };
  before(async () => { t = await startListeningApp('pglite', { KELID_TRUST_PROXY: '1', KELID_ADDRESS_FAILURE_LIMIT: '3', KELID_ADDRESS_WINDOW_MINUTES: '15' }); });
  after(() => t.close());

  let tries = 0;
  // The nearest hop (the test, on loopback) is the trusted proxy; it writes the client as it saw it.
  const signIn = async (forwardedFor: string) => {
    const response = await fetch(`${t.baseUrl}/api/v1/sessions`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ identifier: nationalIdFor(4700 + tries++), password: 'Wrong-Password-1' }),
    });
    return ((await response.json()) as { error: { code: string } }).error.code;
  };
  const lastFailure = async () => (await t.handle.db.selectFrom('audit_events').select('ip').where('type', '=', 'sign_in.failed')
    .orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()).ip;

  test('an address with a port (as some proxies write it) is the address: a new port is not a new client', async () => {
    const answers = [];
    for (const port of [1111, 2222, 3333, 4444]) answers.push(await signIn(`203.0.113.5:${port}`));
    assert.deepEqual(answers.slice(0, 3), ['sign_in.invalid', 'sign_in.invalid', 'sign_in.invalid']);
    assert.equal(answers[3], 'sign_in.captcha_required', `answers: ${answers.join(', ')}`);
    assert.equal(await lastFailure(), '203.0.113.5');
  });

  test('bracketed IPv6, with or without a port, is the bare address (and counts by its /64)', async () => {
    assert.equal(await signIn('[2001:db8:77::1]:443'), 'sign_in.invalid');
    assert.equal(await lastFailure(), '2001:db8:77::1');
    assert.equal(await signIn('[2001:db8:77::2]'), 'sign_in.invalid');
    assert.equal(await lastFailure(), '2001:db8:77::2');
  });

  test('a zone id is taken off, an IPv4-mapped address is its IPv4 address, an IPv6 one is written as RFC 5952 says (one client, one way in the audit)', async () => {
    for (const [written, bare] of [['fe80::7%eth0', 'fe80::7'], ['[fe80::8%25en0]:8080', 'fe80::8'], ['::ffff:203.0.113.77', '203.0.113.77'],
      ['[::FFFF:CB00:714E]:1234', '203.0.113.78'], ['0:0:0:0:0:ffff:cb00:714f', '203.0.113.79'], ['2001:DB8:0:0:0::7', '2001:db8::7'], ['[2001:0db8:0000::8]:443', '2001:db8::8']] as const) {
      await signIn(written);
      assert.equal(await lastFailure(), bare, written);
    }
  });

  test('an entry that is no address is never the client: the nearest address told is (here the proxy itself)', async () => {
    for (const odd of ['garbage', 'unknown', '203.0.113.9:port', '<script>', '', '999.1.1.1', '203.0.113.5 203.0.113.6', '203.0.113.5:65536', '[2001:db8::1]:99999', 'fe80::1%<x>']) {
      await signIn(odd);
      assert.equal(await lastFailure(), '127.0.0.1', JSON.stringify(odd));
    }
    // A client's own odd entry beyond the address the proxy appended changes nothing.
    await signIn('garbage, 198.51.100.41');
    assert.equal(await lastFailure(), '198.51.100.41');
  });
});
