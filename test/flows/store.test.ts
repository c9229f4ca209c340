// Flow rows: expiry, the browser binding, two tabs at once, clean-up.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createFlow, deleteOldFlows, loadFlow, saveFlow } from '../../src/flows/store.ts';
import { databaseKinds, openTestDatabase } from '../helpers/app.ts';

for (const kind of databaseKinds) {
  describe(`flow store on ${kind}`, () => {
    let database: Awaited<ReturnType<typeof openTestDatabase>>;
    before(async () => { database = await openTestDatabase(kind); });
    after(() => database.close());
    const now = new Date('2025-11-20T08:00:00Z');
    const inAnHour = new Date(now.getTime() + 3_600_000);

    test('a page flow opens only in the browser that started it; another answers like a missing one', async () => {
      const flow = await createFlow(database.handle.db, { kind: 'registration', state: 'rules', data: { a: 1 }, expiresAt: inAnHour, binding: 'browser-one-secret' });
      const mine = await loadFlow(database.handle.db, flow.id, { binding: 'browser-one-secret', now });
      assert.equal(typeof mine === 'object' && mine.state, 'rules');
      assert.equal(await loadFlow(database.handle.db, flow.id, { binding: 'browser-two-secret', now }), 'flow.not_found');
      assert.equal(await loadFlow(database.handle.db, flow.id, { binding: null, now }), 'flow.not_found');
      assert.equal(await loadFlow(database.handle.db, '00000000-0000-4000-8000-000000000000', { binding: null, now }), 'flow.not_found');
      assert.equal(await loadFlow(database.handle.db, "1' or '1'='1", { binding: null, now }), 'flow.not_found');
    });

    test('an expired flow is refused as expired, then removed a day later', async () => {
      const flow = await createFlow(database.handle.db, { kind: 'registration', state: 'rules', data: {}, expiresAt: inAnHour, binding: null });
      assert.equal(await loadFlow(database.handle.db, flow.id, { binding: null, now: inAnHour }), 'flow.expired');
      await deleteOldFlows(database.handle.db, new Date(inAnHour.getTime() + 86_400_000 + 1000));
      assert.equal(await loadFlow(database.handle.db, flow.id, { binding: null, now }), 'flow.not_found');
    });

    test('of two tabs submitting the same step, only the first wins', async () => {
      const flow = await createFlow(database.handle.db, { kind: 'registration', state: 'rules', data: {}, expiresAt: inAnHour, binding: null });
      const [one, two] = await Promise.all([
        saveFlow(database.handle.db, flow, { state: 'details', data: { tab: 1 } }, now),
        saveFlow(database.handle.db, flow, { state: 'details', data: { tab: 2 } }, now),
      ]);
      assert.deepEqual([one, two].filter((r) => r === 'flow.changed').length, 1);
      const stored = await loadFlow(database.handle.db, flow.id, { binding: null, now });
      assert.equal(typeof stored === 'object' && stored.version, 1);
    });
  });
}
