// F14: an incomplete pre-registration is reminded 7 days before its 30-day deadline, then
// deleted with its self-declared person; a completed one is left alone. All audited.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.ts';
import { newUserCode } from '../../src/identity/accounts.ts';
import { housekeeping } from '../../src/housekeeping.ts';
import { outboxNotifier } from '../../src/notify/outbox.ts';
import { openTestDatabase, testClock } from '../helpers/app.ts';
import { nationalIdFor } from '../helpers/fixtures.ts';

describe('pre-registration sweep', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  before(async () => { database = await openTestDatabase('postgres'); });
  after(() => database.close());

  async function pending(n: number, createdAt: Date, completed = false) {
    const db = database.handle.db;
    const person = await db.insertInto('people').values({ national_id: nationalIdFor(n), first_name: 'سارا', last_name: 'احمدی', registry_status: 'self_declared' }).returning('id').executeTakeFirstOrThrow();
    const account = await db.insertInto('accounts').values({
      person_id: person.id, user_code: newUserCode(), status: 'pending',
      mobile: '+989121234567', email: `p${n}@example.org`, locale: 'fa', created_at: createdAt, profile_completed_at: completed ? createdAt : null,
    }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('credentials').values({ account_id: account.id, password_hash: 'x' }).execute();
    return account.id;
  }

  test('reminds once at day 23, deletes at day 30, and keeps completed profiles', async () => {
    const clock = testClock(new Date('2026-01-01T00:00:00Z'));
    const config = loadConfig({ KELID_DEMO: '0' });
    const deps = { db: database.handle.db, clock, config, notifier: outboxNotifier({ profile: 'ir' }) };
    const start = clock.now();
    const incomplete = await pending(501, start);
    const completed = await pending(502, start, true);

    clock.advance(22 * 86_400_000);
    assert.deepEqual(await housekeeping(deps), { reminded: 0, deleted: 0 });
    clock.advance(1 * 86_400_000 + 1000);
    assert.deepEqual(await housekeeping(deps), { reminded: 1, deleted: 0 });
    assert.deepEqual(await housekeeping(deps), { reminded: 0, deleted: 0 }, 'never twice');
    const reminders = await sql<{ channel: string }>`select channel from outbox where template = 'registration.reminder'`.execute(database.handle.db);
    assert.deepEqual(reminders.rows.map((r) => r.channel).sort(), ['email', 'sms']);

    clock.advance(7 * 86_400_000);
    assert.deepEqual(await housekeeping(deps), { reminded: 0, deleted: 1 });
    const left = await database.handle.db.selectFrom('accounts').select('id').where('id', 'in', [incomplete, completed]).execute();
    assert.deepEqual(left.map((r) => r.id), [completed]);
    assert.equal((await database.handle.db.selectFrom('people').select('id').where('national_id', '=', nationalIdFor(501)).execute()).length, 0);
    const events = await database.handle.db.selectFrom('audit_events').select('type').where('subject_account_id', '=', incomplete).execute();
    assert.deepEqual(events.map((e) => e.type).sort(), ['registration.expired', 'registration.reminded']);
  });
});
