/**
 * Races made wide on purpose: a table held in SHARE mode on a connection of its own while
 * requests start, until `waiters` of them wait on a lock (its own or another), then let go. Each
 * request has then done all it does before writing that table (a check before its write, say),
 * so writers that do not exclude each other all pass their checks, and a test of the race fails
 * every time rather than now and then.
 */
import { sql } from 'kysely';
import type { Db } from '../../src/db/database.ts';

export async function withTableHeld<T>(db: Db, table: string, waiters: number, start: () => Promise<T>[]): Promise<T[]> {
  const started = await db.transaction().execute(async (holder) => {
    await sql`lock table ${sql.table(table)} in share mode`.execute(holder);
    const requests = start();
    for (let polls = 0; polls < 200; polls++) {
      const { rows: [waiting] } = await sql<{ n: number }>`select count(*)::int as n from pg_locks where not granted`.execute(db);
      if (waiting!.n >= waiters) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return requests;
  });
  return Promise.all(started);
}
