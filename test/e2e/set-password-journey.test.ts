// Set password from an emailed link in a real Chromium, in Hebrew (seed 3): the principal
// sends the link from the user's page; the parent opens it from the email (the token leaves
// the address bar), types the national ID, chooses a password twice, an identification
// question and its answer, keeps the address, reads "פרטיך נשמרו בהצלחה!" and the permanent
// user code, closes, and signs in with the user code and the new password.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { ilCheckDigit } from '../../src/domain/national-id.ts';
import { serve, startTestApp, type TestApp } from '../helpers/app.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { createAccount, createTree } from '../helpers/fixtures.ts';
import { invitedPerson, linkFor } from '../helpers/set-password.ts';

const israeliId = (n: number) => { const first8 = String(30_000_000 + n); return `${first8}${ilCheckDigit(first8)}`; };
const PRINCIPAL = { nationalId: israeliId(1), password: 'Menahelet-Beit-Sefer-1!' };
const PARENT = { nationalId: israeliId(2), email: 'tamar.shapira@example.org', password: 'Tamar-Shapira-2026!' };

describe('set password in Chromium, in Hebrew', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let parentId: string;
  let userCode: string;
  before(async () => {
    t = await startTestApp('pglite', { KELID_PROFILE: 'il', KELID_ADMIN_MFA: 'optional', KELID_SMS: 'dev', KELID_EMAIL: 'dev' });
    const tree = await createTree(t.handle.db);
    await createAccount(t.handle.db, t.hasher, { nationalId: PRINCIPAL.nationalId, password: PRINCIPAL.password, firstName: 'רותי', lastName: 'כהן', memberships: [{ organizationId: tree.schoolA, role: 'principal' }] });
    const parent = await invitedPerson(t.handle.db, { nationalId: PARENT.nationalId, email: PARENT.email, organizationId: tree.schoolA, firstName: 'תמר', lastName: 'שפירא', role: 'mother' });
    parentId = parent.accountId;
    userCode = `${parent.userCode.slice(0, 4)}-${parent.userCode.slice(4)}`;
    base = await serve(t.app);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  test('the principal sends the link; the mother sets her password and signs in with her user code', async () => {
    const office = await browser.newContext({ locale: 'he-IL' });
    const admin = await office.newPage();
    await admin.goto(`${base}/sign-in?lang=he`);
    await admin.fill('#identifier', PRINCIPAL.nationalId);
    await admin.fill('#password', PRINCIPAL.password);
    await admin.click('button.primary');
    await admin.goto(`${base}/admin/users/${parentId}`);
    await admin.click(`a[href="/admin/users/${parentId}/invite"]`);
    assert.match(await admin.textContent('main') ?? '', /האם לשלוח למשתמש זה במייל קישור לקביעת סיסמה\?/);
    await admin.click('main button.primary');
    assert.match(await admin.textContent('main') ?? '', /קישור לקביעת סיסמה נשלח אל tamar\.shapira@example\.org/);
    await office.close();

    const home = await browser.newContext({ locale: 'he-IL', viewport: { width: 360, height: 740 } });
    const page = await home.newPage();
    const link = await linkFor(t.app, PARENT.email);
    await page.goto(`${base}${link.path}&lang=he`);
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    assert.ok(!page.url().includes('token'), 'the token left the address bar');
    assert.equal(await page.textContent('ol.steps li[aria-current="step"]'), 'אימות');
    assert.match(await page.textContent('main') ?? '', /לצורך קביעת סיסמה יש להזין מספר זהות\./);
    await page.fill('#nationalId', PARENT.nationalId);
    await page.click('button[value="confirm"]');

    assert.equal(await page.textContent('ol.steps li[aria-current="step"]'), 'בחירת סיסמה');
    assert.equal(await page.getAttribute('a[href="/password-policy"]', 'target'), '_blank');
    await page.fill('#password', PARENT.password);
    await page.fill('#repeat', PARENT.password);
    await page.selectOption('#question', 'first_school');
    await page.fill('#answer', 'אורט רחובות');
    assert.equal(await page.inputValue('#email'), PARENT.email);
    await page.click('button[value="save"]');

    assert.equal(await page.textContent('ol.steps li[aria-current="step"]'), 'סיום');
    const done = await page.textContent('main') ?? '';
    assert.match(done, /פרטיך נשמרו בהצלחה!/);
    assert.ok(done.includes(userCode), 'the user code is shown');
    assert.match(done, /קוד המשתמש שלכם הנו קבוע ואינו ניתן לשינוי!/);
    await page.click('text=סגירה');
    await page.fill('#identifier', userCode);
    await page.fill('#password', PARENT.password);
    await page.click('button.primary');
    await page.waitForLoadState();
    assert.ok(!page.url().includes('/sign-in'), `signed in (${page.url()})`);
    await home.close();
  });
});
