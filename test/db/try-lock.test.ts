// The database's lock for work one process at a time may do (housekeeping, a batch): taken
// without waiting, refused while held, free again once released or once its holder is gone.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.ts';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { housekeepingAlone } from '../../src/housekeeping.ts';
import { outboxNotifier } from '../../src/notify/outbox.ts';
import { databaseKinds, openTestDatabase, testClock } from '../helpers/app.ts';

for (const kind of databaseKinds) {
  describe(`tryLock (${kind})`, () => {
    let handle: DatabaseHandle;
    let close: () => Promise<void>;
    before(async () => ({ handle, close } = await openTestDatabase(kind)));
    after(() => close());

    test('a held name is refused to the next taker until released; other names are free', async () => {
      const release = await handle.tryLock('kelid test a');
      assert.ok(release);
      assert.equal(await handle.tryLock('kelid test a'), undefined);
      const other = await handle.tryLock('kelid test b');
      assert.ok(other);
      await other();
      await release();
      const again = await handle.tryLock('kelid test a');
      assert.ok(again, 'free once released');
      await again();
    });

    test('housekeeping is skipped while another process runs it, and runs once it is done', async () => {
      const deps = { db: handle.db, clock: testClock(), config: loadConfig({}), notifier: outboxNotifier({ profile: 'ir' }), tryLock: handle.tryLock };
      const running = await handle.tryLock('kelid housekeeping');
      assert.ok(running);
      assert.equal(await housekeepingAlone(deps), undefined);
      await running();
      assert.deepEqual(await housekeepingAlone(deps), { reminded: 0, deleted: 0 });
    });
  });
}

describe('tryLock (postgres): a holder that dies frees its lock', () => {
  let handle: DatabaseHandle;
  let close: () => Promise<void>;
  before(async () => ({ handle, close } = await openTestDatabase('postgres')));
  after(() => close());

  test('its connection ends (a crash, a killed process): the next taker gets the lock', async () => {
    const held = await handle.tryLock('kelid test crash');
    assert.ok(held);
    assert.equal(await handle.tryLock('kelid test crash'), undefined);
    // What a dead process leaves: its session gone, as when its connection closes.
    await sql`select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and pid <> pg_backend_pid() and database = (select oid from pg_database where datname = current_database())`.execute(handle.db);
    const taken = await handle.tryLock('kelid test crash');
    assert.ok(taken);
    await taken();
    await held(); // ending a connection already gone is harmless
  });
});
