/** Runs password batches in the background of this process, each once at a time; `idle()` waits for all. */
import { runBatch, type BatchDeps } from './password-batches.ts';

export type BatchRunner = { run(batchId: string): void; idle(): Promise<void> };

export function createBatchRunner(deps: BatchDeps, onError: (error: unknown, batchId: string) => void): BatchRunner {
  const running = new Map<string, Promise<void>>();
  return {
    run(batchId) {
      if (running.has(batchId)) return;
      const job = runBatch(deps, batchId)
        .catch((error: unknown) => onError(error, batchId)) // left 'running': resumed at the next start
        .finally(() => running.delete(batchId));
      running.set(batchId, job);
    },
    async idle() {
      while (running.size > 0) await Promise.all(running.values());
    },
  };
}
