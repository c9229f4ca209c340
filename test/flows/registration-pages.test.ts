// Registration through the pages (no JavaScript in the test: the captcha answer is what the
// widget would post): the steps bar, the rules, every error at once, the SMS/Call buttons,
// the cooldown without JavaScript, the finish message; and the OpenAPI document.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { toLatinDigits } from '../../src/domain/digits.ts';
import { easyCaptcha, solvedPayload } from '../captcha/solve.ts';
import { createAgent } from '../helpers/agent.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

const PASSWORD = 'Sara-Mehr-1404!';

describe('registration pages', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp('postgres', { ...easyCaptcha, KELID_SMS: 'dev', KELID_EMAIL: 'dev' });
    await t.handle.db.insertInto('people').values({ national_id: '0076229645', first_name: 'سارا', last_name: 'احمدی', birth_date: '2005-09-06' }).execute();
  });
  after(() => t.close());

  const newestCode = async (to: string) => {
    const messages: { to: string; text: string }[] = (await t.app.inject('/dev/outbox.json')).json();
    return /\d{6}/.exec(toLatinDigits(messages.find((m) => m.to === to)!.text))![0];
  };

  test('a Persian applicant registers, step by step, and is told the account is being created', async () => {
    const agent = createAgent(t.app);
    const start = await agent.get('/register');
    assert.equal(start.statusCode, 303);
    const flowUrl = String(start.headers.location);
    const rules = await agent.get(flowUrl);
    assert.match(rules.body, /با قوانین گفته شده موافق هستم/);
    assert.match(rules.body, /<li aria-current="step">مشخصات<\/li>/);

    const notAccepted = await agent.submit(flowUrl, {});
    assert.equal(notAccepted.statusCode, 422);
    assert.equal((await agent.submit(flowUrl, { accept: 'yes' })).statusCode, 303);

    const empty = await agent.submit(flowUrl, { nationality: 'citizen' });
    assert.equal(empty.statusCode, 422);
    for (const text of ['لطفاً نام را وارد نمایید', 'لطفاً نام خانوادگی را وارد نمایید', 'لطفاً تاریخ تولد را وارد نمایید', 'لطفاً شماره موبایل را وارد نمایید', 'لطفاً پست الکترونیک را وارد نمایید', 'لطفاً رمز عبور را وارد نمایید']) {
      assert.ok(empty.body.includes(text), text);
    }
    assert.match(empty.body, /<altcha-widget/);

    const filled = await agent.submit(flowUrl, {
      nationality: 'citizen', firstName: 'سارا', lastName: 'احمدی', nationalId: '۰۰۷۶۲۲۹۶۴۵', birthDate: '۱۳۸۴/۰۶/۱۵',
      mobile: '09123456789', email: 'sara@example.org', password: PASSWORD, repeat: PASSWORD, captcha: await solvedPayload(t.app),
    });
    assert.equal(filled.statusCode, 303, filled.body.slice(0, 300));
    const verify = await agent.get(flowUrl);
    assert.match(verify.body, />پیامک</);
    assert.match(verify.body, />تماس</);

    await agent.submit(flowUrl, { action: 'send_mobile_code', method: 'sms' });
    const waiting = await agent.get(flowUrl);
    assert.match(String(waiting.headers.refresh), /^\d+$/, 'the countdown works without JavaScript');
    assert.match(waiting.body, /ثانیه دیگر برای دریافت کد جدید صبر کنید/);

    const done = await agent.submit(flowUrl, { action: 'verify', mobileCode: await newestCode('+989123456789'), emailCode: await newestCode('sara@example.org') });
    assert.equal(done.statusCode, 303);
    const finish = await agent.get(flowUrl);
    assert.match(finish.body, /حساب کاربری شما در حال ایجاد است/);
    assert.match(finish.body, /<li aria-current="step">پایان<\/li>/);

    // The pre-registration signs in and sees only the profile to complete.
    const signedIn = await createAgent(t.app).submit('/sign-in', { identifier: '0076229645', password: PASSWORD });
    assert.equal(signedIn.statusCode, 303);
  });

  test("another browser cannot open someone's registration", async () => {
    const mine = createAgent(t.app);
    const flowUrl = String((await mine.get('/register')).headers.location);
    const theirs = createAgent(t.app);
    const response = await theirs.get(flowUrl);
    assert.equal(response.statusCode, 404);
  });

  test('the OpenAPI document describes the API routes and nothing else', async () => {
    const response = await t.app.inject('/api/v1/openapi.json');
    assert.equal(response.statusCode, 200);
    const paths = Object.keys(response.json().paths);
    for (const path of ['/api/v1/sessions', '/api/v1/sessions/current/membership', '/api/v1/flows/registration', '/api/v1/flows/{id}', '/api/v1/captcha']) {
      assert.ok(paths.includes(path), `${path} in ${paths.join(', ')}`);
    }
    assert.ok(paths.every((path) => path.startsWith('/api/')));
  });
});
