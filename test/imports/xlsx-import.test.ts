// XLSX user import (issue 13 §4): files made here with exceljs's writer give the same report and
// line numbers as the same data in CSV; formulas, merges, serial dates (1900 and 1904), Persian
// digits, a national ID typed as a number, rich text, empty rows, hidden and extra sheets; and
// the files refused whole with nothing written: not an XLSX, zip bombs, hidden zip entries.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor, type Tree } from '../helpers/fixtures.ts';
import { buildLargeXlsx, buildXlsx, multipartBody } from '../helpers/xlsx.ts';
import { buildZip, smuggle } from '../helpers/zip.ts';
import { nationalIdCheckDigit } from '../../src/domain/national-id.ts';

const PASSWORD = 'Modir-Mantaghe-1404!';
const fa = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d)));
/** An ID with two leading zeros, the kind a spreadsheet's number cell drops. */
const zeroId = (n: number) => { const first9 = `00${String(1_000_000 + n).slice(-7)}`; return `${first9}${nationalIdCheckDigit(first9)}`; };
type Row = { line: number; nationalId: string; role: string; outcome: string; reasons: string[] };

describe('XLSX import', () => {
  let t: TestApp;
  let tree: Tree;
  let token: string;

  before(async () => {
    // Every file here is imported at once (import-jobs.test.ts has the background ones).
    t = await startTestApp('postgres', { KELID_ADMIN_MFA: 'optional', KELID_IMPORT_BACKGROUND_ROWS: '1000000' });
    tree = await createTree(t.handle.db);
    await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(1), password: PASSWORD, memberships: [{ organizationId: tree.district, role: 'district_admin' }] });
    for (const n of [40, 41, 42, 50, 51, 52, 53]) await t.handle.db.insertInto('people').values({ national_id: nationalIdFor(n), first_name: `نفر${n}`, last_name: 'آزمون', birth_date: '2010-01-01' }).execute();
    await t.handle.db.insertInto('people').values({ national_id: zeroId(7), first_name: 'صفر', last_name: 'آزمون', birth_date: '2010-01-01' }).execute();
    token = (await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: nationalIdFor(1), password: PASSWORD } })).json().token;
  });
  after(() => t.close());

  const send = async (name: string, bytes: Buffer, query = '', locale = 'fa') => {
    const body = await multipartBody({ name, bytes });
    return t.app.inject({
      method: 'POST', url: `/api/v1/admin/imports${query}`, payload: body.payload,
      headers: { authorization: `Bearer ${token}`, 'content-type': body.contentType, 'accept-language': locale },
    });
  };
  const memberships = async () => Number((await t.handle.db.selectFrom('memberships').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
  const outcomes = (rows: Row[]) => rows.map((r) => ({ line: r.line, nationalId: r.nationalId, role: r.role, outcome: r.outcome, reasons: r.reasons }));

  test('the same data as CSV and as XLSX: the same report, the same line numbers', async () => {
    const header = ['national_id', 'role', 'start', 'end', 'child_national_id'];
    const rows = [
      [fa(nationalIdFor(40)), 'دانش آموز', '۱۴۰۴/۰۷/۰۱', '۱۴۰۵/۰۶/۳۱', ''],
      [nationalIdFor(41), 'teacher', '', '', ''],
      [nationalIdFor(42), 'پدر', '', '', nationalIdFor(40)],
      [],
      ['123', 'astronaut', '2025-13-01', '', ''],
      [nationalIdFor(41), 'teacher', '', '', ''],
    ];
    const csv = [header, ...rows].map((r) => r.join(',')).join('\r\n') + '\r\n';
    const fromCsv = await t.app.inject({
      method: 'POST', url: `/api/v1/admin/imports?organizationId=${tree.schoolA}`, payload: csv,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', 'accept-language': 'fa' },
    });
    assert.equal(fromCsv.statusCode, 200, fromCsv.body);
    const fromXlsx = await send('users.xlsx', await buildXlsx([{ rows: [header, ...rows] }]), `?organizationId=${tree.schoolB}`);
    assert.equal(fromXlsx.statusCode, 200, fromXlsx.body);
    const [a, b] = [fromCsv.json(), fromXlsx.json()];
    assert.deepEqual(outcomes(b.rows), outcomes(a.rows));
    assert.deepEqual(b.errors, a.errors);
    assert.deepEqual(outcomes(b.rows).map((r) => `${r.line}:${r.outcome}`), ['2:created', '3:created', '4:created', '6:rejected', '7:rejected'], 'row 5, empty, is skipped; the lines are the spreadsheet\'s');
    assert.deepEqual({ created: b.created, updated: b.updated, rejected: b.rejected }, { created: 3, updated: 0, rejected: 2 });
    assert.deepEqual(b.errors.filter((e: { line: number }) => e.line === 6).map((e: { field: string; code: string }) => `${e.field}:${e.code}`),
      ['national_id:national_id.format', 'role:import.role_unknown', 'start:import.start_invalid']);
    assert.equal(b.errors.find((e: { line: number }) => e.line === 7).message, 'این کد ملی با همین نقش در سطرهای قبلی فایل آمده است');
  });

  test('cells: cached formulas, numbers for IDs and dates, rich text; formulas without a result, merges and errors reject their rows', async () => {
    const file = await buildXlsx([{
      name: 'مدرسه',
      rows: [
        ['National_ID', 'role', 'start', 'end'],
        [Number(zeroId(7)), 'teacher', 45931, 46295], // the ID lost its zeros; dates as serial numbers
        [{ formula: `"${nationalIdFor(50)}"`, result: nationalIdFor(50) }, { richText: [{ text: 'tea' }, { font: { bold: true }, text: 'cher' }] }, new Date(Date.UTC(2025, 9, 1)), ''],
        [nationalIdFor(51), { formula: 'B1' }, '', ''],
        [nationalIdFor(52), 'teacher', '', ''],
        [nationalIdFor(53), '', '', ''],
        [{ error: '#REF!' }, 'teacher', '', ''],
        [`\u202e${fa(nationalIdFor(53))}\u200e`, 'teacher\u200b', '\u200f۱۴۰۴/۰۷/۰۱', ''], // direction marks, a zero-width space, Persian digits
        [nationalIdFor(53), 'teacher', '\ud800', ''], // a lone surrogate: UTF-8 cannot carry it, the file has U+FFFD
      ],
      merges: ['B5:B6'],
    }, { name: 'دیگر', rows: [['x']] }]);
    const response = await send('school.xlsx', file, `?organizationId=${tree.schoolA}`, 'en');
    assert.equal(response.statusCode, 200, response.body);
    const report = response.json();
    const byLine = Object.fromEntries(report.rows.map((r: Row) => [r.line, `${r.outcome}:${r.reasons.join('+')}`]));
    assert.deepEqual(byLine, {
      2: 'created:', 3: 'created:', 4: 'rejected:import.formula_no_result+import.role_unknown',
      5: 'rejected:import.merged_cell', 6: 'rejected:import.merged_cell+import.role_unknown', 7: 'rejected:import.cell_error+national_id.required',
      8: 'created:', 9: 'rejected:import.start_invalid',
    });
    assert.equal(report.rows[0].nationalId, zeroId(7), 'the leading zeros restored');
    assert.deepEqual(report.errors.filter((e: { line: number }) => e.line <= 5).map((e: { line: number; field: string; code: string }) => `${e.line}:${e.field}:${e.code}`),
      ['4:role:import.formula_no_result', '4:role:import.role_unknown', '5:role:import.merged_cell']);
    assert.match(report.errors[0].message, /formula with no saved result/);
    assert.deepEqual(report.notices, [{ code: 'import.xlsx_other_sheets', params: { name: 'مدرسه', count: 1 } }]);
    const dates = await t.handle.db.selectFrom('memberships as m').innerJoin('accounts as a', 'a.id', 'm.account_id').innerJoin('people as p', 'p.id', 'a.person_id')
      .select(['p.national_id', 'm.starts_on', 'm.ends_on']).where('p.national_id', 'in', [zeroId(7), nationalIdFor(50)]).orderBy('p.national_id').execute();
    assert.deepEqual(dates.map((d) => [d.national_id, d.starts_on]), [[zeroId(7), '2025-10-01'], [nationalIdFor(50), '2025-10-01']]);
    assert.equal(dates[0]!.ends_on, '2026-09-30');
  });

  test('the 1904 date system, and a hidden first sheet (read, and said so)', async () => {
    const file = await buildXlsx([{ name: '\u202eپنهان', hidden: true, rows: [['national_id', 'role', 'start'], [nationalIdFor(52), 'staff', 44469]] }, { rows: [['y']] }], { date1904: true });
    const report = (await send('hidden.xlsx', file, `?organizationId=${tree.schoolB}`)).json();
    assert.deepEqual(report.rows.map((r: Row) => r.outcome), ['created']);
    assert.deepEqual(report.notices.find((n: { code: string }) => n.code === 'import.xlsx_hidden_sheet'), { code: 'import.xlsx_hidden_sheet', params: { name: 'پنهان' } }, 'the name without its direction override');
    const row = await t.handle.db.selectFrom('memberships as m').innerJoin('accounts as a', 'a.id', 'm.account_id').innerJoin('people as p', 'p.id', 'a.person_id')
      .select('m.starts_on').where('p.national_id', '=', nationalIdFor(52)).where('m.role', '=', 'staff').executeTakeFirstOrThrow();
    assert.equal(row.starts_on, '2025-10-01', '44469 in the 1904 system is 1462 days later than in the 1900 one');
  });

  test('not an XLSX, zip bombs, hidden entries, a OneRoster zip: refused whole, quickly, nothing written', async () => {
    const before = await memberships();
    const workbook = await buildXlsx([{ rows: [['national_id', 'role'], [nationalIdFor(53), 'teacher']] }]);
    const refusals: [string, Buffer, string][] = [
      ['renamed.xlsx', Buffer.from(`national_id,role\n${nationalIdFor(53)},teacher\n`), 'import.not_xlsx'],
      ['page.xlsx', Buffer.from('<!doctype html><html><body><table><tr><td>national_id</td></tr></table></body></html>'), 'import.not_xlsx'],
      ['random.xlsx', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)), 'import.not_xlsx'],
      // An old binary Excel file (OLE2): told it is not an XLSX, not read as a CSV.
      ['old.xls', Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504)]), 'import.not_xlsx'],
      ['no-workbook.xlsx', buildZip([{ name: 'hello.txt', data: Buffer.from('hi') }]), 'import.not_xlsx'],
      ['truncated.xlsx', workbook.subarray(0, workbook.length - 40), 'import.not_xlsx'],
      // 64 MB of zeros in 64 KB: the ratio gives it away before anything is inflated.
      ['bomb.xlsx', buildZip([{ name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') }, { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(64 * 1024 * 1024) }]), 'import.zip_bomb'],
      // The same, declaring 1 KB: it inflates past what it says, and is stopped there.
      ['liar.xlsx', buildZip([{ name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') }, { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(64 * 1024 * 1024), declaredSize: 1024 }]), 'import.zip_bomb'],
      // Bytes between the entries that a streaming reader would see and the directory does not list.
      ['smuggled.xlsx', smuggle(workbook, 'xl/worksheets/sheet1.xml', Buffer.from('<worksheet/>')), 'import.not_xlsx'],
    ];
    const many = buildZip(Array.from({ length: 1001 }, (_, i) => ({ name: `x/${i}.xml`, data: Buffer.from('<a/>'), method: 0 as const })));
    refusals.push(['many.xlsx', many, 'import.zip_bomb']);
    for (const [name, bytes, code] of refusals) {
      const started = performance.now();
      const response = await send(name, bytes, `?organizationId=${tree.schoolA}`);
      assert.equal(response.statusCode, 422, `${name}: ${response.body}`);
      assert.equal(response.json().error.code, code, name);
      assert.ok(performance.now() - started < 5000, `${name} refused quickly`);
    }
    const english = await send('renamed.xlsx', refusals[0]![1], `?organizationId=${tree.schoolA}`, 'en');
    assert.match(english.json().error.message, /not a valid Excel \(XLSX\) file/);
    assert.match(english.json().error.message, /old \.xls or \.ods file, save it in Excel as “Excel Workbook \(\.xlsx\)”/, 'an old format is told how to save it');
    const roster = await send('roster.zip', buildZip([{ name: 'orgs.csv', data: Buffer.from('sourcedId\n') }]), '', 'he');
    assert.equal(roster.statusCode, 422, 'a OneRoster zip goes to its importer, which wants its manifest');
    assert.equal(roster.json().error.code, 'oneroster.manifest_missing');
    assert.match(roster.json().error.message, /manifest\.csv/);
    assert.equal(await memberships(), before, 'nothing written');
  });

  test('a minimal XLSX from another tool (inline strings, no styles, no shared strings); a NUL in its XML is refused whole', async () => {
    const cell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
    const good = minimalXlsx(`<row r="1">${cell('A1', 'national_id')}${cell('B1', 'role')}</row><row r="4">${cell('A4', nationalIdFor(51))}${cell('B4', 'staff')}</row>`);
    // With no shared strings, exceljs parks the sheet in a temporary file: none may be left behind.
    const temporary = () => readdirSync(tmpdir()).filter((f) => f.startsWith('tmp-')).length;
    const parked = temporary();
    const response = await send('other.xlsx', good, `?organizationId=${tree.schoolB}`);
    const badHeader = await send('other.xlsx', minimalXlsx(`<row r="1">${cell('A1', 'nid')}</row>`), `?organizationId=${tree.schoolB}`);
    assert.equal(badHeader.json().error.code, 'import.bad_header_unknown');
    assert.match(badHeader.json().error.message, /«nid»/);
    for (let i = 0; i < 20 && temporary() > parked; i++) await new Promise((resolve) => setTimeout(resolve, 50)); // tmp unlinks asynchronously
    assert.equal(temporary(), parked, 'no temporary file left, whether the file was read or refused');
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(response.json().rows.map((r: Row) => `${r.line}:${r.outcome}`), ['4:created']);
    const before = await memberships();
    for (const hostile of ['staff&#0;', 'staff&#xD800;', 'st\u0001aff']) {
      const bad = minimalXlsx(`<row r="1">${cell('A1', 'national_id')}${cell('B1', 'role')}</row><row r="2">${cell('A2', nationalIdFor(51))}${cell('B2', hostile)}</row>`);
      const refused = await send('bad.xlsx', bad, `?organizationId=${tree.schoolA}`);
      assert.equal(refused.statusCode, 422, hostile);
      assert.equal(refused.json().error.code, 'import.not_xlsx');
    }
    assert.equal(await memberships(), before);
  });

  test('more than 100,000 rows: refused whole', async () => {
    const rows = [['national_id', 'role'], ...Array.from({ length: 100_001 }, () => [nationalIdFor(53), 's'])];
    const response = await send('big.xlsx', await buildLargeXlsx(rows), `?organizationId=${tree.schoolA}`);
    assert.equal(response.statusCode, 422);
    assert.equal(response.json().error.code, 'import.too_many_rows');
  });
});

/** The fewest parts exceljs reads: a workbook, its relationships, one sheet of the rows given. */
function minimalXlsx(rows: string): Buffer {
  const ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
  return buildZip([
    { name: '[Content_Types].xml', data: Buffer.from('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>') },
    { name: 'xl/workbook.xml', data: Buffer.from(`<?xml version="1.0"?><workbook ${ns}><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`) },
    { name: 'xl/_rels/workbook.xml.rels', data: Buffer.from('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>') },
    { name: 'xl/worksheets/sheet1.xml', data: Buffer.from(`<?xml version="1.0"?><worksheet ${ns}><sheetData>${rows}</sheetData></worksheet>`) },
  ]);
}
