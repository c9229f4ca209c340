// An Arabic-speaking parent in Israel, in a real Chromium: the phone's Arabic language brings
// the Arabic page, right to left, drawn in Vazirmatn; without JavaScript the digits switch
// changes the digits and the choice is kept.
import assert from 'node:assert/strict';
import { localeFaces } from '../../src/fonts/faces.ts';
import { catalogs } from '../../src/i18n/catalogs.ts';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { serve, startTestApp, type TestApp } from '../helpers/app.ts';
import { launchBrowser } from '../helpers/browser.ts';

describe('Arabic in Chromium (il profile)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  before(async () => {
    t = await startTestApp('pglite', { KELID_PROFILE: 'il' });
    base = await serve(t.app);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  test('an Arabic phone gets the Arabic sign-in page, right to left, its text in Vazirmatn', async () => {
    const context = await browser.newContext({ locale: 'ar-IL', viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await page.goto(`${base}/sign-in`);
    assert.deepEqual(await page.evaluate(() => [document.documentElement.lang, document.dir]), ['ar', 'rtl']);
    assert.equal(await page.title(), 'تسجيل الدخول · كليد');
    // Arabic's face is Vazirmatn cut to the Arabic letters (src/fonts/faces.ts), under the locale's family name.
    const family = localeFaces.ar!.family;
    assert.equal((await page.evaluate(() => getComputedStyle(document.body).fontFamily)).split(',')[0]?.replaceAll('"', ''), family);
    const drawn = await page.evaluate(async (wanted) => {
      await document.fonts.ready;
      return [...document.fonts].some((face) => face.family.replaceAll('"', '') === wanted && face.status === 'loaded');
    }, family);
    assert.ok(drawn, 'a Vazirmatn face was loaded for the Arabic text');
    await context.close();
  });

  test('without JavaScript, the digits switch writes Arabic-Indic digits and keeps the choice', async () => {
    const context = await browser.newContext({ locale: 'ar-IL', javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${base}/sign-in`);
    const digits = page.locator('nav.digits');
    assert.equal(await digits.locator('[aria-current="true"]').textContent(), '012', 'Latin digits by default in Israel');
    await digits.getByRole('link', { name: '٠١٢' }).click();
    await page.waitForURL(/digits=arab/);
    assert.equal(await digits.locator('[aria-current="true"]').textContent(), '٠١٢');
    await page.goto(`${base}/sign-in`);
    assert.equal(await digits.locator('[aria-current="true"]').textContent(), '٠١٢', 'remembered');
    await context.close();
  });

  // Chromium's own Arabic numbers are Latin (CLDR 42 on): Arabic-Indic ones come only from the choice.
  test('with JavaScript, a resend\'s countdown moves in the digits chosen', async () => {
    const context = await browser.newContext({ locale: 'ar-IL' });
    const page = await context.newPage();
    await page.goto(`${base}/sign-in/code?digits=arab`);
    await page.fill('#identifier', '039337423');
    await page.getByRole('button', { name: 'أرسل لي رسالة نصية' }).click();
    const wait = page.locator('small.wait').first();
    await wait.waitFor();
    // The catalog's text with its number in Arabic-Indic digits ("متاح بعد ٥٩ ثانية").
    const [head = '', tail = ''] = catalogs.ar['flow.available_in'].split('{seconds}');
    const pattern = `^${head}[٠-٩]+${tail}$`;
    await page.waitForFunction((source) => new RegExp(source).test(document.querySelector('small.wait')?.textContent ?? ''), pattern);
    const before = await wait.textContent();
    await page.waitForFunction((first) => document.querySelector('small.wait')?.textContent !== first, before);
    assert.match(await wait.textContent() ?? '', new RegExp(pattern), 'counted down by the script, still in Arabic-Indic digits');
    await context.close();
  });
});
