// The embedded database is one process's (db/folder-lock.ts lockFolder): a command run while Kelid
// serves the same folder is refused with what to do instead, never run on a copy whose writes
// the server would not see (or would overwrite). A lock left by a process that died is taken over.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { DatabaseInUseError, openDatabase } from '../../src/db/database.ts';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));

describe('the embedded database is opened by one process at a time', () => {
  let dataDir: string;
  const { DATABASE_URL: _none, ...environment } = process.env;
  const kelid = (...args: string[]) => run(process.execPath, [cli, ...args], {
    env: { ...environment, KELID_DATA_DIR: dataDir, KELID_SECRET: 'lock-test-secret-'.padEnd(48, 'x'), KELID_PROFILE: 'ir' }, encoding: 'utf8',
    // A command that does not exit by itself is killed, and fails its test, rather than hang the run.
    timeout: 120_000,
  });
  before(async () => { dataDir = await mkdtemp(path.join(tmpdir(), 'kelid-lock-')); });
  after(() => rm(dataDir, { recursive: true, force: true }));

  test('a command while the server has the folder open is refused, saying why and what to do; after it closes, it runs', async () => {
    const server = await openDatabase({ databaseUrl: undefined, dataDir, poolSize: 1 });
    try {
      assert.equal(await readFile(path.join(dataDir, 'pgdata.lock'), 'utf8'), String(process.pid));
      const refused = await kelid('clients', 'list').then(() => assert.fail('the command ran beside the server'), (error: { code: number; stderr: string }) => error);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, new RegExp(`in use by Kelid's process ${process.pid}`));
      assert.match(refused.stderr, /\/admin\/clients/);
      assert.doesNotMatch(refused.stderr, /\n\s+at /, 'no stack trace');
    } finally {
      await server.close();
    }
    await assert.rejects(readFile(path.join(dataDir, 'pgdata.lock'), 'utf8'), { code: 'ENOENT' }, 'closing frees the folder');
    const { stdout } = await kelid('clients', 'list');
    assert.ok(stdout.length >= 0);
  });

  test('a command that only migrates closes the database before it lets the folder go, and exits', async () => {
    // Kysely closes PGlite only if it ran a statement; `migrate` runs none, and its process
    // used to stay alive (its database still open, the lock already gone) until killed.
    const { stdout } = await kelid('migrate').catch((error: { killed?: boolean; signal?: string }) =>
      assert.fail(`migrate did not exit by itself (killed: ${String(error.killed)}, ${String(error.signal)})`));
    assert.match(stdout, /up to date|Applied/);
    await assert.rejects(readFile(path.join(dataDir, 'pgdata.lock'), 'utf8'), { code: 'ENOENT' }, 'the folder is free');
  });

  test('a lock left by a process that is gone is taken over', async () => {
    const gone = await run(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    await writeFile(path.join(dataDir, 'pgdata.lock'), gone.stdout);
    const handle = await openDatabase({ databaseUrl: undefined, dataDir, poolSize: 1 });
    assert.equal(await readFile(path.join(dataDir, 'pgdata.lock'), 'utf8'), String(process.pid));
    await handle.close();
  });

  test('in one process, a lock held by a live other process refuses with DatabaseInUseError', async () => {
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    try {
      await writeFile(path.join(dataDir, 'pgdata.lock'), String(holder.pid));
      const opened = openDatabase({ databaseUrl: undefined, dataDir, poolSize: 1 });
      await assert.rejects(opened, (error: unknown) => error instanceof DatabaseInUseError && error.pid === holder.pid);
      await opened.then((handle) => handle.close(), () => undefined);
      assert.equal(await readFile(path.join(dataDir, 'pgdata.lock'), 'utf8'), String(holder.pid), 'the holder keeps its lock');
    } finally {
      holder.kill();
      await rm(path.join(dataDir, 'pgdata.lock'), { force: true });
    }
  });
});
