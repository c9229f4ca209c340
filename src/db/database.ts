/**
 * The database: PostgreSQL through `pg` when DATABASE_URL is set, otherwise the embedded
 * PGlite (PostgreSQL compiled to WebAssembly) in `<dataDir>/pgdata`. One SQL dialect, one
 * set of migrations, one Kysely instance either way.
 */
import { mkdir, open, readFile, unlink } from 'node:fs/promises';
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

/** Another live process has the embedded database open (`pid`); opening it as well would lose or damage data. */
export class DatabaseInUseError extends Error {
  readonly directory: string;
  readonly pid: number;
  constructor(directory: string, pid: number) {
    super(`the embedded database ${directory} is in use by Kelid's process ${pid}. Stop that process first (Ctrl+C where \`npm start\` or \`npm run demo\` runs); while it runs, apps are managed in the admin console (/admin/clients) or the admin API (/api/v1/admin/clients).`);
    this.directory = directory;
    this.pid = pid;
  }
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * PGlite is one process's database: two processes writing the same folder each keep their own
 * copy in memory and lose each other's writes (a CLI command while the server runs). The folder
 * is taken with \`<folder>.lock\` (created exclusively, holding the pid), freed by \`release\`;
 * a lock whose process is gone (a crash) is taken over. Throws DatabaseInUseError.
 */
async function lockFolder(directory: string): Promise<{ release(): Promise<void> }> {
  const file = `${directory}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return { release: () => unlink(file).catch(() => undefined) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) throw new DatabaseInUseError(directory, pid);
      await unlink(file).catch(() => undefined);
    }
  }
  throw new DatabaseInUseError(directory, 0);
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
  const lock = directory !== undefined ? await lockFolder(directory) : undefined;
  const { PGlite } = await import('@electric-sql/pglite');
  const parsers = { [DATE_OID]: keepText, [INT8_OID]: keepText };
  const pglite = await (directory !== undefined
    ? PGlite.create(directory, { parsers })
    : PGlite.create({ parsers, ...(loadDataDir ? { loadDataDir } : {}) })).catch(async (error: unknown) => {
    await lock?.release();
    throw error;
  });
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
    async close() {
      await db.destroy();
      await lock?.release();
    },
  };
}
