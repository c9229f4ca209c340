// One client address sending many bodies at once, each held half-sent (a slow-body attack):
// each was buffered up to its route's limit for up to five minutes, so one address could fill
// a process's memory. Past BODY_BYTES_PER_ADDRESS of bodies in flight from one address, the
// next is refused at once with a localized 429; other addresses, and the same one once its
// bodies end, are served; many small forms at once are not held back. Real sockets: the
// reservations follow the connections.
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { BODY_BYTES_PER_ADDRESS } from '../../src/http/plugins/bodies-per-address.ts';
import { startListeningApp, startTestApp, type TestApp } from '../helpers/app.ts';

/** A connection that sends a sign-in form's headers and the first bytes of a 1 MB body, then waits; its answer as it comes. */
async function halfSent(port: number, forwardedFor: string): Promise<{ socket: Socket; answer: () => string }> {
  const socket = connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  let answer = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => { answer += chunk; });
  socket.on('error', () => {});
  socket.write(`POST /sign-in HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-For: ${forwardedFor}\r\nAccept-Language: fa\r\n`
    + `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${BODY}\r\n\r\nidentifier=00`);
  return { socket, answer: () => answer };
}

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
