// Prepared statements on PostgreSQL (src/db/database.ts prepared()): parsed once per
// connection, planned for the table as it is on every run, so a plan chosen while the table
// was small does not outlive its growth.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CompiledQuery, sql } from 'kysely';
import { openDatabase, prepared, type DatabaseHandle } from '../../src/db/database.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';

// The shape of the OIDC adapter's find by id (federation/adapter.ts): keys as arrays, joined.
const FIND = prepared(`select t.kind, t.id, t.payload from unnest($1::text[], $2::text[]) as k(kind, id)
  join prepared_rows t on t.kind = k.kind and t.id = k.id where t.expires_at > $3`);

describe('Prepared statements', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  before(async () => {
    database = await createTestDatabase();
    // One connection: every statement below meets the same prepared statement.
    handle = await openDatabase({ databaseUrl: database.url, dataDir: '', poolSize: 1 });
    await sql`create table prepared_rows (kind text, id text, payload jsonb not null, expires_at timestamptz, primary key (kind, id))`.execute(handle.db);
  });
  after(async () => {
    await handle.close();
    await database.drop();
  });

  const rows = (from: number, to: number) => sql`insert into prepared_rows
    select (array['Session', 'Grant'])[1 + g % 2], md5(g::text), '{"a": 1}', now() + interval '1 hour' from generate_series(${from}::int, ${to}::int) g`;

  test('a find first run on a small table looks rows up by index once the table has grown', async () => {
    await rows(1, 100).execute(handle.db);
    const find = (ids: string[]) => handle.db.executeQuery(CompiledQuery.raw(FIND, [ids.map(() => 'Session'), ids, new Date()]));
    // More runs than PostgreSQL's five custom plans before it may settle on a generic one.
    for (let run = 0; run < 10; run++) assert.equal((await find(['c81e728d9d4c2f636f067f89cc14862c', 'nothing'])).rows.length, 1);
    await rows(101, 50_000).execute(handle.db);

    const { rows: [statement] } = await sql<{ name: string }>`select name from pg_prepared_statements where statement = ${FIND}`.execute(handle.db);
    assert.ok(statement, 'run as a named prepared statement');
    const { rows: [explained] } = await sql<{ 'QUERY PLAN': unknown }>`explain (format json)
      execute ${sql.id(statement.name)}('{Session,Session}', '{a87ff679a2f3e71d9181a67b7542122c,nothing}', now())`.execute(handle.db);
    const plan = JSON.stringify(explained?.['QUERY PLAN']);
    assert.doesNotMatch(plan, /"Seq Scan"/, plan);
    assert.match(plan, /prepared_rows_pkey/, plan);
    assert.equal((await find(['a87ff679a2f3e71d9181a67b7542122c', 'nothing'])).rows.length, 1);
  });
});
