// `npm start` as operators run it: a SIGTERM sent to npm's own process (a supervisor's `kill
// <pid>`, not Ctrl-C, which reaches the whole process group) must stop Kelid. npm passes the
// signal to the shell it runs the script in; the script `exec`s node, so the shell is Kelid and
// the signal reaches it, rather than a shell that dies and leaves Kelid serving as an orphan,
// holding its port and the embedded database.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Whether anything answers `/readyz` on `port` (any status), polled until it is `wanted`, `ms` pass or `gaveUp()`. */
async function waitServing(port: number, wanted: boolean, ms: number, gaveUp = () => false): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    const serving = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2_000) }).then(() => true, () => false);
    if (serving === wanted || Date.now() > end || gaveUp()) return serving;
    await sleep(200);
  }
}

describe('npm start and a SIGTERM to npm', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kelid-signal-'));
  let npm: ChildProcess | undefined;
  after(() => {
    // Whatever happened, nothing of this test keeps running: its own process group, all of it.
    if (npm?.pid !== undefined) try { process.kill(-npm.pid, 'SIGKILL'); } catch { /* already gone */ }
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('Kelid stops when npm is told to, and leaves no process serving its port', async () => {
    const port = await freePort();
    // npm's own script, run as `npm test` runs it (npm_execpath), else the npm on the PATH.
    const [command, ...args] = process.env['npm_execpath'] ? [process.execPath, process.env['npm_execpath']] : ['npm'];
    let output = '';
    npm = spawn(command!, [...args, 'start', '--silent'], {
      cwd: path.resolve(import.meta.dirname, '..'), detached: true, stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', KELID_DATA_DIR: dataDir, KELID_DEMO: '0', KELID_SMS: 'dev', KELID_EMAIL: 'dev', LOG_LEVEL: 'warn', DATABASE_URL: undefined },
    });
    for (const stream of [npm.stdout!, npm.stderr!]) stream.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    let npmExited = false;
    const exited = new Promise((resolve) => npm!.once('exit', () => { npmExited = true; resolve(undefined); }));
    assert.ok(await waitServing(port, true, 60_000, () => npmExited), `Kelid did not start:\n${output}`);

    process.kill(npm.pid!, 'SIGTERM');
    await exited;
    assert.equal(await waitServing(port, false, 15_000), false, `Kelid still serves after npm was stopped:\n${output}`);
  });
});
