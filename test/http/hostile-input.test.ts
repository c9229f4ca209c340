// Hostile input on every route of the foundation: wrong types, arrays, objects, NUL bytes,
// 100 KB strings, direction marks, missing fields, junk JSON. Always a localized 4xx naming
// the field where there is one, never a 500, never a stack trace or SQL in the answer.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createAgent, csrfTokenOf } from '../helpers/agent.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor } from '../helpers/fixtures.ts';

const PASSWORD = 'Sahar-Mehr-1404!';
const huge = 'ی'.repeat(100_000);
const hugeAscii = 'x'.repeat(100_000);
const badValues: [string, unknown][] = [
  ['array', ['a', 'b']], ['object', { $gt: '' }], ['number', 12345], ['null', null], ['boolean', true],
  ['NUL byte', 'abc\u0000def'], ['100 KB', huge], ['direction marks only', '\u200f\u200e\u202b'], ['empty', ''],
];

function assertNoLeak(body: string) {
  assert.doesNotMatch(body, /\bat .+\.(ts|js):\d+/, 'no stack trace');
  assert.doesNotMatch(body, /select |insert into|syntax error|violates/i, 'no SQL');
}

describe('hostile input', () => {
  let t: TestApp;
  let token: string;
  const nationalId = nationalIdFor(201);
  before(async () => {
    t = await startTestApp('postgres');
    const tree = await createTree(t.handle.db);
    await createAccount(t.handle.db, t.hasher, { nationalId, password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'teacher' }, { organizationId: tree.schoolB, role: 'teacher' }] });
    token = (await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: nationalId, password: PASSWORD } })).json().token;
  });
  after(() => t.close());

  const api = (method: 'POST' | 'PUT' | 'DELETE' | 'GET', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url, headers: { authorization: `Bearer ${token}`, 'accept-language': 'fa', ...headers }, ...(payload === undefined ? {} : { payload: payload as string }) });

  for (const [name, value] of badValues) {
    test(`POST /api/v1/sessions with ${name} as identifier and as password: a 4xx naming the field`, async () => {
      for (const field of ['identifier', 'password']) {
        const body = { identifier: nationalId, password: PASSWORD, [field]: value };
        const response = await api('POST', '/api/v1/sessions', body);
        assert.ok(response.statusCode >= 400 && response.statusCode < 500, `${field}: got ${response.statusCode}`);
        const error = response.json().error;
        assert.equal(typeof error.message, 'string');
        assert.ok(error.message.length > 0);
        if (!(field === 'password' && (name === 'direction marks only'))) assert.equal(error.field, field, `${field} ${name}: ${JSON.stringify(error)}`);
        assertNoLeak(response.body);
      }
    });

    test(`PUT /api/v1/sessions/current/membership with ${name}: a 4xx naming membershipId`, async () => {
      const response = await api('PUT', '/api/v1/sessions/current/membership', { membershipId: value });
      assert.ok(response.statusCode >= 400 && response.statusCode < 500, `got ${response.statusCode}`);
      assert.equal(response.json().error.field, 'membershipId');
      assertNoLeak(response.body);
    });
  }

  test('missing fields, junk JSON, wrong content types and oversized bodies are 4xx', async () => {
    const cases = [
      await api('POST', '/api/v1/sessions', {}),
      await api('POST', '/api/v1/sessions', '{"identifier": ', { 'content-type': 'application/json' }),
      await api('POST', '/api/v1/sessions', 'identifier=1&password=2', { 'content-type': 'application/x-www-form-urlencoded' }),
      await api('POST', '/api/v1/sessions', 'x', { 'content-type': 'text/plain' }),
      await api('POST', '/api/v1/sessions', JSON.stringify({ identifier: 'x'.repeat(300_000), password: 'y' }), { 'content-type': 'application/json' }),
      await api('DELETE', '/api/v1/sessions/not-a-uuid'),
      await api('DELETE', "/api/v1/sessions/1'%20or%201=1"),
      await api('GET', '/api/v1/sessions', undefined, { authorization: 'Bearer \u0000' }),
      await api('GET', '/api/v1/nothing-here'),
    ];
    for (const response of cases) {
      assert.ok(response.statusCode >= 400 && response.statusCode < 500, `got ${response.statusCode}: ${response.body}`);
      assert.equal(typeof response.json().error.message, 'string');
      assertNoLeak(response.body);
    }
  });

  test('a 100 KB value in a page form reaches the handler and is refused naming the field', async () => {
    const agent = createAgent(t.app);
    const response = await agent.submit('/sign-in', { identifier: hugeAscii, password: PASSWORD });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /نام کاربری باید کد ملی یا کد کاربری باشد/);
    const persian = await agent.submit('/sign-in', { identifier: nationalId, password: huge });
    assert.equal(persian.statusCode, 400);
    assert.match(persian.body, /رمز عبور بیش از حد طولانی است/);
  });

  test('unknown paths, odd paths and other methods are localized 404 pages, not 500s', async () => {
    for (const [method, url] of [['GET', '/favicon.ico'], ['GET', '/nope'], ['GET', '//'], ['GET', '///sign-in'], ['POST', '/'], ['PUT', '/sign-in'], ['GET', '/assets/nope.css'], ['GET', '/assets/../package.json']] as const) {
      const response = await t.app.inject({ method, url });
      assert.equal(response.statusCode, 404, `${method} ${url}: ${response.statusCode}`);
      assert.match(response.body, /صفحه مورد نظر پیدا نشد/);
    }
  });

  test('a return_to that is not plain ASCII is dropped, never a 500 after the session is made', async () => {
    for (const target of ['/%DB%8C', '/%E2%80%A8x', '/a%0d%0aSet-Cookie:x=1']) {
      const agent = createAgent(t.app);
      const url = `/sign-in?return_to=${target}`;
      const response = await agent.submit(url, { identifier: nationalId, password: PASSWORD }, url);
      assert.equal(response.statusCode, 303, `${target}: ${response.statusCode}`);
      assert.equal(response.headers.location, '/role');
      assert.equal((await agent.get(url)).statusCode, 302);
    }
  });

  test('pages: arrays, NUL bytes, 100 KB values and missing fields are answered without a 500', async () => {
    const agent = createAgent(t.app);
    const page = await agent.get('/sign-in');
    const csrf = csrfTokenOf(page.body);
    const forms: Record<string, string | string[]>[] = [
      { identifier: [nationalId, nationalId], password: PASSWORD },
      { identifier: `${nationalId}\u0000`, password: PASSWORD },
      { identifier: huge, password: huge },
      { identifier: '\u200f\u200e', password: '' },
      {},
    ];
    for (const form of forms) {
      const response = await agent.post('/sign-in', { _csrf: csrf, ...form });
      assert.ok(response.statusCode >= 400 && response.statusCode < 500, `got ${response.statusCode}`);
      assert.match(response.body, /<html lang="fa" dir="rtl">/);
      assertNoLeak(response.body);
    }
    assert.equal((await agent.post('/sign-in', { _csrf: [csrf, csrf], identifier: nationalId, password: PASSWORD })).statusCode, 403);

    await agent.post('/sign-in', { _csrf: csrf, identifier: nationalId, password: PASSWORD });
    const signedInPage = await agent.get('/role');
    const token2 = csrfTokenOf(signedInPage.body);
    for (const [url, form] of [
      ['/role', { membershipId: ['a', 'b'] }], ['/role', { membershipId: huge }], ['/role', { membershipId: "' or 1=1 --" }], ['/role', {}],
      ['/password', { current: ['a'], password: 'x', repeat: 'x' }], ['/password', { current: huge, password: huge, repeat: huge }],
      ['/password', { current: 'a\u0000', password: 'b', repeat: 'b' }], ['/password', {}],
    ] as const) {
      const response = await agent.post(url, { _csrf: token2, ...form });
      assert.ok(response.statusCode >= 400 && response.statusCode < 500, `${url} ${JSON.stringify(form).slice(0, 60)}: got ${response.statusCode}`);
      assertNoLeak(response.body);
    }
  });

  test('a double-clicked (thrice-clicked) sign-in form gets a fresh session each time, none half-written', async () => {
    const agent = createAgent(t.app);
    const page = await agent.get('/sign-in');
    const csrf = csrfTokenOf(page.body);
    const responses = await Promise.all(Array.from({ length: 3 }, () => agent.post('/sign-in', { _csrf: csrf, identifier: nationalId, password: PASSWORD })));
    assert.deepEqual(responses.map((r) => r.statusCode), [303, 303, 303]);
    const tokens = new Set(responses.map((r) => r.cookies.find((c) => c.name === 'kelid_session')?.value));
    assert.equal(tokens.size, 3);
  });
});
