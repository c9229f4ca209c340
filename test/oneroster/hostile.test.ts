// Hostile OneRoster zips (issue 13 §5): bombs that lie in their headers or compress too
// well, names that climb out of the root, duplicates, missing files and columns, text that
// is not UTF-8: each refused whole with a catalog code, quickly, and nothing written.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { importOneRosterZip, OneRosterFileError, ZipError } from '../../src/admin/oneroster/import.ts';
import { readOneRosterZip } from '../../src/admin/oneroster/zip.ts';
import { nearMiss } from '../../src/admin/oneroster/csv.ts';
import type { Scope } from '../../src/admin/scope.ts';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { openTestDatabase } from '../helpers/app.ts';
import { createTree, nationalIdFor, type Tree } from '../helpers/fixtures.ts';
import { adminScope, count, registryPeople, TODAY } from './helpers.ts';
import { buildZip, csv, smuggle, enrollment, ENROLLMENT_COLUMNS, MANIFEST_BULK, ORG_COLUMNS, SESSION_COLUMNS, user, USER_COLUMNS } from './zip-builder.ts';

const options = { profile: 'ir' as const, today: TODAY, ip: null };

describe('hostile OneRoster zips', () => {
  let database: { handle: DatabaseHandle; close(): Promise<void> };
  let tree: Tree;
  let district: Scope;
  const orgs = () => csv(ORG_COLUMNS, [['sch1', '', '', 'دبستان', 'school', '', tree.district]]);
  const users = csv(USER_COLUMNS, [user({ id: 't1', nationalId: nationalIdFor(60), role: 'teacher', orgs: 'sch1' })]);

  before(async () => {
    database = await openTestDatabase('postgres');
    tree = await createTree(database.handle.db);
    district = await adminScope(database.handle.db, tree.district, 'district_admin', 1);
    await registryPeople(database.handle.db, [60]);
  });
  after(() => database.close());

  const refused = async (zip: Buffer, code: string) => {
    const before = { organizations: await count(database.handle.db, 'organizations'), memberships: await count(database.handle.db, 'memberships'), sources: await count(database.handle.db, 'oneroster_sources') };
    const started = performance.now();
    await assert.rejects(importOneRosterZip(database.handle.db, district, zip, options), (error: unknown) => {
      assert.ok(error instanceof ZipError || error instanceof OneRosterFileError, String(error));
      assert.equal(error.code, code);
      return true;
    });
    assert.ok(performance.now() - started < 5000, 'refused quickly');
    assert.deepEqual({ organizations: await count(database.handle.db, 'organizations'), memberships: await count(database.handle.db, 'memberships'), sources: await count(database.handle.db, 'oneroster_sources') }, before, 'nothing written');
  };

  test('an entry that declares a small size but inflates to half a gigabyte is stopped at its declared size', async () => {
    const bomb = Buffer.alloc(512 * 1024 * 1024);
    // deflateRaw of 512 MiB of zeros is about 0.5 MB: declared as 2 MB, the ratio check passes and the lie is found while inflating.
    await refused(buildZip([{ name: 'manifest.csv', data: MANIFEST_BULK }, { name: 'orgs.csv', data: orgs() }, { name: 'users.csv', data: bomb, declaredSize: 2 * 1024 * 1024 }]), 'oneroster.zip_too_large');
  });

  test('an entry that compresses a thousand times is refused before inflating', async () => {
    await refused(buildZip([{ name: 'manifest.csv', data: MANIFEST_BULK }, { name: 'users.csv', data: Buffer.alloc(50 * 1024 * 1024, 0x41) }]), 'oneroster.zip_too_large');
  });

  test('names outside the root, folders, unknown and repeated names are refused, the entry named when it can be', async () => {
    // Names the zip library refuses itself while it lists the directory: no name to quote.
    for (const name of ['../orgs.csv', '/orgs.csv', 'C:/orgs.csv', '..\\orgs.csv']) {
      await refused(buildZip([{ name: 'manifest.csv', data: MANIFEST_BULK }, { name, data: orgs() }]), 'oneroster.zip_entry_name');
    }
    const named: [string, string, Record<string, string>][] = [
      ['data/orgs.csv', 'oneroster.zip_two_places', { first: 'manifest.csv' }],
      ['ORGS.CSV', 'oneroster.zip_entry_case', { file: 'orgs.csv' }],
      ['Academicsessions.csv', 'oneroster.zip_entry_case', { file: 'academicSessions.csv' }],
      ['evil.sh', 'oneroster.zip_entry_named', {}],
      ['ev\u202eil\u0000.sh', 'oneroster.zip_entry_named', {}],
    ];
    for (const [name, code, params] of named) {
      const zip = buildZip([{ name: 'manifest.csv', data: MANIFEST_BULK }, { name, data: orgs() }]);
      await refused(zip, code);
      await assert.rejects(readOneRosterZip(zip), (error: unknown) => {
        assert.ok(error instanceof ZipError);
        assert.deepEqual(error.params, { entry: name.replace(/[\u0000\u202e]/g, '\ufffd'), ...params }, name);
        return true;
      });
    }
    await refused(buildZip([{ name: 'manifest.csv', data: MANIFEST_BULK }, { name: 'orgs.csv', data: orgs() }, { name: 'orgs.csv', data: orgs() }]), 'oneroster.zip_entry_twice');
  });

  test('an enrollment of a user whose own row was rejected says so; one of a user the file lacks says that', async () => {
    const zip = buildZip([
      { name: 'manifest.csv', data: MANIFEST_BULK.replace('file.academicSessions,bulk', 'file.academicSessions,absent') },
      { name: 'orgs.csv', data: orgs() },
      { name: 'users.csv', data: csv(USER_COLUMNS, [user({ id: 't1', nationalId: nationalIdFor(60), role: 'teacher', orgs: 'sch1' }), user({ id: 't2', nationalId: '1234567890', role: 'teacher', orgs: 'sch1' })]) },
      { name: 'enrollments.csv', data: csv(ENROLLMENT_COLUMNS, [enrollment('e1', 'sch1', 't1', 'teacher'), enrollment('e2', 'sch1', 't2', 'teacher'), enrollment('e3', 'sch1', 'ghost', 'teacher')]) },
    ]);
    const report = await importOneRosterZip(database.handle.db, district, zip, options);
    assert.ok(!('status' in report));
    const enrollmentErrors = report.errors.filter((e) => e.file === 'enrollments.csv').map((e) => `${e.line}:${e.code}`);
    assert.deepEqual(enrollmentErrors, ['3:oneroster.user_rejected', '4:oneroster.user_unknown']);
    assert.ok(report.errors.some((e) => e.file === 'users.csv' && e.line === 3), 't2\'s own row is reported');
  });

  test('row errors name the row\'s first line, as an editor numbers it, with a cell over two lines and CRLF', async () => {
    const orgsFile = ['sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId', `sch1,,,"دبستان\r\nیک",school,,${tree.district}`, `x,,,بخش,department,,${tree.district}`, ''].join('\r\n');
    const report = await importOneRosterZip(database.handle.db, district, buildZip([
      { name: 'manifest.csv', data: MANIFEST_BULK.replace('file.academicSessions,bulk', 'file.academicSessions,absent') },
      { name: 'orgs.csv', data: `\ufeff${orgsFile}` }, { name: 'users.csv', data: users },
      { name: 'enrollments.csv', data: csv(ENROLLMENT_COLUMNS, [enrollment('e1', 'sch1', 't1', 'teacher')]) },
    ]), options);
    assert.ok(!('status' in report));
    assert.deepEqual(report.errors.filter((e) => e.file === 'orgs.csv').map((e) => `${e.line}:${e.code}`), ['4:oneroster.org_type_unknown']);
  });

  test('line ends mixed within a file (CRLF, then LF, then a lone CR): every row read at its line; a column named twice refuses the file', async () => {
    const orgsFile = `${['sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId', `sch1,,,دبستان,school,,${tree.district}`].join('\r\n')}\n`
      + `x,,,بخش,department,,${tree.district}\ry,,,بخش,department,,${tree.district}\n`;
    const report = await importOneRosterZip(database.handle.db, district, buildZip([
      { name: 'manifest.csv', data: MANIFEST_BULK.replace('file.academicSessions,bulk', 'file.academicSessions,absent') },
      { name: 'orgs.csv', data: orgsFile }, { name: 'users.csv', data: users },
      { name: 'enrollments.csv', data: csv(ENROLLMENT_COLUMNS, [enrollment('e1', 'sch1', 't1', 'teacher')]) },
    ]), options);
    assert.ok(!('status' in report));
    assert.deepEqual(report.errors.filter((e) => e.file === 'orgs.csv').map((e) => `${e.line}:${e.code}`), ['3:oneroster.org_type_unknown', '4:oneroster.org_type_unknown']);
    const twice = users.replace('givenName,', 'givenName,givenName,');
    await assert.rejects(importOneRosterZip(database.handle.db, district, buildZip([{ name: 'manifest.csv', data: MANIFEST_BULK }, { name: 'orgs.csv', data: orgs() }, { name: 'users.csv', data: twice }]), options),
      (error: unknown) => error instanceof OneRosterFileError && error.code === 'oneroster.bad_header_duplicate' && error.params.file === 'users.csv');
  });

  test('a zip made by a Mac\'s Finder (its __MACOSX folder and .DS_Store) imports as the same files alone would', async () => {
    const finder = buildZip([
      { name: 'manifest.csv', data: MANIFEST_BULK.replace('file.academicSessions,bulk', 'file.academicSessions,absent') },
      { name: 'orgs.csv', data: orgs() }, { name: 'users.csv', data: users },
      { name: 'enrollments.csv', data: csv(ENROLLMENT_COLUMNS, [enrollment('e1', 'sch1', 't1', 'teacher')]) },
      { name: '__MACOSX/', data: '' }, { name: '__MACOSX/._users.csv', data: Buffer.from([0, 5, 22, 7, 0, 2]) }, { name: '.DS_Store', data: Buffer.alloc(64, 1) },
    ]);
    const report = await importOneRosterZip(database.handle.db, district, finder, options);
    assert.ok(!('status' in report), JSON.stringify(report));
    assert.deepEqual(report.errors, []);
  });

  test('a folder compressed whole (Windows, or a Mac with its folder entries and twins) imports as the same files at the root would', async () => {
    const files = (folder: string) => [
      { name: `${folder}manifest.csv`, data: MANIFEST_BULK.replace('file.academicSessions,bulk', 'file.academicSessions,absent') },
      { name: `${folder}orgs.csv`, data: orgs() }, { name: `${folder}users.csv`, data: users },
      { name: `${folder}enrollments.csv`, data: csv(ENROLLMENT_COLUMNS, [enrollment('e1', 'sch1', 't1', 'teacher')]) },
      { name: `${folder}classes.csv`, data: 'sourcedId\n' },
    ];
    const windows = buildZip(files('خروجی مدرسه/'));
    const mac = buildZip([
      { name: 'export/', data: '' }, ...files('export/'), { name: 'export/.DS_Store', data: Buffer.alloc(64, 1) },
      { name: '__MACOSX/', data: '' }, { name: '__MACOSX/export/', data: '' }, { name: '__MACOSX/export/._users.csv', data: Buffer.from([0, 5, 22, 7]) },
      { name: 'export/._orgs.csv', data: Buffer.from([0, 5, 22, 7]) },
    ]);
    for (const zip of [windows, mac]) {
      const read = await readOneRosterZip(zip);
      assert.deepEqual([...read.keys()].sort(), ['enrollments.csv', 'manifest.csv', 'orgs.csv', 'users.csv']);
      assert.equal(read.get('users.csv')?.toString(), users);
      const report = await importOneRosterZip(database.handle.db, district, zip, options);
      assert.ok(!('status' in report), JSON.stringify(report));
      assert.deepEqual(report.errors, []);
    }
  });

  test('files in two places, in a folder within the folder, or twice are refused, saying which and what to do', async () => {
    const cases: [string[], string, Record<string, string>][] = [
      [['a/manifest.csv', 'b/orgs.csv'], 'oneroster.zip_two_places', { entry: 'b/orgs.csv', first: 'a/manifest.csv' }],
      [['manifest.csv', 'a/orgs.csv'], 'oneroster.zip_two_places', { entry: 'a/orgs.csv', first: 'manifest.csv' }],
      [['a/manifest.csv', 'orgs.csv'], 'oneroster.zip_two_places', { entry: 'orgs.csv', first: 'a/manifest.csv' }],
      [['other/', 'manifest.csv', 'a/orgs.csv'], 'oneroster.zip_two_places', { entry: 'a/orgs.csv', first: 'manifest.csv' }],
      // The folder above the export compressed: the files two folders down.
      [['OneRoster/', 'OneRoster/export/', 'OneRoster/export/manifest.csv'], 'oneroster.zip_too_deep', { entry: 'OneRoster/export/manifest.csv', folder: 'OneRoster/export/' }],
      [['a/', 'a/manifest.csv', 'a/b/orgs.csv'], 'oneroster.zip_too_deep', { entry: 'a/b/orgs.csv', folder: 'a/b/' }],
      [['a/manifest.csv', 'a/manifest.csv'], 'oneroster.zip_entry_twice', { entry: 'a/manifest.csv' }],
      [['a/manifest.csv', 'a/notes.txt'], 'oneroster.zip_entry_named', { entry: 'a/notes.txt' }],
    ];
    for (const [names, code, params] of cases) {
      const zip = buildZip(names.map((name) => ({ name, data: name.endsWith('/') ? '' : name.endsWith('manifest.csv') ? MANIFEST_BULK : orgs() })));
      await refused(zip, code);
      await assert.rejects(readOneRosterZip(zip), (error: unknown) => {
        assert.ok(error instanceof ZipError);
        assert.deepEqual(error.params, params, names.join(' '));
        return true;
      });
    }
  });

  test('a name in UTF-8 without the flag that says so (a Mac\'s Archive Utility) is read as written, and quoted so', async () => {
    const folder = 'خروجی آموزش/';
    const read = await readOneRosterZip(buildZip([{ name: `${folder}manifest.csv`, data: MANIFEST_BULK, utf8Flag: false }, { name: `${folder}orgs.csv`, data: orgs(), utf8Flag: false }]));
    assert.deepEqual([...read.keys()].sort(), ['manifest.csv', 'orgs.csv']);
    const stray = buildZip([{ name: `${folder}manifest.csv`, data: MANIFEST_BULK, utf8Flag: false }, { name: `${folder}گزارش.txt`, data: 'x', utf8Flag: false }]);
    await assert.rejects(readOneRosterZip(stray), (error: unknown) => error instanceof ZipError && error.entry === `${folder}گزارش.txt`);
  });

  test('what Windows adds to a folder (Thumbs.db, desktop.ini) is left unread like a Mac\'s', async () => {
    const read = await readOneRosterZip(buildZip([
      { name: 'export/manifest.csv', data: MANIFEST_BULK }, { name: 'export/Thumbs.db', data: Buffer.alloc(100, 7) }, { name: 'export/desktop.ini', data: '[.ShellClassInfo]' },
    ]));
    assert.deepEqual([...read.keys()], ['manifest.csv']);
  });

  test('a folder\'s own entry is never read, whatever it holds or is called: the files decide where they are', async () => {
    const read = await readOneRosterZip(buildZip([
      { name: 'other/', data: '' }, { name: 'manifest.csv', data: MANIFEST_BULK }, { name: 'orgs.csv/', data: orgs() }, { name: 'users.csv/', data: 'x'.repeat(5000) },
    ]));
    assert.deepEqual([...read.keys()], ['manifest.csv']);
  });

  test('an entry with two names is refused: its local header naming another file, or a Unicode Path over a plain name naming another', async () => {
    const rest = [{ name: 'manifest.csv', data: MANIFEST_BULK }, { name: 'orgs.csv', data: orgs() }];
    await refused(buildZip([...rest, { name: 'users.csv', localName: 'users_OLD.csv', data: users }]), 'oneroster.zip_invalid');
    await refused(buildZip([...rest, { name: 'users_OLD.csv', localName: 'users_OLD.csv', unicodePath: 'users.csv', data: users }]), 'oneroster.zip_invalid');
    await refused(buildZip([...rest, { name: 'export/users_OLD.csv', unicodePath: 'export/users.csv', data: users }]), 'oneroster.zip_invalid');
    // A name flagged as UTF-8 is read for sure too, whatever its letters (an attacker review's bypass: one «é»).
    await refused(buildZip([...rest, { name: 'users_OLD_é.csv', unicodePath: 'users.csv', data: users }]), 'oneroster.zip_invalid');
    // A Unicode Path that says what the name says, or spells a name that is not plain ASCII, is the name.
    const agreed = await readOneRosterZip(buildZip([...rest, { name: 'users.csv', unicodePath: 'users.csv', data: users }]));
    assert.equal(agreed.get('users.csv')?.toString(), users);
    const persianFolder = await readOneRosterZip(buildZip([{ name: 'خروجی/manifest.csv', unicodePath: 'خروجی/manifest.csv', data: MANIFEST_BULK }]));
    assert.deepEqual([...persianFolder.keys()], ['manifest.csv']);
  });

  test('nearMiss: a header column within two letters of a missing one, case ignored; none when nothing is close', () => {
    assert.deepEqual(nearMiss(['givenName'], ['sourcedId', 'giveName', 'familyName']), { found: 'giveName', wanted: 'givenName' });
    assert.deepEqual(nearMiss(['sourcedId'], ['SourcedID', 'name']), { found: 'SourcedID', wanted: 'sourcedId' });
    assert.deepEqual(nearMiss(['parentSourcedId'], ['parent_sourced_id']), { found: 'parent_sourced_id', wanted: 'parentSourcedId' });
    assert.equal(nearMiss(['givenName'], ['firstName', 'nom']), undefined);
    assert.equal(nearMiss(['givenName'], ['', 'x'.repeat(100_000)]), undefined, 'a huge cell is judged by its length alone');
  });

  test('an entry hidden between the listed ones (the directory does not name it) is refused', async () => {
    const listed = buildZip([{ name: 'manifest.csv', data: MANIFEST_BULK }, { name: 'orgs.csv', data: orgs() }, { name: 'users.csv', data: users }]);
    await refused(smuggle(listed, 'users.csv', Buffer.from(users)), 'oneroster.zip_invalid');
  });

  test('not a zip, too many entries', async () => {
    await refused(Buffer.from('sourcedId,name\n'), 'oneroster.zip_invalid');
    await refused(Buffer.alloc(0), 'oneroster.zip_invalid');
    const many = Array.from({ length: 60 }, () => ({ name: 'manifest.csv', data: MANIFEST_BULK }));
    await refused(buildZip(many), 'oneroster.zip_too_large');
  });

  test('a missing manifest, a missing file, a missing column, text that is not UTF-8 or not CSV', async () => {
    await refused(buildZip([{ name: 'orgs.csv', data: orgs() }, { name: 'users.csv', data: users }]), 'oneroster.manifest_missing');
    await refused(buildZip([{ name: 'manifest.csv', data: MANIFEST_BULK }, { name: 'orgs.csv', data: orgs() }]), 'oneroster.file_missing');
    await refused(buildZip([{ name: 'manifest.csv', data: MANIFEST_BULK }, { name: 'orgs.csv', data: 'sourcedId,name,parentSourcedId\nx,y,z\n' }, { name: 'users.csv', data: users }]), 'oneroster.bad_header');
    // A column spelt nearly right is named with the one it seems to mean.
    const typo = users.replace('givenName', 'giveName');
    await assert.rejects(importOneRosterZip(database.handle.db, district, buildZip([{ name: 'manifest.csv', data: MANIFEST_BULK }, { name: 'orgs.csv', data: orgs() }, { name: 'users.csv', data: typo }]), options),
      (error: unknown) => error instanceof OneRosterFileError && error.code === 'oneroster.bad_header_near'
        && error.params.found === 'giveName' && error.params.wanted === 'givenName' && error.params.columns === 'givenName');
    await refused(buildZip([{ name: 'manifest.csv', data: MANIFEST_BULK }, { name: 'orgs.csv', data: Buffer.from([0x73, 0xff, 0xfe, 0x0a]) }, { name: 'users.csv', data: users }]), 'oneroster.not_utf8');
    // Saved by Excel in Windows-1256: the refusal names the first line that is not UTF-8.
    const arabicCodePage = Buffer.concat([Buffer.from(`${ORG_COLUMNS.join(',')}\r\nsch1,,,school one,school,,${tree.district}\r\nsch2,,,`), Buffer.from([0xcf, 0xc8, 0xd3, 0xca, 0xc7, 0xe4]), Buffer.from(',school,,x\r\n')]);
    await assert.rejects(importOneRosterZip(database.handle.db, district, buildZip([{ name: 'manifest.csv', data: MANIFEST_BULK }, { name: 'orgs.csv', data: arabicCodePage }, { name: 'users.csv', data: users }]), options),
      (error: unknown) => error instanceof OneRosterFileError && error.code === 'oneroster.not_utf8' && error.params.line === 3 && error.params.file === 'orgs.csv');
    await refused(buildZip([{ name: 'manifest.csv', data: MANIFEST_BULK }, { name: 'orgs.csv', data: orgs() + '"unclosed,school\nx,y\n' }, { name: 'users.csv', data: users }]), 'oneroster.not_csv_at');
    // The line is where the broken record begins (3), not where the parser gave up (the end of the file).
    await assert.rejects(importOneRosterZip(database.handle.db, district, buildZip([{ name: 'manifest.csv', data: MANIFEST_BULK }, { name: 'orgs.csv', data: `\ufeff${orgs()}"unclosed,school\nx,y\n` }, { name: 'users.csv', data: users }]), options),
      (error: unknown) => error instanceof OneRosterFileError && error.params.line === 3 && error.params.file === 'orgs.csv');
    await refused(buildZip([{ name: 'manifest.csv', data: MANIFEST_BULK.replace('oneroster.version,1.2', 'oneroster.version,9.0') }, { name: 'orgs.csv', data: orgs() }, { name: 'users.csv', data: users }]), 'oneroster.version');
  });

  test('hostile cells are row errors: an overlong sourcedId, a NUL, bad and impossible dates, a right-to-left override in a name', async () => {
    const zip = buildZip([
      { name: 'manifest.csv', data: MANIFEST_BULK.replace('file.academicSessions,bulk', 'file.academicSessions,absent') },
      { name: 'orgs.csv', data: csv(ORG_COLUMNS, [['sch1', '', '', '\u202eدبستان\u0000', 'school', '', tree.district], ['x'.repeat(300), '', '', 'y', 'school', '', tree.district], ['d', '', '', 'بخش', 'department', '', tree.district]]) },
      { name: 'users.csv', data: users },
      { name: 'enrollments.csv', data: csv(ENROLLMENT_COLUMNS, [enrollment('e1', 'sch1', 't1', 'teacher', '2026-02-30'), enrollment('e2', 'sch1', 't1', 'teacher', '۱۴۰۴/۰۷/۰۱', '2025-01-01')]) },
    ]);
    const report = await importOneRosterZip(database.handle.db, district, zip, options);
    assert.ok(!('status' in report));
    assert.deepEqual(report.errors.map((e) => `${e.file}:${e.line}:${e.field}:${e.code}`), [
      'orgs.csv:3:sourcedId:oneroster.too_long', 'orgs.csv:4:type:oneroster.org_type_unknown',
      'enrollments.csv:2:beginDate:oneroster.date_invalid', 'enrollments.csv:3:endDate:admin.end_before_start',
    ]);
    const school = await database.handle.db.selectFrom('organizations').select('name').where('parent_id', '=', tree.district).where('name', 'like', '%دبستان%').where('id', '!=', tree.schoolA).execute();
    assert.deepEqual(school, [{ name: 'دبستان' }], 'the override and the NUL are gone');
  });

  test('a quote inside an unquoted cell is a character: a Hebrew school (בי"ס) and school year (תשפ"ו) as an export writes them', async () => {
    // Written by hand, not by csv(): exports rarely quote a cell whose only quote is the gershayim.
    const zip = buildZip([
      { name: 'manifest.csv', data: MANIFEST_BULK },
      { name: 'academicSessions.csv', data: `${SESSION_COLUMNS.join(',')}\r\ny1,,,תשפ"ו,schoolYear,2025-09-01,2026-06-30,,2026\r\n` },
      { name: 'orgs.csv', data: `${ORG_COLUMNS.join(',')}\r\nsch-he,,,בי"ס אלון,school,,${tree.district}\r\n` },
      { name: 'users.csv', data: csv(USER_COLUMNS, [user({ id: 't-he', nationalId: nationalIdFor(61), role: 'teacher', orgs: 'sch-he' })]) },
      { name: 'enrollments.csv', data: csv(ENROLLMENT_COLUMNS, [enrollment('e-he', 'sch-he', 't-he', 'teacher')]) },
    ]);
    await registryPeople(database.handle.db, [61]);
    const report = await importOneRosterZip(database.handle.db, district, zip, options);
    assert.ok(!('status' in report));
    assert.deepEqual(report.errors, []);
    assert.deepEqual(report.schoolYear, { start: '2025-09-01', end: '2026-06-30', from: 'academicSessions.csv' });
    const school = await database.handle.db.selectFrom('organizations').select(['id', 'name']).where('name', '=', 'בי"ס אלון').executeTakeFirstOrThrow();
    const appointed = await database.handle.db.selectFrom('memberships').select(['role', 'starts_on']).where('organization_id', '=', school.id).execute();
    assert.deepEqual(appointed.map((m) => m.role), ['teacher']);
  });

  test('the reader hands back only the files Kelid reads, skipping the binding\'s others', async () => {
    const files = await readOneRosterZip(buildZip([{ name: 'manifest.csv', data: MANIFEST_BULK }, { name: 'classes.csv', data: 'x' }, { name: 'courses.csv', data: 'y', method: 0 }, { name: 'orgs.csv', data: orgs() }]));
    assert.deepEqual([...files.keys()], ['manifest.csv', 'orgs.csv']);
  });
});
