/**
 * Runs batches in the background of this process, each once at a time, whatever their kind
 * (temporary passwords, set-password invitations: batches.ts); `idle()` waits for all.
 *
 * Once at a time across processes too, given `tryLock` (the database's, per batch): every
 * process resumes the unfinished batches when it starts, and a batch that another live process
 * is working is left to it. Without the lock two runs would still never do an account twice
 * (each group claims its items), but would hash the same passwords twice.
 */
import type { Db, TryLock } from '../db/database.ts';
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

/** The lock of one batch, the same name in every process. */
export const batchLockName = (batchId: string) => `kelid batch ${batchId}`;

async function runIfFree(deps: RunnerDeps, tryLock: TryLock | undefined, batchId: string): Promise<void> {
  const release = tryLock ? await tryLock(batchLockName(batchId)) : async () => {};
  if (!release) return; // another process is working it
  try {
    await runAnyBatch(deps, batchId);
  } finally {
    await release();
  }
}

export function createBatchRunner(deps: RunnerDeps, onError: (error: unknown, batchId: string) => void, tryLock?: TryLock): BatchRunner {
  const running = new Map<string, Promise<void>>();
  return {
    run(batchId) {
      if (running.has(batchId)) return;
      const job = runIfFree(deps, tryLock, batchId)
        .catch((error: unknown) => onError(error, batchId)) // left 'running': resumed at the next start
        .finally(() => running.delete(batchId));
      running.set(batchId, job);
    },
    async idle() {
      while (running.size > 0) await Promise.all(running.values());
    },
  };
}
