// OneRoster 1.2 bulk import (issue 13 §5): a district's file makes a school, accounts,
// appointments and a guardianship; the same zip again changes nothing; a change updates; a
// user gone from a later bulk file has their appointment ended; rows that reach outside the
// importer's scope, people the registry lacks and bad cells are row errors that write nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { importOneRosterZip, type OneRosterReport } from '../../src/admin/oneroster/import.ts';
import { withMessages } from '../../src/admin/oneroster/report.ts';
import { translator } from '../../src/i18n/catalogs.ts';
import type { Scope } from '../../src/admin/scope.ts';
import { openTestDatabase } from '../helpers/app.ts';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { createTree, nationalIdFor, type Tree } from '../helpers/fixtures.ts';
import { adminScope, count, registryPeople, TODAY } from './helpers.ts';
import { buildZip, csv, enrollment, ENROLLMENT_COLUMNS, MANIFEST_BULK, ORG_COLUMNS, SESSION_COLUMNS, user, USER_COLUMNS } from './zip-builder.ts';

const fa = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d)));
const options = { profile: 'ir' as const, today: TODAY, ip: '203.0.113.9' };

describe('OneRoster import', () => {
  let database: { handle: DatabaseHandle; close(): Promise<void> };
  let tree: Tree;
  let district: Scope;

  before(async () => {
    database = await openTestDatabase('postgres');
    tree = await createTree(database.handle.db);
    district = await adminScope(database.handle.db, tree.district, 'district_admin', 1);
    await registryPeople(database.handle.db, [50, 51, 52, 53, 54, 55]);
  });
  after(() => database.close());

  const files = (over: { orgs?: string[][]; users?: string[][]; enrollments?: string[][]; manifest?: string } = {}) => buildZip([
    { name: 'manifest.csv', data: over.manifest ?? MANIFEST_BULK },
    { name: 'orgs.csv', data: '\ufeff' + csv(ORG_COLUMNS, over.orgs ?? [
      [tree.district, '', '', 'مشهد ناحیه ۵', 'district', '', ''],
      ['sch1', '', '', 'دبستان نو', 'school', '', tree.district],
      ['out1', '', '', 'مدرسه بیرون', 'school', '', tree.otherDistrict],
      ['out2', '', '', 'مدرسه بیرون ۲', 'school', '', 'out1'],
    ]) },
    { name: 'users.csv', data: csv(USER_COLUMNS, over.users ?? [
      user({ id: 't1', nationalId: nationalIdFor(50), role: 'teacher', orgs: 'sch1', email: 'teacher@example.org' }),
      user({ id: 's1', nationalId: `\u200f${fa(nationalIdFor(51))}`, role: 'student', orgs: 'sch1', agents: 'p1' }),
      user({ id: 's2', nationalId: nationalIdFor(52), role: 'student', orgs: 'sch1' }),
      user({ id: 'p1', identifier: nationalIdFor(53), role: 'parent', orgs: 'sch1', agents: 's1' }),
      user({ id: 'x1', nationalId: nationalIdFor(999), role: 'student', orgs: 'sch1' }),
      user({ id: 's3', nationalId: nationalIdFor(54), role: 'student', orgs: '' }),
      user({ id: 'a1', nationalId: nationalIdFor(55), role: 'astronaut', orgs: 'sch1' }),
    ]) },
    { name: 'enrollments.csv', data: csv(ENROLLMENT_COLUMNS, over.enrollments ?? [
      enrollment('e1', 'sch1', 't1', 'teacher', '2025-09-23', '2026-06-30'),
      enrollment('e2', 'sch1', 't1', 'teacher', '2025-09-01', '2026-07-15'),
      enrollment('e3', 'sch1', 's1', 'student'),
      enrollment('e4', 'sch1', 's2', 'student', fa('2025-10-01')),
      enrollment('e5', 'out1', 's3', 'student'),
      enrollment('e6', 'sch1', 's2', 'student', '2025-13-45'),
    ]) },
    { name: 'academicSessions.csv', data: csv(SESSION_COLUMNS, [['y1', '', '', '1404-1405', 'schoolYear', '2025-09-23', '2026-09-22', '', '2026']]) },
    { name: 'classes.csv', data: 'sourcedId,title\nclass-1,ریاضی\n' },
  ]);

  const run = async (zip: Buffer, scope = district) => {
    const report = await importOneRosterZip(database.handle.db, scope, zip, options);
    assert.ok(!('status' in report), 'not refused');
    return report as OneRosterReport;
  };
  const appointment = (nationalId: string) => database.handle.db.selectFrom('memberships as m').innerJoin('accounts as a', 'a.id', 'm.account_id')
    .innerJoin('people as p', 'p.id', 'a.person_id').innerJoin('organizations as o', 'o.id', 'm.organization_id')
    .select(['m.role', 'm.starts_on', 'm.ends_on', 'o.name', 'o.parent_id']).where('p.national_id', '=', nationalId).execute();

  test('a district file makes its school, accounts, appointments and the guardianship, with a report by file and line', async () => {
    const report = await run(files());
    const errors = report.errors.map((e) => `${e.file}:${e.line}:${e.field}:${e.code}`);
    assert.deepEqual(errors, [
      // In the order a person reads the files: what is named before what names it.
      'orgs.csv:4:parentSourcedId:oneroster.org_outside_scope',
      'orgs.csv:5:parentSourcedId:oneroster.org_outside_scope',
      'users.csv:6:userIds:registry.not_found',
      'users.csv:7:sourcedId:oneroster.user_not_imported', // s3's only enrollment is outside the scope: named, not left out of every count
      'users.csv:8:role:oneroster.role_unknown',
      'enrollments.csv:6:schoolSourcedId:oneroster.org_outside_scope',
      'enrollments.csv:7:beginDate:oneroster.date_invalid',
    ]);
    assert.deepEqual(report.files['orgs.csv'], { rows: 4, created: 1, updated: 0, unchanged: 1, errors: 2 });
    assert.deepEqual(report.files['users.csv'], { rows: 7, created: 4, updated: 0, unchanged: 0, errors: 3 });
    assert.deepEqual(report.files['enrollments.csv'], { rows: 6, created: 3, updated: 0, unchanged: 0, errors: 2 }, 'its own rows\' appointments: the teacher\'s two classes are one');
    assert.deepEqual(report.appointments, { created: 4, updated: 0, unchanged: 0, ended: 0 }, 'and the parent\'s, which users.csv\'s role gave');
    assert.equal(report.created, 9, 'an organization, four users, four appointments');
    assert.deepEqual(report.createdAppointments.map((a) => [a.nationalId, a.role, a.organization, a.start, a.end]).sort(), [
      [nationalIdFor(50), 'teacher', 'دبستان نو', '2025-09-01', '2026-07-15'], [nationalIdFor(51), 'student', 'دبستان نو', '2025-09-23', '2026-09-22'],
      [nationalIdFor(52), 'student', 'دبستان نو', '2025-10-01', '2026-09-22'], [nationalIdFor(53), 'guardian', 'دبستان نو', '2025-09-23', '2026-09-22'],
    ], 'each appointment made, by name, with its dates');
    assert.deepEqual(report.linkedChildren.map((l) => [l.parent.nationalId, l.child.nationalId]), [[nationalIdFor(53), nationalIdFor(51)]], 'the link made');
    assert.deepEqual(report.schoolYear, { start: '2025-09-23', end: '2026-09-22', from: 'academicSessions.csv' });

    assert.deepEqual(await appointment(nationalIdFor(50)), [{ role: 'teacher', starts_on: '2025-09-01', ends_on: '2026-07-15', name: 'دبستان نو', parent_id: tree.district }],
      'one appointment for two classes: the earliest start, the latest end');
    assert.deepEqual((await appointment(nationalIdFor(51))).map((m) => [m.role, m.starts_on, m.ends_on]), [['student', '2025-09-23', '2026-09-22']], 'Persian digits and a direction mark in userIds; the school year\'s dates');
    assert.deepEqual((await appointment(nationalIdFor(52))).map((m) => [m.role, m.starts_on]), [['student', '2025-10-01']]);
    assert.deepEqual((await appointment(nationalIdFor(53))).map((m) => m.role), ['guardian']);
    assert.deepEqual(await appointment(nationalIdFor(54)), [], 'enrolled only outside the scope: no appointment');
    const accounts = await database.handle.db.selectFrom('accounts as a').innerJoin('people as p', 'p.id', 'a.person_id').select(['p.national_id', 'a.email'])
      .where('p.national_id', 'in', [nationalIdFor(54), nationalIdFor(55), nationalIdFor(50)]).execute();
    assert.deepEqual(accounts, [{ national_id: nationalIdFor(50), email: 'teacher@example.org' }], 'no account for the rows in error');
    assert.equal(await count(database.handle.db, 'guardianships'), 1);
    const outside = await database.handle.db.selectFrom('organizations').select('id').where('name', 'like', 'مدرسه بیرون%').execute();
    assert.deepEqual(outside, [], 'nothing made outside the scope');
    const audit = await database.handle.db.selectFrom('audit_events').select(['type', 'data']).where('actor_account_id', '=', district.accountId).execute();
    assert.deepEqual(audit.map((a) => [a.type, (a.data as { format: string }).format]), [['admin.imported', 'oneroster']]);
  });

  test('the same zip again creates nothing and reports everything unchanged', async () => {
    const before = { memberships: await count(database.handle.db, 'memberships'), accounts: await count(database.handle.db, 'accounts'), organizations: await count(database.handle.db, 'organizations') };
    const report = await run(files());
    assert.equal(report.created, 0);
    assert.equal(report.updated, 0);
    assert.deepEqual(report.files['enrollments.csv'], { rows: 6, created: 0, updated: 0, unchanged: 3, errors: 2 });
    assert.deepEqual(report.appointments, { created: 0, updated: 0, unchanged: 4, ended: 0 });
    assert.deepEqual(report.files['users.csv'].unchanged, 4);
    assert.deepEqual({ memberships: await count(database.handle.db, 'memberships'), accounts: await count(database.handle.db, 'accounts'), organizations: await count(database.handle.db, 'organizations') }, before);
  });

  test('two first imports of the same zip at once make each thing once', async () => {
    const other = await adminScope(database.handle.db, tree.otherDistrict, 'district_admin', 4);
    await registryPeople(database.handle.db, [56, 57]);
    const zip = files({
      orgs: [['far', '', '', 'مدرسه دور', 'school', '', tree.otherDistrict]],
      users: [user({ id: 'f1', nationalId: nationalIdFor(56), role: 'teacher', orgs: 'far' }), user({ id: 'f2', nationalId: nationalIdFor(57), role: 'student', orgs: 'far' })],
      enrollments: [],
    });
    const before = { memberships: await count(database.handle.db, 'memberships'), organizations: await count(database.handle.db, 'organizations') };
    const [a, b] = await Promise.all([run(zip, other), run(zip, other)]);
    assert.deepEqual([a.created, b.created].sort(), [0, 5], 'one made the school, two users and two appointments; the other, after it, nothing');
    assert.deepEqual({ memberships: await count(database.handle.db, 'memberships'), organizations: await count(database.handle.db, 'organizations') },
      { memberships: before.memberships + 2, organizations: before.organizations + 1 });
  });

  test('a changed name and date are updated; a user gone from a later bulk file has the appointment ended, the person kept', async () => {
    const report = await run(files({
      orgs: [[tree.district, '', '', 'مشهد ناحیه ۵', 'district', '', ''], ['sch1', '', '', 'دبستان نوین', 'school', '', tree.district]],
      users: [
        user({ id: 't1', nationalId: nationalIdFor(50), role: 'teacher', orgs: 'sch1' }),
        user({ id: 's1', nationalId: nationalIdFor(51), role: 'student', orgs: 'sch1', agents: 'p1' }),
        user({ id: 'p1', identifier: nationalIdFor(53), role: 'parent', orgs: 'sch1', agents: 's1' }),
      ],
      enrollments: [
        enrollment('e1', 'sch1', 't1', 'teacher', '2025-09-23', '2026-06-30'),
        enrollment('e3', 'sch1', 's1', 'student'),
      ],
    }));
    assert.deepEqual(report.errors, []);
    assert.deepEqual(report.files['orgs.csv'], { rows: 2, created: 0, updated: 1, unchanged: 1, errors: 0 });
    assert.deepEqual(report.files['enrollments.csv'], { rows: 2, created: 0, updated: 1, unchanged: 1, errors: 0 });
    assert.deepEqual(report.appointments, { created: 0, updated: 1, unchanged: 2, ended: 1 }, 'the parent\'s from users.csv unchanged; s2\'s ended');
    assert.equal(report.updated, 3, 'the school\'s name, t1\'s row, t1\'s dates: an ended appointment counts as ended only');
    assert.equal(report.ended, 1);
    assert.deepEqual(report.files['users.csv'], { rows: 3, created: 0, updated: 1, unchanged: 2, errors: 0 }, 't1 lost its email in the file');
    assert.deepEqual((await appointment(nationalIdFor(50))).map((m) => [m.starts_on, m.ends_on, m.name]), [['2025-09-23', '2026-06-30', 'دبستان نوین']]);
    assert.deepEqual((await appointment(nationalIdFor(52))).map((m) => [m.role, m.ends_on]), [['student', '2025-11-19']], 'ended yesterday');
    // The report names whose appointment ended, and where, for the person to check.
    assert.deepEqual(report.endedAppointments, [{ nationalId: nationalIdFor(52), firstName: 'نفر', lastName: 'آزمون', role: 'student', organization: 'دبستان نوین', endsOn: '2025-11-19' }]);
    // And whose dates it moved, from what to what (a trial's first export moved console-made end dates with only a count to say so).
    assert.deepEqual(report.updatedAppointments, [{
      nationalId: nationalIdFor(50), firstName: 'نفر', lastName: 'آزمون', role: 'teacher', organization: 'دبستان نوین',
      before: { start: '2025-09-01', end: '2026-07-15' }, after: { start: '2025-09-23', end: '2026-06-30' },
    }]);
    const s2 = await database.handle.db.selectFrom('people').select('id').where('national_id', '=', nationalIdFor(52)).executeTakeFirst();
    assert.ok(s2, 'the person is never deleted');
  });

  test('a delta file ends only what it marks tobedeleted', async () => {
    const manifest = MANIFEST_BULK.replace('file.users,bulk', 'file.users,delta').replace('file.enrollments,bulk', 'file.enrollments,delta');
    const report = await run(files({
      manifest, orgs: [['sch1', '', '', 'دبستان نوین', 'school', '', tree.district]],
      users: [user({ id: 't1', nationalId: nationalIdFor(50), role: 'teacher', orgs: 'sch1', status: 'tobedeleted' })],
      enrollments: [],
    }));
    assert.deepEqual(report.errors, []);
    assert.equal(report.appointments.ended, 1);
    assert.equal(report.ended, 1);
    assert.deepEqual((await appointment(nationalIdFor(50))).map((m) => m.ends_on), ['2025-11-19']);
    assert.deepEqual((await appointment(nationalIdFor(51))).map((m) => m.ends_on), ['2026-09-22'], 'the others stay');
  });

  test('a district admin cannot import into another district; a deputy cannot import at all', async () => {
    const before = await count(database.handle.db, 'memberships');
    const report = await run(files({
      orgs: [[tree.otherDistrict, '', '', 'مشهد ناحیه ۲', 'district', '', ''], ['c1', '', '', 'مدرسه ج', 'school', '', tree.otherDistrict]],
      users: [user({ id: 'n1', nationalId: nationalIdFor(54), role: 'teacher', orgs: 'c1' })],
      enrollments: [enrollment('en1', 'c1', 'n1', 'teacher')],
      manifest: MANIFEST_BULK.replace('file.users,bulk', 'file.users,delta'),
    }));
    assert.deepEqual(report.errors.map((e) => `${e.file}:${e.line}:${e.code}`), [
      'orgs.csv:2:oneroster.org_outside_scope', 'orgs.csv:3:oneroster.org_outside_scope', 'users.csv:2:oneroster.org_outside_scope',
      'enrollments.csv:2:oneroster.org_outside_scope',
    ]);
    assert.equal(await count(database.handle.db, 'memberships'), before);
    const deputy = await adminScope(database.handle.db, tree.schoolA, 'deputy', 2);
    assert.deepEqual(await importOneRosterZip(database.handle.db, deputy, files(), options), { status: 403, code: 'access.denied' });
  });

  test('a parent without a child in agentSourcedIds, or whose children are no students here, is told so in OneRoster\'s terms', async () => {
    const report = await run(files({
      orgs: [[tree.district, '', '', 'ناحیه', 'district', '', ''], ['sch1', '', '', 'دبستان نو', 'school', '', tree.district]],
      users: [
        user({ id: 'p2', nationalId: nationalIdFor(53), role: 'parent', orgs: 'sch1' }),
        user({ id: 'p3', nationalId: nationalIdFor(55), role: 'guardian', orgs: 'sch1', agents: 't9' }),
        user({ id: 't9', nationalId: nationalIdFor(50), role: 'teacher', orgs: 'sch1' }),
      ],
      enrollments: [],
    }));
    const codes = report.errors.map((e) => `${e.file}:${e.line}:${e.field}:${e.code}`);
    assert.ok(codes.includes('users.csv:2:agentSourcedIds:oneroster.agent_required'), codes.join(' '));
    assert.ok(codes.includes('users.csv:3:agentSourcedIds:oneroster.agent_not_found'), codes.join(' '));
    const messages = withMessages(report, translator('fa')).errors.filter((e) => e.field === 'agentSourcedIds').map((e) => e.message ?? '');
    assert.equal(messages.length, 2);
    for (const message of messages) assert.match(message, /agentSourcedIds/, 'the message names the column, not the console\'s national ID field');
  });

  test('a parent linked to one child of agentSourcedIds and not to the others is told which were left out; the found child is linked', async () => {
    await registryPeople(database.handle.db, [64, 65, 66]);
    const report = await run(files({
      orgs: [[tree.district, '', '', 'ناحیه', 'district', '', ''], ['sch1', '', '', 'دبستان نو', 'school', '', tree.district]],
      users: [
        user({ id: 's7', nationalId: nationalIdFor(64), role: 'student', orgs: 'sch1' }),
        user({ id: 't7', nationalId: nationalIdFor(65), role: 'teacher', orgs: 'sch1' }),
        // A typo in one child's sourcedId (s404), a teacher named as a child (t7), the found child twice.
        user({ id: 'p7', nationalId: nationalIdFor(66), role: 'parent', orgs: 'sch1', agents: 's7,s404,t7,s7' }),
      ],
      // The parent teaches there too.
      enrollments: [enrollment('e7', 'sch1', 's7', 'student'), enrollment('e8', 'sch1', 't7', 'teacher'), enrollment('e9', 'sch1', 'p7', 'teacher')],
    }));
    assert.deepEqual(report.notices.map((e) => [e.file, e.line, e.field, e.code, e.value, e.nationalId]), [['users.csv', 4, 'agentSourcedIds', 'oneroster.agent_some_not_found', 's404, t7', nationalIdFor(66)]]);
    assert.deepEqual(report.errors, [], 'a notice of a row applied, not an error');
    assert.deepEqual(report.files['users.csv'], { rows: 3, created: 3, updated: 0, unchanged: 0, errors: 0 }, 'the parent\'s row counts once, with what it did');
    assert.match(withMessages(report, translator('he')).notices[0]?.message ?? '', /agentSourcedIds/);
    assert.deepEqual((await appointment(nationalIdFor(66))).map((m) => m.role).sort(), ['guardian', 'teacher'], 'the parent is appointed through the child found');
    const links = await database.handle.db.selectFrom('guardianships as g').innerJoin('people as parent', 'parent.id', 'g.parent_person_id').innerJoin('people as child', 'child.id', 'g.child_person_id')
      .select('child.national_id').where('parent.national_id', '=', nationalIdFor(66)).execute();
    assert.deepEqual(links.map((l) => l.national_id), [nationalIdFor(64)]);

    // The next bulk file: the teacher is gone, the parent teaches no more and still names t7, who is no child. The notice
    // holds nothing back: the teacher's appointment, and the parent's own dropped one, are ended (an attacker review saw
    // the parent's kept while the notice was an error).
    const next = await run(files({
      orgs: [[tree.district, '', '', 'ناحیه', 'district', '', ''], ['sch1', '', '', 'دبستان نو', 'school', '', tree.district]],
      users: [
        user({ id: 's7', nationalId: nationalIdFor(64), role: 'student', orgs: 'sch1' }),
        user({ id: 'p7', nationalId: nationalIdFor(66), role: 'parent', orgs: 'sch1', agents: 's7,t7' }),
      ],
      enrollments: [enrollment('e7', 'sch1', 's7', 'student')],
    }));
    assert.deepEqual(next.notices.map((e) => [e.line, e.value]), [[3, 't7']]);
    assert.deepEqual(next.errors, []);
    assert.deepEqual((await appointment(nationalIdFor(65))).map((m) => [m.role, m.ends_on]), [['teacher', '2025-11-19']], 'the teacher the file no longer holds is ended');
    assert.deepEqual((await appointment(nationalIdFor(66))).map((m) => [m.role, m.ends_on]).sort(), [['guardian', '2026-09-22'], ['teacher', '2025-11-19']], 'and the parent\'s teaching, the guardian kept');
  });

  test('a parent already appointed father (or mother) there by the console gets no second, guardian appointment from the file', async () => {
    await registryPeople(database.handle.db, [70, 71]);
    const zip = files({
      orgs: [[tree.district, '', '', 'ناحیه', 'district', '', ''], [tree.schoolB, '', '', 'دبیرستان ب', 'school', '', tree.district]],
      users: [
        user({ id: 's9', nationalId: nationalIdFor(70), role: 'student', orgs: tree.schoolB, agents: 'p9' }),
        user({ id: 'p9', nationalId: nationalIdFor(71), role: 'parent', orgs: tree.schoolB, agents: 's9' }),
      ],
      enrollments: [],
    });
    await run(zip);
    const parentAt = async () => (await appointment(nationalIdFor(71))).filter((m) => m.name === 'دبیرستان ب').map((m) => m.role);
    assert.deepEqual(await parentAt(), ['guardian']);
    // The console makes him the father: the importer's mapping of that appointment forgotten or not, the file means that one.
    const account = await database.handle.db.selectFrom('accounts as a').innerJoin('people as p', 'p.id', 'a.person_id').select('a.id').where('p.national_id', '=', nationalIdFor(71)).executeTakeFirstOrThrow();
    await database.handle.db.updateTable('memberships').set({ role: 'father' }).where('account_id', '=', account.id).execute();
    const mapped = await run(zip);
    assert.deepEqual(await parentAt(), ['father'], 'still mapped');
    assert.equal(mapped.files['users.csv'].created, 0);
    await database.handle.db.deleteFrom('oneroster_sources').where('kind', '=', 'appointment').execute();
    const unmapped = await run(zip);
    assert.deepEqual(await parentAt(), ['father'], 'found by the person, the school and the role family');
    assert.equal(unmapped.files['users.csv'].created, 0);
  });

  test('a mother appointed in the console stands for the file\'s parent: never updated, never ended by a later file', async () => {
    await registryPeople(database.handle.db, [72, 73]);
    const mother = await database.handle.db.selectFrom('people').select('id').where('national_id', '=', nationalIdFor(73)).executeTakeFirstOrThrow();
    const account = await database.handle.db.insertInto('accounts').values({ person_id: mother.id, user_code: 'MOTH-ER01', status: 'active' }).returning('id').executeTakeFirstOrThrow();
    await database.handle.db.insertInto('memberships').values({ account_id: account.id, organization_id: tree.schoolB, role: 'mother', starts_on: '2020-09-01', ends_on: null }).execute();
    const orgs = [[tree.district, '', '', 'ناحیه', 'district', '', ''], [tree.schoolB, '', '', 'دبیرستان ب', 'school', '', tree.district]];
    const student = user({ id: 's8', nationalId: nationalIdFor(72), role: 'student', orgs: tree.schoolB, agents: 'm8' });
    const withMother = files({ orgs, users: [student, user({ id: 'm8', nationalId: nationalIdFor(73), role: 'parent', orgs: tree.schoolB, agents: 's8' })], enrollments: [] });
    const motherAt = async () => (await appointment(nationalIdFor(73))).map((m) => [m.role, m.starts_on, m.ends_on, m.name]);
    for (let i = 0; i < 2; i++) {
      const report = await run(withMother);
      assert.deepEqual(report.errors, []);
      assert.deepEqual(await motherAt(), [['mother', '2020-09-01', null, 'دبیرستان ب']], `import ${i + 1}: the console's appointment as it was`);
      // Created: the student's account, made now; the mother had hers, so she is no "created" user, first seen or not.
      if (i === 0) assert.deepEqual(report.files['users.csv'], { rows: 2, created: 1, updated: 0, unchanged: 1, errors: 0 });
    }
    const without = await run(files({ orgs, users: [student], enrollments: [] }));
    assert.deepEqual(await motherAt(), [['mother', '2020-09-01', null, 'دبیرستان ب']], 'a later bulk file without her ends nothing of hers');
    assert.ok(!without.endedAppointments.some((e) => e.nationalId === nationalIdFor(73)));
  });

  test('a school\'s users name the district above it in orgSourcedIds: context, not an error; a new school reusing the province\'s code is a school', async () => {
    await database.handle.db.updateTable('organizations').set({ code: 'PROV-1' }).where('id', '=', tree.province).execute();
    const principal = await adminScope(database.handle.db, tree.schoolB, 'principal', 41);
    const report = await run(files({
      orgs: [[tree.district, '', '', 'ناحیه', 'district', '', ''], [tree.schoolB, '', '', 'دبیرستان ب', 'school', '', tree.district], ['newS', '', '', 'مدرسه', 'school', 'PROV-1', tree.district]],
      users: [user({ id: 'k7', nationalId: nationalIdFor(72), role: 'student', orgs: `${tree.schoolB},${tree.district}` })],
      enrollments: [],
    }), principal);
    assert.deepEqual(report.errors.map((e) => `${e.file}:${e.line}:${e.code}`), ['orgs.csv:4:oneroster.org_beside'], 'the new school under the district is beside a principal\'s school (an error that says so), not skipped as the province');
    assert.deepEqual(report.files['orgs.csv'], { rows: 3, created: 0, updated: 0, unchanged: 2, errors: 1 });
  });

  test('OneRoster 1.2: roles.csv gives users their roles (users.csv has none); a user no file gives a role is an error, and keeps their appointments', async () => {
    await registryPeople(database.handle.db, [80, 81, 82]);
    const manifest = `${MANIFEST_BULK.replace('file.academicSessions,bulk', 'file.academicSessions,absent')}file.roles,bulk\r\n`;
    const users12 = ['sourcedId', 'status', 'dateLastModified', 'enabledUser', 'username', 'userIds', 'givenName', 'familyName', 'agentSourcedIds'];
    const person = (id: string, n: number, agents = '') => [id, '', '', 'true', id, `{national_id:${nationalIdFor(n)}}`, 'Given', 'Family', agents];
    const roleColumns = ['sourcedId', 'status', 'dateLastModified', 'userSourcedId', 'roleType', 'role', 'beginDate', 'endDate', 'orgSourcedId'];
    const zip = (people: string[][], roles: string[][]) => buildZip([
      { name: 'manifest.csv', data: manifest },
      { name: 'orgs.csv', data: csv(ORG_COLUMNS, [[tree.district, '', '', 'ناحیه', 'district', '', ''], [tree.schoolA, '', '', 'دبستان الف', 'school', '', tree.district]]) },
      { name: 'users.csv', data: csv(users12, people) },
      { name: 'roles.csv', data: csv(roleColumns, roles) },
      { name: 'enrollments.csv', data: csv(ENROLLMENT_COLUMNS, []) },
    ]);
    const first = await run(zip(
      [person('r-t', 80), person('r-s', 81, 'r-p'), person('r-p', 82, 'r-s')],
      [['x1', '', '', 'r-t', 'primary', 'teacher', '2025-09-23', '2026-06-30', tree.schoolA], ['x2', '', '', 'r-s', 'primary', 'student', '', '', tree.schoolA],
        ['x3', '', '', 'r-p', 'primary', 'parent', '', '', tree.schoolA], ['x4', '', '', 'r-t', 'primary', 'astronaut', '', '', tree.schoolA]],
    ));
    assert.deepEqual(first.errors.map((e) => `${e.file}:${e.line}:${e.field}:${e.code}`), ['roles.csv:5:role:oneroster.role_unknown']);
    assert.deepEqual(first.files['roles.csv'], { rows: 4, created: 3, updated: 0, unchanged: 0, errors: 1 });
    assert.deepEqual((await appointment(nationalIdFor(80))).map((m) => [m.role, m.starts_on, m.ends_on, m.name]), [['teacher', '2025-09-23', '2026-06-30', 'دبستان الف']]);
    assert.deepEqual((await appointment(nationalIdFor(82))).map((m) => [m.role, m.name]), [['guardian', 'دبستان الف']], 'the parent, linked to the child by agentSourcedIds');
    // The same people without their roles.csv rows: each is an error, and nothing of theirs is ended.
    const second = await run(zip([person('r-t', 80), person('r-s', 81, 'r-p'), person('r-p', 82, 'r-s')], []));
    assert.deepEqual(second.errors.map((e) => `${e.file}:${e.line}:${e.code}`), ['users.csv:2:oneroster.role_missing', 'users.csv:3:oneroster.role_missing', 'users.csv:4:oneroster.role_missing']);
    assert.deepEqual(second.endedAppointments, []);
    assert.deepEqual((await appointment(nationalIdFor(80))).map((m) => [m.role, m.ends_on]), [['teacher', '2026-06-30']], 'the teacher\'s appointment kept as it was');
  });

  test('a console-made appointment the file takes as its own takes the file\'s dates at once, so the same file again changes nothing', async () => {
    await registryPeople(database.handle.db, [83]);
    const teacher = await database.handle.db.selectFrom('people').select('id').where('national_id', '=', nationalIdFor(83)).executeTakeFirstOrThrow();
    const account = await database.handle.db.insertInto('accounts').values({ person_id: teacher.id, user_code: 'TEAC-HR83', status: 'active' }).returning('id').executeTakeFirstOrThrow();
    await database.handle.db.insertInto('memberships').values({ account_id: account.id, organization_id: tree.schoolB, role: 'teacher', starts_on: '2025-09-01', ends_on: '2027-06-30' }).execute();
    const zip = files({
      orgs: [[tree.district, '', '', 'ناحیه', 'district', '', ''], [tree.schoolB, '', '', 'دبیرستان ب', 'school', '', tree.district]],
      users: [user({ id: 'tt', nationalId: nationalIdFor(83), role: 'teacher', orgs: '' })],
      enrollments: [enrollment('et', tree.schoolB, 'tt', 'teacher', '2025-09-23', '2026-06-20')],
    });
    const dates = async () => (await appointment(nationalIdFor(83))).map((m) => [m.role, m.starts_on, m.ends_on]);
    // An importer of its own (the school's principal): what earlier tests mapped is not this one's to end.
    const principal = await adminScope(database.handle.db, tree.schoolB, 'principal', 42);
    const first = await run(zip, principal);
    assert.deepEqual(first.files['enrollments.csv'], { rows: 1, created: 0, updated: 1, unchanged: 0, errors: 0 });
    assert.deepEqual(await dates(), [['teacher', '2025-09-23', '2026-06-20']], 'the school system is the source of its roster');
    const again = await run(zip, principal);
    assert.deepEqual(again.files['enrollments.csv'], { rows: 1, created: 0, updated: 0, unchanged: 1, errors: 0 }, 'the same zip again: nothing changed');
    assert.deepEqual(await dates(), [['teacher', '2025-09-23', '2026-06-20']]);
  });

  test('the district and province by the school system\'s own ids, above the importer\'s row: left as they are, found by the file\'s chain', async () => {
    const principal = await adminScope(database.handle.db, tree.schoolA, 'principal', 43);
    const report = await run(files({
      orgs: [
        ['sis-prov', '', '', 'استان', 'state', '', ''],
        ['sis-dist', '', '', 'ناحیه', 'district', '', 'sis-prov'],
        [tree.schoolA, '', '', 'دبستان الف', 'school', '', 'sis-dist'],
        ['sis-other', '', '', 'مدرسه کناری', 'school', '', 'sis-dist'],
      ],
      users: [user({ id: 'k9', nationalId: nationalIdFor(52), role: 'teacher', orgs: `${tree.schoolA},sis-dist` })],
      enrollments: [],
    }), principal);
    assert.deepEqual(report.errors.map((e) => `${e.file}:${e.line}:${e.code}`), ['orgs.csv:5:oneroster.org_beside'], 'only the school beside the principal\'s');
    assert.deepEqual(report.files['orgs.csv'], { rows: 4, created: 0, updated: 0, unchanged: 3, errors: 1 });
  });

  test('a school\'s export that lists its district and province above it: those rows are left as they are, nothing is made under them', async () => {
    const principal = await adminScope(database.handle.db, tree.schoolA, 'principal', 40);
    const organizations = await count(database.handle.db, 'organizations');
    const report = await run(files({
      orgs: [
        [tree.province, '', '', 'استان', 'state', '', tree.ministry],
        [tree.district, '', '', 'ناحیه', 'district', '', tree.province],
        [tree.schoolA, '', '', 'دبستان الف', 'school', '', tree.district],
        ['new1', '', '', 'مدرسه تازه', 'school', '', tree.district],
      ],
      users: [user({ id: 'k3', nationalId: nationalIdFor(52), role: 'teacher', orgs: tree.schoolA })],
      enrollments: [],
    }), principal);
    assert.deepEqual(report.errors.map((e) => `${e.file}:${e.line}:${e.code}`), ['orgs.csv:5:oneroster.org_beside'], 'only the school beside the principal\'s is refused');
    assert.deepEqual(report.files['orgs.csv'], { rows: 4, created: 0, updated: 0, unchanged: 3, errors: 1 });
    assert.equal(await count(database.handle.db, 'organizations'), organizations);
    assert.ok((await appointment(nationalIdFor(52))).some((m) => m.role === 'teacher' && m.name === 'دبستان الف'));
  });

  test('a principal imports into their own school by its Kelid id, and may not appoint a principal', async () => {
    const principal = await adminScope(database.handle.db, tree.schoolB, 'principal', 3);
    const report = await run(files({
      orgs: [[tree.schoolB, '', '', 'هر نامی', 'school', '', '']],
      users: [
        user({ id: 'k1', nationalId: nationalIdFor(54), role: 'teacher', orgs: tree.schoolB }),
        user({ id: 'k2', nationalId: nationalIdFor(55), role: 'principal', orgs: tree.schoolB }),
        user({ id: 'me', nationalId: nationalIdFor(3), role: 'administrator', orgs: tree.schoolB }), // the principal's own row, in every export of the school
      ],
      enrollments: [],
    }), principal);
    assert.deepEqual(report.errors.map((e) => `${e.file}:${e.line}:${e.field}:${e.code}`), ['users.csv:3:role:oneroster.role_not_allowed'], 'k2 is named once, by the error of its own row');
    // The principal's own appointment, which a principal may not give, stands as it is: no error, counted unchanged, never the file's.
    assert.equal(report.files['users.csv'].unchanged, 1);
    assert.equal(report.appointments.unchanged, 1);
    const own = await database.handle.db.selectFrom('oneroster_sources').select('sourced_id').where('importer_organization_id', '=', tree.schoolB).where('kind', '=', 'appointment').execute();
    assert.ok(!own.some((r) => r.sourced_id.startsWith('me')), 'not mapped, so no later file ends it');
    // The message names the role refused, in the reader's words (a new-user trial could not tell which).
    assert.deepEqual(withMessages(report, translator('he')).errors.map((e) => e.message), ['אין לכם הרשאה לתת את התפקיד „מנהל”.']);
    assert.deepEqual(withMessages(report, translator('fa')).errors.map((e) => e.message), ['شما اجازه دادن نقش «مدیر» را ندارید.']);
    // A 1.1 export, the roles in users.csv: enrollments.csv, with no rows, counts nothing; the appointment is in `appointments`.
    assert.deepEqual(report.files['enrollments.csv'], { rows: 0, created: 0, updated: 0, unchanged: 0, errors: 0 });
    assert.equal(report.appointments.created, 1, 'k1\'s, which users.csv\'s role gave');
    assert.deepEqual((await appointment(nationalIdFor(54))).map((m) => [m.role, m.name]), [['teacher', 'دبیرستان ب']], 'the school keeps its Kelid name');
  });
});
