// A OneRoster zip of 100,000 users and 100,000 enrollments (issue 13 §5): chunked statements
// keep it within a couple of minutes on a shared machine, and a second run creates nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { importOneRosterZip, type OneRosterReport } from '../../src/admin/oneroster/import.ts';
import type { Scope } from '../../src/admin/scope.ts';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { openTestDatabase } from '../helpers/app.ts';
import { createTree, nationalIdFor, type Tree } from '../helpers/fixtures.ts';
import { adminScope, count, registryPeople, TODAY } from './helpers.ts';
import { buildZip, csv, enrollment, ENROLLMENT_COLUMNS, MANIFEST_BULK, ORG_COLUMNS, user, USER_COLUMNS } from './zip-builder.ts';

const N = 100_000;

describe('a large OneRoster zip', () => {
  let database: { handle: DatabaseHandle; close(): Promise<void> };
  let tree: Tree;
  let district: Scope;

  before(async () => {
    database = await openTestDatabase('postgres');
    tree = await createTree(database.handle.db);
    district = await adminScope(database.handle.db, tree.district, 'district_admin', 1);
    await registryPeople(database.handle.db, Array.from({ length: N }, (_, i) => 200_000 + i));
  });
  after(() => database.close());

  test('100,000 users and enrollments', async () => {
    const ids = Array.from({ length: N }, (_, i) => i);
    const zip = buildZip([
      { name: 'manifest.csv', data: MANIFEST_BULK.replace('file.academicSessions,bulk', 'file.academicSessions,absent') },
      { name: 'orgs.csv', data: csv(ORG_COLUMNS, [['big', '', '', 'دبیرستان بزرگ', 'school', '', tree.district]]) },
      { name: 'users.csv', data: csv(USER_COLUMNS, ids.map((i) => user({ id: `u${i}`, nationalId: nationalIdFor(200_000 + i), role: 'student', orgs: 'big' }))) },
      { name: 'enrollments.csv', data: csv(ENROLLMENT_COLUMNS, ids.map((i) => enrollment(`e${i}`, 'big', `u${i}`, 'student', '2025-09-23', '2026-06-30'))) },
    ]);
    const run = async () => {
      const started = performance.now();
      const report = await importOneRosterZip(database.handle.db, district, zip, { profile: 'ir', today: TODAY, ip: null });
      assert.ok(!('status' in report));
      return { report: report as OneRosterReport, seconds: (performance.now() - started) / 1000 };
    };
    const first = await run();
    console.log(`ℹ 100,000 OneRoster users imported in ${first.seconds.toFixed(1)} s (zip ${(zip.length / 1e6).toFixed(1)} MB)`);
    assert.deepEqual(first.report.errors, []);
    assert.equal(first.report.files['enrollments.csv'].created, N);
    assert.equal(first.report.files['users.csv'].created, N);
    assert.ok(first.seconds < 180, `took ${first.seconds} s`);
    const second = await run();
    console.log(`ℹ the same zip again in ${second.seconds.toFixed(1)} s`);
    assert.equal(second.report.created, 0);
    assert.equal(second.report.files['enrollments.csv'].unchanged, N);
    assert.equal(await count(database.handle.db, 'memberships'), N + 1);
  });
});
