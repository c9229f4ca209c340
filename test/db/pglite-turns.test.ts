// The embedded database takes turns with everything else (src/db/pglite-turns.ts): PGlite runs
// on the JavaScript thread, and a long run of statements used to keep timers and I/O waiting
// until it ended (a renewal of a school's appointments held every sign-in for seconds).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.ts';

describe('the embedded database takes turns', () => {
  let handle: DatabaseHandle;
  before(async () => { handle = await openDatabase({ databaseUrl: undefined, dataDir: '', poolSize: 1, inMemory: {} }); });
  after(() => handle.close());

  /** Runs `work` and answers when a timer set just before it fired, in statements done by then (-1: only after the work). */
  async function timerDuring(work: (done: () => number) => Promise<void>): Promise<{ firedAfter: number; total: number }> {
    let count = 0;
    let firedAfter = -1;
    const timer = setTimeout(() => { firedAfter = count; }, 1);
    await work(() => ++count);
    clearTimeout(timer);
    return { firedAfter, total: count };
  }

  test('a timer fires while a long run of statements goes on, and every statement still answers rightly', async () => {
    const { firedAfter, total } = await timerDuring(async (done) => {
      for (let i = 0; i < 2_000; i++) {
        const { rows } = await sql<{ n: number }>`select ${i}::int + 1 as n`.execute(handle.db);
        assert.equal(rows[0]?.n, i + 1);
        done();
      }
    });
    assert.ok(firedAfter >= 0 && firedAfter < total, `the timer fired after ${firedAfter} of ${total} statements`);
  });

  test('inside one long transaction as well; its writes are all there after it', async () => {
    await sql`create temporary table turns (n int)`.execute(handle.db);
    const { firedAfter, total } = await timerDuring(async (done) => {
      await handle.db.transaction().execute(async (trx) => {
        for (let i = 0; i < 1_000; i++) {
          await sql`insert into turns values (${i})`.execute(trx);
          done();
        }
      });
    });
    assert.ok(firedAfter >= 0 && firedAfter < total, `the timer fired after ${firedAfter} of ${total} statements`);
    const { rows } = await sql<{ count: string }>`select count(*)::text as count from turns`.execute(handle.db);
    assert.equal(rows[0]?.count, '1000');
  });

  test('a request to a server in the same process is answered during the run, not after it', async () => {
    const server = createServer((_request, response) => response.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    let running = true;
    let statements = 0;
    const run = (async () => {
      while (running && statements < 20_000) {
        await sql`select 1`.execute(handle.db);
        statements++;
      }
    })();
    try {
      const answer = await fetch(`http://127.0.0.1:${port}/`);
      assert.equal(await answer.text(), 'ok');
      assert.ok(statements < 20_000, 'answered before the run had to end');
    } finally {
      running = false;
      await run;
      server.close();
    }
  });
});
