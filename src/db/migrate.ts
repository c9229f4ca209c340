/**
 * Plain SQL migrations, applied in file-name order, each in its own transaction, once.
 * An advisory lock keeps several starting processes from migrating at the same time. It is
 * taken per transaction (pg_advisory_xact_lock), never per session: through PgBouncer in
 * transaction mode a session lock lands on one server connection and its unlock on another,
 * so it stays held on a pooled connection and the next process to migrate waits forever.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DatabaseHandle } from './database.ts';

const directory = path.join(import.meta.dirname, 'migrations');
const LOCK_KEY = 4_242_001;

export async function migrate(handle: DatabaseHandle): Promise<string[]> {
  const files = (await readdir(directory)).filter((name) => name.endsWith('.sql')).sort();
  for (const name of files) if (!/^[\w.-]+$/.test(name)) throw new Error(`unexpected migration file name ${name}`);
  return handle.withScriptSession(async (session) => {
    const locked = async (work: () => Promise<void>) => {
      await session.script(`begin; select pg_advisory_xact_lock(${LOCK_KEY})`);
      try {
        await work();
        await session.script('commit');
      } catch (error) {
        await session.script('rollback').catch(() => {});
        throw error;
      }
    };
    await locked(() => session.script(`create table if not exists schema_migrations (
      name text primary key, applied_at timestamptz not null default now())`));
    const applied = new Set((await session.rows<{ name: string }>('select name from schema_migrations')).map((row) => row.name));
    const ran: string[] = [];
    for (const name of files.filter((file) => !applied.has(file))) {
      const text = await readFile(path.join(directory, name), 'utf8');
      await locked(async () => {
        // Another process may have applied it since the list was read: look again under the lock.
        if ((await session.rows(`select 1 from schema_migrations where name = '${name}'`)).length > 0) return;
        await session.script(`${text}\n;insert into schema_migrations (name) values ('${name}')`);
        ran.push(name);
      });
    }
    return ran;
  });
}
