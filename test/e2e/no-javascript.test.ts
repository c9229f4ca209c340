// Forms that work without JavaScript (issue 11): in a Chromium with scripts turned off, the
// captcha's proof of work cannot run and the security image stands in. A Persian applicant
// registers from the rules to "your account is being created", answering the sum asked
// beside the image; a Hebrew reader recovers a password, typing the image's digits (read
// here with the server's secret, as only the server can) after a wrong try that spent one.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { openImageChallenge, sealKey } from '../../src/captcha/image-challenge.ts';
import { toLatinDigits } from '../../src/domain/digits.ts';
import { newUserCode } from '../../src/identity/accounts.ts';
import { deriveKeys, hmacHex } from '../../src/secrets.ts';
import { easyCaptcha } from '../captcha/solve.ts';
import { serve, startTestApp, type TestApp } from '../helpers/app.ts';
import { launchBrowser } from '../helpers/browser.ts';

const PASSWORD = 'Golnar-Baran-1405!';
const sara = { nationalId: '0076229645', firstName: 'سارا', lastName: 'احمدی', birthDate: '۱۳۸۴/۰۶/۱۵', birthIso: '2005-09-06', mobile: '09123456780', email: 'sara@example.org' };
const toPersian = (digits: string) => digits.replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d)));

describe('forms without JavaScript in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  before(async () => {
    t = await startTestApp('pglite', { ...easyCaptcha, KELID_SMS: 'dev', KELID_EMAIL: 'dev' });
    await t.handle.db.insertInto('people').values({ national_id: sara.nationalId, first_name: sara.firstName, last_name: sara.lastName, birth_date: sara.birthIso }).execute();
    base = await serve(t.app);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  const noScripts = () => browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
  const outbox = async (): Promise<{ to: string; template: string; text: string }[]> => (await t.app.inject('/dev/outbox.json')).json();
  const codeFor = async (to: string) => /\d{6}/.exec(toLatinDigits((await outbox()).find((m) => m.to === to)?.text ?? ''))?.[0] ?? '';
  const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

  /** The security image as a person sees it: drawn, of its size, fetched from our origin as an SVG. */
  async function securityImage(page: Page, alt: string): Promise<string> {
    const image = page.getByRole('img', { name: alt });
    assert.ok(await image.isVisible(), 'the image shows where the widget cannot run');
    const box = await image.boundingBox();
    assert.ok(box && box.width >= 200 && box.height >= 70, JSON.stringify(box));
    const src = await image.getAttribute('src');
    assert.match(src ?? '', /^\/captcha\/[A-Za-z0-9_-]+\.svg$/);
    const fetched = await page.request.get(`${base}${src}`);
    assert.equal(fetched.status(), 200);
    assert.match(fetched.headers()['content-type'] ?? '', /^image\/svg\+xml/);
    assert.doesNotMatch(await fetched.text(), /<text/);
    return /^\/captcha\/(.+)\.svg$/.exec(src!)![1]!;
  }

  test('a Persian applicant registers with the security image: the sum instead of the digits, both codes, "your account is being created"', async () => {
    let context: BrowserContext | undefined;
    try {
      context = await noScripts();
      const page = await context.newPage();
      const images: number[] = [];
      page.on('response', (response) => { if (response.url().includes('/captcha/')) images.push(response.status()); });
      await page.goto(`${base}/register?lang=fa`);
      await page.getByRole('checkbox').check();
      await button(page, 'تایید').click();

      await page.fill('#firstName', sara.firstName);
      await page.fill('#lastName', sara.lastName);
      await page.fill('#nationalId', sara.nationalId);
      await page.fill('#birthDate', sara.birthDate);
      await page.fill('#mobile', sara.mobile);
      await page.fill('#email', sara.email);
      await page.fill('#password', PASSWORD);
      await page.fill('#repeat', PASSWORD);
      await securityImage(page, 'تصویر امنیتی: عددی پنج رقمی');
      assert.deepEqual(images, [200], 'the page loaded its image from our origin');
      // The accessible alternative, read as a screen reader would: the input's description.
      const answer = page.getByRole('textbox', { name: 'تصویر امنیتی را وارد کنید:' });
      const question = toLatinDigits(await page.locator(`#${await answer.getAttribute('aria-describedby')}`).textContent() ?? '');
      const [a, b] = (question.match(/\d+/g) ?? []).map(Number);
      assert.ok(a !== undefined && b !== undefined, question);
      await answer.fill(toPersian(String(a + b)));
      await button(page, 'ارسال').click();

      await page.getByRole('textbox', { name: 'کد فعال سازی پیامک' }).waitFor();
      await button(page, 'پیامک').click();
      await page.fill('#mobileCode', await codeFor(`+98${sara.mobile.slice(1)}`));
      await page.fill('#emailCode', await codeFor(sara.email));
      await button(page, 'ارسال').click();
      assert.match(await page.textContent('main') ?? '', /حساب کاربری شما در حال ایجاد است/);
      const account = await t.handle.db.selectFrom('accounts as a').innerJoin('people as p', 'p.id', 'a.person_id')
        .select('a.status').where('p.national_id', '=', sara.nationalId).executeTakeFirst();
      assert.equal(account?.status, 'pending');
    } finally {
      await context?.close();
    }
  });

  test('a Hebrew reader recovers a password: a wrong reading is refused and a fresh image drawn, which is read right', async () => {
    const db = t.handle.db;
    const keys = deriveKeys(t.config.secret!);
    const nationalId = '1583250689';
    const person = await db.insertInto('people').values({
      national_id: nationalId, first_name: 'رضا', last_name: 'کریمی', birth_date: '2011-05-10', birth_serial_hmac: hmacHex(keys.personalData, '654321'),
    }).returning('id').executeTakeFirstOrThrow();
    const account = await db.insertInto('accounts').values({ person_id: person.id, user_code: newUserCode(), status: 'active', mobile: '+989121112299' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('credentials').values({ account_id: account.id, password_hash: await t.hasher.hash('Old-Password-1404!') }).execute();

    let context: BrowserContext | undefined;
    try {
      context = await noScripts();
      const page = await context.newPage();
      await page.goto(`${base}/recover?lang=he`);
      const identify = async (typed: (id: string) => string) => {
        await page.fill('#nationalId', nationalId);
        await page.fill('#serial', '654321');
        await page.fill('#mobile', '09121112299');
        const id = await securityImage(page, 'תמונת אבטחה: מספר בן חמש ספרות');
        await page.getByRole('textbox', { name: 'הקלידו את המספר שבתמונה:' }).fill(typed(id));
        await button(page, 'אישור').click();
        return id;
      };
      const digitsOf = (id: string) => openImageChallenge(sealKey(keys.captcha), id)!.digits;
      const first = await identify((id) => digitsOf(id).replace(/^./, (d) => String((Number(d) + 1) % 10)));
      assert.match(await page.textContent('main') ?? '', /האימות נכשל/);
      const second = await identify((id) => `${digitsOf(id).slice(0, 2)} ${digitsOf(id).slice(2)}`);
      assert.notEqual(second, first, 'a fresh image after the wrong reading');

      await page.getByRole('textbox', { name: 'קוד אימות' }).waitFor();
      const sms = (await outbox()).find((m) => m.template === 'recovery.sms' && m.to === '+989121112299');
      assert.ok(sms, 'the code went to the registered mobile');
      await page.fill('#code', /\d{6}/.exec(toLatinDigits(sms.text))![0]);
      await page.fill('#password', 'Tazeh-Ramz-1405#');
      await page.fill('#repeat', 'Tazeh-Ramz-1405#');
      await button(page, 'שמירה').click();
      await page.getByText('שמירה').waitFor({ state: 'detached' });
      const signIn = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: nationalId, password: 'Tazeh-Ramz-1405#' } });
      assert.equal(signIn.statusCode, 201, signIn.body);
    } finally {
      await context?.close();
    }
  });
});
