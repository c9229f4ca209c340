/**
 * The database: PostgreSQL through `pg` when DATABASE_URL is set, otherwise the embedded
 * PGlite (PostgreSQL compiled to WebAssembly) in `<dataDir>/pgdata`. One SQL dialect, one
 * set of migrations, one Kysely instance either way.
 */
import path from 'node:path';
import type { DatabaseHandle } from './handle.ts';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';

export type { DatabaseHandle, Db, Listen, Listener, PoolUse, ScriptSession, TryLock } from './handle.ts';

export type OpenOptions = {
  databaseUrl: string | undefined;
  dataDir: string;
  poolSize: number;
  /** PostgreSQL only: where LISTEN connects, when not databaseUrl (a transaction-pooling PgBouncer there: postgres.ts listenOnPostgres). */
  listenUrl?: string | undefined;
  /** PostgreSQL only: keyed() statements run on a pool of their own as named prepared statements (default); off, every statement is parsed and planned on every run. */
  preparedStatements?: boolean;
  /** PGlite only: keep the database in memory, optionally starting from a dumped data folder (tests use a migrated template). */
  inMemory?: { from?: Blob };
};

export { DatabaseInUseError } from './folder-lock.ts';

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl !== undefined) {
    return openPostgres(options.databaseUrl, options.poolSize, options.listenUrl ?? options.databaseUrl, options.preparedStatements ?? true);
  }
  return openPglite(options.inMemory ? undefined : path.join(options.dataDir, 'pgdata'), options.inMemory?.from);
}
