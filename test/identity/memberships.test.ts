// A membership's view names the district and province around its organization (the sign-in
// reads it for the role choice, the provider for the `roles` claim): read by the ids in the
// organization's path, so what a sign-in costs the database does not grow with the number of
// organizations in the country (it read every organization twice per membership before).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { activeMemberships, activeMembershipsJson } from '../../src/identity/memberships.ts';
import { newUserCode } from '../../src/identity/accounts.ts';
import { openTestDatabase } from '../helpers/app.ts';
import { keyedPlan } from '../helpers/keyed-plan.ts';
import { nationalIdFor } from '../helpers/fixtures.ts';

const TODAY = '2026-12-02';

describe('a membership’s district and province', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let accountId: string;
  const ids: Record<'province' | 'district' | 'school', string> = { province: '', district: '', school: '' };
  before(async () => {
    database = await openTestDatabase('postgres');
    const db = database.handle.db;
    let path = '/';
    let parent: string | null = null;
    for (const [level, type, name] of [['province', 'province', 'استان فارس'], ['district', 'district', 'ناحیه ۲ شیراز'], ['school', 'gifted', 'دبیرستان فرزانگان']] as const) {
      const row: { id: string } = await db.insertInto('organizations').values({ parent_id: parent, level, type, name, path: '/' }).returning('id').executeTakeFirstOrThrow();
      path = `${path}${row.id}/`;
      await db.updateTable('organizations').set({ path }).where('id', '=', row.id).execute();
      ids[level] = parent = row.id;
    }
    const person = await db.insertInto('people').values({ national_id: nationalIdFor(7301), first_name: 'مریم', last_name: 'کاظمی' }).returning('id').executeTakeFirstOrThrow();
    accountId = (await db.insertInto('accounts').values({ person_id: person.id, user_code: newUserCode() }).returning('id').executeTakeFirstOrThrow()).id;
    await db.insertInto('memberships').values([
      { account_id: accountId, organization_id: ids.school, role: 'teacher', starts_on: '2025-09-23' },
      { account_id: accountId, organization_id: ids.district, role: 'district_admin', starts_on: '2025-09-23' },
      { account_id: accountId, organization_id: ids.province, role: 'province_admin', starts_on: '2025-09-23' },
    ]).execute();
  });
  after(() => database.close());

  test('are the organizations around it, never itself', async () => {
    const byRole = new Map((await activeMemberships(database.handle.db, accountId, TODAY)).map((m) => [m.role, m]));
    assert.deepEqual([byRole.get('teacher')?.district, byRole.get('teacher')?.province], ['ناحیه ۲ شیراز', 'استان فارس']);
    assert.deepEqual([byRole.get('district_admin')?.district, byRole.get('district_admin')?.province], [null, 'استان فارس']);
    assert.deepEqual([byRole.get('province_admin')?.district, byRole.get('province_admin')?.province], [null, null]);
  });

  test('are read by key: 20,000 more organizations in the country cost the lookup nothing', async () => {
    const db = database.handle.db;
    /** Buffers PostgreSQL touched to build the view, with the plan a keyed connection runs it with (the sign-in's, activeMemberships'). */
    const buffers = async () => (await keyedPlan(database.url!, sql`select ${activeMembershipsJson(sql`${accountId}::uuid`, TODAY)}`.compile(db))).buffers;
    const small = await buffers();
    await sql`insert into organizations (id, parent_id, level, type, name, path)
      select id, ${ids.province}::uuid, 'district', 'district', 'ناحیه ' || n, ${`/${ids.province}/`} || id || '/'
      from (select gen_random_uuid() as id, n from generate_series(1, 20000) n) o`.execute(db);
    await sql`analyze organizations`.execute(db);
    const large = await buffers();
    // Fifteen index searches here (three organizations, each path's three ids twice), each a level
    // deeper in an index of 20,003 entries: some twenty buffers more. Reading the organizations: 2,700.
    assert.ok(large <= small + 40, `${small} buffers with 3 organizations, ${large} with 20,003`);
    assert.equal((await activeMemberships(db, accountId, TODAY)).find((m) => m.role === 'teacher')?.district, 'ناحیه ۲ شیراز');
  });

  test('a path is ids only: one written otherwise is refused before any sign-in could trip on it', async () => {
    const db = database.handle.db;
    for (const path of ['/province/', `/${ids.province}/x/`, `/${ids.province}`, `${ids.province}/`, `/${ids.province}//`]) {
      await assert.rejects(db.insertInto('organizations').values({ level: 'school', type: 'public', name: 'دبستان', path }).execute(), /organizations_path_ids/, path);
    }
  });
});
