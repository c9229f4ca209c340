// The newcomer's journey in a real Chromium against a real listening Kelid with the demo
// data: the demo principal signs in (in Persian), picks a role, changes the password; the
// pages are right to left in fa and he and fit a 360 px screen.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { demoKeys, loadDemoData } from '../../src/demo/demo-data.ts';
import { deriveKeys } from '../../src/secrets.ts';
import { serve, startTestApp, type TestApp } from '../helpers/app.ts';
import { launchBrowser } from '../helpers/browser.ts';

const DEMO_PASSWORD = 'Kelid-Demo-1405';
const NEW_PASSWORD = 'Nargess-Baran-1405!';

describe('the demo principal in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  before(async () => {
    t = await startTestApp('pglite');
    // A fixed day, so the journey does not depend on where in the school year the test runs.
    t.clock.set(new Date('2026-11-25T08:00:00Z'));
    await loadDemoData(t.handle, {
      profile: 'ir', password: DEMO_PASSWORD, hasher: t.hasher, today: '2026-11-25',
      ...demoKeys(deriveKeys(t.config.secret!)),
    });
    base = await serve(t.app);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false });
    return context.newPage();
  }

  test('signs in with Persian digits, chooses the principal role, changes the password', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    assert.match(page.url(), /\/sign-in/);
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    assert.equal(await page.getAttribute('html', 'lang'), 'fa');

    await page.fill('#identifier', '۰۰۱۲۳۴۵۶۷۹');
    await page.fill('#password', DEMO_PASSWORD);
    await page.click('button.primary');
    await page.waitForURL(/\/role(\?|$)/);
    assert.match(await page.textContent('h1') ?? '', /نقش و سازمان خود را انتخاب کنید/);
    const options = await page.locator('input[name="membershipId"]').count();
    assert.equal(options, 2, 'principal of school A and teacher at school B');

    await page.locator('label.option', { hasText: 'مدیر' }).locator('input').check();
    await page.click('button.primary');
    await page.waitForURL(`${base}/`);
    const header = await page.textContent('header.top') ?? '';
    assert.match(header, /مدیر/);
    assert.match(await page.textContent('main') ?? '', /فیش حقوقی/);

    // Nothing may spill sideways on a 360 px phone.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);

    await page.click('a[href="/password"]');
    await page.fill('#current', DEMO_PASSWORD);
    await page.fill('#password', NEW_PASSWORD);
    await page.fill('#repeat', NEW_PASSWORD);
    await page.click('button.primary');
    assert.match(await page.textContent('.alert.success') ?? '', /کلمه عبور شما با موفقیت تغییر یافت/);

    const signIn = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: '0012345679', password: NEW_PASSWORD } });
    assert.equal(signIn.statusCode, 201, 'the new password works');
    const old = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: '0012345679', password: DEMO_PASSWORD } });
    assert.equal(old.statusCode, 401, 'the old one does not');
    await page.context().close();
  });

  test('Hebrew is right to left and English left to right, and the choice sticks', async () => {
    const page = await newPage();
    await page.goto(`${base}/sign-in?lang=he`);
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    assert.equal(await page.getAttribute('html', 'lang'), 'he');
    assert.match(await page.textContent('h1') ?? '', /כניסה/);
    await page.goto(`${base}/sign-in`);
    assert.equal(await page.getAttribute('html', 'lang'), 'he');
    await page.click('a[hreflang="en"]');
    assert.equal(await page.getAttribute('html', 'dir'), 'ltr');
    await page.context().close();
  });

  test('a wrong password shows the error at the top and beside the field, keeping the username', async () => {
    const page = await newPage();
    await page.goto(`${base}/sign-in`);
    await page.fill('#identifier', '0067891233');
    await page.fill('#password', 'not-the-password');
    await page.click('button.primary');
    assert.match(await page.textContent('.alert.error') ?? '', /نام کاربری یا رمز عبور صحیح نیست/);
    assert.equal(await page.inputValue('#identifier'), '0067891233');
    assert.equal(await page.inputValue('#password'), '');
    await page.context().close();
  });
});
