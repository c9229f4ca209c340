// The outbox's LISTEN connection says when it cannot be heard: a wrong KELID_DATABASE_LISTEN_URL
// (nothing listening there) is reported at start, a connection the server cuts is reported lost
// and then heard again once it is back; a good one says nothing. Real PostgreSQL, real NOTIFY.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import type { Dispatcher } from '../../src/notify/dispatcher.ts';
import { OUTBOX_CHANNEL, outboxWakeUp } from '../../src/notify/wake-up.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';

/** A dispatcher that counts its wake-ups (the real one would claim messages). */
function countingDispatcher() {
  const woken = { notify: 0, committed: 0 };
  const dispatcher: Dispatcher = {
    notify: () => { woken.notify++; }, notifyCommitted: () => { woken.committed++; },
    runOnce: async () => 0, stop: async () => {},
  };
  return { dispatcher, woken };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  assert.ok(condition(), what);
}

/** An address where nothing accepts connections: a port taken and released. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `postgres://kelid:nothing@127.0.0.1:${port}/kelid`;
}

describe('the outbox wake-up reports its LISTEN connection', () => {
  let database: TestDatabase;
  const handles: DatabaseHandle[] = [];
  const open = async (listenUrl: string) => {
    const handle = await openDatabase({ databaseUrl: database.url, dataDir: '', poolSize: 2, listenUrl });
    handles.push(handle);
    return handle;
  };
  before(async () => {
    database = await createTestDatabase();
    const handle = await open(database.url);
    await migrate(handle);
  });
  after(async () => {
    for (const handle of handles) await handle.close();
    await database.drop();
  });

  test('nothing at the listen address: "not heard" once at start, and wake-ups go in-process', async () => {
    const handle = await open(await closedPortUrl());
    const { dispatcher, woken } = countingDispatcher();
    const said: string[] = [];
    const wakeUp = await outboxWakeUp(dispatcher, handle.listen, (state) => said.push(state));
    try {
      assert.deepEqual(said, ['not heard']);
      await new Promise((resolve) => setTimeout(resolve, 2500));
      assert.deepEqual(said, ['not heard'], 'the retries every second are not reported again');
      wakeUp.wake.notify();
      assert.equal(woken.notify, 1, 'not heard: the in-process wake is passed on');
    } finally {
      await wakeUp.stop();
    }
  });

  test('a good address says nothing; a connection cut is "lost", then "heard" when it is back, and a NOTIFY wakes the dispatcher', async () => {
    const handle = handles[0]!;
    const { dispatcher, woken } = countingDispatcher();
    const said: string[] = [];
    const wakeUp = await outboxWakeUp(dispatcher, handle.listen, (state) => said.push(state));
    try {
      assert.deepEqual(said, []);
      wakeUp.wake.notify();
      assert.equal(woken.notify, 0, 'heard: the database wakes every process instead');
      const listeners = async () => (await sql<{ pid: number }>`select pid from pg_stat_activity where query = ${`listen "${OUTBOX_CHANNEL}"`}`.execute(handle.db)).rows;
      const [listener] = await listeners();
      assert.ok(listener, 'one connection listens');
      await sql`select pg_terminate_backend(${listener.pid})`.execute(handle.db);
      await until(() => said.length >= 2, `lost, then heard again: ${said.join(', ')}`);
      assert.deepEqual(said, ['lost', 'heard']);
      const before = woken.committed;
      await sql`select pg_notify(${OUTBOX_CHANNEL}, '')`.execute(handle.db);
      await until(() => woken.committed > before, 'a NOTIFY after the reconnection is heard');
    } finally {
      await wakeUp.stop();
    }
  });
});
