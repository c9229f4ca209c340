// The statements that find a token with its grant and session, and a session with its grants
// (src/federation/adapter.ts), run with a keyed connection's generic plan: made once while the
// provider's table was small, and kept as the table grows (a connection's plan outlives the
// sizes it was made for). They must still look each grant up by its key: in the exam-day
// benchmark the grant joined to the session was read by a plan that took every grant of the
// table (125–167 buffers a call at a few thousand rows; 47–61 for a token), now a subquery by key
// (10). This test plans on 40 grants and measures at 20,040; it does not reproduce that
// benchmark's statistics (the old statements pass it too). Planned on 5 rows, every find by
// key here reads the whole table (4,100–8,300 buffers at 20,000), old statements and new: that
// plan lasts until autovacuum's next ANALYZE (docs/decisions.md, keyed statements).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CompiledQuery, sql } from 'kysely';
import { FIND_SESSION, FIND_TOKEN, postgresAdapter } from '../../src/federation/adapter.ts';
import { openTestDatabase } from '../helpers/app.ts';
import { keyedPlan } from '../helpers/keyed-plan.ts';

describe('the provider’s finds with the grant, planned on a small table', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  before(async () => {
    database = await openTestDatabase('postgres');
    const Adapter = postgresAdapter(database.handle.db, async () => undefined);
    for (let n = 1; n <= 40; n++) await new Adapter('Grant').upsert(`g-${n}`, { accountId: 'a', kind: 'Grant' }, 3600);
    await new Adapter('Session').upsert('s-1', { uid: 'uid-1', accountId: 'a', authorizations: { 'exam-app': { grantId: 'g-7' } } }, 3600);
    await new Adapter('AccessToken').upsert('at-1', { grantId: 'g-7', sessionUid: 'uid-1' }, 3600);
    await sql`analyze oidc_models`.execute(database.handle.db);
  });
  after(() => database.close());

  // 20,000 grants more after the plan was made (and not analyzed: the plan stays the one made on 40).
  const grow = () => sql`insert into oidc_models (model, id, payload, expires_at)
    select 'Grant', 'g-more-' || n, '{"accountId": "a"}', now() + interval '1 hour' from generate_series(1, 20000) n
    on conflict do nothing`.execute(database.handle.db);

  test('a session is found with its grant by key, whatever the number of grants', async () => {
    const { plan, buffers } = await keyedPlan(database.url!, { sql: FIND_SESSION, parameters: [['Session'], ['s-1'], new Date()] }, grow);
    assert.ok(buffers < 40, `${buffers} buffers: ${plan}`);
  });

  test('a token is found with its grant and session by key, whatever the number of grants', async () => {
    const { plan, buffers } = await keyedPlan(database.url!, { sql: FIND_TOKEN, parameters: [['AccessToken'], ['at-1'], new Date()] }, grow);
    assert.ok(buffers < 40, `${buffers} buffers: ${plan}`);
  });

  test('and what they find is the grant the session signed in with', async () => {
    const { rows: [session] } = await database.handle.db.executeQuery<{ grants: Record<string, unknown> }>(CompiledQuery.raw(FIND_SESSION, [['Session'], ['s-1'], new Date()]));
    assert.deepEqual(Object.keys(session!.grants), ['g-7']);
  });
});
