// `npm run demo` as people run it, in a terminal (a pseudo-terminal made by util-linux's
// `script`): Ctrl-C, typed there, reaches the whole foreground process group (npm and the demo)
// and npm passes it on to the demo a second time. Everything must stop: the apps,
// and Kelid, which runs in a process group of its own and so hears only the demo. And a Kelid
// already serving on the demo's port (an `npm start` left running) stops the demo at once with
// a sentence that says so, instead of the guide for a Kelid that is not the demo's.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

// The demo's fixed ports: Kelid's and the three apps' (their OpenID clients are registered with them).
const PORTS = [3000, 4001, 4002, 4003];

async function listening(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2_000) }).then(() => true, () => false);
}

async function waitUntil(check: () => Promise<boolean>, ms: number, gaveUp = () => false): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > end || gaveUp()) return false;
    await sleep(250);
  }
}

/**
 * `npm run demo` in a terminal of its own (`script`), typed into through `type()`; or, with
 * `terminal: false`, as a shell's job in a process group of its own (`terminal.pid` its id).
 */
function runDemo(dataDir: string, options: { terminal?: boolean } = {}): { terminal: ChildProcess; type: (text: string) => void; output: () => string; exited: Promise<number | null>; hasExited: () => boolean } {
  // npm's own script, run as `npm test` runs it (npm_execpath), else the npm on the PATH.
  const npm = process.env['npm_execpath'] ? `'${process.execPath}' '${process.env['npm_execpath']}'` : 'npm';
  let output = '';
  let done = false;
  const [command, ...args] = options.terminal === false ? ['sh', '-c', `exec ${npm} run demo`] : ['script', '--quiet', '--flush', '--return', '--command', `${npm} run demo`, '/dev/null'];
  const terminal = spawn(command!, args, {
    cwd: path.resolve(import.meta.dirname, '../..'), detached: true, stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, KELID_DATA_DIR: dataDir, KELID_SMS: 'dev', KELID_EMAIL: 'dev', KELID_PUBLIC_URL: undefined, HOST: undefined, DATABASE_URL: undefined, PORT: undefined },
  });
  for (const stream of [terminal.stdout!, terminal.stderr!]) stream.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const exited = new Promise<number | null>((resolve) => terminal.once('exit', (code) => { done = true; resolve(code); }));
  return { terminal, type: (text) => terminal.stdin!.write(text), output: () => output, exited, hasExited: () => done };
}

describe('npm run demo and its stop', async () => {
  const busy = (await Promise.all(PORTS.map(listening))).some(Boolean);
  const skip = !existsSync('/usr/bin/script') ? 'no util-linux `script` here to make a terminal with'
    : busy ? `one of the demo's ports ${PORTS.join(', ')} is in use here (a developer's own demo?)` : false;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kelid-demo-signal-'));
  const started: ChildProcess[] = [];
  let blocker: Server | undefined;
  after(() => {
    // Whatever happened, nothing of this test keeps running: each terminal's process group (a Kelid left behind fails the test, and is the developer's to stop).
    for (const child of started) if (child.pid !== undefined) try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
    blocker?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('Ctrl-C typed in its terminal stops the apps and Kelid', { skip, timeout: 240_000 }, async () => {
    const demo = runDemo(dataDir);
    started.push(demo.terminal);
    assert.ok(await waitUntil(async () => demo.output().includes('Single sign-on demo'), 180_000, demo.hasExited), `the demo did not start:\n${demo.output()}`);
    assert.ok(await listening(3000) && await listening(4001), 'Kelid and the exam app serve');

    demo.type('\x03'); // Ctrl-C
    await demo.exited;
    assert.ok(await waitUntil(async () => !(await listening(3000)) && !(await listening(4001)), 20_000), `something still serves after Ctrl-C:\n${demo.output()}`);
  });

  test('the terminal closed (its hang-up) stops the apps and Kelid too', { skip, timeout: 240_000 }, async () => {
    const demo = runDemo(dataDir, { terminal: false });
    started.push(demo.terminal);
    assert.ok(await waitUntil(async () => demo.output().includes('Single sign-on demo'), 180_000, demo.hasExited), `the demo did not start:\n${demo.output()}`);
    process.kill(-demo.terminal.pid!, 'SIGHUP'); // the terminal window closed: the shell hangs up on its job's process group
    assert.ok(await waitUntil(async () => !(await listening(3000)) && !(await listening(4001)), 30_000), `something still serves after the hang-up:\n${demo.output()}`);
  });

  test('a Kelid already on port 3000: the demo says so and stops, starting nothing', { skip, timeout: 60_000 }, async () => {
    // The port as soon as it is free: the last test's Kelid may hold its listening socket a moment
    // past the last answer a connection got from it (a full run once found it still bound).
    const held = async () => {
      const server = createServer((socket) => socket.end());
      return new Promise<typeof server | undefined>((resolve) => {
        server.once('error', () => resolve(undefined));
        server.listen(3000, () => resolve(server));
      });
    };
    for (const end = Date.now() + 30_000; blocker === undefined && Date.now() < end; await new Promise((resolve) => setTimeout(resolve, 250))) blocker = await held();
    assert.ok(blocker, 'port 3000 free within 30 s');
    const demo = runDemo(dataDir);
    started.push(demo.terminal);
    const code = await demo.exited;
    assert.equal(code, 1);
    assert.match(demo.output(), /Port 3000 is already in use/);
    assert.doesNotMatch(demo.output(), /Single sign-on demo/);
    assert.equal(await listening(4001), false, 'no app was started');
  });
});
