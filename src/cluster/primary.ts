/**
 * The primary of a cluster (KELID_WORKERS > 1, PostgreSQL only). It serves nothing and stays
 * light: node:cluster, no app, no database, not even config.ts. It
 * 1. has the configuration checked and the once-only start-up work done by a setup process
 *    (setup.ts), which sends back the number of workers; it stops if that fails (the setup
 *    process said why);
 * 2. forks the workers (worker.ts), which listen on the one port: the primary accepts the
 *    connections and deals them to the workers in turn (node:cluster's round-robin);
 * 3. replaces a worker that dies unexpectedly: at once, then, while replacements keep dying
 *    young, after 1 s, 2 s, 4 s… up to 30 s, so a crash loop does not spin. A worker that dies
 *    before any worker has served means start-up failed (the port taken, the database gone):
 *    the primary stops the others and exits 1, as a single process would;
 * 4. relays /metrics between the workers, so a scrape covers them all (metrics-relay.ts);
 * 5. on SIGTERM or SIGINT tells every worker to stop (finish the requests in flight, stop the
 *    background work, close its pool) and exits 0 once all have, or kills what is left and
 *    exits 1 after SHUTDOWN_TIMEOUT_MS.
 */
import { fork } from 'node:child_process';
import cluster, { type Worker } from 'node:cluster';
import path from 'node:path';
import { SHUTDOWN_TIMEOUT_MS } from '../http/closing.ts';
import { isSettings, STOP, type ClusterSettings } from './messages.ts';
import { relayMetrics } from './metrics-relay.ts';

/** A worker that dies younger than this counts as a crash loop's. */
const YOUNG_MS = 30_000;
const MAX_RESTART_DELAY_MS = 30_000;

/** How long to wait before replacing a worker, after `youngDeaths` workers in a row died young (0 for the first). */
export function restartDelayMs(youngDeaths: number): number {
  return youngDeaths <= 1 ? 0 : Math.min(MAX_RESTART_DELAY_MS, 1000 * 2 ** (youngDeaths - 2));
}

// The primary loads no logger library (it stays light): a few lines in pino's own format.
const LEVELS = { fatal: 60, error: 50, warn: 40, info: 30, debug: 20, trace: 10, silent: Infinity } as const;
function lineLog(level: string) {
  const threshold = LEVELS[level as keyof typeof LEVELS] ?? LEVELS.info;
  const write = (value: number) => (fields: object, msg: string) => {
    if (value >= threshold) process.stdout.write(`${JSON.stringify({ level: value, time: Date.now(), pid: process.pid, role: 'primary', ...fields, msg })}\n`);
  };
  return { info: write(LEVELS.info), warn: write(LEVELS.warn), error: write(LEVELS.error) };
}

/** Runs setup.ts; answers its settings and exit code. A stop asked meanwhile stops it too (migrations are transactions). */
function runSetup(stopSignal: Promise<string>): Promise<{ code: number; settings: ClusterSettings | undefined }> {
  return new Promise((resolve) => {
    let settings: ClusterSettings | undefined;
    const child = fork(path.join(import.meta.dirname, 'setup.ts'), { stdio: 'inherit' });
    child.on('message', (message) => { if (isSettings(message)) settings = message; });
    void stopSignal.then(() => child.kill('SIGTERM'));
    child.once('exit', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), settings }));
  });
}

export async function runPrimary(): Promise<void> {
  let stopping = false;
  const stopSignal = new Promise<string>((resolve) => {
    // `on`, not `once`: a second signal (Ctrl-C reaches npm, which passes it on) is the same
    // wish, and must not kill the primary while its workers stop.
    process.on('SIGTERM', () => resolve('SIGTERM'));
    process.on('SIGINT', () => resolve('SIGINT'));
  });
  void stopSignal.then(() => { stopping = true; });

  const setup = await runSetup(stopSignal);
  if (stopping) process.exit(0);
  if (setup.code !== 0 || !setup.settings) process.exit(1);
  const { workers, logLevel } = setup.settings;
  const log = lineLog(logLevel);
  log.info({ workers }, 'cluster: start-up work done; starting the workers');

  relayMetrics();
  const born = new Map<Worker, number>();
  let served = false;
  let youngDeaths = 0;
  const start = () => {
    const worker = cluster.fork();
    born.set(worker, Date.now());
    // A message to a worker that has just died fails on its channel: its 'exit' is what counts.
    worker.on('error', (error) => log.warn({ worker: worker.process.pid, err: error.message }, 'cluster: a worker\'s channel failed'));
    worker.once('listening', () => {
      served = true;
      // A stop asked while it was still loading may have found no one listening: ask again.
      if (stopping && worker.isConnected()) worker.send(STOP);
    });
  };
  cluster.on('exit', (worker, code, signal) => {
    const age = Date.now() - (born.get(worker) ?? 0);
    born.delete(worker);
    if (stopping) return;
    if (!served) {
      log.error({ worker: worker.process.pid, code, signal }, 'cluster: a worker died before any served; stopping');
      for (const other of born.keys()) other.process.kill('SIGKILL');
      process.exit(1);
    }
    youngDeaths = age < YOUNG_MS ? youngDeaths + 1 : 1;
    const delay = restartDelayMs(youngDeaths);
    log.warn({ worker: worker.process.pid, code, signal, restartInMs: delay }, 'cluster: a worker died; replacing it');
    setTimeout(() => { if (!stopping) start(); }, delay);
  });
  for (let i = 0; i < workers; i++) start();

  const signal = await stopSignal;
  log.info({ signal, workers: born.size }, 'cluster: stopping the workers');
  const timeout = setTimeout(() => {
    log.error({ workers: [...born.keys()].map((w) => w.process.pid) }, 'cluster: workers did not stop in time; killing them');
    for (const worker of born.keys()) worker.process.kill('SIGKILL');
    process.exit(1);
  }, SHUTDOWN_TIMEOUT_MS);
  for (const worker of born.keys()) if (worker.isConnected()) worker.send(STOP);
  while (born.size > 0) await new Promise((resolve) => cluster.once('exit', resolve));
  clearTimeout(timeout);
  log.info({}, 'cluster: stopped');
  process.exit(0);
}
