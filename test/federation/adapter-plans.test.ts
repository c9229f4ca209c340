// The provider's statements (src/federation/adapter.ts) run with a keyed connection's generic
// plan: made once, at a connection's first use, and kept as the table grows (a connection's plan
// outlives the sizes it was made for; autovacuum's next ANALYZE replaces it, 50 rows later).
// Made here while the table had four rows (a fresh install's first sign-in), then measured at
// 20,004: each must still find its rows by their keys. As joins with the keys' arrays, every one
// of these read the whole table there (thousands of buffers), and the exam-day benchmark saw the
// grants joined to a token or a session read whole at a few thousand rows (47–61 and 125–167
// buffers a call).
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { CompiledQuery, sql } from 'kysely';
import { CONSUME, FIND_BY_ID, FIND_SESSION, FIND_TOKEN, postgresAdapter } from '../../src/federation/adapter.ts';
import { openTestDatabase } from '../helpers/app.ts';
import { keyedPlan } from '../helpers/keyed-plan.ts';

describe('the provider’s statements, planned on a small table', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  before(async () => {
    database = await openTestDatabase('postgres');
    const Adapter = postgresAdapter(database.handle.db, async () => undefined);
    await new Adapter('Grant').upsert('g-1', { accountId: 'a', kind: 'Grant' }, 3600);
    await new Adapter('Session').upsert('s-1', { uid: 'uid-1', accountId: 'a', authorizations: { 'exam-app': { grantId: 'g-1' } } }, 3600);
    await new Adapter('AccessToken').upsert('at-1', { grantId: 'g-1', sessionUid: 'uid-1' }, 3600);
    await new Adapter('AuthorizationCode').upsert('code-1', { grantId: 'g-1' }, 3600);
    await sql`analyze oidc_models`.execute(database.handle.db);
  });
  after(() => database.close());

  // 20,000 rows more after the plan was made, of every model measured (and not analyzed: the plan
  // stays the one made on four rows).
  const grow = () => sql`insert into oidc_models (model, id, payload, expires_at)
    select (array['Grant', 'Session', 'AccessToken', 'AuthorizationCode'])[1 + n % 4], 'g-more-' || n, '{"accountId": "a"}', now() + interval '1 hour'
    from generate_series(1, 20000) n
    on conflict do nothing`.execute(database.handle.db);
  // And back to the small table for the next statement's plan.
  afterEach(async () => {
    await sql`delete from oidc_models where id like 'g-more-%'`.execute(database.handle.db);
    await sql`vacuum analyze oidc_models`.execute(database.handle.db);
  });

  test('a session is found with its grant by key, whatever the number of grants', async () => {
    const { plan, buffers } = await keyedPlan(database.url!, { sql: FIND_SESSION, parameters: [['Session'], ['s-1'], new Date()] }, grow);
    assert.ok(buffers < 40, `${buffers} buffers: ${plan}`);
  });

  test('a token is found with its grant and session by key, whatever the number of grants', async () => {
    const { plan, buffers } = await keyedPlan(database.url!, { sql: FIND_TOKEN, parameters: [['AccessToken'], ['at-1'], new Date()] }, grow);
    assert.ok(buffers < 40, `${buffers} buffers: ${plan}`);
  });

  test('a model is found by its key, whatever the number of rows', async () => {
    const { plan, buffers } = await keyedPlan(database.url!, { sql: FIND_BY_ID, parameters: [['Grant', 'Grant'], ['g-1', 'nothing'], new Date()] }, grow);
    assert.ok(buffers < 40, `${buffers} buffers: ${plan}`);
  });

  test('a code is spent by its key, whatever the number of rows', async () => {
    const { plan, buffers } = await keyedPlan(database.url!, { sql: CONSUME, parameters: [['AuthorizationCode'], ['code-1'], new Date()] }, grow);
    assert.ok(buffers < 40, `${buffers} buffers: ${plan}`);
  });

  test('and what they find is the grant the session signed in with', async () => {
    const { rows: [session] } = await database.handle.db.executeQuery<{ grants: Record<string, unknown> }>(CompiledQuery.raw(FIND_SESSION, [['Session'], ['s-1'], new Date()]));
    assert.deepEqual(Object.keys(session!.grants), ['g-1']);
  });
});
