// System support in a real Chromium against a listening Kelid with the demo data (F29): the
// teacher of school A opens System support from the services menu and files a request with a
// screenshot; the principal of school A answers it in the console; the teacher reads the
// answer. Then someone signed out asks from the sign-in page, the widget solving the captcha.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { demoKeys, loadDemoData } from '../../src/demo/demo-data.ts';
import { deriveKeys } from '../../src/secrets.ts';
import { easyCaptcha } from '../captcha/solve.ts';
import { serve, startTestApp, type TestApp } from '../helpers/app.ts';
import { launchBrowser } from '../helpers/browser.ts';

const DEMO_PASSWORD = 'Kelid-Demo-1405';
// A real 1×1 PNG, so the console's <img> can be seen to load it.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

describe('System support in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  before(async () => {
    t = await startTestApp('pglite', { KELID_ADMIN_MFA: 'optional', KELID_SMS: 'dev', KELID_EMAIL: 'dev', ...easyCaptcha });
    t.clock.set(new Date('2026-11-25T08:00:00Z'));
    await loadDemoData(t.handle, { profile: 'ir', password: DEMO_PASSWORD, hasher: t.hasher, today: '2026-11-25', ...demoKeys(deriveKeys(t.config.secret!)) });
    base = await serve(t.app);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  async function signedIn(nationalId: string, role: string, javaScript = false): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: javaScript });
    const page = await context.newPage();
    await page.goto(`${base}/sign-in`);
    await page.fill('#identifier', nationalId);
    await page.fill('#password', DEMO_PASSWORD);
    await page.click('button.primary');
    await page.waitForURL(/\/role(\?|$)/);
    await page.locator('label.option', { hasText: role }).first().locator('input').check();
    await page.click('button.primary');
    await page.waitForURL(`${base}/`);
    return page;
  }

  test('a teacher asks from the services menu, the principal answers in the console, the teacher reads the answer', async () => {
    const teacher = await signedIn('0067891233', 'معلم');
    await teacher.click('a:has-text("پشتیبانی سامانه")');
    await teacher.waitForURL(/\/support\?from=%2F$/);
    assert.equal(await teacher.getAttribute('html', 'dir'), 'rtl');
    await teacher.selectOption('#category', 'roles');
    await teacher.fill('#subject', 'نقش من در مدرسه');
    await teacher.fill('#text', 'نقش معلم من در سامانه پایان یافته نشان داده می‌شود.\nلطفا بررسی کنید.');
    await teacher.setInputFiles('#screenshot', { name: 'screen.png', mimeType: 'image/png', buffer: PNG });
    await teacher.click('button.primary');
    await teacher.waitForURL(/\/support\/requests\/[0-9a-f-]{36}\?created=1$/);
    const filed = await teacher.textContent('main') ?? '';
    const reference = /([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(filed)?.[1];
    assert.ok(reference, filed);
    assert.match(filed, /در انتظار پاسخ/);
    const overflow = await teacher.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);

    const principal = await signedIn('0012345679', 'مدیر');
    await principal.goto(`${base}/admin/users`);
    await principal.click('nav.tabs a[href="/admin/support"]');
    await principal.click(`a:has-text("${reference}")`);
    assert.match(await principal.textContent('main') ?? '', /نقش من در مدرسه/);
    const width = await principal.locator('img.screenshot').evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth, () => -1));
    assert.equal(width, 1, 'the console shows the screenshot');
    await principal.fill('#text', 'حکم شما تمدید شد. دوباره وارد شوید.');
    await principal.click('button:has-text("ارسال پاسخ")');
    // The demo teacher has neither a mobile nor an email: the console says nobody was told.
    await principal.waitForURL(/\?done=replied_unnotified$/);
    assert.match(await principal.textContent('[role="status"]') ?? '', /پاسخ ثبت شد\. درخواست‌کننده شماره همراه یا پست الکترونیکی ندارد/);

    await teacher.goto(`${base}/support/requests`);
    assert.match(await teacher.textContent('main') ?? '', /پاسخ داده شده/);
    await teacher.click(`a:has-text("${reference}")`);
    const answer = await teacher.textContent('article.reply') ?? '';
    assert.match(answer, /حکم شما تمدید شد\. دوباره وارد شوید\./);
    await teacher.context().close();
    await principal.context().close();
  });

  test('someone signed out asks from the sign-in page; the widget solves the captcha; a reference comes back', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await page.goto(`${base}/sign-in`);
    await page.click('a[href="/support?from=%2Fsign-in"]');
    await page.fill('#subject', 'کلمه عبور');
    await page.fill('#text', 'نمی‌توانم وارد شوم و شماره همراهم تغییر کرده است.');
    await page.fill('#contact', '۰۹۱۲۵۵۵۶۶۷۷');
    await page.waitForSelector('altcha-widget input[type="checkbox"]');
    // The widget runs the proof of work on submit, then sends the form with its answer.
    await page.click('button.primary');
    await page.waitForSelector('.alert.success', { timeout: 30_000 });
    const reference = /شماره پیگیری: ([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(await page.textContent('.alert.success') ?? '')?.[1];
    assert.ok(reference);
    const row = await t.handle.db.selectFrom('support_requests as r').innerJoin('organizations as o', 'o.id', 'r.organization_id')
      .select(['r.contact', 'o.level', 'r.from_path']).where('r.reference', '=', reference).executeTakeFirstOrThrow();
    assert.deepEqual(row, { contact: '+989125556677', level: 'ministry', from_path: '/sign-in' }, 'a signed-out request goes to the ministry');
    await context.close();
  });
});
