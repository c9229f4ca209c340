// A bulk OneRoster import that meets the same appointment under another key (an attacker review
// of roles.csv): the school system gives a person a new user id, a school is named by its Kelid id
// in roles.csv and by the system's id in enrollments.csv, a delta roles.csv, an appointment the
// console ended. Nothing is ended that the file still holds, the same zip settles, and the
// console's end is not undone.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { importOneRosterZip, type OneRosterReport } from '../../src/admin/oneroster/import.ts';
import type { Scope } from '../../src/admin/scope.ts';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { openTestDatabase } from '../helpers/app.ts';
import { createTree, nationalIdFor, type Tree } from '../helpers/fixtures.ts';
import { adminScope, registryPeople, TODAY } from './helpers.ts';
import { buildZip, csv, enrollment, ENROLLMENT_COLUMNS, MANIFEST_NO_SESSIONS as noSessions, ORG_COLUMNS, person, ROLE_COLUMNS, user, USER_COLUMNS, USERS_12 } from './zip-builder.ts';

const options = { profile: 'ir' as const, today: TODAY, ip: null };

describe('the same appointment under another key', () => {
  let database: { handle: DatabaseHandle; close(): Promise<void> };
  let tree: Tree;
  before(async () => {
    database = await openTestDatabase('postgres');
    tree = await createTree(database.handle.db);
    await registryPeople(database.handle.db, [100, 101, 102, 103, 106]);
    await database.handle.db.updateTable('organizations').set({ code: '40001' }).where('id', '=', tree.schoolB).execute();
  });
  after(() => database.close());

  const run = async (zip: Buffer, scope: Scope) => {
    const report = await importOneRosterZip(database.handle.db, scope, zip, options);
    assert.ok(!('status' in report));
    return report as OneRosterReport;
  };
  const appointments = (n: number) => database.handle.db.selectFrom('memberships as m').innerJoin('accounts as a', 'a.id', 'm.account_id')
    .innerJoin('people as p', 'p.id', 'a.person_id').innerJoin('organizations as o', 'o.id', 'm.organization_id')
    .select(['m.role', 'm.starts_on', 'm.ends_on', 'o.id as organization']).where('p.national_id', '=', nationalIdFor(n)).orderBy('m.starts_on').execute();
  const v11 = (orgs: string[][], users: string[][], enrollments: string[][] = []) => buildZip([
    { name: 'manifest.csv', data: noSessions }, { name: 'orgs.csv', data: csv(ORG_COLUMNS, orgs) },
    { name: 'users.csv', data: csv(USER_COLUMNS, users) }, { name: 'enrollments.csv', data: csv(ENROLLMENT_COLUMNS, enrollments) },
  ]);
  const v12 = (orgs: string[][], people: string[][], roles: string[][], mode = 'bulk', enrollments: string[][] = []) => buildZip([
    { name: 'manifest.csv', data: `${noSessions}file.roles,${mode}\r\n` }, { name: 'orgs.csv', data: csv(ORG_COLUMNS, orgs) },
    { name: 'users.csv', data: csv(USERS_12, people) }, { name: 'roles.csv', data: csv(ROLE_COLUMNS, roles) },
    { name: 'enrollments.csv', data: csv(ENROLLMENT_COLUMNS, enrollments) },
  ]);
  const districtOrgs = () => [[tree.district, '', '', 'd', 'district', '', ''], [tree.schoolA, '', '', 'a', 'school', '', tree.district], [tree.schoolB, '', '', 'b', 'school', '', tree.district]];

  test('a person the school system gave a new user id keeps the appointment the new id takes over, in that import and the next', async () => {
    const scope = await adminScope(database.handle.db, tree.district, 'district_admin', 201);
    await run(v11(districtOrgs(), [user({ id: 'u-old', nationalId: nationalIdFor(100), role: 'teacher', orgs: tree.schoolA })]), scope);
    for (let i = 0; i < 2; i++) {
      const report = await run(v11(districtOrgs(), [user({ id: 'u-new', nationalId: nationalIdFor(100), role: 'teacher', orgs: tree.schoolA })]), scope);
      assert.deepEqual(report.endedAppointments, [], `import ${i + 2}`);
      assert.deepEqual((await appointments(100)).map((m) => [m.role, m.ends_on === null || m.ends_on >= TODAY]), [['teacher', true]], `import ${i + 2}: still running`);
    }
  });

  test('a school named by its code in 1.1 and by its Kelid id in 1.2\'s roles.csv is one school: nothing ended', async () => {
    const scope = await adminScope(database.handle.db, tree.schoolB, 'principal', 202);
    const orgs = [['sisB', '', '', 'b', 'school', '40001', '']];
    await run(v11(orgs, [user({ id: 'u1', nationalId: nationalIdFor(101), role: 'teacher', orgs: 'sisB' })]), scope);
    const report = await run(v12(orgs, [person('u1', 101)], [['r1', '', '', 'u1', 'primary', 'teacher', '', '', tree.schoolB]]), scope);
    assert.deepEqual(report.endedAppointments, []);
    assert.deepEqual((await appointments(101)).map((m) => [m.role, m.ends_on === null || m.ends_on >= TODAY]), [['teacher', true]]);
  });

  test('one appointment named twice with different dates takes the earliest start and the latest end, and the same zip again settles', async () => {
    const scope = await adminScope(database.handle.db, tree.schoolB, 'principal', 203);
    const zip = v12([['sisB', '', '', 'b', 'school', '40001', '']], [person('u2', 102)], [['r2', '', '', 'u2', 'primary', 'teacher', '2025-09-01', '2026-06-01', tree.schoolB]], 'bulk',
      [enrollment('e2', 'sisB', 'u2', 'teacher', '2025-10-01', '2026-07-01')]);
    await run(zip, scope);
    assert.deepEqual((await appointments(102)).map((m) => [m.starts_on, m.ends_on]), [['2025-09-01', '2026-07-01']]);
    const again = await run(zip, scope);
    assert.equal(again.files['enrollments.csv'].updated + again.files['roles.csv'].updated, 0, 'nothing moves');
    assert.deepEqual((await appointments(102)).map((m) => [m.starts_on, m.ends_on]), [['2025-09-01', '2026-07-01']]);
  });

  test('a delta roles.csv is no full picture: a role it does not repeat is kept', async () => {
    const scope = await adminScope(database.handle.db, tree.district, 'district_admin', 204);
    await run(v12(districtOrgs(), [person('u3', 103)], [['r3a', '', '', 'u3', 'primary', 'teacher', '', '', tree.schoolA], ['r3b', '', '', 'u3', 'primary', 'teacher', '', '', tree.schoolB]]), scope);
    const report = await run(v12(districtOrgs(), [person('u3', 103)], [['r3b', '', '', 'u3', 'primary', 'teacher', '2025-10-01', '', tree.schoolB]], 'delta'), scope);
    assert.deepEqual(report.endedAppointments, []);
    assert.equal((await appointments(103)).filter((m) => m.organization === tree.schoolA && (m.ends_on === null || m.ends_on >= TODAY)).length, 1);
    // A delta's tobedeleted row still ends what it names.
    const deleted = await run(v12(districtOrgs(), [person('u3', 103)], [['r3b', 'tobedeleted', '', 'u3', 'primary', 'teacher', '', '', tree.schoolB]], 'delta'), scope);
    assert.equal(deleted.endedAppointments.length, 1);
    assert.deepEqual(deleted.errors, [], 'u3, whose only role row ends an appointment, is no error');
    assert.equal(deleted.files['users.csv'].unchanged, 1);
  });

  test('an appointment the console ended is not brought back: the file\'s is a new one', async () => {
    const scope = await adminScope(database.handle.db, tree.district, 'district_admin', 207);
    const row = await database.handle.db.selectFrom('people').select('id').where('national_id', '=', nationalIdFor(106)).executeTakeFirstOrThrow();
    const account = await database.handle.db.insertInto('accounts').values({ person_id: row.id, user_code: 'ENDE-D106', status: 'active' }).returning('id').executeTakeFirstOrThrow();
    await database.handle.db.insertInto('memberships').values({ account_id: account.id, organization_id: tree.schoolA, role: 'teacher', starts_on: '2025-09-23', ends_on: '2025-11-10' }).execute();
    const report = await run(v12(districtOrgs(), [person('u6', 106)], [['d1', '', '', 'u6', 'primary', 'teacher', '', '', tree.schoolA]]), scope);
    assert.equal(report.files['roles.csv'].created, 1);
    assert.deepEqual((await appointments(106)).map((m) => m.ends_on), ['2025-11-10', '2026-09-22'], 'the console\'s end kept, the file\'s appointment beside it');
  });
});
