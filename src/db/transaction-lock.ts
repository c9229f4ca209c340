/**
 * PostgreSQL's transaction-scoped advisory locks by name: `key` is hashed to 64 bits
 * (hashtextextended), so any text names one. Waited for, then held until the transaction ends
 * (no unlock to forget; fine behind a transaction-pooling PgBouncer). `shared` lets other
 * shared holders in and keeps exclusive ones out.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

export async function lockUntilCommit(trx: Kysely<Database>, key: string, mode: 'exclusive' | 'shared' = 'exclusive'): Promise<void> {
  await (mode === 'shared'
    ? sql`select pg_advisory_xact_lock_shared(hashtextextended(${key}, 0))`
    : sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`).execute(trx);
}
