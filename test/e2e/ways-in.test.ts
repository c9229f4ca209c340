// The other ways in, in Chromium (issue 11): a parent signs in with a code by SMS in Persian
// with JavaScript (the code's time left counts down live, the resend buttons wait) and in
// Hebrew without it; a Hebrew reader recovers a password by the emailed link, opened in a
// second browser as a phone's mail app would.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { toLatinDigits } from '../../src/domain/digits.ts';
import { easyCaptcha } from '../captcha/solve.ts';
import { serve, startTestApp, type TestApp } from '../helpers/app.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { createAccount, createTree } from '../helpers/fixtures.ts';

const PASSWORD = 'Parent-Pass-1405!';
const NEW = 'Parent-Next-1405!';

describe('one-time codes and emailed links in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  before(async () => {
    t = await startTestApp('postgres', { ...easyCaptcha, KELID_SMS: 'dev', KELID_EMAIL: 'dev', KELID_SEND_PER_RECIPIENT_PER_HOUR: '100' });
    const tree = await createTree(t.handle.db);
    const { accountId } = await createAccount(t.handle.db, t.hasher, {
      nationalId: '0056789122', password: PASSWORD, firstName: 'محمد', lastName: 'نوری', mobile: '+989121112233', email: 'father@example.org',
      memberships: [{ organizationId: tree.schoolA, role: 'father', startsOn: '2020-09-01', endsOn: null }],
    });
    await t.handle.db.updateTable('accounts').set({ email_verified_at: new Date('2025-01-01T00:00:00Z') }).where('id', '=', accountId).execute();
    base = await serve(t.app);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  const outbox = async (): Promise<{ to: string; template: string; text: string }[]> => (await t.app.inject('/dev/outbox.json')).json();
  const newest = async (to: string, template: string) => (await outbox()).find((m) => m.to === to && m.template === template)!;
  const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

  test('Persian, with JavaScript: from the sign-in page to signed in by an SMS code, the code\'s time counting down', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    try {
      const page = await context.newPage();
      await page.goto(`${base}/sign-in?lang=fa`);
      await page.getByRole('link', { name: 'ورود با رمز یکبار مصرف (پیامک)' }).click();
      await page.getByLabel('نام کاربری (کد ملی یا کد کاربری)').fill('۰۰۵۶۷۸۹۱۲۲');
      await button(page, 'ارسال پیامک').click();
      await page.waitForSelector('input[name="code"]');
      // The live countdown: minutes and seconds left in Persian digits, and the resend buttons waiting.
      const countdown = page.locator('.countdown');
      await page.waitForFunction(() => /[۰-۹]:[۰-۹]{2}/.test(document.querySelector('.countdown')?.textContent ?? ''));
      const first = await countdown.textContent();
      await page.waitForFunction((before) => document.querySelector('.countdown')?.textContent !== before, first);
      assert.equal(await button(page, 'ارسال دوباره پیامک').isDisabled(), true);
      assert.match(await page.locator('.wait').first().textContent() ?? '', /[۰-۹]+ ثانیه دیگر/);
      const sms = await newest('+989121112233', 'sign_in.code.sms');
      await page.getByLabel('کد تایید').fill(/\d{6}/.exec(toLatinDigits(sms.text))![0]);
      await button(page, 'ورود').click();
      await page.waitForURL(`${base}/`);
      assert.match(await page.textContent('header') ?? '', /محمد نوری/);
    } finally {
      await context.close();
    }
  });

  test('Hebrew, without JavaScript: the code by SMS, its expiry as a time of day, signed in', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
    try {
      const page = await context.newPage();
      await page.goto(`${base}/sign-in/code?lang=he`);
      assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
      await page.getByLabel('מספר תעודת הזהות או קוד המשתמש').fill('0056789122');
      await button(page, 'שלחו לי SMS').click();
      await page.waitForSelector('input[name="code"]');
      assert.match(await page.textContent('main') ?? '', /הקוד תקף עד השעה \d{2}:\d{2}/);
      // Without JavaScript a waiting button stays pressable and says how long; pressing it early tells.
      await button(page, 'שלחו שוב SMS').click();
      assert.match(await page.textContent('main') ?? '', /נא להמתין \d+ שניות/);
      const sms = await newest('+989121112233', 'sign_in.code.sms');
      await page.getByLabel('קוד אימות').fill(/\d{6}/.exec(toLatinDigits(sms.text))![0]);
      await button(page, 'כניסה').click();
      await page.waitForURL(`${base}/`);
      const cookies = await context.cookies();
      assert.ok(cookies.some((c) => c.name === 'kelid_session' && c.httpOnly));
    } finally {
      await context.close();
    }
  });

  test('Hebrew, with JavaScript: recovery by the emailed link, opened in a second browser', async () => {
    const desk = await browser.newContext({ viewport: { width: 1024, height: 768 } });
    const phone = await browser.newContext({ viewport: { width: 360, height: 740 } });
    try {
      const page = await desk.newPage();
      await page.goto(`${base}/recover?lang=he`);
      await button(page, 'שחזור באמצעות דוא"ל').click();
      await page.getByLabel('מספר תעודת הזהות או קוד המשתמש').fill('0056789122');
      await page.getByLabel(/דוא"ל/).first().fill('Father@Example.org');
      await page.waitForSelector('altcha-widget input[type="checkbox"]');
      // The widget solves the proof of work on submit, then sends the form.
      await button(page, 'שלחו לי קישור').click();
      await page.waitForFunction(() => document.querySelector('main')?.textContent?.includes('נשלח לכתובת הדוא"ל קישור'), undefined, { timeout: 30_000 });
      const email = await newest('father@example.org', 'recovery.link');
      const link = /https?:\/\/\S+\/recover\/link\?token=[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}/.exec(email.text)![0].replace(/^https?:\/\/[^/]+/, base);

      const mail = await phone.newPage();
      await mail.goto(`${link}&lang=he`);
      await button(mail, 'המשך').click();
      await mail.getByLabel('סיסמה חדשה').fill(NEW);
      await mail.getByLabel(/סיסמה/).nth(1).fill(NEW);
      await button(mail, 'שמירה').click();
      assert.match(await mail.textContent('main') ?? '', /הסיסמה/);
      const signIn = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: '0056789122', password: NEW } });
      assert.equal(signIn.statusCode, 201);
    } finally {
      await desk.close();
      await phone.close();
    }
  });
});
