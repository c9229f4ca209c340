// The principal's first week in a real Chromium, in Persian, without JavaScript, on a 360 px
// phone, against the demo data with the second factor required (the production default):
// sign in, choose the school, enrol an authenticator, add a teacher by national ID and see the
// registry name, reset a password with the confirmation, issue passwords for students and
// open the slips.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { demoKeys, loadDemoData } from '../../src/demo/demo-data.ts';
import { deriveKeys } from '../../src/secrets.ts';
import { serve, startTestApp, type TestApp } from '../helpers/app.ts';
import { launchBrowser } from '../helpers/browser.ts';

const DEMO_PASSWORD = 'Kelid-Demo-1405';

describe("the principal's week in Chromium", () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  before(async () => {
    t = await startTestApp('pglite', { KELID_ADMIN_MFA: 'required' });
    t.clock.set(new Date('2026-11-25T08:00:00Z'));
    await loadDemoData(t.handle, { profile: 'ir', password: DEMO_PASSWORD, hasher: t.hasher, today: '2026-11-25', ...demoKeys(deriveKeys(t.config.secret!)) });
    base = await serve(t.app);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  const noOverflow = async (page: Page) => {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${page.url()} is ${overflow}px wider than the screen`);
  };

  test('a school year starts', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${base}/sign-in`);
    await page.fill('#identifier', '۰۰۱۲۳۴۵۶۷۹');
    await page.fill('#password', DEMO_PASSWORD);
    await page.click('button.primary');
    await page.waitForURL(/\/role/);
    await page.locator('label.option', { hasText: 'مدیر' }).locator('input').check();
    await page.click('button.primary');
    await page.waitForURL(`${base}/`);

    // The console asks for a second factor: enrol an authenticator app.
    await page.click('a[href="/admin/users"]');
    await page.waitForURL(/\/account\/mfa/);
    assert.equal(await page.locator('.qr svg').count(), 1);
    const secret = (await page.textContent('p.secret'))!.replace(/\s/g, '');
    await page.fill('#code', new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: t.clock.now().getTime() }));
    await page.click('button.primary');
    assert.equal(await page.locator('ol.codes li').count(), 10);
    await page.click('a.button');
    await page.waitForURL(/\/admin\/users$/);
    assert.match(await page.textContent('h1') ?? '', /مدیریت کاربران/);
    await noOverflow(page);

    // New user: the national ID, "show name", the registry's name appears; save.
    await page.click('nav.tabs a[href="/admin/users/new"]');
    await page.fill('#nationalId', '۰۰۷۶۲۲۹۶۴۵');
    await page.click('button[value="lookup"]');
    assert.match(await page.textContent('.alert.success') ?? '', /سارا احمدی/);
    await page.selectOption('#role', 'teacher');
    assert.match(await page.inputValue('#start'), /^۱۴۰۵\/۰۷\/۰۱$/, 'the school year proposed in Solar Hijri');
    await page.click('button[value="save"]');
    await page.waitForURL(/saved=1/);
    assert.match(await page.textContent('main') ?? '', /ذخیره شد/);
    assert.match(await page.textContent('table.users') ?? '', /سارا/);

    // Reset a teacher's password: the icon, the seed's question, the password shown once.
    await page.goto(`${base}/admin/users?nationalId=0067891233`);
    await page.click('a.icon');
    assert.match(await page.textContent('main') ?? '', /آیا از بازنشانی رمز عبور اطمینان دارید؟/);
    await page.click('button.primary');
    const temporary = (await page.textContent('p.secret'))!.trim();
    assert.match(temporary, /^[A-Z][a-z]{3}-\d{4}$/);

    // Passwords for a class: students, tick three, "change password", the progress page, the slips.
    await page.goto(`${base}/admin/passwords?type=students`);
    const boxes = page.locator('input[name="accountId"]');
    assert.ok(await boxes.count() >= 3);
    for (let i = 0; i < 3; i++) await boxes.nth(i).check();
    await page.click('button[value="selected"]');
    await page.waitForURL(/\/admin\/password-batches\//);
    // The Refresh header reloads the page until the batch is done; no JavaScript involved.
    await page.waitForSelector('text=رمز ۳ کاربر صادر شد', { timeout: 20_000 });
    await page.click('button.primary');
    assert.equal(await page.locator('article.slip').count(), 3);
    assert.equal(await page.locator('article.slip svg').count(), 3);
    // On the 360 px phone every temporary password in the table is on the screen, whole.
    const cells = await page.locator('table.result td.password').all();
    assert.equal(cells.length, 3);
    for (const cell of cells) {
      const box = (await cell.boundingBox())!;
      assert.ok(box.x >= 0 && box.x + box.width <= 360, `the password cell spans ${box.x}…${box.x + box.width}px of a 360 px screen`);
      assert.match(await cell.textContent() ?? '', /^[A-Z][a-z]{3}-\d{4}$/);
    }
    await noOverflow(page);
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('header.top').isVisible(), false, 'slips print without the site header');
    await context.close();

    const signIn = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: '0067891233', password: temporary } });
    assert.equal(signIn.json().mustChangePassword, true, 'the teacher must change the temporary password');
  });
});
