/**
 * Bulk passwords (F21, B5): temporary passwords for many accounts at once. A batch is a row
 * and its items (batches.ts starts them); a job hashes them (argon2id runs on the native
 * thread pool, as many at once as the hasher allows: every core busy) and each item's
 * password change commits together
 * with the item's "done", so a batch resumes after a crash and no account is done twice.
 * The passwords and the slips' one-time QR tokens are kept sealed until shown once, then erased.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Clock } from '../identity/clock.ts';
import type { PasswordHashing } from '../identity/passwords.ts';
import { open, seal } from '../identity/secret-box.ts';
import { showDeadline } from './batch-overlap.ts';
import { batchStatus } from './batches.ts';
import { applyTemporaryPasswords, temporaryPassword } from './password-reset.ts';
import type { Scope } from './scope.ts';

/** `hasher`: the queue's background side (PasswordHasher.background): a batch waits its turn, never refused for load. */
export type BatchDeps = { db: Db; hasher: PasswordHashing; clock: Clock; secretBox: Buffer; qrDays: number; concurrency: number };
export type Slip = { firstName: string; lastName: string; nationalId: string | null; userCode: string; password: string; qrToken: string };

export const hashQrToken = (token: string) => createHash('sha256').update(token).digest();

/**
 * Works a batch to the end. Workers, twice as many as hashes may run at once, keep every
 * core hashing; finished passwords are written in groups (a few statements for many
 * accounts) while the hashing goes on. Safe to run twice at once (or after a crash): a group
 * claims its items with `where not done`, and only what it claimed is changed.
 */
export async function runBatch(deps: BatchDeps, batchId: string): Promise<void> {
  const items = await deps.db.selectFrom('password_batch_items').select('account_id')
    .where('batch_id', '=', batchId).where('done', '=', false).orderBy('position').execute();
  let next = 0;
  let buffer: Issued[] = [];
  let writing: Promise<void> = Promise.resolve();
  const flush = () => {
    const group = buffer;
    buffer = [];
    writing = writing.then(() => writeGroup(deps, batchId, group));
    // A failed write fails the batch at the final flush; until then it must not count as unhandled.
    writing.catch(() => undefined);
    return writing;
  };
  const worker = async () => {
    while (next < items.length) {
      const accountId = items[next++]!.account_id;
      const password = temporaryPassword();
      buffer.push({ accountId, password, qrToken: randomBytes(24).toString('base64url'), hash: await deps.hasher.hash(password) });
      if (buffer.length >= GROUP) void flush();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, deps.concurrency * 2) }, worker));
  await flush();
  await deps.db.updateTable('password_batches').set({ state: 'done', finished_at: deps.clock.now() })
    .where('id', '=', batchId).where('state', '=', 'running').execute();
}

const GROUP = 64;
type Issued = { accountId: string; password: string; qrToken: string; hash: string };

async function writeGroup(deps: BatchDeps, batchId: string, group: Issued[]): Promise<void> {
  if (group.length === 0) return;
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    // Locked first, in one order (the account's id) for every worker: two workers of one batch (a
    // restart, two processes) whose groups share items then wait for each other. Each locked its
    // group's rows in the order its hashes finished, and two such orders deadlocked (a full run).
    await sql`select 1 from password_batch_items where batch_id = ${batchId} and account_id = any(${group.map((g) => g.accountId)}::uuid[])
      order by account_id for update`.execute(trx);
    // Claimed by this very update: items another worker finished first are not returned, and not touched.
    const claimed = new Set((await sql<{ account_id: string }>`
      update password_batch_items i set done = true, secret_ciphertext = v.secret
      from unnest(${group.map((g) => g.accountId)}::uuid[], ${group.map((g) => seal(deps.secretBox, JSON.stringify({ password: g.password, qrToken: g.qrToken })))}::text[]) as v(account_id, secret)
      where i.batch_id = ${batchId} and i.account_id = v.account_id and not i.done
      returning i.account_id`.execute(trx)).rows.map((r) => r.account_id));
    const mine = group.filter((g) => claimed.has(g.accountId));
    if (mine.length === 0) return;
    await applyTemporaryPasswords(trx, mine, now);
    await trx.insertInto('sign_in_tokens').values(mine.map((g) => ({
      token_hash: hashQrToken(g.qrToken), account_id: g.accountId, expires_at: new Date(now.getTime() + deps.qrDays * 86_400_000),
    }))).execute();
    await trx.updateTable('password_batches').set({ done: sql`done + ${mine.length}` }).where('id', '=', batchId).execute();
  });
}

/** The passwords and slips of a finished batch, once: they are erased in the same transaction. */
export async function takeBatchResult(db: Db, secretBox: Buffer, scope: Scope, batchId: string, now: Date): Promise<Slip[] | 'not_found' | 'running' | 'gone' | 'expired'> {
  const status = await batchStatus(db, scope, batchId, now, 'passwords');
  if (!status) return 'not_found';
  if (status.state === 'running' || status.state === 'expired') return status.state;
  return db.transaction().execute(async (trx) => {
    // The same deadline as the overlap check: a batch that no longer holds its people shows nothing.
    const taken = await trx.updateTable('password_batches').set({ state: 'shown' })
      .where('id', '=', batchId).where('state', '=', 'done').where('finished_at', '>', showDeadline(now)).executeTakeFirst();
    if (taken.numUpdatedRows === 0n) return 'gone' as const;
    const rows = await trx.selectFrom('password_batch_items as i').innerJoin('accounts as a', 'a.id', 'i.account_id').innerJoin('people as p', 'p.id', 'a.person_id')
      .select(['p.first_name', 'p.last_name', 'p.national_id', 'a.user_code', 'i.secret_ciphertext'])
      .where('i.batch_id', '=', batchId).orderBy('p.last_name').orderBy('p.first_name').execute();
    await trx.updateTable('password_batch_items').set({ secret_ciphertext: null }).where('batch_id', '=', batchId).execute();
    return rows.flatMap((row) => {
      const secret = row.secret_ciphertext === null ? undefined : open(secretBox, row.secret_ciphertext);
      if (secret === undefined) return [];
      const { password, qrToken } = JSON.parse(secret) as { password: string; qrToken: string };
      return [{ firstName: row.first_name, lastName: row.last_name, nationalId: row.national_id, userCode: row.user_code, password, qrToken }];
    });
  });
}
