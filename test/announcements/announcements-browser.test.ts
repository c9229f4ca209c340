// The publish form and the home page in a real Chromium without JavaScript, against a real
// listening Kelid with the demo data: the demo district admin publishes for teachers (typing a
// hostile title and a link), the demo teacher at school A reads it on her home page, right to
// left, the title as text, the link safe; the sign-in page shows the ministry's news signed out.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { demoKeys, loadDemoData } from '../../src/demo/demo-data.ts';
import { deriveKeys } from '../../src/secrets.ts';
import { serve, startTestApp, type TestApp } from '../helpers/app.ts';
import { launchBrowser } from '../helpers/browser.ts';

const DEMO_PASSWORD = 'Kelid-Demo-1405';

describe('announcements in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  before(async () => {
    t = await startTestApp('pglite', { KELID_ADMIN_MFA: 'optional' });
    t.clock.set(new Date('2026-11-25T08:00:00Z'));
    await loadDemoData(t.handle, { profile: 'ir', password: DEMO_PASSWORD, hasher: t.hasher, today: '2026-11-25', ...demoKeys(deriveKeys(t.config.secret!)) });
    base = await serve(t.app);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  async function signedIn(identifier: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${base}/sign-in`);
    await page.fill('#identifier', identifier);
    await page.fill('#password', DEMO_PASSWORD);
    await page.click('button.primary');
    return page;
  }

  test('the district admin publishes for teachers; the teacher at school A reads it on her home page', async () => {
    const signedOut = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
    await signedOut.goto(`${base}/sign-in`);
    assert.match(await signedOut.textContent('section.news') ?? '', /اخبار[\s\S]*اطلاعیه در خصوص فراموشی نام کاربری و رمز عبور سامانه/);
    await signedOut.context().close();

    const admin = await signedIn('0023456787');
    await admin.waitForURL(`${base}/`);
    await admin.click('a[href="/admin/users"]');
    await admin.click('nav.tabs a[href="/admin/announcements"]');
    await admin.click('a[href="/admin/announcements/new"]');
    assert.equal(await admin.getAttribute('html', 'dir'), 'rtl');
    await admin.fill('#title', 'کارگاه <b>آموزشی</b> معلمان');
    await admin.fill('#text', `کارگاه روز شنبه برگزار می‌شود.\nثبت نام: https://example.org/workshop بروشور: https://example.org/${'a'.repeat(150)}`);
    await admin.check('input[name="roles"][value="teacher"]');
    await admin.fill('#endsOn', '۱۴۰۵/۰۹/۲۰');
    await admin.click('button.primary');
    await admin.waitForURL(/\/admin\/announcements\?done=published/);
    assert.match(await admin.textContent('.alert.success') ?? '', /اطلاعیه منتشر شد/);
    assert.match(await admin.textContent('table') ?? '', /۱۴۰۵\/۰۹\/۰۴ تا ۱۴۰۵\/۰۹\/۲۰/);
    const overflow = await admin.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the form page is ${overflow}px wider than the screen`);
    await admin.context().close();

    const teacher = await signedIn('0067891233');
    await teacher.waitForURL(/\/role/);
    await teacher.locator('label.option', { hasText: 'معلم' }).locator('input').check();
    await teacher.click('button.primary');
    await teacher.waitForURL(`${base}/`);
    const news = teacher.locator('section.news');
    assert.match(await news.locator('h2').textContent() ?? '', /اخبار/);
    const item = news.locator('article', { hasText: 'کارگاه' });
    assert.equal(await item.locator('h3').textContent(), 'کارگاه <b>آموزشی</b> معلمان', 'the markup typed is shown as text');
    assert.equal(await item.locator('b').count(), 0);
    const link = item.locator('a').first();
    assert.equal(await link.getAttribute('href'), 'https://example.org/workshop');
    assert.equal(await link.getAttribute('rel'), 'noopener noreferrer nofollow');
    assert.equal(await item.locator('br').count(), 1, 'the line break kept');
    const wider = await teacher.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(wider <= 0, `a long address makes the home page ${wider}px wider than the screen`);
    const titles = await news.locator('h3').allTextContents();
    assert.ok(titles.indexOf('کارگاه <b>آموزشی</b> معلمان') >= 0 && titles.includes('جلسه هماهنگی معلمان منطقه'), 'hers and the demo district\'s');
    await teacher.context().close();

    const student = await signedIn('0045678911');
    await student.waitForURL(`${base}/`);
    assert.doesNotMatch(await student.textContent('main') ?? '', /کارگاه/);
    await student.context().close();
  });
});
