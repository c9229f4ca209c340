/**
 * A batch: one administrator's act on many accounts, worked in the background with progress
 * (batch-runner.ts). Two kinds share it: temporary passwords (F21, password-batches.ts) and
 * set-password invitations (F19, invitation-batches.ts). Starting one is the same for both:
 * the accounts the actor may act on, once per request key, refused over people another batch
 * of its kind still holds (batch-overlap.ts).
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { BatchKind } from '../db/schema.ts';
import { isUuid } from '../domain/uuid.ts';
import { auditRow } from '../identity/audit.ts';
import { holdingBatches, lockIssuing, overlapRefusal, showDeadline, type Overlap } from './batch-overlap.ts';
import { can, type AdminAction } from './permissions.ts';
import { actsOnAccount, type Scope } from './scope.ts';

/**
 * `expired`: done, but not shown within SHOW_WITHIN_HOURS (batch-overlap.ts); the passwords are
 * no longer shown. `skipped`: an invitation batch's people it could not reach (no address).
 */
export type BatchStatus = { id: string; state: 'running' | 'done' | 'shown' | 'failed' | 'expired'; total: number; done: number; skipped: number };

const permission: Record<BatchKind, AdminAction> = { passwords: 'users.bulk_passwords', invitations: 'users.invite' };
const audited = { passwords: 'admin.passwords_issued', invitations: 'admin.invitations_sent' } as const;

export type BatchRefusal = { status: 403 | 422; code: 'access.denied' | 'admin.batch_empty' | 'error.field_invalid'; field?: string };

/**
 * Starts a batch of `kind` for the accounts the actor may act on among `accountIds`. The same
 * request key (one form, double-clicked) gives the same batch, and so does the same actor
 * asking for exactly the people of a batch still held; a batch over people another batch of
 * its kind holds is refused. Answers the batch, and whether it is new.
 */
export async function startBatch(
  db: Db, scope: Scope, input: { accountIds: readonly string[]; requestKey: string; ip: string | null; now: Date; kind?: BatchKind },
): Promise<{ batch: BatchStatus; created: boolean } | BatchRefusal | Overlap> {
  const kind = input.kind ?? 'passwords';
  if (!can(scope.role, permission[kind])) return { status: 403, code: 'access.denied' };
  const ids = [...new Set(input.accountIds)].filter((id) => isUuid(id) && id !== scope.accountId);
  return db.transaction().execute(async (trx) => {
    // From here to the commit no other batch starts: the lookups below cannot go stale.
    await lockIssuing(trx, 'batch');
    const existing = await trx.selectFrom('password_batches').select(['id', 'kind', 'state', 'total', 'done', 'skipped'])
      .where('actor_account_id', '=', scope.accountId).where('request_key', '=', input.requestKey).executeTakeFirst();
    if (existing) {
      const { kind: existingKind, ...batch } = existing;
      // A key of another kind's batch: a client reusing its idempotency keys, not a retry of this request.
      return existingKind === kind ? { batch, created: false } : { status: 422 as const, code: 'error.field_invalid' as const, field: 'Idempotency-Key' };
    }
    // Only accounts in scope, in roles below the actor's: anything else is silently not included.
    const allowed = ids.length === 0 ? [] : (await sql<{ id: string }>`
      select a.id from accounts a where a.id = any(${ids}::uuid[]) and ${actsOnAccount(scope, sql`a.id`)} order by a.id`.execute(trx)).rows;
    if (allowed.length === 0) return { status: 422 as const, code: 'admin.batch_empty' as const };
    // Checked on the allowed accounts only, so a refusal tells nothing about anyone outside the scope.
    const holding = await holdingBatches(trx, scope.accountId, allowed.map((a) => a.id), input.now, kind);
    const same = holding.find((b) => b.mine && b.total === allowed.length && b.shared === allowed.length);
    if (same) return { batch: await statusOf(trx, same.id), created: false };
    if (holding.length > 0) return overlapRefusal(holding, kind);
    const batch = await trx.insertInto('password_batches').values({
      actor_account_id: scope.accountId, acting_membership_id: scope.membershipId, request_key: input.requestKey, kind, state: 'running', total: allowed.length,
    }).returning(['id', 'state', 'total', 'done', 'skipped']).executeTakeFirstOrThrow();
    await trx.insertInto('password_batch_items').values(allowed.map((a, position) => ({ batch_id: batch.id, account_id: a.id, position }))).execute();
    await trx.insertInto('audit_events').values(auditRow({
      type: audited[kind], actorAccountId: scope.accountId, actingMembershipId: scope.membershipId, ip: input.ip, data: { batchId: batch.id, total: allowed.length },
    })).execute();
    return { batch, created: true };
  });
}

const statusOf = (db: Parameters<typeof holdingBatches>[0], id: string): Promise<BatchStatus> =>
  db.selectFrom('password_batches').select(['id', 'state', 'total', 'done', 'skipped']).where('id', '=', id).executeTakeFirstOrThrow();

/** Batches left running by a process that stopped (of either kind): the caller runs them again. */
export async function unfinishedBatches(db: Db): Promise<string[]> {
  return (await db.selectFrom('password_batches').select('id').where('state', '=', 'running').execute()).map((b) => b.id);
}

/** A batch of this actor and kind (anyone else's, or another kind's, answers like one that does not exist). */
export async function batchStatus(db: Db, scope: Scope, batchId: string, now: Date, kind: BatchKind): Promise<BatchStatus | undefined> {
  if (!isUuid(batchId)) return undefined;
  return db.selectFrom('password_batches')
    .select(['id', 'total', 'done', 'skipped', sql<BatchStatus['state']>`case when kind = 'passwords' and state = 'done' and finished_at <= ${showDeadline(now)} then 'expired' else state end`.as('state')])
    .where('id', '=', batchId).where('actor_account_id', '=', scope.accountId).where('kind', '=', kind).executeTakeFirst();
}
