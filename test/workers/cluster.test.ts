// KELID_WORKERS=2: a real `node src/main.ts` becomes a primary with two serving workers on one
// port, and a scrape of /metrics covers both. A worker killed is replaced; SIGTERM stops the workers gracefully (a request already
// in flight is answered) and the primary exits 0; a bad configuration stops it before any worker.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { restartDelayMs } from '../../src/cluster/primary.ts';
import { freePort } from '../helpers/app.ts';
import { childrenOf, kelidTestEnv, startKelid, type KelidProcess } from '../helpers/kelid-process.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { until } from '../notify/recorder.ts';

const serving = (kelid: KelidProcess) => kelid.lines.filter((line) => line.includes('Kelid is serving')).length;

describe('a cluster of two workers', () => {
  let database: TestDatabase;
  let kelid: KelidProcess;
  before(async () => {
    database = await createTestDatabase();
    kelid = await startKelid(await freePort(), { DATABASE_URL: database.url, KELID_WORKERS: '2' });
    await until(() => serving(kelid) === 2, 30_000);
  });
  after(async () => {
    await kelid?.stop();
    await database?.drop();
  });

  test('/metrics counts the requests of every worker, whichever worker the scrape reaches', async () => {
    // A new connection each time: the primary deals them to the workers in turn.
    const get = (path: string) => fetch(`${kelid.baseUrl}${path}`, { headers: { connection: 'close' } });
    const healthz = async () => {
      const text = await (await get('/metrics')).text();
      return Number(/kelid_http_requests_total\{[^}]*route="\/healthz"[^}]*\} (\d+)/.exec(text)?.[1] ?? 0);
    };
    const before = await healthz();
    for (let i = 0; i < 6; i++) assert.equal((await get('/healthz')).status, 200);
    for (let i = 0; i < 2; i++) assert.equal(await healthz(), before + 6, 'the sum over both workers, on each scrape');
  });

  test('two workers serve the port; one killed is replaced and the port goes on answering', async () => {
    const workers = childrenOf(kelid.pid);
    assert.equal(workers.length, 2, 'the setup process is gone; two workers remain');
    process.kill(workers[0]!, 'SIGKILL');
    await until(() => serving(kelid) === 3, 30_000);
    const now = childrenOf(kelid.pid);
    assert.equal(now.length, 2);
    assert.ok(now.includes(workers[1]!) && !now.includes(workers[0]!), 'the survivor stays, the dead one is replaced');
    assert.ok(kelid.lines.some((line) => /a worker died; replacing it/.test(line)));
    for (let i = 0; i < 4; i++) assert.equal((await fetch(`${kelid.baseUrl}/healthz`)).status, 200);
  });

  test('SIGTERM, and another while they stop: the workers stop gracefully, a request in flight is answered, the primary exits 0', async () => {
    const workers = childrenOf(kelid.pid);
    const body = JSON.stringify({ identifier: '0012345679', password: 'not-the-password' });
    const socket = connect(Number(new URL(kelid.baseUrl).port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => { answer += chunk; });
    // Headers and half the body: the request is in flight in one of the workers.
    socket.write(`POST /api/v1/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`);
    await until(() => kelid.lines.some((line) => line.includes('"url":"/api/v1/sessions"')), 10_000);

    kelid.child.kill('SIGTERM');
    await until(() => kelid.lines.filter((line) => line.includes('worker stopping')).length === 2, 10_000);
    // A second one while they stop (npm passing on a Ctrl-C, a supervisor repeating itself): the same stop, not a kill.
    kelid.child.kill('SIGTERM');
    socket.write(body.slice(10));
    // The whole answer: a status, and as much body as its Content-Length says.
    const whole = () => {
      const [head = '', rest] = answer.split('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(head)?.[1];
      return rest !== undefined && length !== undefined && Buffer.byteLength(rest) >= Number(length);
    };
    await until(whole, 10_000);
    socket.end();
    assert.match(answer, /^HTTP\/1\.1 4\d\d /, 'answered by the application, not refused as the server closes');
    assert.match(answer, /"code":"[a-z_.]+"/);

    assert.deepEqual(await kelid.exited, { code: 0, signal: null });
    for (const pid of workers) assert.throws(() => process.kill(pid, 0), 'no worker left behind');
  });
});

test('a cluster whose configuration is bad stops before any worker starts, saying why', () => {
  const run = spawnSync(process.execPath, ['src/main.ts'], {
    env: { ...process.env, ...kelidTestEnv, DATABASE_URL: 'postgres://127.0.0.1:1/none', KELID_WORKERS: '2', KELID_PROFILE: 'xx' }, encoding: 'utf8', timeout: 30_000,
  });
  assert.equal(run.status, 1);
  assert.match(run.stderr, /KELID_PROFILE must be one of ir, il, got "xx"/);
  assert.doesNotMatch(run.stdout, /Kelid is serving/);
});

test('a cluster whose port is taken exits 1 once its first worker fails, rather than restarting it forever', async () => {
  const database = await createTestDatabase();
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const port = (taken.address() as { port: number }).port;
  try {
    const run = spawnSync(process.execPath, ['src/main.ts'], {
      env: { ...process.env, ...kelidTestEnv, DATABASE_URL: database.url, KELID_WORKERS: '2', PORT: String(port) }, encoding: 'utf8', timeout: 60_000,
    });
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stderr, /EADDRINUSE/);
    assert.match(run.stdout, /a worker died before any served; stopping/);
  } finally {
    taken.close();
    await database.drop();
  }
});

test('replacements that keep dying young wait longer each time: at once, then 1 s, 2 s, 4 s… at most 30 s', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8].map(restartDelayMs), [0, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
});
