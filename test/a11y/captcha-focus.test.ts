// The error summary's link to a refused captcha, followed by keyboard, puts focus on the
// widget's checkbox (captcha.js: the link leads to the widget, which takes no focus itself),
// as every other summary link does to its field
// (issue 14 §3). The captcha is refused by changing the answer the widget sent on its way to
// the server, so the page comes back with the captcha as its only problem.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { easyCaptcha } from '../captcha/solve.ts';
import { serve, startTestApp, type TestApp } from '../helpers/app.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { PRINCIPAL, seedJourneyPeople } from '../helpers/journey-people.ts';
import { assertFocusVisible, tabTo, typeInto, assertSummaryFocused } from '../helpers/keyboard.ts';

describe('the error summary\'s link to the captcha', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  before(async () => {
    t = await startTestApp('pglite', { ...easyCaptcha, KELID_SMS: 'dev', KELID_EMAIL: 'dev' });
    await seedJourneyPeople(t);
    base = await serve(t.app);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  for (const locale of ['fa', 'en'] as const) {
    test(`${locale}: Enter on it focuses the widget's checkbox, with a visible focus ring`, async () => {
      const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
      const page = await context.newPage();
      // The widget's answer, spoiled on its way: the server refuses the captcha alone.
      await page.route('**/recover**', async (route) => {
        const request = route.request();
        if (request.method() !== 'POST') return route.continue();
        const body = new URLSearchParams(request.postData() ?? '');
        if (!body.has('captcha')) return route.continue();
        body.set('captcha', 'spoiled');
        return route.continue({ postData: body.toString() });
      });
      await page.goto(`${base}/recover?lang=${locale}`);
      await typeInto(page, '#nationalId', PRINCIPAL.nationalId);
      await typeInto(page, '#serial', PRINCIPAL.serial);
      await typeInto(page, '#mobile', PRINCIPAL.mobile);
      await tabTo(page, 'form button.primary');
      await page.keyboard.press('Enter');
      await page.waitForSelector('.error-summary', { timeout: 30_000 });
      assert.equal(await page.locator('.error-summary a').count(), 1, 'the captcha is the only problem');
      await page.waitForSelector('altcha-widget input[type="checkbox"]', { timeout: 10_000 });
      await assertSummaryFocused(page);
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('href')), '#captcha-widget');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.activeElement?.matches('altcha-widget input[type="checkbox"]'), undefined, { timeout: 2000 });
      await assertFocusVisible(page);
      // Space ticks it, as on any checkbox.
      await page.keyboard.press('Space');
      await page.waitForFunction(() => document.querySelector('altcha-widget input[type="checkbox"]:checked'), undefined, { timeout: 30_000 });
      await context.close();
    });
  }
});
