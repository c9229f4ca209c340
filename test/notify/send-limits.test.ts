// Abuse limits on sending: per recipient, per client address, and the global SMS budget breaker.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { checkSendAllowed } from '../../src/notify/send-limits.ts';
import { databaseKinds, openTestDatabase } from '../helpers/app.ts';

const limits = { perRecipientPerHour: 3, perAddressPerHour: 5, smsBudgetPerHour: 4 };
const start = new Date('2025-11-20T08:00:00Z');
const minutes = (n: number) => new Date(start.getTime() + n * 60_000);

for (const kind of databaseKinds) {
  describe(`send limits (${kind})`, () => {
    let handle: DatabaseHandle;
    let close: () => Promise<void>;
    before(async () => ({ handle, close } = await openTestDatabase(kind)));
    after(() => close());
    beforeEach(async () => { await sql`delete from rate_counters`.execute(handle.db); });

    const budgetEvents = async () =>
      (await handle.db.selectFrom('audit_events').select(['ip', 'data']).where('type', '=', 'sms.budget_exceeded').execute());

    test('one mobile number gets at most N codes an hour, SMS and calls together; then again after the hour', async () => {
      const phone = '+989121234567';
      for (const channel of ['sms', 'voice', 'sms'] as const) {
        assert.deepEqual(await checkSendAllowed(handle.db, { channel, to: phone, ip: null }, limits, minutes(1)), { ok: true });
      }
      assert.deepEqual(await checkSendAllowed(handle.db, { channel: 'voice', to: phone, ip: null }, limits, minutes(21)),
        { ok: false, code: 'send.too_many_for_recipient', retryAfterSeconds: 40 * 60 });
      assert.deepEqual(await checkSendAllowed(handle.db, { channel: 'sms', to: '+989121234568', ip: null }, limits, minutes(21)), { ok: true }, 'another number is unaffected');
      assert.deepEqual(await checkSendAllowed(handle.db, { channel: 'sms', to: phone, ip: null }, limits, minutes(62)), { ok: true });
    });

    test('an email address is counted on its own, whatever its case', async () => {
      for (let i = 0; i < 3; i++) {
        assert.equal((await checkSendAllowed(handle.db, { channel: 'email', to: i % 2 ? 'Sara@Example.org' : 'sara@example.org', ip: null }, limits, start)).ok, true);
      }
      const refused = await checkSendAllowed(handle.db, { channel: 'email', to: 'SARA@example.org ', ip: null }, limits, start);
      assert.equal(refused.ok === false && refused.code, 'send.too_many_for_recipient');
    });

    test('one client address gets at most N sends an hour, to any recipients', async () => {
      for (let i = 0; i < 5; i++) {
        assert.equal((await checkSendAllowed(handle.db, { channel: 'email', to: `user${i}@example.org`, ip: '203.0.113.7' }, limits, start)).ok, true);
      }
      const refused = await checkSendAllowed(handle.db, { channel: 'email', to: 'user9@example.org', ip: '203.0.113.7' }, limits, minutes(30));
      assert.deepEqual(refused, { ok: false, code: 'send.too_many_from_address', retryAfterSeconds: 30 * 60 });
      assert.equal((await checkSendAllowed(handle.db, { channel: 'email', to: 'user9@example.org', ip: '198.51.100.1' }, limits, minutes(30))).ok, true);
    });

    test('the hourly SMS budget trips a breaker for every number and address, audited once', async () => {
      for (let i = 0; i < 4; i++) {
        assert.equal((await checkSendAllowed(handle.db, { channel: i % 2 ? 'voice' : 'sms', to: `+98912000000${i}`, ip: `198.51.100.${i}` }, limits, start)).ok, true);
      }
      const before = (await budgetEvents()).length;
      for (let i = 4; i < 7; i++) {
        const refused = await checkSendAllowed(handle.db, { channel: 'sms', to: `+98912000000${i}`, ip: `198.51.100.${i}` }, limits, minutes(10));
        assert.deepEqual(refused, { ok: false, code: 'send.budget_exhausted', retryAfterSeconds: 50 * 60 });
      }
      const events = await budgetEvents();
      assert.equal(events.length - before, 1, 'one audit event per tripped window, not one per refusal');
      assert.equal(events.at(-1)?.ip, '198.51.100.4');
      assert.deepEqual(events.at(-1)?.data, { budgetPerHour: 4, channel: 'sms' });
      assert.equal((await checkSendAllowed(handle.db, { channel: 'email', to: 'a@example.org', ip: null }, limits, minutes(10))).ok, true, 'email is outside the SMS budget');
      assert.equal((await checkSendAllowed(handle.db, { channel: 'sms', to: '+989120000009', ip: null }, limits, minutes(61))).ok, true, 'the breaker closes with the next window');
    });

    test('sends refused per address or recipient do not drain the SMS budget', async () => {
      for (let i = 0; i < 20; i++) await checkSendAllowed(handle.db, { channel: 'sms', to: '+989121111111', ip: '203.0.113.9' }, limits, start);
      assert.equal((await checkSendAllowed(handle.db, { channel: 'sms', to: '+989122222222', ip: null }, limits, start)).ok, true);
    });
  });
}
