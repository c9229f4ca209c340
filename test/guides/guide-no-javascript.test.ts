// A guide read in Chromium with JavaScript turned off (F31): a Persian reader on a phone
// opens the recovery page, follows its «راهنما» link, and reads the guide right to left,
// its steps numbered and its labels in the page's own words; then the index from the footer.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { serve, startTestApp, type TestApp } from '../helpers/app.ts';
import { launchBrowser } from '../helpers/browser.ts';

describe('guides without JavaScript in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  before(async () => {
    t = await startTestApp('pglite');
    base = await serve(t.app);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  test('a Persian reader goes from the recovery form to its guide and on to the index', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 }, locale: 'fa-IR' });
    try {
      const page = await context.newPage();
      await page.goto(`${base}/recover?lang=fa`);
      assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
      await page.getByRole('link', { name: 'راهنما', exact: true }).click();
      await page.waitForURL(`${base}/guides/recovery`);

      assert.equal(await page.getAttribute('html', 'lang'), 'fa');
      assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'بازیابی رمز عبور فراموش شده');
      const steps = page.locator('ol.steps-list > li');
      assert.equal(await steps.count(), 5);
      assert.match(await steps.first().innerText(), /^در صفحه ورود «رمز ورود را نمیدانم» را بزنید\.$/);
      // Laid out right to left: the step's text starts at its box's right edge (the page runs no script; the test reads the layout).
      const layout = await steps.first().evaluate((li) => {
        const range = document.createRange();
        range.selectNodeContents(li);
        const firstLine = range.getClientRects()[0]!;
        return { direction: getComputedStyle(li).direction, fromRight: li.getBoundingClientRect().right - firstLine.right };
      });
      assert.equal(layout.direction, 'rtl');
      assert.ok(layout.fromRight <= 1, JSON.stringify(layout));
      assert.ok(await page.getByRole('heading', { name: 'اگر مشکلی پیش آمد' }).isVisible());

      await page.getByRole('contentinfo').getByRole('link', { name: 'راهنمای سامانه' }).click();
      await page.waitForURL(`${base}/guides`);
      await page.getByRole('link', { name: 'دریافت رمز گروهی', exact: true }).click();
      await page.waitForURL(`${base}/guides/admin-bulk-passwords`);
      assert.ok(await page.getByText('«تغییر رمز»', { exact: false }).first().isVisible());
    } finally {
      await context.close();
    }
  });
});
