/**
 * SQL of the outbox: insert, the dispatcher's claim and its three outcomes, the dev outbox's
 * listing. The table's Kysely type lives here, beside its only queries.
 *
 * A claim is one statement: it picks due rows with FOR UPDATE SKIP LOCKED, so several
 * dispatchers (processes) never claim the same row, and marks them `sending` with a lease.
 * A row whose lease has run out (its dispatcher died) is due again. The outcome updates are
 * fenced by the attempt number, so a dispatcher that lost its lease cannot undo a newer claim.
 */
import { sql, type ColumnType, type Generated } from 'kysely';
import type { Locale } from '../config.ts';
import type { Executor } from '../identity/audit.ts';
import type { MessageChannel } from './templates.ts';
import { clip } from '../domain/text.ts';

/** `withheld`: a message the rules kept back (no account, a send limit), never sent (outbox.ts). */
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'withheld';

export type OutboxTable = {
  id: Generated<string>;
  seq: Generated<string>;
  channel: MessageChannel;
  recipient: string;
  template: string;
  locale: Locale;
  params: ColumnType<Record<string, string>, string, string>;
  subject: string | null;
  text: string;
  html: string | null;
  status: Generated<OutboxStatus>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  locked_until: Generated<Date | null>;
  last_error: Generated<string | null>;
  provider_message_id: Generated<string | null>;
  created_at: Generated<Date>;
  sent_at: Generated<Date | null>;
};

const outbox = (db: Executor) => db.withTables<{ outbox: OutboxTable }>();

export type NewRow = {
  channel: MessageChannel; recipient: string; template: string; locale: Locale;
  params: Record<string, string>; subject: string | null; text: string; html: string | null;
};

export async function insertMessage(db: Executor, row: NewRow, withheld?: string): Promise<string> {
  const inserted = await outbox(db).insertInto('outbox')
    .values({ ...row, params: JSON.stringify(row.params), ...(withheld === undefined ? {} : { status: 'withheld' as const, last_error: withheld }) })
    .returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

/** Withheld messages a day old: they were only ever a record of what was kept back. */
export async function deleteOldWithheld(db: Executor, now: Date): Promise<number> {
  const result = await outbox(db).deleteFrom('outbox').where('status', '=', 'withheld').where('created_at', '<', new Date(now.getTime() - 86_400_000)).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * The messages not delivered yet (pending, or claimed and being sent) and the oldest one's age
 * in seconds (0 when there is none), by the database's clock, which wrote `created_at`.
 */
export async function outboxBacklog(db: Executor): Promise<{ waiting: number; oldestAgeSeconds: number }> {
  const result = await sql<{ waiting: number; oldest_age: number | null }>`
    select count(*)::int as waiting, extract(epoch from clock_timestamp() - min(created_at))::float8 as oldest_age
    from outbox where status in ('pending', 'sending')`.execute(db);
  const row = result.rows[0];
  return { waiting: row?.waiting ?? 0, oldestAgeSeconds: Math.max(0, row?.oldest_age ?? 0) };
}

export type ClaimedRow = NewRow & { id: string; attempts: number };

export async function claimDue(db: Executor, now: Date, leaseMs: number, limit: number): Promise<ClaimedRow[]> {
  const leaseEnd = new Date(now.getTime() + leaseMs);
  // A new row (attempts = 0) is due whatever its timestamp: it was stamped by the database's
  // clock, the retry times and leases by the dispatcher's, and the two need not agree.
  const result = await sql<ClaimedRow>`
    update outbox set status = 'sending', attempts = attempts + 1, locked_until = ${leaseEnd}, next_attempt_at = ${leaseEnd}
    where id in (
      select id from outbox
      where status in ('pending', 'sending')
        and (next_attempt_at <= ${now} or (status = 'pending' and attempts = 0))
      order by next_attempt_at, seq
      limit ${limit}
      for update skip locked)
    returning id, channel, recipient, template, locale, params, subject, text, html, attempts`.execute(db);
  return result.rows;
}

/** Sent wins over any other state: the provider has the message, whatever happened meanwhile. */
export async function markSent(
  db: Executor, id: string, now: Date, providerMessageId: string | null, erase: boolean,
): Promise<void> {
  await outbox(db).updateTable('outbox')
    .set({
      status: 'sent', sent_at: now, provider_message_id: providerMessageId, locked_until: null, last_error: null,
      // A delivered code (or any secret) has no business staying readable in the database.
      ...(erase ? { params: '{}', text: '[erased after delivery]', html: null } : {}),
    })
    .where('id', '=', id).where('status', '<>', 'sent').execute();
}

export async function markRetry(db: Executor, id: string, attempt: number, nextAttemptAt: Date, error: string): Promise<void> {
  await outbox(db).updateTable('outbox')
    .set({ status: 'pending', next_attempt_at: nextAttemptAt, locked_until: null, last_error: clip(error, 1000) })
    .where('id', '=', id).where('status', '=', 'sending').where('attempts', '=', attempt).execute();
}

export async function markFailed(db: Executor, id: string, attempt: number, error: string): Promise<void> {
  await outbox(db).updateTable('outbox')
    .set({ status: 'failed', locked_until: null, last_error: clip(error, 1000) })
    .where('id', '=', id).where('status', '=', 'sending').where('attempts', '=', attempt).execute();
}

export type OutboxListing = {
  id: string; channel: MessageChannel; recipient: string; template: string; locale: Locale;
  subject: string | null; text: string; status: OutboxStatus; created_at: Date;
};

export async function listNewest(db: Executor, channels: readonly MessageChannel[], limit: number): Promise<OutboxListing[]> {
  if (channels.length === 0) return [];
  return outbox(db).selectFrom('outbox')
    .select(['id', 'channel', 'recipient', 'template', 'locale', 'subject', 'text', 'status', 'created_at'])
    .where('channel', 'in', channels).where('status', '<>', 'withheld')
    .orderBy('created_at', 'desc').orderBy('seq', 'desc').limit(limit).execute();
}

export async function readMessage(db: Executor, id: string) {
  return outbox(db).selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
}

/** When the current window of a fixed-window counter (identity/rate-limits.ts) began. */
export async function counterWindowStart(db: Executor, bucket: string, key: string): Promise<Date | undefined> {
  const row = await db.selectFrom('rate_counters').select('window_start').where('bucket', '=', bucket).where('key', '=', key).executeTakeFirst();
  return row?.window_start;
}
