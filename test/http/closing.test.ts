// A graceful stop with connections a browser opened ahead of need (preconnect) and never used:
// Node's server.close() waits for such a connection until headersTimeout (60 s), so the stop
// took a minute (or was cut short by Kubernetes) whenever someone had a page open. Kelid drops
// them as it closes (src/http/closing.ts); a request begun before is still answered.
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { test } from 'node:test';
import { CLOSE_GRACE_MS } from '../../src/http/closing.ts';
import { startListeningApp } from '../helpers/app.ts';

const opened = async (port: number): Promise<Socket> => {
  const socket = connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  return socket;
};
const closed = (socket: Socket) => new Promise<void>((resolve) => {
  if (socket.destroyed) resolve();
  else socket.once('close', () => resolve());
});
/** `work`, or a failure naming `what` if it has not settled after `ms` (a stop that hangs on a connection waits 60 s). */
const within = async <T>(work: Promise<T>, ms: number, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: not done after ${ms} ms`)), ms); });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
};

test('closing does not wait for connections that never sent a request; one in flight is answered', async () => {
  const t = await startListeningApp('pglite', {});
  const port = Number(new URL(t.baseUrl).port);
  const unused = await opened(port);
  // A keep-alive connection between two requests (Node's "idle"), and one with a request begun.
  const idle = await opened(port);
  let idleAnswer = '';
  idle.setEncoding('utf8').on('data', (chunk: string) => { idleAnswer += chunk; });
  idle.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  const busy = await opened(port);
  let busyAnswer = '';
  busy.setEncoding('utf8').on('data', (chunk: string) => { busyAnswer += chunk; });
  const body = JSON.stringify({ identifier: '0012345679', password: 'not-the-password' });
  busy.write(`POST /api/v1/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`);
  await within((async () => { while (!idleAnswer.includes('\r\n\r\n')) await new Promise((resolve) => setTimeout(resolve, 20)); })(), 10_000, 'the first request');
  // A request whose headers are still coming (split across packets, a slow line): not dropped.
  const slow = await opened(port);
  let slowAnswer = '';
  slow.setEncoding('utf8').on('data', (chunk: string) => { slowAnswer += chunk; });
  slow.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
  await new Promise((resolve) => setTimeout(resolve, 200)); // the busy request's headers read, the slow one's first bytes

  const closing = t.close();
  await within(closed(unused), 5_000, 'the unused connection closed');
  busy.write(body.slice(10));
  slow.write('Accept: */*\r\n\r\n');
  await within(closing, 20_000, 'the stop');
  // The answer is read before the server's end of the connection is seen closed.
  await within(closed(busy), 5_000, 'its connection closed');
  assert.match(busyAnswer, /^HTTP\/1\.1 4\d\d /, `the request begun before the stop is answered by the application: ${busyAnswer.slice(0, 300)}`);
  assert.match(busyAnswer, /\r\nconnection: close\r\n/i, 'and told the connection closes');
  await within(closed(slow), 5_000, 'the slow request\'s connection closed');
  // Not dropped: answered (Fastify's own 503 to a request completed after closing began, with Connection: close).
  assert.match(slowAnswer, /^HTTP\/1\.1 (200|503) /, `a request whose headers were still coming is answered, not reset: ${slowAnswer.slice(0, 80)}`);
  await within(closed(idle), 5_000, 'the idle keep-alive connection closed');
  for (const socket of [unused, idle, busy, slow]) socket.destroy();
});

test('a request that never finishes arriving (headers or body trickled, a dead line) holds the stop only CLOSE_GRACE_MS, then is cut', async () => {
  const t = await startListeningApp('pglite', {});
  const port = Number(new URL(t.baseUrl).port);
  // Headers begun and never ended; headers whole and a body that stops short of its length.
  const headers = await opened(port);
  headers.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
  const body = await opened(port);
  body.write('POST /sign-in HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\nidentifier=00');
  await new Promise((resolve) => setTimeout(resolve, 300));
  const began = Date.now();
  await within(t.close(), CLOSE_GRACE_MS + 5_000, 'the stop');
  const took = Date.now() - began;
  assert.ok(took >= CLOSE_GRACE_MS - 500, `the requests had their grace to finish: ${took} ms`);
  await within(Promise.all([closed(headers), closed(body)]), 2_000, 'both connections cut');
});
