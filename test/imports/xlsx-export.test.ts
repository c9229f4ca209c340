// The user table exported as XLSX (issue 13 §4): read back with exceljs, it has the seed's
// columns in the reader's language, the scope's rows only (the filter too), dates in the
// locale's calendar, formula-looking names written as inert text; the export is audited.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { createAgent, type Agent } from '../helpers/agent.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor, type Tree } from '../helpers/fixtures.ts';

const PASSWORD = 'Modir-Madreseh-1404!';
const fa = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d)));

describe('XLSX export of the user table', () => {
  let t: TestApp;
  let tree: Tree;
  let principal: Agent;

  before(async () => {
    t = await startTestApp('postgres', { KELID_ADMIN_MFA: 'optional' });
    tree = await createTree(t.handle.db);
    await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(1), password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'principal' }] });
    const hostile = ['=HYPERLINK("http://evil","x")', '+1', '-2+3', '@SUM(A1)', 'زهرا'];
    for (const [i, name] of hostile.entries()) {
      await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(10 + i), password: PASSWORD, firstName: name, lastName: `کاظمی${i}`, memberships: [{ organizationId: tree.schoolA, role: 'teacher' }] });
    }
    await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(3), password: PASSWORD, firstName: 'بیرون', memberships: [{ organizationId: tree.schoolB, role: 'teacher' }] });
    principal = createAgent(t.app);
    assert.equal((await principal.submit('/sign-in', { identifier: nationalIdFor(1), password: PASSWORD })).statusCode, 303);
  });
  after(() => t.close());

  const download = async (url: string) => {
    const response = await principal.get(url);
    assert.equal(response.statusCode, 200, response.body.slice(0, 300));
    assert.equal(response.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    const rows: ExcelJS.Row[] = [];
    sheet.eachRow((row) => rows.push(row));
    return { sheet, rows, text: (row: ExcelJS.Row) => (row.values as unknown[]).slice(1).map((v) => (v === undefined || v === null ? '' : v)) };
  };

  test('Persian: the seed\'s columns and words, Solar Hijri dates, school A\'s teachers only, formulas inert', async () => {
    const { sheet, rows, text } = await download('/admin/users.xlsx?role=teacher');
    assert.deepEqual(text(rows[0]!), ['نام', 'نام خانوادگی', 'کد ملی', 'نقش', 'استان', 'منطقه', 'شروع حکم', 'پایان حکم', 'سازمان', 'نوع سازمان', 'تایید']);
    assert.equal(rows.length, 6, 'the header and school A\'s five teachers');
    assert.ok(sheet.views[0]?.rightToLeft, 'a right-to-left sheet');
    assert.equal(sheet.views[0]?.state, 'frozen', 'the header stays in view');
    assert.equal((sheet.views[0] as { ySplit?: number }).ySplit, 1);
    assert.ok(sheet.columns.every((c) => (c.width ?? 0) >= 8), 'every column has a width');
    assert.ok((sheet.getColumn(9).width ?? 0) >= 30, 'the school\'s name shows whole');
    const data = rows.slice(1).map(text);
    assert.ok(data.every((r) => r[3] === 'معلم'));
    assert.ok(!data.some((r) => r[0] === 'بیرون'), 'school B is not exported');
    assert.equal(data[0]![6], fa('1404/07/01'), 'the start in the Solar Hijri calendar');
    assert.equal(data[0]![2], nationalIdFor(10), 'the national ID as text');
    const firstNames = data.map((r) => r[0]);
    for (const name of ["'=HYPERLINK(\"http://evil\",\"x\")", "'+1", "'-2+3", "'@SUM(A1)", 'زهرا']) assert.ok(firstNames.includes(name), name);
    for (const row of rows) row.eachCell((cell) => {
      assert.equal(cell.type, ExcelJS.ValueType.String, `${cell.address} is text`);
      assert.equal(cell.formula, undefined);
    });
  });

  test('English: the columns in English, ISO dates; the filter applies; the export is audited', async () => {
    const { rows, text } = await download(`/admin/users.xlsx?lang=en&nationalId=${fa(nationalIdFor(14))}`);
    assert.deepEqual(text(rows[0]!).slice(0, 3), ['First name', 'Last name', 'National ID']);
    assert.equal(rows.length, 2);
    const row = text(rows[1]!);
    assert.deepEqual([...row.slice(0, 4), row[6], row[7]], ['زهرا', 'کاظمی4', nationalIdFor(14), 'Teacher', '2025-09-23', '2026-09-22']);
    const malformed = await download('/admin/users.xlsx?nationalId=12');
    assert.equal(malformed.rows.length, 1, 'a malformed national ID exports no one');
    const audited = await t.handle.db.selectFrom('audit_events').select('data').where('type', '=', 'admin.exported').execute();
    assert.equal(audited.length, 3);
  });

  test('2,500 students of one last name: every one exactly once, across the export\'s batches of 1,000', async () => {
    await sql`
      with p as (
        insert into people (national_id, first_name, last_name, birth_date)
        select '8' || lpad(i::text, 9, '0'), 'دانش', 'یکسان', '2012-01-01' from generate_series(1, 2500) as i returning id, national_id),
      a as (insert into accounts (person_id, user_code) select id, 'X' || national_id from p returning id)
      insert into memberships (account_id, organization_id, role, starts_on) select id, ${tree.schoolA}::uuid, 'student', '2025-09-23' from a`.execute(t.handle.db);
    const { rows, text } = await download('/admin/users.xlsx?role=student');
    const ids = rows.slice(1).map((row) => text(row)[2]);
    assert.equal(ids.length, 2500);
    assert.equal(new Set(ids).size, 2500, 'no row twice');
  });

  test('without the right to read users: no file', async () => {
    const anonymous = createAgent(t.app);
    const response = await anonymous.get('/admin/users.xlsx');
    assert.notEqual(response.statusCode, 200);
    assert.doesNotMatch(response.body, /PK/);
  });
});
