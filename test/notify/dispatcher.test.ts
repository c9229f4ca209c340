// The dispatcher: after commit, once, with retries and backoff, and safe across a crash.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { webhookChannel } from '../../src/notify/channels/webhook.ts';
import { devChannel } from '../../src/notify/channels/dev.ts';
import { retryDelayMs, startDispatcher } from '../../src/notify/dispatcher.ts';
import { commitAndNotify, enqueue, outboxNotifier } from '../../src/notify/outbox.ts';
import { TemplateError } from '../../src/notify/templates.ts';
import { claimDue, readMessage } from '../../src/notify/store.ts';
import { databaseKinds, openTestDatabase, testClock } from '../helpers/app.ts';
import { startProviderServer } from './provider-server.ts';
import { recorder, silentLog, until } from './recorder.ts';

const code = (db: DatabaseHandle['db'], n = '123456') =>
  enqueue(db, { channel: 'sms', to: '+989121234567', template: 'verification.sms', locale: 'fa', params: { code: n } });

test('backoff doubles from the base and stops at the cap', () => {
  const policy = { maxAttempts: 8, baseMs: 10_000, maxMs: 60_000 };
  assert.deepEqual([1, 2, 3, 4, 5].map((attempt) => retryDelayMs(attempt, policy)), [10_000, 20_000, 40_000, 60_000, 60_000]);
});

for (const kind of databaseKinds) {
  describe(`dispatcher (${kind})`, () => {
    let handle: DatabaseHandle;
    let close: () => Promise<void>;
    before(async () => ({ handle, close } = await openTestDatabase(kind)));
    after(() => close());
    beforeEach(async () => { await sql`delete from outbox`.execute(handle.db); });

    test('sends each committed message once and records the provider id', async () => {
      const { sent, channels } = recorder();
      const dispatcher = startDispatcher({ db: handle.db, channels, clock: testClock(), log: silentLog, pollMs: 0 });
      const ids = [await code(handle.db, '111111'), await code(handle.db, '222222')];
      assert.equal(await dispatcher.runOnce(), 2);
      assert.equal(await dispatcher.runOnce(), 0);
      await dispatcher.stop();
      assert.deepEqual(sent.map((message) => message.id).sort(), [...ids].sort());
      const row = await readMessage(handle.db, ids[0]!);
      assert.equal(row?.status, 'sent');
      assert.equal(row?.provider_message_id, `provider-${ids[0]}`);
      assert.ok(row?.sent_at instanceof Date);
    });

    test('a real provider gets the code, then the database forgets it; the dev channel keeps it for the dev outbox', async () => {
      const real = startDispatcher({ db: handle.db, channels: recorder('kavenegar').channels, clock: testClock(), log: silentLog, pollMs: 0 });
      const erased = await code(handle.db, '314159');
      await real.runOnce();
      const row = await readMessage(handle.db, erased);
      assert.deepEqual(row?.params, {});
      assert.doesNotMatch(row?.text ?? '', /314159/);
      const dev = devChannel();
      const shown = startDispatcher({ db: handle.db, channels: { sms: dev, voice: dev, email: dev }, clock: testClock(), log: silentLog, pollMs: 0 });
      const kept = await code(handle.db, '271828');
      await shown.runOnce();
      assert.match((await readMessage(handle.db, kept))?.text ?? '', /271828/);
      await real.stop();
      await shown.stop();
    });

    test('a provider answering 500 is retried with exponential backoff, then the message fails', async () => {
      const provider = await startProviderServer(() => ({ status: 500, json: { error: 'down' } }));
      const clock = testClock();
      const channel = webhookChannel({ url: `${provider.url}/send`, secret: 'w'.repeat(32), clock });
      const dispatcher = startDispatcher({
        db: handle.db, channels: { sms: channel, voice: channel, email: channel }, clock, log: silentLog, pollMs: 0,
        retry: { maxAttempts: 3, baseMs: 1000, maxMs: 60_000 },
      });
      const id = await code(handle.db);
      assert.equal(await dispatcher.runOnce(), 1);
      let row = await readMessage(handle.db, id);
      assert.equal(row?.status, 'pending');
      assert.equal(row?.attempts, 1);
      assert.equal(row?.next_attempt_at.getTime(), clock.now().getTime() + 1000);
      assert.match(row?.last_error ?? '', /webhook 500/);
      assert.equal(await dispatcher.runOnce(), 0, 'not due before its backoff');
      clock.advance(1000);
      assert.equal(await dispatcher.runOnce(), 1);
      row = await readMessage(handle.db, id);
      assert.equal(row?.next_attempt_at.getTime(), clock.now().getTime() + 2000, 'the delay doubles');
      clock.advance(2000);
      assert.equal(await dispatcher.runOnce(), 1);
      row = await readMessage(handle.db, id);
      assert.equal(row?.status, 'failed');
      assert.equal(row?.attempts, 3);
      clock.advance(3_600_000);
      assert.equal(await dispatcher.runOnce(), 0, 'failed is final');
      assert.equal(provider.requests.length, 3);
      await dispatcher.stop();
      await provider.close();
    });

    test('a permanent refusal (400) fails the message at once', async () => {
      const provider = await startProviderServer(() => ({ status: 400, json: { error: 'bad number' } }));
      const clock = testClock();
      const channel = webhookChannel({ url: provider.url, secret: 'w'.repeat(32), clock });
      const dispatcher = startDispatcher({ db: handle.db, channels: { sms: channel, voice: channel, email: channel }, clock, log: silentLog, pollMs: 0 });
      const id = await code(handle.db);
      await dispatcher.runOnce();
      const row = await readMessage(handle.db, id);
      assert.equal(row?.status, 'failed');
      assert.match(row?.last_error ?? '', /400/);
      await dispatcher.stop();
      await provider.close();
    });

    test('a provider\'s refusal that quotes the number and the message goes whole to the row, and to the logs without them', async () => {
      const provider = await startProviderServer(() => ({ status: 400, json: { error: 'invalid destination +98 912 123 4567 (someone@example.org) for "کد ورود: ۶۵۴۳۲۱"' } }));
      const clock = testClock();
      const channel = webhookChannel({ url: provider.url, secret: 'w'.repeat(32), clock });
      const logged: string[] = [];
      const log = { ...silentLog, error: (fields: object) => { logged.push(JSON.stringify(fields)); } };
      const dispatcher = startDispatcher({ db: handle.db, channels: { sms: channel, voice: channel, email: channel }, clock, log, pollMs: 0 });
      const id = await code(handle.db, '654321');
      await dispatcher.runOnce();
      assert.match((await readMessage(handle.db, id))?.last_error ?? '', /912 123 4567/, 'the row keeps the answer for whoever investigates');
      assert.equal(logged.length, 1);
      assert.match(logged[0]!, /webhook 400/);
      for (const leak of ['4567', 'someone@example.org', '۶۵۴۳۲۱']) assert.ok(!logged[0]!.includes(leak), `${leak} is not logged: ${logged[0]}`);
      await dispatcher.stop();
      await provider.close();
    });

    test('a message claimed by a dispatcher that crashed is sent once its lease runs out, exactly once', async () => {
      const clock = testClock();
      const id = await code(handle.db);
      // The crashed process: it claimed the message and died before sending.
      assert.equal((await claimDue(handle.db, clock.now(), 60_000, 10)).length, 1);
      const { sent, channels } = recorder();
      const restarted = startDispatcher({ db: handle.db, channels, clock, log: silentLog, pollMs: 0 });
      assert.equal(await restarted.runOnce(), 0, 'the lease still holds');
      clock.advance(60_000);
      assert.equal(await restarted.runOnce(), 1);
      clock.advance(3_600_000);
      assert.equal(await restarted.runOnce(), 0);
      assert.deepEqual(sent.map((message) => message.id), [id]);
      assert.equal((await readMessage(handle.db, id))?.attempts, 2);
      await restarted.stop();
    });

    test('a message written before a crash is sent after restart, exactly once', async () => {
      const first = startDispatcher({ db: handle.db, channels: recorder().channels, clock: testClock(), log: silentLog, pollMs: 0 });
      const id = await code(handle.db);
      await first.stop();
      const { sent, channels } = recorder();
      const second = startDispatcher({ db: handle.db, channels, clock: testClock(), log: silentLog, pollMs: 20 });
      await until(() => sent.length === 1);
      await sleep(100);
      await second.stop();
      assert.deepEqual(sent.map((message) => message.id), [id]);
      assert.equal((await readMessage(handle.db, id))?.status, 'sent');
    });

    test('notify() after the commit sends at once, without waiting for the next poll', async () => {
      const { sent, channels } = recorder();
      const dispatcher = startDispatcher({ db: handle.db, channels, clock: testClock(), log: silentLog, pollMs: 3_600_000 });
      const started = Date.now();
      await commitAndNotify(handle.db, dispatcher, (trx) => code(trx));
      await until(() => sent.length === 1, 2000);
      assert.ok(Date.now() - started < 2000);
      await dispatcher.stop();
    });

    test('the identity seam (outboxNotifier) wakes the dispatcher from inside a transaction; the message still goes out at once', async () => {
      const { sent, channels } = recorder();
      const dispatcher = startDispatcher({ db: handle.db, channels, clock: testClock(), log: silentLog, pollMs: 3_600_000 });
      const notifier = outboxNotifier({ profile: 'ir', wake: dispatcher });
      const id = await handle.db.transaction().execute(async (trx) => {
        const written = await notifier.enqueue(trx, { channel: 'email', to: 'a@example.org', template: 'verification.email', locale: 'he', params: { code: '123456' } });
        await sleep(10); // the rest of the change
        return written;
      });
      await until(() => sent.length === 1, 2000);
      assert.equal(sent[0]?.id, id);
      // A caller outside the type checker (the seam's types refuse this template) is refused at run time too.
      // @ts-expect-error: 'no.such' is no template
      await assert.rejects(notifier.enqueue(handle.db, { channel: 'sms', to: '+1', template: 'no.such', locale: 'fa', params: {} }), TemplateError);
      await dispatcher.stop();
    });
  });
}
