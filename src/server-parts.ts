/**
 * The parts of a serving process, each imported only where it runs (main.ts): a cluster's
 * worker or primary, or a single process's configuration, start-up and serving, and how a
 * failed start ends. Everything else a server runs is imported statically from these.
 * compile-cache-fill.ts loads them all, without running any, to fill Node's compile cache.
 */
export const serverParts = {
  worker: () => import('./cluster/worker.ts'),
  primary: () => import('./cluster/primary.ts'),
  config: () => import('./config.ts'),
  startUp: () => import('./start-up.ts'),
  serve: () => import('./serve.ts'),
  startFailure: () => import('./start-failure.ts'),
};
