// Self-registration in a real Chromium, in Persian and in Hebrew: the rules, the form, the
// proof-of-work captcha run by the widget on submit, the SMS code and the email code read
// from the dev outbox, and "your account is being created".
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { toLatinDigits } from '../../src/domain/digits.ts';
import { easyCaptcha } from '../captcha/solve.ts';
import { serve, startTestApp, type TestApp } from '../helpers/app.ts';
import { launchBrowser } from '../helpers/browser.ts';

const PASSWORD = 'Golnar-Baran-1405!';
const people = {
  fa: { nationalId: '0076229645', firstName: 'سارا', lastName: 'احمدی', birthDate: '۱۳۸۴/۰۶/۱۵', birthIso: '2005-09-06', mobile: '09123456780', email: 'sara@example.org', done: /حساب کاربری شما در حال ایجاد است/ },
  he: { nationalId: '1583250689', firstName: 'رضا', lastName: 'کریمی', birthDate: '2011-05-10', birthIso: '2011-05-10', mobile: '09123456781', email: 'reza@example.org', done: /חשבונך נוצר ברגעים אלה/ },
} as const;

describe('registration in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  before(async () => {
    t = await startTestApp('pglite', { ...easyCaptcha, KELID_SMS: 'dev', KELID_EMAIL: 'dev' });
    for (const person of Object.values(people)) {
      await t.handle.db.insertInto('people').values({ national_id: person.nationalId, first_name: person.firstName, last_name: person.lastName, birth_date: person.birthIso }).execute();
    }
    base = await serve(t.app);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  const codeFor = async (to: string) => {
    const messages: { to: string; text: string }[] = (await t.app.inject('/dev/outbox.json')).json();
    return /\d{6}/.exec(toLatinDigits(messages.find((m) => m.to === to)?.text ?? ''))?.[0] ?? '';
  };

  for (const locale of ['fa', 'he'] as const) {
    test(`a ${locale === 'fa' ? 'Persian' : 'Hebrew'} applicant registers from the rules to "your account is being created"`, async () => {
      const person = people[locale];
      const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
      const page = await context.newPage();
      await page.goto(`${base}/register?lang=${locale}`);
      assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
      await page.check('input[name="accept"]');
      await page.click('button.primary');

      await page.fill('#firstName', person.firstName);
      await page.fill('#lastName', person.lastName);
      await page.fill('#nationalId', person.nationalId);
      await page.fill('#birthDate', person.birthDate);
      await page.fill('#mobile', person.mobile);
      await page.fill('#email', person.email);
      await page.fill('#password', PASSWORD);
      await page.fill('#repeat', PASSWORD);
      await page.waitForSelector('altcha-widget input[type="checkbox"]');
      // The widget runs the proof of work on submit, then sends the form with its answer.
      await page.click('button.primary');
      await page.waitForSelector('input[name="mobileCode"]', { timeout: 30_000 });

      await page.click('button[name="action"][value="send_sms"]');
      await page.waitForSelector('input[name="mobileCode"]');
      const mobile = `+98${person.mobile.slice(1)}`;
      await page.fill('#mobileCode', await codeFor(mobile));
      await page.fill('#emailCode', await codeFor(person.email));
      await page.click('button.primary');
      assert.match(await page.textContent('main') ?? '', person.done);
      const account = await t.handle.db.selectFrom('accounts as a').innerJoin('people as p', 'p.id', 'a.person_id')
        .select('a.status').where('p.national_id', '=', person.nationalId).executeTakeFirst();
      assert.equal(account?.status, 'pending');
      await context.close();
    });
  }

  test('a non-citizen registers on the English page with a passport and gets a user code', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await page.goto(`${base}/register/international`);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await page.getAttribute('html', 'dir'), 'ltr');
    await page.check('input[name="accept"]');
    await page.click('button.primary');
    await page.fill('#firstName', 'Ahmad');
    await page.fill('#lastName', 'Karimi');
    await page.fill('#passportNumber', 'P7654321');
    await page.selectOption('#passportCountry', 'AF');
    await page.fill('#birthDate', '2001-03-04');
    await page.fill('#mobile', '09123456782');
    await page.fill('#email', 'ahmad@example.org');
    await page.fill('#password', PASSWORD);
    await page.fill('#repeat', PASSWORD);
    await page.waitForSelector('altcha-widget input[type="checkbox"]');
    await page.click('button.primary');
    await page.waitForSelector('input[name="mobileCode"]', { timeout: 30_000 });
    await page.click('button[name="action"][value="send_sms"]');
    await page.waitForSelector('input[name="mobileCode"]');
    await page.fill('#mobileCode', await codeFor('+989123456782'));
    await page.fill('#emailCode', await codeFor('ahmad@example.org'));
    await page.click('button.primary');
    assert.match(await page.textContent('main') ?? '', /Your account is being created/);
    const account = await t.handle.db.selectFrom('accounts as a').innerJoin('people as p', 'p.id', 'a.person_id')
      .select(['a.user_code', 'p.national_id']).where('p.passport_number', '=', 'P7654321').executeTakeFirstOrThrow();
    assert.equal(account.national_id, null);
    const signIn = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: account.user_code, password: PASSWORD } });
    assert.equal(signIn.statusCode, 201);
    await context.close();
  });
});
