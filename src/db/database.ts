/**
 * The database: PostgreSQL through `pg` when DATABASE_URL is set, otherwise the embedded
 * PGlite (PostgreSQL compiled to WebAssembly) in `<dataDir>/pgdata`. One SQL dialect, one
 * set of migrations, one Kysely instance either way.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;
/** A raw session for multi-statement scripts (migrations): Kysely's drivers send one statement at a time. */
export type ScriptSession = {
  script(text: string): Promise<void>;
  rows<T>(text: string): Promise<T[]>;
};
export type DatabaseHandle = {
  db: Db;
  kind: 'postgres' | 'pglite';
  withScriptSession<T>(work: (session: ScriptSession) => Promise<T>): Promise<T>;
  /** PGlite only: the whole data folder as a tarball (backups; test templates). */
  dump?: () => Promise<Blob>;
  close(): Promise<void>;
};

const DATE_OID = 1082;
const INT8_OID = 20;
// Dates stay 'YYYY-MM-DD' strings: a JavaScript Date would shift them by the server's time zone.
const keepText = (value: string) => value;

export type OpenOptions = {
  databaseUrl: string | undefined;
  dataDir: string;
  poolSize: number;
  /** PGlite only: keep the database in memory, optionally starting from a dumped data folder (tests use a migrated template). */
  inMemory?: { from?: Blob };
};

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl !== undefined) return openPostgres(options.databaseUrl, options.poolSize);
  return openPglite(options.inMemory ? undefined : path.join(options.dataDir, 'pgdata'), options.inMemory?.from);
}

function openPostgres(connectionString: string, max: number): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString,
    max,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === DATE_OID || oid === INT8_OID ? keepText : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client that loses its connection must not crash the process.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'postgres',
    async withScriptSession(work) {
      const client = await pool.connect();
      try {
        return await work({
          async script(text) { await client.query(text); },
          async rows<T>(text: string) { return (await client.query(text)).rows as T[]; },
        });
      } finally {
        client.release();
      }
    },
    close: () => db.destroy(),
  };
}

async function openPglite(directory: string | undefined, loadDataDir: Blob | undefined): Promise<DatabaseHandle> {
  if (directory !== undefined) await mkdir(directory, { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  const parsers = { [DATE_OID]: keepText, [INT8_OID]: keepText };
  const pglite = directory !== undefined
    ? await PGlite.create(directory, { parsers })
    : await PGlite.create({ parsers, ...(loadDataDir ? { loadDataDir } : {}) });
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  return {
    db,
    kind: 'pglite',
    dump: async () => pglite.dumpDataDir('none'),
    // PGlite has a single connection and runs one call at a time, so a script session is just that connection.
    async withScriptSession(work) {
      return work({
        async script(text) { await pglite.exec(text); },
        async rows<T>(text: string) { return (await pglite.query<T>(text)).rows; },
      });
    },
    close: () => db.destroy(),
  };
}
