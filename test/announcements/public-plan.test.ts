// The sign-in page's public announcements (F30) run as a keyed statement, with one generic plan
// for every page: that plan reads the partial index of the public ones, not every school's
// announcements, so the page costs the database the same however many the country posts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { publicAnnouncements, publicQuery } from '../../src/portal/announcements.ts';
import { openTestDatabase } from '../helpers/app.ts';
import { keyedPlan } from '../helpers/keyed-plan.ts';

const TODAY = '2026-12-02';

describe('the public announcements of the sign-in page', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  before(async () => {
    database = await openTestDatabase('postgres');
    const db = database.handle.db;
    const school = await db.insertInto('organizations').values({ level: 'school', type: 'public', name: 'دبستان نمونه', path: '/' }).returning('id').executeTakeFirstOrThrow();
    await db.updateTable('organizations').set({ path: `/${school.id}/` }).where('id', '=', school.id).execute();
    // 20,000 of a school's own (not public), then three public ones, one of them withdrawn.
    await sql`insert into announcements (organization_id, title, body, starts_on, ends_on)
      select ${school.id}::uuid, 'جلسه ' || n, 'متن', '2026-11-01', '2027-06-30' from generate_series(1, 20000) n`.execute(db);
    await sql`insert into announcements (organization_id, title, body, starts_on, ends_on, public, withdrawn_at) values
      (${school.id}::uuid, 'ثبت‌نام آزمون', 'متن', '2026-11-20', '2026-12-20', true, null),
      (${school.id}::uuid, 'نتایج', 'متن', '2026-11-25', '2026-12-31', true, null),
      (${school.id}::uuid, 'پس گرفته', 'متن', '2026-11-25', '2026-12-31', true, now())`.execute(db);
    await sql`analyze announcements`.execute(db);
  });
  after(() => database.close());

  test('are the public ones showing today, newest first', async () => {
    assert.deepEqual((await publicAnnouncements(database.handle.db, TODAY)).map((a) => a.title), ['نتایج', 'ثبت‌نام آزمون']);
  });

  test('are read through the index of the public ones by the plan every sign-in page shares', async () => {
    const { plan, buffers } = await keyedPlan(database.url!, publicQuery(database.handle.db, TODAY));
    assert.match(plan, /using announcements_public/, plan);
    assert.ok(buffers < 50, `${buffers} buffers (the school's 20,000 take hundreds): ${plan}`);
  });
});
