/**
 * Runs batches in the background of this process, each once at a time, whatever their kind
 * (temporary passwords, set-password invitations: batches.ts); `idle()` waits for all.
 */
import type { Db } from '../db/database.ts';
import type { InvitationSender } from '../identity/invitations.ts';
import { runInvitationBatch } from './invitation-batches.ts';
import { runBatch, type BatchDeps } from './password-batches.ts';

export type BatchRunner = { run(batchId: string): void; idle(): Promise<void> };

/** What both kinds need: the passwords' hashing and sealing, the invitations' outbox. */
export type RunnerDeps = BatchDeps & { invitations: InvitationSender };

async function runAnyBatch(deps: RunnerDeps, batchId: string): Promise<void> {
  const batch = await kindOf(deps.db, batchId);
  if (batch === 'invitations') return runInvitationBatch({ db: deps.db, clock: deps.clock, sender: deps.invitations }, batchId);
  return runBatch(deps, batchId);
}

const kindOf = async (db: Db, batchId: string) =>
  (await db.selectFrom('password_batches').select('kind').where('id', '=', batchId).executeTakeFirst())?.kind;

export function createBatchRunner(deps: RunnerDeps, onError: (error: unknown, batchId: string) => void): BatchRunner {
  const running = new Map<string, Promise<void>>();
  return {
    run(batchId) {
      if (running.has(batchId)) return;
      const job = runAnyBatch(deps, batchId)
        .catch((error: unknown) => onError(error, batchId)) // left 'running': resumed at the next start
        .finally(() => running.delete(batchId));
      running.set(batchId, job);
    },
    async idle() {
      while (running.size > 0) await Promise.all(running.values());
    },
  };
}
