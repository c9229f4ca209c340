/**
 * The embedded PGlite (PostgreSQL compiled to WebAssembly), in a data folder this process
 * locks, or in memory: one connection, one call at a time.
 */
import { mkdir } from 'node:fs/promises';
import { Kysely, PGliteDialect } from 'kysely';
import type { DatabaseHandle } from './handle.ts';
import { lockFolder } from './folder-lock.ts';
import { takingTurns } from './pglite-turns.ts';
import type { Database } from './schema.ts';
import { DATE_OID, INT8_OID, keepText } from './wire-types.ts';

export async function openPglite(directory: string | undefined, loadDataDir: Blob | undefined): Promise<DatabaseHandle> {
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
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite: takingTurns(pglite) }) });
  const locks = new Set<string>();
  return {
    db,
    kind: 'pglite',
    async tryLock(name) {
      if (locks.has(name)) return undefined;
      locks.add(name);
      return async () => { locks.delete(name); };
    },
    // One process, one connection: every NOTIFY is this process's own, heard after its commit.
    async listen(channel, listener) {
      const stop = await pglite.listen(channel, (payload) => listener.message(payload));
      listener.listening(true);
      return async () => { if (!pglite.closed) await stop(); };
    },
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
      // Kysely closes PGlite only if it ran a statement: one used only through withScriptSession
      // (`npm run kelid -- migrate`) would stay open, its timers keeping the process alive, after
      // the folder's lock was let go.
      if (!pglite.closed) await pglite.close();
      await lock?.release();
    },
  };
}
