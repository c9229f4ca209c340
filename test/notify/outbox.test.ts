// The outbox is written in the transaction of the change that causes the message.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { commitAndNotify, enqueue } from '../../src/notify/outbox.ts';
import { readMessage } from '../../src/notify/store.ts';
import { TemplateError } from '../../src/notify/templates.ts';
import { databaseKinds, openTestDatabase } from '../helpers/app.ts';
import type { DatabaseHandle } from '../../src/db/database.ts';

const count = async (handle: DatabaseHandle) =>
  Number((await sql<{ n: string }>`select count(*) as n from outbox`.execute(handle.db)).rows[0]?.n);

for (const kind of databaseKinds) {
  describe(`outbox (${kind})`, () => {
    let handle: DatabaseHandle;
    let close: () => Promise<void>;
    before(async () => ({ handle, close } = await openTestDatabase(kind)));
    after(() => close());

    test('a message enqueued in a committed transaction is stored pending, rendered, with its parameters', async () => {
      const id = await handle.db.transaction().execute((trx) =>
        enqueue(trx, { channel: 'sms', to: '+989121234567', template: 'verification.sms', locale: 'fa', params: { code: '123456' } }));
      const row = await readMessage(handle.db, id);
      assert.equal(row?.status, 'pending');
      assert.equal(row?.attempts, 0);
      assert.equal(row?.recipient, '+989121234567');
      assert.deepEqual(row?.params, { code: '123456' });
      assert.match(row?.text ?? '', /123456/);
      assert.equal(row?.subject, null);
    });

    test('a message enqueued in a rolled-back transaction does not exist', async () => {
      const before = await count(handle);
      await assert.rejects(handle.db.transaction().execute(async (trx) => {
        await enqueue(trx, { channel: 'email', to: 'a@example.org', template: 'verification.email', locale: 'he', params: { code: '654321' } });
        throw new Error('the change failed');
      }), /the change failed/);
      assert.equal(await count(handle), before);
    });

    test('a template error fails the causing transaction instead of a later send', async () => {
      const before = await count(handle);
      await assert.rejects(handle.db.transaction().execute(async (trx) => {
        await enqueue(trx, { channel: 'sms', to: '+989121234567', template: 'registration.done.sms', locale: 'fa', params: { code: '1' } as never });
      }), TemplateError);
      assert.equal(await count(handle), before);
    });

    test('a withheld message wakes the dispatchers as one to send does (the same work either way), after the commit', async () => {
      const heard: string[] = [];
      let listening!: () => void;
      const ready = new Promise<void>((resolve) => { listening = resolve; });
      const stop = await handle.listen('kelid_outbox', { message: () => heard.push('woken'), listening: (on) => { if (on) listening(); } });
      try {
        await ready;
        for (const withheld of [undefined, 'no_account']) {
          heard.length = 0;
          await handle.db.transaction().execute((trx) =>
            enqueue(trx, { channel: 'sms', to: '+989121234567', template: 'sign_in.code.sms', locale: 'fa', params: { code: '123456' } }, withheld));
          for (let i = 0; i < 200 && heard.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
          assert.deepEqual(heard, ['woken'], `withheld: ${withheld}`);
        }
      } finally {
        await stop();
      }
    });

    test('commitAndNotify wakes the dispatcher only after the commit', async () => {
      const seen: number[] = [];
      const notifier = { notify: () => { seen.push(-1); } };
      await commitAndNotify(handle.db, notifier, async (trx) => {
        await enqueue(trx, { channel: 'sms', to: '+989121234567', template: 'password.changed', locale: 'en', params: { name: 'A' } });
        seen.push(1);
      });
      assert.deepEqual(seen, [1, -1]);
      let woken = false;
      await assert.rejects(commitAndNotify(handle.db, { notify: () => { woken = true; } }, async () => { throw new Error('no'); }));
      assert.equal(woken, false);
    });
  });
}
