// What is refused before a route runs: by Node's HTTP parser (a URL or headers past its 16 KB,
// a request it cannot read) and by Fastify's router (a path it cannot decode). Each gets the
// app's own answer for where it was sent (a page, the API's JSON, SCIM's error, OAuth's), in the
// language asked, with the security headers; never Fastify's English JSON. Over a real socket:
// the parser's refusals never reach inject().
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startListeningApp, type TestApp } from '../helpers/app.ts';

/** Sends `raw` as is and answers what came back before the server closed the connection. */
function exchange(baseUrl: string, raw: string): Promise<{ status: number; headers: Map<string, string>; body: string }> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(raw));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer')));
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n', 2);
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = new Map(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body });
    });
  });
}

const long = 'a'.repeat(20_000);
const get = (path: string, headers: Record<string, string> = {}) =>
  `GET ${path} HTTP/1.1\r\nHost: x\r\n${Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`;

describe('refusals before any route', () => {
  let t: TestApp & { baseUrl: string };
  before(async () => { t = await startListeningApp('pglite'); });
  after(() => t.close());

  test('a URL past the parser\'s limit: a page in the language asked, with the security headers, the connection closed', async () => {
    for (const [language, lang, words] of [['he', 'he', 'הבקשה גדולה מדי'], ['fa', 'fa', 'حجم درخواست بیش از حد مجاز است'], ['ar', 'ar', 'الطلب كبير جدًا']] as const) {
      const answer = await exchange(t.baseUrl, get(`/sign-in?q=${long}`, { 'Accept-Language': language }));
      assert.equal(answer.status, 431, language);
      assert.match(answer.headers.get('content-type') ?? '', /^text\/html; charset=utf-8/);
      assert.match(answer.body, new RegExp(`<html lang="${lang}" dir="rtl"[ >]`));
      assert.match(answer.body, new RegExp(words));
      assert.match(answer.headers.get('content-security-policy') ?? '', /default-src 'self'/);
      assert.equal(answer.headers.get('x-frame-options'), 'DENY');
      assert.equal(answer.headers.get('connection'), 'close');
      assert.equal(Number(answer.headers.get('content-length')), Buffer.byteLength(answer.body));
    }
  });

  test('headers past the limit under /api, /scim and the provider\'s app endpoints: each its own JSON error', async () => {
    const api = await exchange(t.baseUrl, get('/api/v1/sessions/current', { 'Accept-Language': 'en', 'X-Padding': long }));
    assert.equal(api.status, 431);
    assert.match(api.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(JSON.parse(api.body), { error: { code: 'error.payload_too_large', message: 'The request is too large.' } });

    const scim = await exchange(t.baseUrl, get(`/scim/v2/Users?filter=${long}`));
    assert.equal(scim.status, 431);
    assert.match(scim.headers.get('content-type') ?? '', /^application\/scim\+json/);
    const scimBody = JSON.parse(scim.body) as { schemas: string[]; status: string };
    assert.deepEqual([scimBody.schemas, scimBody.status], [['urn:ietf:params:scim:api:messages:2.0:Error'], '431']);

    const token = await exchange(t.baseUrl, get(`/oidc/jwks?x=${long}`));
    assert.equal(token.status, 431);
    assert.equal((JSON.parse(token.body) as { error: string }).error, 'invalid_request');
    // A browser's page of the provider is a page.
    assert.match((await exchange(t.baseUrl, get(`/oidc/auth?x=${long}`))).headers.get('content-type') ?? '', /^text\/html/);
  });

  test('a request the parser cannot read is 400, the app\'s page; nothing leaks and the server keeps serving', async () => {
    for (const raw of ['GARBAGE\r\n\r\n', 'GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n', 'GET /\u0000 HTTP/1.1\r\n\r\n']) {
      const answer = await exchange(t.baseUrl, raw);
      assert.equal(answer.status, 400, JSON.stringify(raw));
      assert.match(answer.body, /<html lang="fa" dir="rtl">/);
      assert.doesNotMatch(answer.body, /Client Error|statusCode|\bat .+\.(ts|js):\d+/);
    }
    assert.equal((await fetch(`${t.baseUrl}/healthz`)).status, 200);
  });

  test('the connection is closed once the answer has left, even when the client keeps its side open', async () => {
    const { hostname, port } = new URL(t.baseUrl);
    const connections = () => new Promise<number>((resolve, reject) => t.app.server.getConnections((error, count) => (error ? reject(error) : resolve(count))));
    for (const raw of ['GARBAGE\r\n\r\n', get(`/sign-in?q=${long}`)]) {
      // fetch() of other tests may keep a connection alive: the server must be back to what it had.
      const before = await connections();
      const socket = connect({ port: Number(port), host: hostname, allowHalfOpen: true });
      const answered = new Promise<string>((resolve) => { let text = ''; socket.on('data', (chunk) => { text += chunk.toString('latin1'); }); socket.on('end', () => resolve(text)); });
      socket.write(raw);
      assert.match(await answered, /^HTTP\/1\.1 4\d\d /);
      let open = await connections();
      for (let i = 0; i < 30 && open > before; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        open = await connections();
      }
      assert.equal(open, before, `${raw.slice(0, 20)}: the server let go of the connection while the client kept it open`);
      socket.destroy();
    }
  });

  test('what sits on Object.prototype is no refusal: the answer\'s status and reason are the handler\'s own', async () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.HPE_INVALID_METHOD = { status: 200, reason: 'OK\r\nSet-Cookie: kelid_session=planted', code: 'error.csrf' };
    try {
      const answer = await exchange(t.baseUrl, 'GARBAGE\r\n\r\n');
      assert.equal(answer.status, 400);
      assert.equal(answer.headers.get('set-cookie'), undefined);
    } finally {
      delete proto.HPE_INVALID_METHOD;
    }
  });

  test('a path the router cannot decode under /scim is SCIM\'s error, not a page', async () => {
    for (const path of ['/scim/v2/Users/%FF', '/scim/v2/Users/%ED%A0%80', '/scim/v2/Groups/%C0%AF']) {
      const answer = await t.app.inject({ url: path, headers: { authorization: 'Bearer x', 'accept-language': 'fa' } });
      assert.equal(answer.statusCode, 400, path);
      assert.match(String(answer.headers['content-type']), /^application\/scim\+json/, path);
      const body = answer.json() as { schemas: string[]; status: string; detail: string };
      assert.deepEqual(body.schemas, ['urn:ietf:params:scim:api:messages:2.0:Error']);
      assert.equal(body.status, '400');
      assert.ok(body.detail.length > 0);
    }
  });
});
