// CSV import of a school's users (issue 5 §7): a row-by-row report, idempotent re-runs,
// Excel's BOM, Persian digits and role names, wrong columns, parents linked to students of the
// same file, scope, and a 50,000-row file.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor, type Tree } from '../helpers/fixtures.ts';
import { withTableHeld } from '../helpers/races.ts';
import { buildXlsx, multipartBody } from '../helpers/xlsx.ts';
import { catalogs } from '../../src/i18n/catalogs.ts';

const PASSWORD = 'Modir-Madreseh-1404!';
const fa = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d)));

describe('CSV import', () => {
  let t: TestApp;
  let tree: Tree;
  let token: string;

  before(async () => {
    // Every file here is imported at once (test/imports/import-jobs.test.ts has the background ones).
    t = await startTestApp('postgres', { KELID_ADMIN_MFA: 'optional', KELID_IMPORT_BACKGROUND_ROWS: '1000000' });
    tree = await createTree(t.handle.db);
    await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(1), password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'principal' }] });
    for (const n of [40, 41, 42, 43]) await t.handle.db.insertInto('people').values({ national_id: nationalIdFor(n), first_name: `نفر${n}`, last_name: 'آزمون', birth_date: '2010-01-01' }).execute();
    token = (await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: nationalIdFor(1), password: PASSWORD } })).json().token;
  });
  after(() => t.close());

  const upload = (csv: string, query = '') => t.app.inject({
    method: 'POST', url: `/api/v1/admin/imports${query}`, payload: csv,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', 'accept-language': 'fa' },
  });

  test('a row-by-row report; the same file again changes nothing', async () => {
    const csv = '\ufeffnational_id,role,start,end,child_national_id\r\n'
      + `${fa(nationalIdFor(40))},دانش آموز,۱۴۰۴/۰۷/۰۱,۱۴۰۵/۰۶/۳۱,\r\n`
      + `${nationalIdFor(41)},teacher,,,\r\n`
      + `${nationalIdFor(42)},پدر,,,${nationalIdFor(40)}\r\n`
      + `${nationalIdFor(43)},مدیر,,,\r\n`
      + `${nationalIdFor(999)},teacher,,,\r\n`
      + `123,astronaut,2025-13-01,,\r\n`
      + `${nationalIdFor(41)},teacher,,,\r\n`
      + `"=HYPERLINK(""http://x"")",teacher,,,\r\n`
      + `${nationalIdFor(43)},teacher,,,${nationalIdFor(40)}\r\n`;
    const first = await upload(csv);
    assert.equal(first.statusCode, 200, first.body);
    const report = first.json();
    assert.deepEqual({ created: report.created, existing: report.existing, rejected: report.rejected }, { created: 3, existing: 0, rejected: 6 });
    const byLine = Object.fromEntries(report.rows.map((r: { line: number; outcome: string; reasons: string[] }) => [r.line, `${r.outcome}:${r.reasons.join('+')}`]));
    assert.deepEqual(byLine, {
      2: 'created:', 3: 'created:', 4: 'created:', 5: 'rejected:admin.role_not_allowed', 6: 'rejected:registry.not_found',
      7: 'rejected:national_id.format+import.role_unknown+import.start_invalid', 8: 'rejected:import.duplicate_row', 9: 'rejected:national_id.format',
      10: 'rejected:import.child_not_for_role',
    });
    const father = await t.handle.db.selectFrom('guardianships as g').innerJoin('people as c', 'c.id', 'g.child_person_id').select(['c.national_id', 'g.relation']).execute();
    assert.deepEqual(father, [{ national_id: nationalIdFor(40), relation: 'father' }], 'the father is linked to the student created by the same file');

    const again = (await upload(csv)).json();
    assert.deepEqual({ created: again.created, existing: again.existing, rejected: again.rejected }, { created: 0, existing: 3, rejected: 6 });
    const memberships = await t.handle.db.selectFrom('memberships').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(memberships.n), 4, 'the principal and three new appointments, no more');
  });

  test('the same file sent six times at once (a double submit) makes each appointment once; the other reports find them', async () => {
    // People with accounts already, as the students of a school are: no new account's unique key orders the three.
    for (const n of [44, 45, 46]) await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(n), password: PASSWORD });
    const csv = `national_id,role\r\n${nationalIdFor(44)},staff\r\n${nationalIdFor(45)},staff\r\n${nationalIdFor(46)},staff\r\n${nationalIdFor(41)},staff\r\n`;
    // The audit log held until all six wait: each has done all it does before its audit event.
    const reports = (await withTableHeld(t.handle.db, 'audit_events', 6, () => Array.from({ length: 6 }, () => upload(csv)))).map((answer) => answer.json());
    assert.deepEqual(reports.map((report) => `${report.created}+${report.existing}`).sort(), ['0+4', '0+4', '0+4', '0+4', '0+4', '4+0']);
    const rows = await t.handle.db.selectFrom('memberships as m').innerJoin('accounts as a', 'a.id', 'm.account_id').innerJoin('people as p', 'p.id', 'a.person_id')
      .select('p.national_id').where('m.role', '=', 'staff').where('m.organization_id', '=', tree.schoolA).execute();
    assert.deepEqual(rows.map((row) => row.national_id).sort(), [41, 44, 45, 46].map(nationalIdFor).sort(), 'one staff appointment each');
  });

  test('a row is reported at its first line as an editor numbers them: a cell over two lines, CRLF or LF, blank lines', async () => {
    for (const inside of ['\n', '\r\n']) {
      for (const end of ['\r\n', '\n']) {
        // Line 4 is empty and line 8 only white space: both skipped, both counted.
        const csv = ['national_id,role', `${nationalIdFor(60)},"teacher${inside}x"`, '', `${nationalIdFor(61)},"a${inside}b${inside}c"`, ' \t ', '123,teacher', ''].join(end);
        const report = (await upload(csv)).json();
        const lines = report.rows.map((r: { line: number; reasons: string[] }) => `${r.line}:${r.reasons.join('+')}`);
        assert.deepEqual(lines, ['2:import.role_unknown', '5:import.role_unknown', '9:national_id.format'], JSON.stringify({ inside, end }));
      }
    }
  });

  test('line ends mixed within one file (CRLF, LF, a lone CR, LF CR): every row read, at its line, none lost into a cell', async () => {
    for (const ends of [['\r\n', '\n', '\n'], ['\n', '\r\n', '\r'], ['\r', '\n', '\r\n'], ['\n\r', '\n', '\r\n']]) {
      // A trailing comma on some rows (an empty cell), as spreadsheets write them.
      const rows = [`${nationalIdFor(70)},astronaut,`, `${nationalIdFor(71)},astronaut`, `${nationalIdFor(72)},astronaut,`];
      const csv = `national_id,role${ends[0]}${rows.map((row, i) => `${row}${ends[(i + 1) % ends.length]}`).join('')}`;
      const report = (await upload(csv)).json();
      const seen = report.rows.map((r: { line: number; nationalId: string; reasons: string[] }) => `${r.line}:${r.nationalId}:${r.reasons.join('+')}`);
      // "\n\r" is two line ends, as an editor shows it: a blank line after the header.
      const first = ends[0] === '\n\r' ? 3 : 2;
      assert.deepEqual(seen, rows.map((_, i) => `${first + i}:${nationalIdFor(70 + i)}:import.role_unknown`), JSON.stringify(ends));
    }
  });

  test('a column named twice is refused whole, naming it, rather than the last cell winning', async () => {
    const twice = await upload(`national_id,role,Role\n${nationalIdFor(73)},teacher,student\n`);
    assert.equal(twice.statusCode, 422);
    assert.equal(twice.json().error.code, 'import.bad_header_duplicate');
    assert.match(twice.json().error.message, /«role»/);
    const people = await t.handle.db.selectFrom('people').select('id').where('national_id', '=', nationalIdFor(73)).execute();
    assert.deepEqual(people, [], 'nothing written');
  });

  test('wrong columns, another school, not CSV: refused whole, nothing written', async () => {
    const wrong = await upload('nationalid,role\n0012345679,teacher\n');
    assert.equal(wrong.statusCode, 422);
    assert.equal(wrong.json().error.code, 'import.bad_header_unknown');
    assert.match(wrong.json().error.message, /«nationalid»/, 'the column not understood is named');
    // Saved with semicolons (a Persian or European Excel): the one column it makes is named whole.
    const semicolons = await upload('national_id;role\n0012345679;teacher\n');
    assert.match(semicolons.json().error.message, /«national_id;role»/);
    // A column missing, none unknown: the list of those expected.
    const missing = await upload('national_id\n0012345679\n');
    assert.equal(missing.json().error.code, 'import.bad_header');
    // A name with a direction override cannot turn the message around.
    assert.match((await upload('national_id,role,\u202eevil\n')).json().error.message, /«\ufffdevil»/);
    assert.equal((await upload(`national_id,role\n${nationalIdFor(41)},teacher\n`, `?organizationId=${tree.schoolB}`)).statusCode, 404);
    const broken = await upload('national_id,role\n"unclosed,teacher\n');
    assert.equal(broken.statusCode, 422);
    const json = await t.app.inject({ method: 'POST', url: '/api/v1/admin/imports', payload: { a: 1 }, headers: { authorization: `Bearer ${token}` } });
    assert.equal(json.statusCode, 415);
    // A multipart body that is not well formed: the client's fault, a localized 400 in JSON.
    // (Empty, it is well formed with no file: the file asked for.)
    for (const [contentType, payload, status, code] of [['multipart/form-data; boundary=zzz', '', 415, 'import.send_file'], ['multipart/form-data; boundary=zzz', 'x', 400, 'error.bad_request'],
      ['multipart/form-data', 'x', 400, 'error.bad_request'],
      ['multipart/form-data; boundary=zzz', '--zzz\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nnational_id', 400, 'error.bad_request']] as const) {
      const malformed = await t.app.inject({ method: 'POST', url: '/api/v1/admin/imports', payload, headers: { authorization: `Bearer ${token}`, 'content-type': contentType, 'accept-language': 'fa' } });
      assert.deepEqual([malformed.statusCode, malformed.json().error.code], [status, code], `${contentType} ${JSON.stringify(payload)}`);
      assert.match(malformed.json().error.message, /[\u0600-\u06ff]/, 'in Persian');
    }
  });

  test('the contract: multipart .csv and .xlsx, a text/csv body; {created, updated, errors: [{line, field, code, message}]}', async () => {
    const send = async (name: string, bytes: Buffer, locale = 'en') => {
      const body = await multipartBody({ name, bytes });
      return t.app.inject({ method: 'POST', url: '/api/v1/admin/imports', payload: body.payload, headers: { authorization: `Bearer ${token}`, 'content-type': body.contentType, 'accept-language': locale } });
    };
    const csv = `national_id,role,email\n${nationalIdFor(41)},teacher,\n${nationalIdFor(44)},staff,not-an-address\n`;
    const asCsvPart = await send('users.csv', Buffer.from(csv));
    assert.equal(asCsvPart.statusCode, 200, asCsvPart.body);
    const report = asCsvPart.json();
    assert.deepEqual({ created: report.created, updated: report.updated, existing: report.existing, rejected: report.rejected }, { created: 0, updated: 0, existing: 1, rejected: 1 });
    assert.deepEqual(report.errors, [{ line: 3, field: 'email', code: 'import.email_invalid', message: catalogs.en['import.email_invalid'] }]);
    const xlsx = await buildXlsx([{ rows: [['national_id', 'role', 'email'], [nationalIdFor(41), 'teacher', ''], [nationalIdFor(44), 'staff', 'not-an-address']] }]);
    const asXlsxPart = (await send('users.xlsx', xlsx)).json();
    assert.deepEqual(asXlsxPart.errors, report.errors, 'the same errors, lines and fields from the same data as XLSX');
    const asBody = (await upload(csv)).json();
    assert.deepEqual(asBody.errors.map((e: { line: number; field: string; code: string }) => [e.line, e.field, e.code]), report.errors.map((e: { line: number; field: string; code: string }) => [e.line, e.field, e.code]));
    assert.equal(asBody.errors[0].message, catalogs.fa['import.email_invalid'], 'a text/csv body from a Persian client: Persian messages');
    const noFile = await send('empty.csv', Buffer.alloc(0));
    assert.equal(noFile.statusCode, 415);
    const spec = (await t.app.inject('/api/v1/openapi.json')).json();
    assert.match(spec.paths['/api/v1/admin/imports'].post.description, /multipart\/form-data/);
    assert.ok(spec.paths['/api/v1/admin/imports'].post.responses['200'].content['application/json'].schema.properties.errors);
  });

  test('50,000 rows', async () => {
    const ids = Array.from({ length: 50_000 }, (_, i) => nationalIdFor(100_000 + i));
    await sql`insert into people (national_id, first_name, last_name, birth_date)
      select id, 'دانش', 'آموز', '2012-01-01' from unnest(${ids}::text[]) as id`.execute(t.handle.db);
    const csv = `national_id,role\n${ids.map((id) => `${id},student`).join('\n')}\n`;
    const started = performance.now();
    const response = await upload(csv);
    const seconds = (performance.now() - started) / 1000;
    assert.equal(response.statusCode, 200);
    assert.equal(response.json().created, 50_000);
    console.log(`ℹ 50,000 rows imported in ${seconds.toFixed(1)} s`);
  });
});
