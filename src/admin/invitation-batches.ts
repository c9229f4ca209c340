/**
 * Bulk invitations (F19): the set-password link for many accounts at once, worked like bulk
 * passwords (batches.ts starts it, batch-runner.ts runs it) with progress. Each group of
 * people is claimed, emailed and counted in one transaction, so a batch resumes after a
 * crash, two runners never email anyone twice, and a message exists exactly when its
 * invitation does. People it cannot reach are skipped and counted, each with the reason.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { InvitationOutcome } from '../db/schema.ts';
import { isUuid } from '../domain/uuid.ts';
import type { Clock } from '../identity/clock.ts';
import { invitationTargets, sendInvitations, type InvitationSender, type InvitationTarget } from '../identity/invitations.ts';
import type { Scope } from './scope.ts';

export type InvitationBatchDeps = { db: Db; clock: Clock; sender: InvitationSender };

const GROUP = 100;

export function outcomeOf(target: InvitationTarget | undefined): InvitationOutcome {
  if (!target || target.status === 'disabled') return 'disabled';
  if (!target.hasNationalId) return 'no_national_id';
  return target.email === null ? 'no_email' : 'sent';
}

export async function runInvitationBatch(deps: InvitationBatchDeps, batchId: string): Promise<void> {
  const batch = await deps.db.selectFrom('password_batches').select('actor_account_id').where('id', '=', batchId).where('kind', '=', 'invitations').executeTakeFirst();
  if (!batch) return;
  for (;;) {
    const claimed = await deps.db.transaction().execute(async (trx) => {
      const now = deps.clock.now();
      // Claimed by this very update; rows another runner holds are skipped, never waited for or done twice.
      const ids = (await sql<{ account_id: string }>`
        update password_batch_items i set done = true
        where i.batch_id = ${batchId} and i.account_id in (
          select account_id from password_batch_items where batch_id = ${batchId} and not done order by position limit ${GROUP} for update skip locked)
        returning i.account_id`.execute(trx)).rows.map((r) => r.account_id);
      if (ids.length === 0) return 0;
      const targets = new Map((await invitationTargets(trx, ids)).map((t) => [t.accountId, t]));
      const outcomes = ids.map((id) => outcomeOf(targets.get(id)));
      const reachable = ids.flatMap((id, i) => (outcomes[i] === 'sent' ? [{ ...targets.get(id)!, email: targets.get(id)!.email! }] : []));
      await sendInvitations(trx, deps.sender, reachable, { createdBy: batch.actor_account_id, batchId }, now);
      await sql`update password_batch_items i set outcome = v.outcome
        from unnest(${ids}::uuid[], ${outcomes}::text[]) as v(account_id, outcome)
        where i.batch_id = ${batchId} and i.account_id = v.account_id`.execute(trx);
      const skipped = outcomes.filter((o) => o !== 'sent').length;
      await trx.updateTable('password_batches').set({ done: sql`done + ${ids.length}`, skipped: sql`skipped + ${skipped}` }).where('id', '=', batchId).execute();
      return ids.length;
    });
    if (claimed === 0) break;
  }
  await deps.db.updateTable('password_batches').set({ state: 'done', finished_at: deps.clock.now() })
    .where('id', '=', batchId).where('state', '=', 'running').execute();
}

export type SkippedPerson = { firstName: string; lastName: string; nationalId: string | null; reason: Exclude<InvitationOutcome, 'sent'> };

/** The people a finished batch of this actor skipped, and why (the actor's own batches only). */
export async function skippedPeople(db: Db, scope: Scope, batchId: string, limit = 1000): Promise<SkippedPerson[]> {
  if (!isUuid(batchId)) return [];
  const rows = await db.selectFrom('password_batch_items as i').innerJoin('password_batches as b', 'b.id', 'i.batch_id')
    .innerJoin('accounts as a', 'a.id', 'i.account_id').innerJoin('people as p', 'p.id', 'a.person_id')
    .select(['p.first_name', 'p.last_name', 'p.national_id', 'i.outcome'])
    .where('i.batch_id', '=', batchId).where('b.actor_account_id', '=', scope.accountId).where('b.kind', '=', 'invitations')
    .where('i.outcome', 'is not', null).where('i.outcome', '!=', 'sent')
    .orderBy('p.last_name').orderBy('p.first_name').limit(limit).execute();
  return rows.map((r) => ({ firstName: r.first_name, lastName: r.last_name, nationalId: r.national_id, reason: r.outcome as SkippedPerson['reason'] }));
}
