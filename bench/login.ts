// Password sign-ins per second through POST /api/v1/sessions on PostgreSQL, next to the raw
// argon2 rate (same library and parameters, 4 in flight) measured in the same run, and the
// serving process's RSS afterwards. The server is a real `node src/main.ts` child process, one
// process unless KELID_WORKERS asks for a cluster (then the memory of the primary and of each
// worker); the load generator (autocannon) runs in this process, on the same machine.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import autocannon from 'autocannon';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { createPasswordHasher } from '../src/identity/passwords.ts';
import { newUserCode } from '../src/identity/accounts.ts';
import { nationalIdCheckDigit } from '../src/domain/national-id.ts';
import { startTestPostgres } from '../test/helpers/postgres.ts';

const ACCOUNTS = 2_000;
const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const PASSWORD = 'Bench-Password-1405!';
const argon2 = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

function nationalId(n: number): string {
  const first9 = `4${String(n).padStart(8, '0')}`;
  return `${first9}${nationalIdCheckDigit(first9)}`;
}

async function rawHashRate(seconds: number): Promise<number> {
  const hasher = createPasswordHasher(argon2);
  const stored = await hasher.hash(PASSWORD);
  const end = Date.now() + seconds * 1000;
  let done = 0;
  // Four in flight: the libuv pool has four threads; the machine has os.availableParallelism() cores.
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (Date.now() < end) {
      await hasher.check(stored, PASSWORD);
      done++;
    }
  }));
  return done / seconds;
}

async function seed(url: string): Promise<string[]> {
  const handle = await openDatabase({ databaseUrl: url, dataDir: '', poolSize: 4 });
  await migrate(handle);
  const hash = await createPasswordHasher(argon2).hash(PASSWORD);
  const ids = Array.from({ length: ACCOUNTS }, (_, i) => nationalId(i + 1)).filter((id) => !/^(\d)\1{9}$/.test(id));
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const people = await handle.db.insertInto('people')
      .values(chunk.map((id) => ({ national_id: id, first_name: 'آزمون', last_name: 'بار' })))
      .returning('id').execute();
    const accounts = await handle.db.insertInto('accounts')
      .values(people.map((p) => ({ person_id: p.id, user_code: newUserCode() })))
      .returning('id').execute();
    await handle.db.insertInto('credentials').values(accounts.map((a) => ({ account_id: a.id, password_hash: hash }))).execute();
  }
  await handle.close();
  return ids;
}

async function startServer(url: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...serverArgs()], {
    env: {
      ...process.env, DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', KELID_DEMO: '0', LOG_LEVEL: 'warn',
      KELID_SECRET: 'bench-secret-'.padEnd(48, 'x'), KELID_RATE_LIMIT_PER_MINUTE: '10000000', KELID_DB_POOL: '10',
      KELID_SMS: 'dev', KELID_EMAIL: 'dev', KELID_WORKERS: serverWorkers(),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return child;
    } catch { /* not yet listening */ }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill();
  throw new Error('server did not start');
}

/** The very command of `npm start` (its Node flags included), so the figures are the served process's. */
export function serverArgs(): string[] {
  const start = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start;
  const [command, ...args] = (process.env.BENCH_START ?? start).split(/\s+/);
  if (command !== 'node') throw new Error(`unexpected start script: ${start}`);
  return args;
}

/**
 * One serving process unless the environment asks for a cluster (KELID_WORKERS=N): the figures
 * in the README are one process's, and a cluster is measured on purpose.
 */
export const serverWorkers = () => process.env.KELID_WORKERS ?? '1';

/** Resident memory now and at its peak (VmHWM), in MB, of one process. */
export async function memoryMb(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const read = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
  return { rss: read('VmRSS'), peak: read('VmHWM') };
}

/** The processes `pid` started (a cluster's workers), from /proc/<pid>/task/<tid>/children. */
export function childPids(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
  } catch {
    return [];
  }
}

export type ServerMemory = { rss: number; peak: number; primary?: { rss: number; peak: number }; workers?: { pid: number; rss: number; peak: number }[] };

/**
 * The server's memory in MB: one process's; or, for a cluster, the sums over the primary and
 * its workers (what the server holds, comparable with one process's), each process's beside.
 * A peak is each process's own (VmHWM), added up: an upper bound of the whole's.
 */
export async function serverMemoryMb(pid: number): Promise<ServerMemory> {
  const primary = await memoryMb(pid);
  const workers = await Promise.all(childPids(pid).map(async (worker) => ({ pid: worker, ...await memoryMb(worker).catch(() => ({ rss: 0, peak: 0 })) })));
  if (workers.length === 0) return primary;
  const sum = (field: 'rss' | 'peak') => primary[field] + workers.reduce((total, worker) => total + worker[field], 0);
  const mb = (value: number) => Number(value.toFixed(1));
  return {
    rss: sum('rss'), peak: sum('peak'),
    primary: { rss: mb(primary.rss), peak: mb(primary.peak) },
    workers: workers.map((worker) => ({ pid: worker.pid, rss: mb(worker.rss), peak: mb(worker.peak) })),
  };
}

export async function runLoginBenchmark() {
  const postgres = await startTestPostgres();
  let server: ChildProcess | undefined;
  try {
    const url = postgres.url.replace(/\/postgres(\?|$)/, '/postgres$1');
    const ids = await seed(url);
    const port = 3900 + Math.floor(Math.random() * 90);
    server = await startServer(url, port);

    // Warm-up (JIT, pool connections), then the raw rate on the idle machine, then the load.
    await autocannon({ url: `http://127.0.0.1:${port}`, connections: 4, duration: 3, requests: [loginRequest(ids)] });
    // The raw rate before and after the load, averaged: this machine's speed drifts over a run.
    const rawBefore = await rawHashRate(6);
    const result = await autocannon({ url: `http://127.0.0.1:${port}`, connections: CONNECTIONS, duration: DURATION_SECONDS, requests: [loginRequest(ids)] });
    const atEnd = await serverMemoryMb(server.pid!);
    const rawAfter = await rawHashRate(6);
    // Six seconds later, at rest: what the process keeps (atEnd and peak are reported beside it).
    const settled = await serverMemoryMb(server.pid!);
    const raw = (rawBefore + rawAfter) / 2;
    const ok = result['2xx'];
    const rate = ok / DURATION_SECONDS;
    const figures = {
      machine: `${os.cpus()[0]?.model ?? 'cpu'} × ${os.availableParallelism()}`,
      accounts: ids.length,
      connections: CONNECTIONS,
      seconds: DURATION_SECONDS,
      signInsPerSecond: Number(rate.toFixed(1)),
      rawArgon2PerSecond: Number(raw.toFixed(1)),
      rawBeforeAndAfter: [Number(rawBefore.toFixed(1)), Number(rawAfter.toFixed(1))],
      ratio: Number((rate / raw).toFixed(3)),
      non2xx: result.non2xx,
      errors: result.errors,
      latencyMs: { p50: result.latency.p50, p99: result.latency.p99 },
      serverRssMb: {
        atEndOfLoad: Number(atEnd.rss.toFixed(1)), settled: Number(settled.rss.toFixed(1)), peak: Number(settled.peak.toFixed(1)),
        // A cluster (KELID_WORKERS > 1): the sums above, and each process at rest.
        ...(settled.workers ? { primary: settled.primary, workers: settled.workers } : {}),
      },
    };
    console.log(JSON.stringify(figures, null, 2));
    return figures;
  } finally {
    server?.kill('SIGTERM');
    await postgres.stop();
  }
}

function loginRequest(ids: string[]) {
  let next = 0;
  return {
    method: 'POST' as const,
    path: '/api/v1/sessions',
    headers: { 'content-type': 'application/json' },
    setupRequest: (request: autocannon.Request) => {
      const id = ids[next++ % ids.length];
      return { ...request, body: JSON.stringify({ identifier: id, password: PASSWORD }) };
    },
  };
}
