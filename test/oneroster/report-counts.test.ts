// What the OneRoster report counts and names (new-user trials, then an attacker review of the
// change): an appointment named by two keys is one appointment in the totals; nobody of
// users.csv is missing from every count, and nobody is named for a cause that is not there; a
// user the report names as not imported has nothing of the file written to their account; a
// guardian's error is on the guardian's own row; the audit event counts what was ended.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { importOneRosterZip, type OneRosterReport } from '../../src/admin/oneroster/import.ts';
import type { Scope } from '../../src/admin/scope.ts';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { newUserCode } from '../../src/identity/accounts.ts';
import { openTestDatabase } from '../helpers/app.ts';
import { createTree, nationalIdFor, type Tree } from '../helpers/fixtures.ts';
import { adminScope, registryPeople, TODAY } from './helpers.ts';
import { buildZip, csv, enrollment, ENROLLMENT_COLUMNS, MANIFEST_NO_SESSIONS as noSessions, ORG_COLUMNS, person, ROLE_COLUMNS, user, USER_COLUMNS, USERS_12 } from './zip-builder.ts';

const options = { profile: 'ir' as const, today: TODAY, ip: null };
const errorsOf = (report: OneRosterReport) => report.errors.map((e) => `${e.file}:${e.line}:${e.field}:${e.code}`);

describe('the OneRoster report: what it counts and names', () => {
  let database: { handle: DatabaseHandle; close(): Promise<void> };
  let tree: Tree;
  before(async () => {
    database = await openTestDatabase('postgres');
    tree = await createTree(database.handle.db);
    await registryPeople(database.handle.db, [110, 111, 112, 113, 114, 115, 116, 117, 118, 120, 121, 122, 123, 124, 125]);
    await database.handle.db.updateTable('organizations').set({ code: '40002' }).where('id', '=', tree.schoolB).execute();
  });
  after(() => database.close());
  const db = () => database.handle.db;

  const run = async (zip: Buffer, scope: Scope) => {
    const report = await importOneRosterZip(db(), scope, zip, options);
    assert.ok(!('status' in report));
    return report as OneRosterReport;
  };
  const appointments = (n: number) => db().selectFrom('memberships as m').innerJoin('accounts as a', 'a.id', 'm.account_id')
    .innerJoin('people as p', 'p.id', 'a.person_id').select(['m.role', 'm.organization_id', 'm.ends_on']).where('p.national_id', '=', nationalIdFor(n)).execute();
  const v11 = (orgs: string[][], users: string[][], enrollments: string[][] = [], manifest = noSessions) => buildZip([
    { name: 'manifest.csv', data: manifest }, { name: 'orgs.csv', data: csv(ORG_COLUMNS, orgs) },
    { name: 'users.csv', data: csv(USER_COLUMNS, users) }, { name: 'enrollments.csv', data: csv(ENROLLMENT_COLUMNS, enrollments) },
  ]);
  const districtOrgs = () => [[tree.district, '', '', 'd', 'district', '', ''], [tree.schoolA, '', '', 'a', 'school', '', tree.district], [tree.schoolB, '', '', 'b', 'school', '', tree.district]];

  test('one appointment named by roles.csv (the Kelid id) and enrollments.csv (the system\'s id) is one in the totals, each file counting its own row', async () => {
    const scope = await adminScope(db(), tree.schoolB, 'principal', 301);
    const zip = buildZip([
      { name: 'manifest.csv', data: `${noSessions}file.roles,bulk\r\n` }, { name: 'orgs.csv', data: csv(ORG_COLUMNS, [['sisB', '', '', 'b', 'school', '40002', '']]) },
      { name: 'users.csv', data: csv(USERS_12, [person('u1', 110)]) },
      { name: 'roles.csv', data: csv(ROLE_COLUMNS, [['r1', '', '', 'u1', 'primary', 'teacher', '', '', tree.schoolB]]) },
      { name: 'enrollments.csv', data: csv(ENROLLMENT_COLUMNS, [enrollment('e1', 'sisB', 'u1', 'teacher')]) },
    ]);
    const first = await run(zip, scope);
    assert.equal((await appointments(110)).length, 1);
    assert.deepEqual(first.appointments, { created: 1, updated: 0, unchanged: 0, ended: 0 }, 'one appointment, made once');
    assert.equal(first.files['roles.csv'].created + first.files['roles.csv'].unchanged + first.files['enrollments.csv'].created + first.files['enrollments.csv'].unchanged, 2, 'each file counts its own row');
    assert.equal(first.created, 2, 'a user and an appointment');
    const again = await run(zip, scope);
    assert.deepEqual(again.appointments, { created: 0, updated: 0, unchanged: 1, ended: 0 });
    assert.deepEqual([again.created, again.updated, again.unchanged], [0, 0, 3], 'the school\'s row, the user, the appointment');
  });

  test('a role row in error is the user\'s reason: no "give a role" for a user whose role row was refused; a user not found makes their role rows errors too; a row with two errors is one row in error', async () => {
    const scope = await adminScope(db(), tree.schoolA, 'principal', 306);
    const zip = buildZip([
      { name: 'manifest.csv', data: `${noSessions}file.roles,bulk\r\n` }, { name: 'orgs.csv', data: csv(ORG_COLUMNS, [[tree.schoolA, '', '', 'a', 'school', '', '']]) },
      { name: 'users.csv', data: csv(USERS_12, [person('t1', 110), person('t2', 119)]) }, // 119 is in no registry
      { name: 'roles.csv', data: csv(ROLE_COLUMNS, [
        ['r1', '', '', 't1', 'primary', 'teacher', '01/09/2026', '30/06/2027', tree.schoolA], // both dates in a form not read: two errors, one row
        ['r2', '', '', 't2', 'primary', 'teacher', '', '', tree.schoolA],
      ]) },
      { name: 'enrollments.csv', data: csv(ENROLLMENT_COLUMNS, []) },
    ]);
    const report = await run(zip, scope);
    assert.deepEqual(errorsOf(report), [
      'users.csv:2:sourcedId:oneroster.user_not_imported', 'users.csv:3:userIds:registry.not_found',
      'roles.csv:2:beginDate:oneroster.date_invalid', 'roles.csv:2:endDate:oneroster.date_invalid', 'roles.csv:3:userSourcedId:oneroster.user_rejected',
    ]);
    assert.deepEqual(report.files['roles.csv'], { rows: 2, created: 0, updated: 0, unchanged: 0, errors: 2 }, 'each row accounted for, once');
    // Each error quotes what its cell holds, to find it without opening the file.
    assert.deepEqual(report.errors.filter((e) => e.file === 'roles.csv').map((e) => e.value), ['01/09/2026', '30/06/2027', 't2']);
    // And whose row it is, by national ID: the users.csv row's person, or the user a role row names.
    assert.deepEqual(report.errors.map((e) => e.nationalId), [nationalIdFor(110), nationalIdFor(119), nationalIdFor(110), nationalIdFor(110), nationalIdFor(119)]);
    assert.deepEqual(report.files['users.csv'], { rows: 2, created: 0, updated: 0, unchanged: 0, errors: 2 });
  });

  test('an org named by its code where its sourcedId belongs is told so', async () => {
    const scope = await adminScope(db(), tree.district, 'district_admin', 307);
    const report = await run(v11([...districtOrgs(), ['sch9', '', '', 'نه', 'school', '90909', tree.district]], [user({ id: 'c1', nationalId: nationalIdFor(120), role: 'teacher', orgs: 'sch9' })],
      [enrollment('e9', '90909', 'c1', 'teacher')]), scope);
    assert.ok(errorsOf(report).includes('enrollments.csv:2:schoolSourcedId:oneroster.org_by_code'), errorsOf(report).join(' '));
    // And by the code of an organization of the scope, which the page shows, though orgs.csv does not give it.
    const byHomeCode = await run(v11(districtOrgs(), [user({ id: 'c1', nationalId: nationalIdFor(120), role: 'teacher', orgs: 'sch9' })],
      [enrollment('e9', '40002', 'c1', 'teacher')]), scope);
    assert.ok(errorsOf(byHomeCode).includes('enrollments.csv:2:schoolSourcedId:oneroster.org_by_code'), errorsOf(byHomeCode).join(' '));
  });

  test('a district-wide export uploaded by a principal: the other schools and their rows are errors that say so, not advice to name one\'s own school; nothing is made there', async () => {
    const scope = await adminScope(db(), tree.schoolA, 'principal', 308);
    const before = await db().selectFrom('organizations').select('id').execute();
    const report = await run(v11([
      [tree.district, '', '', 'd', 'district', '', ''],
      [tree.schoolA, '', '', 'a', 'school', '', tree.district],
      ['sisB', '', '', 'b', 'school', '', tree.district], // the neighbouring school, by the system's own id
      ['sisB2', '', '', 'b2', 'school', '', 'sisB'], // and a row hanging from it
    ], [
      user({ id: 'na', nationalId: nationalIdFor(121), role: 'teacher', orgs: tree.schoolA }),
      user({ id: 'nb', nationalId: nationalIdFor(122), role: 'student', orgs: 'sisB' }),
    ], [enrollment('e1', tree.schoolA, 'na', 'teacher'), enrollment('e2', 'sisB', 'nb', 'student')]), scope);
    assert.deepEqual(errorsOf(report), [
      'orgs.csv:4:parentSourcedId:oneroster.org_beside', 'orgs.csv:5:parentSourcedId:oneroster.org_beside',
      'users.csv:3:orgSourcedIds:oneroster.at_org_beside', 'enrollments.csv:3:schoolSourcedId:oneroster.at_org_beside',
    ]);
    assert.deepEqual(report.files['orgs.csv'], { rows: 4, created: 0, updated: 0, unchanged: 2, errors: 2 });
    assert.deepEqual(await appointments(122), [], 'nothing made at the other school');
    assert.equal((await db().selectFrom('organizations').select('id').execute()).length, before.length, 'no organization made');
  });

  test('a principal\'s own row stands only when it says the appointment runs today; a row of a user marked tobedeleted is no error', async () => {
    const scope = await adminScope(db(), tree.schoolB, 'principal', 309);
    const zip = (end: string) => buildZip([
      { name: 'manifest.csv', data: `${noSessions}file.roles,bulk\r\n` }, { name: 'orgs.csv', data: csv(ORG_COLUMNS, [[tree.schoolB, '', '', 'b', 'school', '', '']]) },
      { name: 'users.csv', data: csv(USERS_12, [person('me', 309), ['gone', 'tobedeleted', '', 'true', 'gone', `{national_id:${nationalIdFor(110)}}`, 'G', 'F', '']]) },
      { name: 'roles.csv', data: csv(ROLE_COLUMNS, [['r1', '', '', 'me', 'primary', 'principal', '2025-09-01', end, tree.schoolB], ['r2', '', '', 'gone', 'primary', 'teacher', '', '', tree.schoolB]]) },
      { name: 'enrollments.csv', data: csv(ENROLLMENT_COLUMNS, []) },
    ]);
    const running = await run(zip('2026-08-31'), scope);
    assert.deepEqual(errorsOf(running), []);
    assert.equal(running.files['roles.csv'].unchanged, 1);
    const left = await run(zip('2025-10-31'), scope);
    assert.deepEqual(errorsOf(left), ['users.csv:2:sourcedId:oneroster.user_not_imported', 'roles.csv:2:role:oneroster.role_not_allowed'],
      'a row that says the principal left last month is not the appointment held today: the importer may not end it, and is told so');
  });

  test('OneRoster\'s administrator makes no administrator: staff at a school, where a principal\'s or deputy\'s appointment held today stands for it', async () => {
    const scope = await adminScope(db(), tree.district, 'district_admin', 310);
    const deputy = await adminScope(db(), tree.schoolA, 'deputy', 311); // a deputy the console appointed
    const report = await run(v11(districtOrgs(), [
      user({ id: 'office', nationalId: nationalIdFor(123), role: 'administrator', orgs: tree.schoolA }), // the school's office: no appointment yet
      user({ id: 'dep', nationalId: nationalIdFor(311), role: 'administrator', orgs: tree.schoolA }),
    ]), scope);
    assert.deepEqual(errorsOf(report), []);
    assert.deepEqual((await appointments(123)).map((m) => m.role), ['staff'], 'staff, who administer nobody: not a principal');
    assert.deepEqual((await appointments(311)).map((m) => m.role), ['deputy'], 'the deputy stays a deputy, and gets no staff appointment beside it');
    assert.equal(report.appointments.created, 1);
    assert.equal(report.appointments.unchanged, 1);
    assert.ok(deputy.membershipId);
    const atDistrict = await run(v11(districtOrgs(), [user({ id: 'x', nationalId: nationalIdFor(124), role: 'administrator', orgs: tree.district })]), scope);
    assert.deepEqual(errorsOf(atDistrict), ['users.csv:2:role:oneroster.user_no_role_here'], 'and none at a district: a district admin is named districtAdministrator');
  });

  test('a principal an earlier file made is the file\'s: a bulk file that now lists them as administrator ends it, says so, and makes them staff, once', async () => {
    const scope = await adminScope(db(), tree.district, 'district_admin', 312);
    const zip = (role: string) => buildZip([
      { name: 'manifest.csv', data: `${noSessions}file.roles,bulk\r\n` }, { name: 'orgs.csv', data: csv(ORG_COLUMNS, districtOrgs()) },
      { name: 'users.csv', data: csv(USERS_12, [person('px', 125)]) },
      { name: 'roles.csv', data: csv(ROLE_COLUMNS, [['r1', '', '', 'px', 'primary', role, '', '', tree.schoolA]]) },
      { name: 'enrollments.csv', data: csv(ENROLLMENT_COLUMNS, []) },
    ]);
    await run(zip('principal'), scope);
    assert.deepEqual((await appointments(125)).map((m) => m.role), ['principal']);
    const demoted = await run(zip('administrator'), scope);
    assert.deepEqual(errorsOf(demoted), []);
    assert.deepEqual(demoted.appointments, { created: 1, updated: 0, unchanged: 0, ended: 1 }, 'the staff appointment made, the principal\'s ended: not one membership both unchanged and ended');
    assert.deepEqual(demoted.endedAppointments.map((e) => e.role), ['principal'], 'and named');
    assert.deepEqual((await appointments(125)).map((m) => [m.role, m.ends_on === null || m.ends_on >= TODAY]).sort(), [['principal', false], ['staff', true]]);
    const again = await run(zip('administrator'), scope);
    assert.deepEqual(again.appointments, { created: 0, updated: 0, unchanged: 1, ended: 0 }, 'the same file again changes nothing');
  });

  test('nobody of users.csv is in no count: a user whose roles fit none of their organizations is named; one listed only above the importer is left as it is', async () => {
    const scope = await adminScope(db(), tree.district, 'district_admin', 302);
    const report = await run(v11(districtOrgs(), [
      user({ id: 'up', nationalId: nationalIdFor(111), role: 'teacher', orgs: tree.province }), // the province's staff, in the district's export
      user({ id: 'st', nationalId: nationalIdFor(112), role: 'student', orgs: tree.district }), // a student at the district: no school
      user({ id: 'ok', nationalId: nationalIdFor(113), role: 'teacher', orgs: tree.schoolA }),
    ]), scope);
    assert.deepEqual(errorsOf(report), ['users.csv:3:role:oneroster.user_no_role_here']);
    assert.deepEqual(report.files['users.csv'], { rows: 3, created: 1, updated: 0, unchanged: 1, errors: 1 });
    assert.deepEqual(await appointments(111), [], 'nothing made above the importer');
    assert.deepEqual(await appointments(112), []);
  });

  test('a duplicate row is the duplicate\'s error alone: the first row, imported or not, is not sent to errors that are not there', async () => {
    const scope = await adminScope(db(), tree.district, 'district_admin', 303);
    const report = await run(v11(districtOrgs(), [
      user({ id: 'd1', nationalId: nationalIdFor(114), role: 'teacher', orgs: tree.district }),
      user({ id: 'd1', nationalId: nationalIdFor(114), role: 'teacher', orgs: tree.schoolA }),
    ]), scope);
    assert.ok(!errorsOf(report).some((e) => e.endsWith('oneroster.user_not_imported')), errorsOf(report).join(' '));
    assert.ok(errorsOf(report).includes('users.csv:3:sourcedId:oneroster.duplicate'), errorsOf(report).join(' '));
  });

  test('a user named as not imported has nothing of the file written: not the email on an account they already had', async () => {
    const scope = await adminScope(db(), tree.district, 'district_admin', 304);
    const p = await db().selectFrom('people').select('id').where('national_id', '=', nationalIdFor(115)).executeTakeFirstOrThrow();
    const account = await db().insertInto('accounts').values({ person_id: p.id, user_code: newUserCode(), status: 'active' }).returning('id').executeTakeFirstOrThrow();
    await db().insertInto('memberships').values({ account_id: account.id, organization_id: tree.schoolA, role: 'teacher', starts_on: '2025-09-01', ends_on: '2026-08-31' }).execute();
    const report = await run(v11(districtOrgs(), [user({ id: 'u3', nationalId: nationalIdFor(115), role: 'teacher', orgs: '', email: 'someone-else@example.org' })],
      [enrollment('e3', tree.schoolA, 'u3', 'teacher', '2026-06-01', '2025-10-01')]), scope);
    assert.deepEqual(errorsOf(report), ['users.csv:2:sourcedId:oneroster.user_not_imported', 'enrollments.csv:2:endDate:admin.end_before_start']);
    const stored = await db().selectFrom('accounts').select('email').where('id', '=', account.id).executeTakeFirstOrThrow();
    assert.equal(stored.email, null);
  });

  test('a guardian of an earlier file named only in enrollments.csv: the error is on that row, and another user\'s ending is not held back by it', async () => {
    const scope = await adminScope(db(), tree.district, 'district_admin', 305);
    await run(v11(districtOrgs(), [
      user({ id: 'k7', nationalId: nationalIdFor(116), role: 'student', orgs: tree.schoolA }),
      user({ id: 'g8', nationalId: nationalIdFor(117), role: 'teacher', orgs: tree.schoolA }),
      user({ id: 'x5', nationalId: nationalIdFor(118), role: 'teacher', orgs: `${tree.schoolA},${tree.schoolB}` }),
    ]), scope);
    const report = await run(v11(districtOrgs(), [
      user({ id: 'k7', nationalId: nationalIdFor(116), role: 'student', orgs: tree.schoolA }),
      user({ id: 'x5', nationalId: nationalIdFor(118), role: 'teacher', orgs: tree.schoolA }),
    ], [enrollment('e1', tree.schoolA, 'k7', 'student'), enrollment('e8', tree.schoolA, 'g8', 'guardian')]), scope);
    assert.ok(errorsOf(report).includes('enrollments.csv:3:userSourcedId:oneroster.agent_required'), errorsOf(report).join(' '));
    assert.ok(!errorsOf(report).some((e) => e.startsWith('users.csv:3:')), 'not on x5\'s row');
    const x5 = await appointments(118);
    assert.deepEqual(x5.filter((m) => m.organization_id === tree.schoolB).map((m) => m.ends_on), ['2025-11-19'], 'x5 left school B in the bulk file: ended');
    assert.equal(report.ended, report.appointments.ended);
    assert.ok(report.ended >= 1);
    const audit = await db().selectFrom('audit_events').select('data').where('type', '=', 'admin.imported').orderBy('at', 'desc').limit(1).executeTakeFirstOrThrow();
    assert.equal((audit.data as { ended: number }).ended, report.ended, 'the audit event counts what was ended');
  });
  test('the lists of what was made are the first 2,000 in the page\'s own order, cut after sorting, with the whole count beside them', async () => {
    // 2,001 students and their 2,001 parents: one student surnamed پوری (a letter the database's collation sorts after the
    // Arabic letters), the rest وحیدی; the parents' surnames run backwards in file order, so file order is not name order.
    const n = 2001;
    const studentId = (i: number) => nationalIdFor(20_000 + i);
    const parentId = (i: number) => nationalIdFor(30_000 + i);
    await db().insertInto('people').values(Array.from({ length: n }, (_, i) => ({ national_id: studentId(i), first_name: 'علی', last_name: i === n - 1 ? 'پوری' : 'وحیدی' }))).execute();
    await db().insertInto('people').values(Array.from({ length: n }, (_, i) => ({ national_id: parentId(i), first_name: 'مریم', last_name: `ولی ${String(n - i).padStart(5, '0')}` }))).execute();
    const scope = await adminScope(db(), tree.schoolA, 'principal', 399);
    const users = [
      ...Array.from({ length: n }, (_, i) => user({ id: `k${i}`, nationalId: studentId(i), role: 'student', orgs: tree.schoolA })),
      ...Array.from({ length: n }, (_, i) => user({ id: `g${i}`, nationalId: parentId(i), role: 'parent', orgs: tree.schoolA, agents: `k${i}` })),
    ];
    const report = await run(v11([[tree.schoolA, '', '', 'a', 'school', '', '']], users, Array.from({ length: n }, (_, i) => enrollment(`e${i}`, tree.schoolA, `k${i}`, 'student'))), scope);
    assert.deepEqual(errorsOf(report), []);
    assert.equal(report.appointments.created, 2 * n);
    assert.equal(report.createdAppointments.length, 2000);
    const sorted = [...report.createdAppointments].sort((x, y) => x.organization.localeCompare(y.organization) || x.lastName.localeCompare(y.lastName) || x.firstName.localeCompare(y.firstName));
    assert.deepEqual(report.createdAppointments, sorted, 'in the page\'s order');
    assert.equal(report.createdAppointments[0]?.lastName, 'پوری', 'the first by name is listed, whatever the collation');
    assert.equal(report.linked, n);
    assert.equal(report.linkedChildren.length, 2000);
    assert.deepEqual(report.linkedChildren[0]?.parent.nationalId, parentId(n - 1), 'the first parent by name, the last in the file');
    assert.deepEqual(report.linkedChildren.at(-1)?.parent.nationalId, parentId(1));
  });
});
