import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { createTestDatabase } from '../helpers/postgres.ts';
import type { TestDatabase } from '../helpers/postgres.ts';

let first: TestDatabase;
let second: TestDatabase;

before(async () => {
  [first, second] = await Promise.all([createTestDatabase(), createTestDatabase()]);
});

after(async () => {
  await Promise.all([first?.drop(), second?.drop()]);
});

async function query<R extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

test('test databases are UTF-8 (and PostgreSQL 18 unless DATABASE_URL is used)', async () => {
  const [row] = await query<{ version: string; encoding: string }>(
    first.url,
    "select current_setting('server_version_num') as version, pg_encoding_to_char(encoding) as encoding from pg_database where datname = current_database()",
  );
  assert.ok(row);
  if (!process.env['DATABASE_URL']) {
    assert.ok(Number(row.version) >= 180000, `server_version_num ${row.version}`);
  }
  assert.equal(row.encoding, 'UTF8');
});

test('each test database is separate', async () => {
  assert.notEqual(first.url, second.url);
  await query(first.url, 'create table only_in_first (id int primary key, name text not null)');
  await query(first.url, 'insert into only_in_first values (1, $1)', ['کلید']);

  const inFirst = await query<{ name: string }>(first.url, 'select name from only_in_first');
  assert.deepEqual(inFirst, [{ name: 'کلید' }]);

  const inSecond = await query<{ exists: string | null }>(second.url, "select to_regclass('public.only_in_first') as exists");
  assert.deepEqual(inSecond, [{ exists: null }]);
});

test('drop() removes the database and can be called twice', async () => {
  const db = await createTestDatabase();
  const name = new URL(db.url).pathname.slice(1);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect(); // drop() must not be blocked by an open connection
  client.on('error', () => {}); // it gets terminated by the drop
  await db.drop();
  await db.drop();
  await client.end().catch(() => {});
  const rows = await query(first.url, 'select 1 from pg_database where datname = $1', [name]);
  assert.equal(rows.length, 0);
});
