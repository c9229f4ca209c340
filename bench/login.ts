// Password sign-ins per second through POST /api/v1/sessions on PostgreSQL, each load between two
// loads of the reference in the same run (bench/login-reference.ts: a bare node:http server doing
// only one SELECT, one argon2id verification and one session INSERT), with the CPU per sign-in
// of each server and of PostgreSQL, how busy the machine was, and the serving process's RSS
// after the load; the raw argon2id rate (same library and parameters, 4 in flight) before and
// after, for the machine's drift. The server is a real `npm start` child process (its command
// line), one process unless KELID_WORKERS asks for a cluster (then its memory is the primary's
// and the workers' added up, each beside); the load generator (autocannon) runs in this
// process, on the same machine. BENCH_SECONDS (20) · BENCH_ROUNDS (3: Kelid loads, each followed by
// a reference load) · BENCH_CONNECTIONS (16) · BENCH_SQL=1
// (statements per sign-in) · BENCH_START (the server's command line) · BENCH_LOG_LEVEL (warn).
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
import pg from 'pg';
import { cpuBetween, cpuSample } from './cpu.ts';
import { statementStatsSettings, statementsPerGrant } from './sql-stats.ts';

const ACCOUNTS = 2_000;
const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
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
      ...process.env, DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', KELID_DEMO: '0', LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      KELID_SECRET: 'bench-secret-'.padEnd(48, 'x'), KELID_RATE_LIMIT_PER_MINUTE: '10000000', KELID_DB_POOL: '10',
      KELID_SMS: 'dev', KELID_EMAIL: 'dev', KELID_WORKERS: serverWorkers(),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await waitUntilServing(`http://127.0.0.1:${port}/readyz`, child);
  return child;
}

/**
 * Polls `url` (a server's health or readiness) every 200 ms until it answers 2xx, for at most
 * a minute (a cluster's workers start after its setup process); throws when the server exits or
 * never answers (and kills it then).
 */
export async function waitUntilServing(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${url}: the server exited (${child.exitCode ?? child.signalCode})`);
    try {
      if ((await fetch(url)).ok) return;
    } catch { /* not yet listening */ }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill();
  throw new Error(`${url}: the server did not start`);
}

/** The very command of `npm start` (its Node flags included), so the figures are the served process's. */
export function serverArgs(): string[] {
  const start = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start;
  // `exec`: the shell npm runs the script in gives way to node, so a signal to npm reaches Kelid.
  const [command, ...args] = (process.env.BENCH_START ?? start).replace(/^exec\s+/, '').split(/\s+/);
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

/** One load of password sign-ins against a server: rate, latency, where the CPU went, CPU per sign-in. */
async function measure(port: number, serverPid: number, ids: string[], admin?: pg.Client) {
  // Warm-up (JIT, pool connections).
  await autocannon({ url: `http://127.0.0.1:${port}`, connections: 4, duration: 3, requests: [loginRequest(ids)] });
  if (admin) await admin.query('select pg_stat_statements_reset()');
  const before = cpuSample(serverPid);
  const result = await autocannon({ url: `http://127.0.0.1:${port}`, connections: CONNECTIONS, duration: DURATION_SECONDS, requests: [loginRequest(ids)] });
  const cpu = cpuBetween(before, cpuSample(serverPid));
  const atEnd = await serverMemoryMb(serverPid);
  const ok = result['2xx'];
  const perSignIn = (seconds: number) => Number(((seconds * 1000) / Math.max(ok, 1)).toFixed(2));
  const { server, postgres, loadGenerator, otherProcesses } = cpu.cpuCores;
  return {
    signInsPerSecond: Number((ok / DURATION_SECONDS).toFixed(1)),
    non2xx: result.non2xx, errors: result.errors,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99 },
    cpuCores: cpu.cpuCores,
    /** The machine's cores busy during the load, all processes together (2.0 = both cores of this VM). */
    machineBusyShare: Number(((server + postgres + loadGenerator + otherProcesses) / os.availableParallelism()).toFixed(2)),
    // The server's event loop (its main thread) apart: the JavaScript side of a sign-in; the rest of `server` is the hashing threads and V8's helpers.
    cpuMsPerSignIn: { server: perSignIn(cpu.cpuSeconds.server), serverEventLoop: perSignIn(cpu.cpuSeconds.serverEventLoop), postgres: perSignIn(cpu.cpuSeconds.postgres) },
    rssMbAtEndOfLoad: Number(atEnd.rss.toFixed(1)),
    ...(admin ? { sql: await statementsPerGrant(admin, ok) } : {}),
    ...(atEnd.workers ? { processesAtEndOfLoad: { primary: atEnd.primary, workers: atEnd.workers } } : {}),
  };
}

async function stop(child: ChildProcess) {
  // Ended already: by itself (an exit code) or by a signal (no exit code, a signal code).
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
}

export async function runLoginBenchmark() {
  // BENCH_SQL=1: every statement counted (pg_stat_statements, planning included), per sign-in.
  const sqlStats = process.env.BENCH_SQL === '1';
  const postgres = await startTestPostgres(sqlStats ? { settings: statementStatsSettings } : {});
  let server: ChildProcess | undefined;
  let reference: ChildProcess | undefined;
  let admin: pg.Client | undefined;
  try {
    const url = postgres.url;
    const ids = await seed(url);
    if (sqlStats) {
      admin = new pg.Client(url);
      await admin.connect();
      await admin.query('create extension if not exists pg_stat_statements');
    }
    const port = 3900 + Math.floor(Math.random() * 90);
    // The raw rate before and after all loads, averaged: this machine's speed drifts over a run.
    const rawBefore = await rawHashRate(6);

    // The reference, then Kelid and the reference in turn, BENCH_ROUNDS times: this VM's speed
    // drifts by up to a tenth from one minute to the next, and each Kelid load set against the
    // mean of the reference loads just before and just after it cancels a steady drift. Both
    // servers stay up throughout; the one not measured is idle.
    reference = await startReference(url, port + 100);
    const references = [await measure(port + 100, reference.pid!, ids, admin)];
    server = await startServer(url, port);
    const loads: Awaited<ReturnType<typeof measure>>[] = [];
    let settled: ServerMemory | undefined;
    for (let round = 0; round < ROUNDS; round++) {
      loads.push(await measure(port, server.pid!, ids, admin));
      // Six seconds after the last load, at rest: what the process keeps (the end of the load and the peak beside it).
      if (round === ROUNDS - 1) {
        await new Promise((resolve) => setTimeout(resolve, 6000));
        settled = await serverMemoryMb(server.pid!);
      }
      references.push(await measure(port + 100, reference.pid!, ids, admin));
    }
    const rawAfter = await rawHashRate(6);
    const ratios = loads.map((load, i) => load.signInsPerSecond / ((references[i]!.signInsPerSecond + references[i + 1]!.signInsPerSecond) / 2));
    const ratio = (ratios.reduce((sum, r) => sum + r, 0) / ratios.length).toFixed(3);
    const kelid = loads.at(-1)!;
    const mean = (values: number[]) => Number((values.reduce((sum, v) => sum + v, 0) / values.length).toFixed(1));

    const figures = {
      machine: `${os.cpus()[0]?.model ?? 'cpu'} × ${os.availableParallelism()}`,
      loadAverageAtStart: Number((os.loadavg()[0] ?? 0).toFixed(2)),
      accounts: ids.length,
      connections: CONNECTIONS,
      seconds: DURATION_SECONDS,
      rounds: ROUNDS,
      kelid: {
        ...kelid, rssMbSettled: Number(settled!.rss.toFixed(1)), rssMbPeak: Number(settled!.peak.toFixed(1)),
        ...(ROUNDS > 1 ? { signInsPerSecondByRound: loads.map((load) => load.signInsPerSecond), meanSignInsPerSecond: mean(loads.map((load) => load.signInsPerSecond)) } : {}),
      },
      reference: {
        before: references[0], after: references.at(-1),
        ...(ROUNDS > 1 ? { signInsPerSecondByLoad: references.map((load) => load.signInsPerSecond) } : {}),
        signInsPerSecond: mean(references.map((load) => load.signInsPerSecond)),
      },
      ratio: Number(ratio),
      ...(ROUNDS > 1 ? { ratioByRound: ratios.map((r) => Number(r.toFixed(3))) } : {}),
      rawArgon2PerSecond: { before: Number(rawBefore.toFixed(1)), after: Number(rawAfter.toFixed(1)) },
      targets: {
        ratio: `${ratio} ≥ 0.95`,
        postgresCpuMsPerSignIn: `${kelid.cpuMsPerSignIn.postgres} ≤ 1`,
        rssMb: `${kelid.rssMbAtEndOfLoad} (end of load), ${settled!.rss.toFixed(1)} (settled) ≤ 150`,
      },
    };
    console.log(JSON.stringify(figures, null, 2));
    return figures;
  } finally {
    await admin?.end();
    if (server) await stop(server);
    if (reference) await stop(reference);
    await postgres.stop();
  }
}

/** The reference (bench/login-reference.ts) in its own process, on the same database, serving. */
async function startReference(url: string, port: number): Promise<ChildProcess> {
  const reference = spawn(process.execPath, ['bench/login-reference.ts'], {
    env: { ...process.env, DATABASE_URL: url, PORT: String(port), KELID_DB_POOL: '10' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await waitUntilServing(`http://127.0.0.1:${port}/healthz`, reference);
  return reference;
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
