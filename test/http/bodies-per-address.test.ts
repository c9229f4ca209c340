// One client address sending many bodies at once, each held half-sent (a slow-body attack):
// each was buffered up to its route's limit for up to five minutes, so one address could fill
// a process's memory. Past BODY_BYTES_PER_ADDRESS of bodies in flight from one address, the
// next is refused at once with a localized 429; other addresses, and the same one once its
// bodies end, are served; many small forms at once are not held back. Real sockets: the
// reservations follow the connections.
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { BODY_BYTES_PER_ADDRESS, bodiesPerAddress } from '../../src/http/plugins/bodies-per-address.ts';
import { startListeningApp, startTestApp, type TestApp } from '../helpers/app.ts';

/**
 * A connection that sends a request's headers and the first bytes of its body, then waits; its
 * answer as it comes. By default a sign-in form declaring a 1 MB body.
 */
async function halfSent(port: number, forwardedFor: string, request: { head?: string; first?: string } = {}): Promise<{ socket: Socket; answer: () => string; send: (text: string) => void }> {
  const socket = connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  let answer = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => { answer += chunk; });
  socket.on('error', () => {});
  const head = request.head ?? `POST /sign-in HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${BODY}`;
  const [start, ...rest] = head.split('\r\n');
  socket.write(`${[start, 'Host: 127.0.0.1', `X-Forwarded-For: ${forwardedFor}`, 'Accept-Language: fa', ...rest].join('\r\n')}\r\n\r\n${request.first ?? 'identifier=00'}`);
  return { socket, answer: () => answer, send: (text) => socket.write(text) };
}

/** One chunk of a chunked body. */
const chunk = (text: string) => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;
const CHUNKED_JSON = 'POST /api/v1/sessions HTTP/1.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked';

const BODY = 1_000_000;
/** How many such bodies one address may send at once. */
const SHARE = Math.floor(BODY_BYTES_PER_ADDRESS / BODY);
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('bodies in flight per client address', () => {
  let t: TestApp & { baseUrl: string };
  let port: number;
  const sockets: Socket[] = [];
  before(async () => {
    t = await startListeningApp('pglite', { KELID_TRUST_PROXY: '1' });
    port = Number(new URL(t.baseUrl).port);
  });
  after(async () => {
    for (const socket of sockets) socket.destroy();
    await t.close();
  });

  test(`past ${SHARE} half-sent 1 MB bodies from one address the next is refused at once; another address is served; freed ones count again`, async () => {
    const held = [];
    for (let i = 0; i < SHARE; i++) held.push(await halfSent(port, '203.0.113.70'));
    sockets.push(...held.map((h) => h.socket));
    await settle();
    assert.ok(held.every((h) => h.answer() === ''), `those in the share wait for their bodies: ${held.map((h) => h.answer().slice(0, 40)).join(' | ')}`);
    const refused = await halfSent(port, '203.0.113.70');
    sockets.push(refused.socket);
    await settle();
    assert.match(refused.answer(), /^HTTP\/1\.1 429 /);
    assert.match(refused.answer(), /\r\nretry-after: 10\r\n/i);
    assert.match(refused.answer(), /\r\nconnection: close\r\n/i);
    assert.match(refused.answer(), /درخواست/, 'a localized page');
    const form = await fetch(`${t.baseUrl}/sign-in`, { method: 'POST', headers: { 'x-forwarded-for': '203.0.113.70', 'content-type': 'application/x-www-form-urlencoded' }, body: 'identifier=1&password=x', redirect: 'manual' });
    assert.notEqual(form.status, 429, 'a form from the same address is never held back by the big bodies');
    const other = await halfSent(port, '198.51.100.70');
    sockets.push(other.socket);
    await settle();
    assert.equal(other.answer(), '', 'another address is not held back');
    for (const h of held.slice(0, 2)) h.socket.destroy();
    await settle();
    const again = await halfSent(port, '203.0.113.70');
    sockets.push(again.socket);
    await settle();
    assert.equal(again.answer(), '', 'a body that ended frees its place');
  });

  test('requests without a body are not counted, nor are forty small forms posted at once', async () => {
    const answers = await Promise.all(Array.from({ length: 40 }, () => fetch(`${t.baseUrl}/sign-in`, { headers: { 'x-forwarded-for': '203.0.113.71' } }).then((r) => r.status)));
    assert.ok(answers.every((status) => status === 200), answers.join(','));
    const forms = await Promise.all(Array.from({ length: 40 }, () => fetch(`${t.baseUrl}/sign-in`, {
      method: 'POST', headers: { 'x-forwarded-for': '203.0.113.71', 'content-type': 'application/x-www-form-urlencoded' }, body: 'identifier=1&password=x', redirect: 'manual',
    }).then((r) => r.status)));
    assert.ok(forms.every((status) => status !== 429), forms.join(','));
  });

  test('a chunked body counts the bytes it has sent, not its route\'s limit: twenty small ones at once get in; one past the share is refused as it arrives', async () => {
    const small = [];
    for (let i = 0; i < 20; i++) small.push(await halfSent(port, '203.0.113.72', { head: CHUNKED_JSON, first: chunk('{"identifier":"00') }));
    sockets.push(...small.map((h) => h.socket));
    await settle();
    assert.ok(small.every((h) => h.answer() === ''), `small chunked bodies wait for the rest: ${small.map((h) => h.answer().slice(0, 40)).join(' | ')}`);
    const held = [];
    for (let i = 0; i < SHARE; i++) held.push(await halfSent(port, '203.0.113.72'));
    sockets.push(...held.map((h) => h.socket));
    const growing = await halfSent(port, '203.0.113.72', { head: CHUNKED_JSON, first: chunk(`{"identifier":"${'0'.repeat(8 * 1024)}`) });
    sockets.push(growing.socket);
    await settle();
    assert.equal(growing.answer(), '', 'still small: not counted');
    growing.send(chunk('0'.repeat(BODY_BYTES_PER_ADDRESS - SHARE * BODY)));
    await settle();
    assert.match(growing.answer(), /^HTTP\/1\.1 429 /, 'past the small size, it counts, and the address has no room');
    assert.match(growing.answer(), /\r\nretry-after: 10\r\n/i);
    for (const h of held) h.socket.destroy();
    await settle();
    const done = await halfSent(port, '203.0.113.72', { head: CHUNKED_JSON, first: chunk(`{"identifier":"${'0'.repeat(64 * 1024)}","password":"x"}`) + chunk('') });
    sockets.push(done.socket);
    await settle();
    assert.match(done.answer(), /^HTTP\/1\.1 4(00|01) /, `a whole chunked body is read and answered: ${done.answer().slice(0, 60)}`);
  });

  test('the endpoints of the OpenID provider that apps call (read by the provider itself, not flood-guarded): every body counts, apart from the app\'s other bodies', async () => {
    const TOKEN_BODY = 50 * 1024;
    const share = Math.floor(BODY_BYTES_PER_ADDRESS / TOKEN_BODY);
    const head = `POST /oidc/token HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${TOKEN_BODY}`;
    const held = [];
    for (let i = 0; i < share; i++) held.push(await halfSent(port, '203.0.113.73', { head, first: 'grant_type=' }));
    sockets.push(...held.map((h) => h.socket));
    await settle();
    assert.ok(held.every((h) => h.answer() === ''), `those in the share wait for their bodies: ${held.map((h) => h.answer().slice(0, 40)).filter(Boolean).slice(0, 3).join(' | ')}`);
    const refused = await halfSent(port, '203.0.113.73', { head, first: 'grant_type=' });
    sockets.push(refused.socket);
    await settle();
    assert.match(refused.answer(), /^HTTP\/1\.1 429 /);
    // An app's token call, ~1 KiB as the real ones are.
    const token = async (address: string) => {
      const answer = await fetch(`${t.baseUrl}/oidc/token`, { method: 'POST', headers: { 'x-forwarded-for': address, 'content-type': 'application/x-www-form-urlencoded' }, body: `grant_type=authorization_code&code=${'x'.repeat(1000)}` });
      return { status: answer.status, error: ((await answer.json()) as { error?: string }).error };
    };
    assert.deepEqual(await token('198.51.100.73'), { status: 400, error: 'invalid_request' }, 'another address reaches the provider (which wants a client)');
    for (const h of held) h.socket.destroy();
    await settle();
    assert.deepEqual(await token('203.0.113.73'), { status: 400, error: 'invalid_request' }, 'bodies that ended free their places');
    // The other way round: uploads in flight from a school's address filling its share hold
    // back none of its pupils' apps' token calls, counted apart.
    const uploads = [];
    for (let i = 0; i < SHARE; i++) uploads.push(await halfSent(port, '203.0.113.74'));
    uploads.push(await halfSent(port, '203.0.113.74', { head: `POST /sign-in HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${BODY_BYTES_PER_ADDRESS - SHARE * BODY - 600}` }));
    sockets.push(...uploads.map((h) => h.socket));
    await settle();
    assert.ok(uploads.every((h) => h.answer() === ''), 'the uploads are let in');
    const refusedBody = await halfSent(port, '203.0.113.74');
    sockets.push(refusedBody.socket);
    await settle();
    assert.match(refusedBody.answer(), /^HTTP\/1\.1 429 /, 'another big body of the app is not');
    assert.deepEqual(await token('203.0.113.74'), { status: 400, error: 'invalid_request' }, 'a token call is');
  });

  test('idle connections filling the provider endpoints\' share from a school\'s address keep out no token call that comes whole', async () => {
    const TOKEN_BODY = 56 * 1024;
    const head = `POST /oidc/token HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${TOKEN_BODY}`;
    const idle = [];
    const fits = Math.floor(BODY_BYTES_PER_ADDRESS / TOKEN_BODY);
    for (let i = 0; i < fits; i++) idle.push(await halfSent(port, '203.0.113.76', { head, first: 'g' }));
    // The share filled but for 500 bytes.
    idle.push(await halfSent(port, '203.0.113.76', { head: head.replace(`${TOKEN_BODY}`, `${BODY_BYTES_PER_ADDRESS - fits * TOKEN_BODY - 500}`), first: 'g' }));
    sockets.push(...idle.map((h) => h.socket));
    await settle();
    assert.ok(idle.every((h) => h.answer() === ''), 'the idle ones wait');
    const call = `grant_type=authorization_code&code=${'x'.repeat(1000)}`;
    const whole = await halfSent(port, '203.0.113.76', { head: `POST /oidc/token HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${call.length}`, first: call });
    const slow = await halfSent(port, '203.0.113.76', { head: `POST /oidc/token HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${call.length}`, first: call.slice(0, 20) });
    sockets.push(whole.socket, slow.socket);
    await settle();
    assert.match(whole.answer(), /^HTTP\/1\.1 400 /, `a token call that came whole reaches the provider: ${whole.answer().slice(0, 40)}`);
    assert.match(whole.answer(), /invalid_request/);
    assert.match(slow.answer(), /^HTTP\/1\.1 429 /, 'one still arriving is counted');
    for (const h of idle) h.socket.destroy();
    slow.socket.destroy();
    await settle();
    const after = await halfSent(port, '203.0.113.76', { head, first: 'g' });
    sockets.push(after.socket);
    const fill = [];
    for (let i = 1; i < fits; i++) fill.push(await halfSent(port, '203.0.113.76', { head, first: 'g' }));
    sockets.push(...fill.map((h) => h.socket));
    await settle();
    assert.ok([after, ...fill].every((h) => h.answer() === ''), 'every place given back: the whole share again');
  });

  test('the not-found answer, which the flood guard does not count, counts every body, small ones too', async () => {
    const held = [];
    for (let i = 0; i < SHARE; i++) held.push(await halfSent(port, '203.0.113.75'));
    // The share filled but for a few hundred bytes.
    held.push(await halfSent(port, '203.0.113.75', { head: `POST /sign-in HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${BODY_BYTES_PER_ADDRESS - SHARE * BODY - 600}` }));
    sockets.push(...held.map((h) => h.socket));
    await settle();
    assert.ok(held.every((h) => h.answer() === ''));
    const lost = await halfSent(port, '203.0.113.75', { head: 'POST /no-such-page HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000', first: 'a=' });
    const form = await halfSent(port, '203.0.113.75', { head: 'POST /sign-in HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000', first: 'a=' });
    sockets.push(lost.socket, form.socket);
    await settle();
    assert.match(lost.answer(), /^HTTP\/1\.1 429 /, 'a small body to no page is counted: no room left');
    assert.equal(form.answer(), '', 'a small form is not');
    // A body over 16 KiB that came whole with its headers waits for nothing: not counted either.
    const whole = `identifier=${'0'.repeat(20 * 1024)}&password=x`;
    const arrived = await halfSent(port, '203.0.113.75', { head: `POST /sign-in HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${whole.length}`, first: whole });
    const halfway = await halfSent(port, '203.0.113.75', { head: `POST /sign-in HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${whole.length}`, first: whole.slice(0, 100) });
    sockets.push(arrived.socket, halfway.socket);
    await settle();
    assert.match(arrived.answer(), /^HTTP\/1\.1 (200|303|400|403|422) /, `a whole body is read and answered: ${arrived.answer().slice(0, 40)}`);
    assert.match(halfway.answer(), /^HTTP\/1\.1 429 /, 'the same body still arriving is counted');
  });
});

test('an answer sent before the body was read (a refusal while parsing) ends its reservation: the next big upload gets in', async () => {
  const t = await startTestApp('pglite');
  try {
    const big = 'x'.repeat(6 * 1024 * 1024);
    for (let i = 0; i < 3; i++) {
      // Refused on its type before the body is read; 6 MiB reserved each time, 8 MiB for the address.
      const refused = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', headers: { 'content-type': 'application/x-nonsense' }, payload: big });
      assert.notEqual(refused.statusCode, 429, `upload ${i}: ${refused.body.slice(0, 200)}`);
    }
  } finally {
    await t.close();
  }
});

test('a chunked body is given back when the counting stream ends, not when the request does: a hook reading after a pause still gets it whole', async () => {
  const app = Fastify();
  await app.register(bodiesPerAddress);
  // A later async preParsing hook: the request may end while chunks still wait in the counting stream.
  app.addHook('preParsing', async (_request, _reply, payload) => { await new Promise((resolve) => setTimeout(resolve, 50)); return payload; });
  app.post('/echo', async (request) => ({ length: JSON.stringify(request.body).length }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const port = (app.server.address() as AddressInfo).port;
    const body = JSON.stringify({ text: 'ب'.repeat(60_000) });
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let answer = '';
    socket.setEncoding('utf8').on('data', (text: string) => { answer += text; });
    const bytes = Buffer.from(body);
    const pieces = [];
    for (let i = 0; i < bytes.length; i += 10_000) pieces.push(bytes.subarray(i, i + 10_000));
    socket.write(`POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`);
    socket.write(Buffer.concat([...pieces.flatMap((piece) => [Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]), Buffer.from('0\r\n\r\n')]));
    await new Promise((resolve) => socket.once('close', resolve));
    assert.match(answer, /^HTTP\/1\.1 200 /, answer.slice(0, 200));
    assert.match(answer, new RegExp(`"length":${body.length}`));
  } finally {
    await app.close();
  }
});
