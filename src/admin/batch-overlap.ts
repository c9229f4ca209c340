/**
 * One set of temporary passwords per person at a time (issue 9, item 7). A batch that is
 * running, or done and not yet shown, holds its people: a second batch or an admin reset of
 * any of them would replace a password its slip is about to show, and the printed slip would be
 * wrong. So a new password for a held person is refused (`admin.batch_overlaps`, 409), except
 * that the same actor asking again for exactly the same people gets that very batch: ten clicks
 * without an idempotency key, or a retry with a new one, find the first batch.
 *
 * Check and insert must not interleave: every batch start takes a transaction-level advisory
 * lock exclusively, every reset takes it shared (resets hold nobody, so they need not wait for
 * each other), and each reads the holding batches only after the lock is granted; under READ
 * COMMITTED that read sees every batch committed before. Batches are rare admin acts, so one
 * lock for the whole deployment costs little and needs no per-person rows (a batch of 50,000
 * people could not take 50,000 row locks); a unique index cannot say "overlaps".
 */
import { sql, type Transaction } from 'kysely';
import type { BatchKind, Database } from '../db/schema.ts';

const ISSUE_LOCK = 4_242_003;

/**
 * A finished batch holds its people for a day; unshown by then, it is abandoned: it holds
 * nobody and its passwords are no longer shown (a newer password may have replaced them).
 * Without an end, a batch its actor forgot would bar everyone else from those people for ever.
 */
export const SHOW_WITHIN_HOURS = 24;
export const showDeadline = (now: Date) => new Date(now.getTime() - SHOW_WITHIN_HOURS * 3_600_000);

/** The refusal; `batchId` only when the actor may open that batch (their own). */
export type Overlap = { status: 409; code: 'admin.batch_overlaps' | 'invitation.batch_overlaps'; batchId?: string };
export type HoldingBatch = { id: string; state: 'running' | 'done'; total: number; done: number; mine: boolean; shared: number };

/** In a transaction that is about to issue passwords: waits for any batch start in progress. */
export async function lockIssuing(trx: Transaction<Database>, mode: 'batch' | 'reset'): Promise<void> {
  await (mode === 'batch' ? sql`select pg_advisory_xact_lock(${ISSUE_LOCK})` : sql`select pg_advisory_xact_lock_shared(${ISSUE_LOCK})`).execute(trx);
}

/**
 * The batches of a kind holding any of these accounts, each with how many of them it holds.
 * Call after lockIssuing. A bulk invitation (F19) holds its people only while it runs: it
 * changes no password and has nothing to show, but two at once would email everyone twice and
 * void each other's links. Invitations and passwords do not hold people from each other.
 */
export async function holdingBatches(
  trx: Transaction<Database>, actorAccountId: string, accountIds: readonly string[], now: Date, kind: BatchKind = 'passwords',
): Promise<HoldingBatch[]> {
  if (accountIds.length === 0) return [];
  const holds = kind === 'passwords' ? sql`(b.state = 'running' or (b.state = 'done' and b.finished_at > ${showDeadline(now)}))` : sql`b.state = 'running'`;
  return (await sql<HoldingBatch>`
    select b.id, b.state, b.total, b.done, b.actor_account_id = ${actorAccountId} as mine, count(*)::int as shared
    from password_batches b join password_batch_items i on i.batch_id = b.id
    where i.account_id = any(${accountIds}::uuid[]) and b.kind = ${kind} and ${holds}
    group by b.id`.execute(trx)).rows;
}

/** The refusal, naming the batch only to its own actor (another's answers like one that does not exist). */
export function overlapRefusal(holding: readonly HoldingBatch[], kind: BatchKind = 'passwords'): Overlap {
  const mine = holding.find((b) => b.mine);
  return { status: 409, code: kind === 'passwords' ? 'admin.batch_overlaps' : 'invitation.batch_overlaps', ...(mine ? { batchId: mine.id } : {}) };
}
