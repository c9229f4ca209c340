/**
 * Plain SQL migrations, applied in file-name order, each in its own transaction, once.
 * An advisory lock keeps several starting processes from migrating at the same time.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DatabaseHandle } from './database.ts';

const directory = path.join(import.meta.dirname, 'migrations');
const LOCK_KEY = 4_242_001;

export async function migrate(handle: DatabaseHandle): Promise<string[]> {
  const files = (await readdir(directory)).filter((name) => name.endsWith('.sql')).sort();
  return handle.withScriptSession(async (session) => {
    await session.script(`select pg_advisory_lock(${LOCK_KEY})`);
    try {
      await session.script(`create table if not exists schema_migrations (
        name text primary key, applied_at timestamptz not null default now())`);
      const applied = new Set((await session.rows<{ name: string }>('select name from schema_migrations')).map((row) => row.name));
      const ran: string[] = [];
      for (const name of files.filter((file) => !applied.has(file))) {
        const text = await readFile(path.join(directory, name), 'utf8');
        if (!/^[\w.-]+$/.test(name)) throw new Error(`unexpected migration file name ${name}`);
        try {
          await session.script(`begin;\n${text}\n;insert into schema_migrations (name) values ('${name}');\ncommit;`);
        } catch (error) {
          await session.script('rollback').catch(() => {});
          throw error;
        }
        ran.push(name);
      }
      return ran;
    } finally {
      await session.script(`select pg_advisory_unlock(${LOCK_KEY})`);
    }
  });
}
