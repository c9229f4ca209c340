/**
 * Kelid's entry point (`npm start`): serve in this one process (start-up.ts, then serve.ts), or
 * become the primary of a cluster of KELID_WORKERS serving processes on one port
 * (cluster/primary.ts). The cluster's workers run this file too and go on to their part.
 *
 * Each part is imported only where it runs (server-parts.ts): the primary loads neither the app nor the
 * database, nor even config.ts (stripping its types alone costs a process ~10 MB). Whether to
 * be a primary is read here from the two variables; the setup process (cluster/setup.ts)
 * checks the whole configuration before any worker starts, and a single process does first.
 */
import './runtime-tuning.ts';
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { SHUTDOWN_TIMEOUT_MS } from './http/closing.ts';
import { serverParts } from './server-parts.ts';

/** KELID_WORKERS above 1 (by default: more than one core) on PostgreSQL; config.ts's `workers` says the same of a valid configuration. */
function clustered(env: NodeJS.ProcessEnv): boolean {
  if (!env.DATABASE_URL?.trim()) return false; // KELID_WORKERS > 1 without it: config.ts refuses it below
  const workers = env.KELID_WORKERS?.trim();
  if (!workers) return availableParallelism() > 1;
  return /^\d+$/.test(workers) && Number(workers) > 1;
}

async function main() {
  if (cluster.isWorker) {
    await (await serverParts.worker()).runWorker();
    return;
  }
  if (clustered(process.env)) {
    await (await serverParts.primary()).runPrimary();
    return;
  }
  const { loadConfig } = await serverParts.config();
  const config = loadConfig();
  const { default: pino } = await import('pino');
  const { startUp } = await serverParts.startUp();
  const { serve } = await serverParts.serve();
  const log = pino({ level: config.logLevel });
  const serving = await serve(await startUp(config, log));
  const stop = async (signal: string) => {
    log.info({ signal }, 'shutting down');
    // As a cluster's primary does for its workers: a stop that hangs (a connection, a send) is ended.
    setTimeout(() => {
      log.error({ ms: SHUTDOWN_TIMEOUT_MS }, 'the stop did not finish in time; exiting');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS).unref();
    await serving.stop();
    process.exit(0);
  };
  // Ctrl-C reaches npm and Kelid both, and npm passes its SIGINT on: a second signal while the
  // stop runs is the same wish, not a kill (with `once`, the second ended the process halfway,
  // its requests unanswered and the embedded database's lock left behind).
  let stopping = false;
  const onSignal = (signal: string) => { if (!stopping) { stopping = true; void stop(signal); } };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
}

/** Runs Kelid in this process (start.js calls it; `node src/main.ts` runs it too); a failed start ends as start-failure.ts says. */
export function runKelid(): void {
  main().catch(async (error: unknown) => (await serverParts.startFailure()).failStart(error));
}

// Imported without running by compile-cache-fill.ts.
if (import.meta.main) runKelid();
