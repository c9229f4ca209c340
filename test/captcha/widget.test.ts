// The captcha widget: served from our origin under a strict CSP, drawn by the view
// component, and solving real challenges in Chromium (ticked, or on submit).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { createCaptcha, type Captcha } from '../../src/captcha/captcha.ts';
import type { Field } from '../../src/flows/form.ts';
import { assetUrl } from '../../src/http/asset-table.ts';
import { translator } from '../../src/i18n/catalogs.ts';
import { deriveKeys } from '../../src/secrets.ts';
import { captchaField } from '../../src/views/components/captcha.ts';
import { serve, startTestApp, type TestApp } from '../helpers/app.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { easyCaptcha } from './solve.ts';

const field: Pick<Field, 'name' | 'label' | 'required' | 'errors'> = { name: 'captcha', label: 'registration.captcha', required: true, errors: [] };

describe('captcha widget', () => {
  let t: TestApp;
  let captcha: Captcha;
  before(async () => {
    t = await startTestApp('pglite', easyCaptcha);
    captcha = createCaptcha({ db: t.handle.db, clock: t.clock, key: deriveKeys(t.config.secret!).captcha, settings: t.config.captcha });
  });
  after(() => t.close());

  test('the widget files are served from /assets with their content types; nothing else of the package is', async () => {
    const expected: [string, RegExp][] = [
      ['captcha.js', /javascript/],
      ['altcha/external/altcha.min.js', /javascript/],
      ['altcha/workers/pbkdf2.js', /javascript/],
      ['altcha/i18n/fa.js', /javascript/],
      ['altcha/i18n/he.js', /javascript/],
      ['altcha/i18n/ar.js', /javascript/],
      ['altcha/external/altcha.css', /^text\/css/],
    ];
    for (const [name, type] of expected) {
      const url = assetUrl(name);
      const response = await t.app.inject(url);
      assert.equal(response.statusCode, 200, url);
      assert.match(String(response.headers['content-type']), type, url);
      assert.equal(response.headers['x-content-type-options'], 'nosniff');
    }
    for (const url of ['/assets/altcha/main/altcha.js', '/assets/altcha/external/altcha.js', '/assets/altcha/../package.json', '/assets/altcha/%2e%2e/package.json', '/assets/altcha/']) {
      assert.equal((await t.app.inject(url)).statusCode, 404, url);
    }
  });

  test('the component draws the widget, the seed label, a localized no-script note and errors', () => {
    const fa = captchaField(field, translator('fa')).value;
    assert.match(fa, /<altcha-widget challenge="\/api\/v1\/captcha" name="captcha" auto="onsubmit"/);
    assert.match(fa, /<span class="label" id="captcha-label">بررسی امنیتی/);
    assert.doesNotMatch(fa, /تصویر امنیتی/, 'the widget is a checkbox: no image to enter');
    assert.match(fa, /<noscript><p class="alert info">برای بررسی امنیتی/);
    assert.ok(fa.includes(`<script type="module" src="${assetUrl('captcha.js')}"></script>`));
    assert.doesNotMatch(fa, /style=|<style/);
    const he = captchaField({ ...field, errors: [{ code: 'captcha.invalid' }] }, translator('he')).value;
    assert.match(he, /aria-describedby="captcha-error"/);
    assert.match(he, /<ul class="errors" id="captcha-error"><li>האימות נכשל/);
  });

  describe('in Chromium', () => {
    let browser: Browser;
    let base: string;
    before(async () => {
      base = await serve(t.app);
      browser = await launchBrowser();
    });
    after(() => browser?.close());

    /** The sign-in page (our CSP, our layout) with the captcha field put into its form. */
    async function pageWithCaptcha(locale: 'fa' | 'he') {
      const page = await browser.newPage();
      const violations: string[] = [];
      page.on('console', (message) => { if (/Content Security Policy/i.test(message.text())) violations.push(message.text()); });
      await page.exposeFunction('reportViolation', (text: string) => violations.push(text));
      await page.addInitScript(() => document.addEventListener('securitypolicyviolation', (event) => {
        (window as unknown as { reportViolation(text: string): void }).reportViolation(`${event.violatedDirective} ${event.blockedURI}`);
      }));
      await page.goto(`${base}/sign-in?lang=${locale}`);
      // insertAdjacentHTML does not run scripts, so the module is added as an element, as the parser would.
      await page.evaluate(([markup, src]) => {
        document.querySelector('form button[type="submit"]')?.insertAdjacentHTML('beforebegin', markup);
        const script = document.createElement('script');
        script.type = 'module';
        script.src = src;
        document.body.append(script);
      }, [captchaField(field, translator(locale)).value, assetUrl('captcha.js')] as const);
      await page.waitForSelector('altcha-widget input[type="checkbox"]');
      return { page, violations };
    }

    test('ticking the box solves a real challenge under our CSP, in Persian, and the answer verifies once', async () => {
      const { page, violations } = await pageWithCaptcha('fa');
      assert.match(await page.locator('altcha-widget').innerText(), /من ربات نیستم/);
      await page.locator('altcha-widget label').click();
      await page.waitForFunction(() => (document.querySelector('input[name="captcha"]') as HTMLInputElement | null)?.value, null, { timeout: 20_000 });
      const payload = await page.locator('input[name="captcha"]').inputValue();
      assert.equal(await captcha.verify(payload), true);
      assert.equal(await captcha.verify(payload), false);
      assert.deepEqual(violations, []);
      await page.close();
    });

    test('submitting without ticking runs the proof of work first, then sends the form with the answer', async () => {
      const { page, violations } = await pageWithCaptcha('he');
      const posted = page.waitForRequest((request) => request.method() === 'POST', { timeout: 20_000 });
      await page.locator('form button[type="submit"]').click();
      const body = new URLSearchParams((await posted).postData() ?? '');
      assert.equal(await captcha.verify(body.get('captcha')), true);
      assert.deepEqual(violations, []);
      await page.close();
    });
  });
});
