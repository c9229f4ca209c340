// Keyed statements on PostgreSQL (src/db/keyed.ts keyed(), run by src/db/postgres.ts): run by name on connections of
// their own, planned once with a generic plan that may only use indexes, so a plan made while
// the table was small still finds rows by index once the table has grown; everything else is
// planned for its parameters on the general connections, as before.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createHash } from 'node:crypto';
import { CompiledQuery, sql, type Kysely } from 'kysely';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.ts';
import { keyed, keyedQuery } from '../../src/db/keyed.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';

const md5 = (n: number) => createHash('md5').update(String(n)).digest('hex');

// The shape of the OIDC adapter's find by id (federation/adapter.ts): keys as arrays, joined.
const FIND = keyed(`select t.kind, t.id, t.payload from unnest($1::text[], $2::text[]) as k(kind, id)
  join keyed_rows t on t.kind = k.kind and t.id = k.id where t.expires_at > $3`);

describe('Keyed statements', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  before(async () => {
    database = await createTestDatabase();
    // One connection in each pool: every keyed statement below meets the same session.
    handle = await openDatabase({ databaseUrl: database.url, dataDir: '', poolSize: 1 });
    await sql`create table keyed_rows (kind text, id text, payload jsonb not null, expires_at timestamptz, primary key (kind, id))`.execute(handle.db);
  });
  after(async () => {
    await handle.close();
    await database.drop();
  });

  const rows = (from: number, to: number) => sql`insert into keyed_rows
    select (array['Session', 'Grant'])[1 + g % 2], md5(g::text), '{"a": 1}', now() + interval '1 hour' from generate_series(${from}::int, ${to}::int) g`;
  const onKeyed = <T>(text: string, parameters: unknown[] = []) => handle.db.executeQuery<T>(CompiledQuery.raw(keyed(text), parameters));

  test('a find first run on a small table is planned once, and looks rows up by index once the table has grown', async () => {
    await rows(1, 100).execute(handle.db);
    const find = (ids: string[]) => handle.db.executeQuery(CompiledQuery.raw(FIND, [ids.map(() => 'Session'), ids, new Date()]));
    for (let run = 0; run < 10; run++) assert.equal((await find(['c81e728d9d4c2f636f067f89cc14862c', 'nothing'])).rows.length, 1);
    await rows(101, 50_000).execute(handle.db);
    assert.equal((await find(['a87ff679a2f3e71d9181a67b7542122c', 'nothing'])).rows.length, 1);

    const { rows: [statement] } = await onKeyed<{ name: string; generic_plans: string; custom_plans: string }>(
      'select name, generic_plans, custom_plans from pg_prepared_statements where statement = $1', [FIND]);
    assert.ok(statement, 'run by name on the keyed connection');
    assert.equal(Number(statement.custom_plans), 0, 'never planned for its parameters');
    assert.ok(Number(statement.generic_plans) >= 11, `planned once and reused: ${JSON.stringify(statement)}`);
    const { rows: [explained] } = await onKeyed<{ 'QUERY PLAN': unknown }>(
      `explain (format json) execute ${statement.name}('{Session,Session}', '{a87ff679a2f3e71d9181a67b7542122c,nothing}', now())`);
    const plan = JSON.stringify(explained?.['QUERY PLAN']);
    assert.doesNotMatch(plan, /"Seq Scan"|"Hash Join"/, plan);
    assert.match(plan, /keyed_rows_pkey/, plan);
  });

  test('other statements keep the general connections, planned for their parameters (a seq scan where it pays)', async () => {
    const { rows: [explained] } = await sql<{ 'QUERY PLAN': unknown }>`explain (format json) select count(*) from keyed_rows where payload->>'a' = '1'`.execute(handle.db);
    assert.match(JSON.stringify(explained?.['QUERY PLAN']), /"Seq Scan"/);
    const { rows: [named] } = await sql<{ n: string }>`select count(*) as n from pg_prepared_statements`.execute(handle.db);
    assert.equal(Number(named?.n), 0, 'no named statement on the general connection');
  });

  test('a new keyed connection has its planner settings before its first statement, several opened at once', async () => {
    const fresh = await openDatabase({ databaseUrl: database.url, dataDir: '', poolSize: 3 });
    try {
      const shown = await Promise.all(Array.from({ length: 3 }, () =>
        fresh.db.executeQuery<{ plan_cache_mode: string; seq: string }>(CompiledQuery.raw(keyed(
          `select current_setting('plan_cache_mode') as plan_cache_mode, current_setting('enable_seqscan') as seq, pg_sleep(0.05)`)))));
      for (const { rows: [row] } of shown) assert.deepEqual(row && { ...row }, { plan_cache_mode: 'force_generic_plan', seq: 'off', pg_sleep: '' });
      assert.equal(fresh.poolUse?.().total, 3, 'three keyed connections opened for the three at once');
    } finally {
      await fresh.close();
    }
  });

  test('a keyed statement inside a transaction runs on the transaction\'s connection', async () => {
    const found = await handle.db.transaction().execute(async (trx) => {
      await sql`insert into keyed_rows values ('Grant', 'in-transaction', '{}', now() + interval '1 hour')`.execute(trx);
      return trx.executeQuery(CompiledQuery.raw(FIND, [['Grant'], ['in-transaction'], new Date()]));
    });
    assert.equal(found.rows.length, 1, 'sees the transaction\'s own row');
  });

  test('a query built with Kysely and marked by keyedQuery runs by name on a keyed connection, with its parameters', async () => {
    const db = handle.db as unknown as Kysely<{ keyed_rows: { kind: string; id: string; payload: unknown; expires_at: Date } }>;
    const find = (id: string) => handle.db.executeQuery(keyedQuery(db.selectFrom('keyed_rows').select(['kind', 'id']).where('kind', '=', 'Grant').where('id', '=', id)));
    assert.deepEqual((await find(md5(1))).rows, [{ kind: 'Grant', id: md5(1) }]);
    assert.deepEqual((await find('nothing')).rows, []);
    const text = keyedQuery(db.selectFrom('keyed_rows').select(['kind', 'id']).where('kind', '=', 'Grant').where('id', '=', 'x')).sql;
    const { rows: [statement] } = await onKeyed<{ generic_plans: string }>('select generic_plans from pg_prepared_statements where statement = $1', [text]);
    assert.ok(statement && Number(statement.generic_plans) >= 2, `prepared on the keyed connection and reused: ${JSON.stringify(statement)}`);
  });
});
