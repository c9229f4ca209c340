// The spreadsheet pages in a real Chromium without JavaScript, in Persian: upload an XLSX and
// read the report; a background import's progress page reloads itself (the refresh header)
// until its report shows; the user table's Excel export downloads a workbook exceljs opens.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { runImportJob } from '../../src/admin/imports/jobs.ts';
import { serve, startTestApp, type TestApp } from '../helpers/app.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { createAccount, createTree, nationalIdFor, type Tree } from '../helpers/fixtures.ts';
import { buildXlsx } from '../helpers/xlsx.ts';

const PASSWORD = 'Modir-Madreseh-1404!';
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('spreadsheet pages in Chromium', () => {
  let t: TestApp;
  let tree: Tree;
  let browser: Browser;
  let base: string;
  let page: Page;
  let principal: { accountId: string; membershipId: string };

  before(async () => {
    t = await startTestApp('postgres', { KELID_ADMIN_MFA: 'optional', KELID_IMPORT_BACKGROUND_ROWS: '5' });
    tree = await createTree(t.handle.db);
    const account = await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(1), password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'principal' }] });
    principal = { accountId: account.accountId, membershipId: (await t.handle.db.selectFrom('memberships').select('id').where('account_id', '=', account.accountId).executeTakeFirstOrThrow()).id };
    for (let n = 200; n < 220; n++) await t.handle.db.insertInto('people').values({ national_id: nationalIdFor(n), first_name: `نفر${n}`, last_name: 'آزمون', birth_date: '2012-01-01' }).execute();
    base = await serve(t.app);
    browser = await launchBrowser();
    const context = await browser.newContext({ javaScriptEnabled: false, acceptDownloads: true });
    page = await context.newPage();
    await page.goto(`${base}/sign-in`);
    await page.fill('#identifier', nationalIdFor(1));
    await page.fill('#password', PASSWORD);
    await page.click('button.primary');
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  test('an XLSX upload answers the row-by-row report with the spreadsheet\'s rows', async () => {
    await page.goto(`${base}/admin/import`);
    assert.match((await page.getAttribute('#file', 'accept'))!, /\.xlsx/);
    const file = await buildXlsx([{ rows: [['national_id', 'role'], [nationalIdFor(200), 'دانش آموز'], [], [nationalIdFor(201), 'فضانورد']] }]);
    await page.setInputFiles('#file', { name: 'دانش آموزان.xlsx', mimeType: XLSX_TYPE, buffer: file });
    await page.click('form[enctype] button.primary');
    await page.waitForSelector('p[role="status"]');
    assert.match((await page.textContent('p[role="status"]'))!, /۱ مورد ایجاد شد، ۰ مورد از قبل وجود داشت، ۱ مورد پذیرفته نشد/);
    const lines = await page.locator('table tbody tr td:first-child').allTextContents();
    assert.deepEqual(lines, ['۲', '۴'], 'row 3 was empty');
    assert.match((await page.locator('table tbody tr').nth(1).textContent())!, /نقش شناخته نشد/);
  });

  test('a spreadsheet named .zip (read as a OneRoster zip) and a renamed CSV: a form again, with the reason in Persian', async () => {
    for (const [name, bytes, reason] of [
      ['roster.zip', await buildXlsx([{ rows: [['x']] }]), /فقط باید فایل‌های OneRoster را داشته باشد، همه در ریشه خود یا همه در یک پوشه/],
      ['renamed.xlsx', Buffer.from(`national_id,role\n${nationalIdFor(208)},teacher\n`), /فایل Excel \(XLSX\) معتبر نیست/],
    ] as const) {
      await page.goto(`${base}/admin/import`);
      await page.setInputFiles('#file', { name, mimeType: 'application/octet-stream', buffer: bytes });
      await page.click('form[enctype] button.primary');
      await page.waitForSelector('.alert.error');
      assert.match((await page.textContent('.alert.error'))!, reason);
      assert.equal(await page.locator('#file').count(), 1, 'the form is there to try again');
    }
  });

  test('a background import\'s page reloads itself without JavaScript until the report shows', async () => {
    const [job] = await t.handle.db.insertInto('import_jobs').values({
      actor_account_id: principal.accountId, acting_membership_id: principal.membershipId, organization_id: tree.schoolA, kind: 'xlsx', state: 'running', total: 6,
      file: await buildXlsx([{ rows: [['national_id', 'role'], ...[210, 211, 212, 213, 214, 215].map((n) => [nationalIdFor(n), 'student'])] }]),
    }).returning('id').execute();
    await page.goto(`${base}/admin/imports/${job!.id}`);
    assert.equal(await page.locator('progress').count(), 1);
    // The job is taken up (as at a start) while the page is open; the page finds the report by itself.
    await runImportJob({ db: t.handle.db, profile: 'ir', today: () => '2025-11-20', now: () => new Date() }, job!.id);
    await page.waitForSelector('text=۶ مورد ایجاد شد', { timeout: 15_000 });
    assert.equal(await page.locator('progress').count(), 0);
  });

  test('a large upload goes to its progress page, then its report', async () => {
    await page.goto(`${base}/admin/import`);
    const rows = [['national_id', 'role'], ...[202, 203, 204, 205, 206, 207].map((n) => [nationalIdFor(n), 'teacher'])];
    await page.setInputFiles('#file', { name: 'teachers.xlsx', mimeType: XLSX_TYPE, buffer: await buildXlsx([{ rows }]) });
    await page.click('form[enctype] button.primary');
    await page.waitForURL(/\/admin\/imports\/[0-9a-f-]{36}$/);
    await page.waitForSelector('text=۶ مورد ایجاد شد', { timeout: 15_000 });
  });

  test('the user table\'s Excel export downloads the scope as a workbook', async () => {
    await page.goto(`${base}/admin/users?role=teacher`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a[href^="/admin/users.xlsx"]')]);
    assert.equal(download.suggestedFilename(), 'users.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await readFile((await download.path())!) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    assert.equal(sheet.getCell('A1').value, 'نام');
    assert.equal(sheet.rowCount, 7, 'the header and the six teachers imported above, the filter kept');
  });
});
