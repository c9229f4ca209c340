// Migrations (src/db/migrate.ts): several processes starting at once on a new database apply
// each migration once, and no lock outlives the migration (a transaction-level lock, so it
// also holds through PgBouncer in transaction mode, where a session's lock would stay behind
// on a pooled server connection).
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';

describe('Migrations', () => {
  let database: TestDatabase;
  let handles: DatabaseHandle[];
  before(async () => {
    database = await createTestDatabase();
    handles = await Promise.all([1, 2, 3].map(() => openDatabase({ databaseUrl: database.url, dataDir: '', poolSize: 2 })));
  });
  after(async () => {
    await Promise.all(handles.map((handle) => handle.close()));
    await database.drop();
  });

  test('three processes migrating a new database at once apply each migration once, and leave no lock held', async () => {
    const files = readdirSync(new URL('../../src/db/migrations/', import.meta.url)).filter((name) => name.endsWith('.sql')).sort();
    const ran = await Promise.all(handles.map((handle) => migrate(handle)));
    assert.deepEqual(ran.flat().sort(), files, 'every file applied by exactly one of them');
    const { rows } = await sql<{ n: string }>`select count(*) as n from schema_migrations`.execute(handles[0]!.db);
    assert.equal(Number(rows[0]?.n), files.length);
    const locks = await sql<{ n: string }>`select count(*) as n from pg_locks where locktype = 'advisory'`.execute(handles[0]!.db);
    assert.equal(Number(locks.rows[0]?.n), 0);
    assert.deepEqual(await migrate(handles[1]!), [], 'nothing left to apply');
  });

  test('a handle that only migrated closes its connections: `npm run kelid -- migrate` exits at once, not after the idle timeout', async () => {
    const handle = await openDatabase({ databaseUrl: database.url, dataDir: '', poolSize: 2 });
    await migrate(handle);
    assert.equal(handle.poolUse!().total, 1, 'the migration held one connection, idle in the pool now');
    await handle.close();
    assert.equal(handle.poolUse!().total, 0, 'no connection is left to keep the process alive');
  });
});
