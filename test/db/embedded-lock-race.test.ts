// The embedded database's lock (db/folder-lock.ts lockFolder) after a crash: eight processes start
// together on a folder whose lock names a dead process; exactly one gets the folder, every time
// (found by the second security review: the takeover was read → check → unlink → create, and
// two processes could both open the folder).
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

const childFile = path.join(import.meta.dirname, 'embedded-lock-child.ts');
/** Starts a child that tries at `at`; answers the process, its answer (its first line) and its end. */
const start = (dir: string, at: number) => {
  const child = spawn(process.execPath, [childFile, dir, String(at)], { stdio: ['pipe', 'pipe', 'ignore'] });
  const closed = new Promise((resolve) => child.on('close', resolve));
  const answer = new Promise<string>((resolve) => {
    let out = '';
    child.stdout.on('data', (chunk) => { out += chunk; if (out.includes('\n')) resolve(out.trim()); });
    void closed.then(() => resolve(out.trim()));
  });
  return { child, answer, closed };
};

test('a stale lock taken over by eight processes at once: one opens the folder', { timeout: 240_000 }, async () => {
  for (let round = 0; round < 5; round++) {
    const dir = await mkdtemp(path.join(tmpdir(), 'kelid-lock-'));
    await mkdir(path.join(dir, 'pgdata'));
    // A crashed process's: the pid of one that has exited (any made-up number could be alive on some machine).
    await writeFile(path.join(dir, 'pgdata.lock'), execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }));
    // Time for eight processes to start on two cores; they then try together, within a millisecond or so.
    const at = Date.now() + 2000;
    const children = Array.from({ length: 8 }, () => start(dir, at));
    const outs = await Promise.all(children.map((c) => c.answer));
    // Every answer is in: the one holding the folder may let it go and exit.
    for (const { child } of children) child.stdin.end();
    await Promise.all(children.map((c) => c.closed));
    await rm(dir, { recursive: true, force: true });
    assert.equal(outs.filter((o) => o === 'opened').length, 1, `round ${round}: ${outs.join(' | ')}`);
    assert.ok(outs.every((o) => o === 'opened' || /^refused \w+ the embedded database .* is in use by Kelid's process/.test(o)), outs.join(' | '));
  }
});
