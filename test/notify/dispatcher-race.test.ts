// Several processes: two dispatchers with their own connection pools on one PostgreSQL
// database race for the same messages; FOR UPDATE SKIP LOCKED gives each message to one.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { startDispatcher, type Dispatcher } from '../../src/notify/dispatcher.ts';
import { enqueue } from '../../src/notify/outbox.ts';
import { testClock } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { recorder, silentLog } from './recorder.ts';

let database: TestDatabase;
let first: DatabaseHandle;
let second: DatabaseHandle;

before(async () => {
  database = await createTestDatabase();
  first = await openDatabase({ databaseUrl: database.url, dataDir: '', poolSize: 4 });
  second = await openDatabase({ databaseUrl: database.url, dataDir: '', poolSize: 4 });
  await migrate(first);
});
after(async () => {
  await first.close();
  await second.close();
  await database.drop();
});

async function drain(dispatcher: Dispatcher): Promise<void> {
  while ((await dispatcher.runOnce()) > 0) { /* until nothing is due */ }
}

test('two dispatchers racing on PostgreSQL send every message exactly once', async () => {
  const total = 300;
  const ids = new Set<string>();
  for (let batch = 0; batch < total / 50; batch++) {
    await first.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 50; i++) {
        ids.add(await enqueue(trx, { channel: 'sms', to: `+98912${String(batch * 50 + i).padStart(7, '0')}`, template: 'verification.sms', locale: 'fa', params: { code: '123456' } }));
      }
    });
  }
  const a = recorder('a', 2);
  const b = recorder('b', 2);
  const clock = testClock();
  const one = startDispatcher({ db: first.db, channels: a.channels, clock, log: silentLog, pollMs: 0, batchSize: 10 });
  const two = startDispatcher({ db: second.db, channels: b.channels, clock, log: silentLog, pollMs: 0, batchSize: 10 });
  await Promise.all([drain(one), drain(two), drain(one), drain(two)]);
  await Promise.all([one.stop(), two.stop()]);

  const sent = [...a.sent, ...b.sent].map((message) => message.id);
  assert.equal(sent.length, total, 'no message sent twice, none left out');
  assert.deepEqual(new Set(sent), ids);
  assert.ok(a.sent.length > 0 && b.sent.length > 0, `both took part (${a.sent.length} / ${b.sent.length})`);
  const statuses = await first.db.withTables<{ outbox: { status: string } }>().selectFrom('outbox').select('status').distinct().execute();
  assert.deepEqual(statuses.map((row) => row.status), ['sent']);
});
