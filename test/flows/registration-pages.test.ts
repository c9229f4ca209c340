// Registration through the pages (no JavaScript in the test: the captcha answer is what the
// widget would post): the steps bar, the rules, every error at once, the SMS/Call buttons,
// the cooldown without JavaScript, the finish message; and the OpenAPI document.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { toLatinDigits } from '../../src/domain/digits.ts';
import { countryCodes } from '../../src/i18n/countries.ts';
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

    assert.match(verify.body, /<button type="submit" name="action" value="verify" class="primary" disabled>ارسال<\/button>/, 'nothing to verify before the SMS code is asked for');
    await agent.submit(flowUrl, { action: 'send_sms' });
    const waiting = await agent.get(flowUrl);
    // Without JavaScript the page still says how long each button waits and until when each code is good.
    assert.match(waiting.body, /<button type="submit" name="action" value="verify" class="primary">ارسال<\/button>/);
    assert.match(waiting.body, /value="send_sms" class="secondary" data-wait="60"/);
    assert.match(waiting.body, /value="send_call" class="secondary" data-wait="60"/);
    assert.equal((waiting.body.match(/این کد تا ساعت [۰-۹]{2}:[۰-۹]{2} معتبر است/g) ?? []).length, 2, 'both codes say until when');
    const early = await agent.submit(flowUrl, { action: 'send_call' });
    assert.equal(early.statusCode, 422);
    assert.match(early.body, /ثانیه دیگر برای دریافت کد جدید صبر کنید/);

    const done = await agent.submit(flowUrl, { action: 'verify', mobileCode: await newestCode('+989123456789'), emailCode: await newestCode('sara@example.org') });
    assert.equal(done.statusCode, 303);
    const finish = await agent.get(flowUrl);
    assert.match(finish.body, /حساب کاربری شما در حال ایجاد است/);
    assert.match(finish.body, /<li aria-current="step">پایان<\/li>/);

    // The pre-registration signs in and sees only the profile to complete.
    const signedIn = await createAgent(t.app).submit('/sign-in', { identifier: '0076229645', password: PASSWORD });
    assert.equal(signedIn.statusCode, 303);
  });

  test('a registered national ID is refused at the top, with a link to password recovery for that ID (F12)', async () => {
    const agent = createAgent(t.app);
    const flowUrl = String((await agent.get('/register')).headers.location);
    await agent.submit(flowUrl, { accept: 'yes' });
    const again = await agent.submit(flowUrl, {
      nationality: 'citizen', firstName: 'سارا', lastName: 'احمدی', nationalId: '0076229645', birthDate: '1384/06/15',
      mobile: '09123456780', email: 'other@example.org', password: PASSWORD, repeat: PASSWORD, captcha: await solvedPayload(t.app),
    });
    assert.equal(again.statusCode, 422);
    assert.match(again.body, /با این کد ملی قبلاً ثبت نام شده است/);
    const link = /<a href="(\/recover\?nationalId=[^"]+)">بازیابی رمز عبور<\/a>/.exec(again.body);
    assert.ok(link, 'the recovery link');
    const recovery = await agent.get(String((await agent.get(link[1]!.replace(/&amp;/g, '&'))).headers.location));
    assert.match(recovery.body, /value="0076229645"/, 'the recovery form opens with the ID filled in');
  });

  test('the English page for non-citizens speaks to them: a passport and a user code, never a national ID or "the English page"', async () => {
    const agent = createAgent(t.app);
    const start = await agent.get('/register/international');
    const flowUrl = String(start.headers.location).replace(/\?.*$/, '');
    const rulesIn = async (lang: string) => /<section[\s\S]*<\/section>/.exec((await agent.get(`${flowUrl}?lang=${lang}`)).body)![0];
    const rules = await rulesIn('en');
    assert.match(rules, /register with your passport/);
    assert.match(rules, /Your username is a user code, sent to you by SMS and email/);
    assert.doesNotMatch(rules, /national ID|English page/i);
    assert.doesNotMatch(await rulesIn('fa'), /صفحه انگلیسی|کد ملی/, 'the same page switched to Persian');
    assert.doesNotMatch(await rulesIn('he'), /הדף באנגלית|מספר הזהות/, 'and to Hebrew');

    await agent.submit(`${flowUrl}?lang=en`, { accept: 'yes' }, flowUrl);
    const empty = await agent.submit(flowUrl, { nationality: 'foreign' });
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /Please enter the passport number/);
    assert.doesNotMatch(empty.body, /national ID|English page|civil registry/i);
  });

  test('the passport country is a list of countries named and sorted in the page\'s language, without codes that are no country', async () => {
    const agent = createAgent(t.app);
    const flowUrl = String((await agent.get('/register/international')).headers.location).replace(/\?.*$/, '');
    await agent.submit(`${flowUrl}?lang=en`, { accept: 'yes' }, flowUrl);
    const countries = async (lang: string) => {
      const select = /<select id="passportCountry"[\s\S]*?<\/select>/.exec((await agent.get(`${flowUrl}?lang=${lang}`)).body)![0];
      return [...select.matchAll(/<option value="([A-Z]{2})">([^<]+)<\/option>/g)].map((m) => ({ code: m[1]!, name: m[2]! }));
    };
    const english = await countries('en');
    assert.deepEqual(new Set(english.map((c) => c.code)), countryCodes);
    for (const code of ['DY', 'HV', 'ZR', 'AN', 'FX', 'EU', 'EZ']) assert.ok(!english.some((c) => c.code === code), code);
    assert.equal(new Set(english.map((c) => c.name)).size, english.length, 'no name twice');
    assert.equal(english[0]?.name, 'Afghanistan');
    assert.equal((await countries('fa')).find((c) => c.code === 'AF')?.name, 'افغانستان');
    assert.equal((await countries('he')).find((c) => c.code === 'DE')?.name, 'גרמניה');
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
    for (const path of ['/api/v1/sessions', '/api/v1/sessions/current/membership', '/api/v1/sessions/current/mfa', '/api/v1/flows/registration', '/api/v1/flows/recovery', '/api/v1/flows/{id}', '/api/v1/captcha',
      '/api/v1/admin/users', '/api/v1/admin/users/{id}', '/api/v1/admin/users/{id}/password-reset', '/api/v1/admin/password-batches', '/api/v1/admin/password-batches/{id}', '/api/v1/admin/password-batches/{id}/passwords',
      '/api/v1/admin/memberships/{id}/end', '/api/v1/admin/memberships/renew', '/api/v1/admin/imports', '/api/v1/admin/audit', '/api/v1/admin/approvals']) {
      assert.ok(paths.includes(path), `${path} in ${paths.join(', ')}`);
    }
    assert.ok(paths.every((path) => path.startsWith('/api/')));
  });
});

describe('registration flows that ran out', () => {
  let t: TestApp;
  before(async () => { t = await startTestApp('pglite', { ...easyCaptcha, KELID_SMS: 'dev', KELID_EMAIL: 'dev' }); });
  after(() => t.close());

  test('an expired registration says so, with a way to start again (page: 410; API: 410 with the code)', async () => {
    const agent = createAgent(t.app);
    const flowUrl = String((await agent.get('/register')).headers.location);
    const apiFlow = (await t.app.inject({ method: 'POST', url: '/api/v1/flows/registration' })).json().id;
    t.clock.advance(61 * 60_000);
    const page = await agent.get(flowUrl);
    assert.equal(page.statusCode, 410);
    assert.match(page.body, /مهلت این فرایند به پایان رسیده است/);
    assert.match(page.body, /href="\/register"/);
    const api = await t.app.inject({ method: 'POST', url: `/api/v1/flows/${apiFlow}`, payload: { accept: 'yes' }, headers: { 'accept-language': 'en' } });
    assert.equal(api.statusCode, 410);
    assert.deepEqual(api.json().error, { code: 'flow.expired', message: 'This process has expired. Please start again.' });
  });

  test("a code sent for one registration does not count in another", async () => {
    await t.handle.db.insertInto('people').values([
      { national_id: '0076229645', first_name: 'سارا', last_name: 'احمدی', birth_date: '2005-09-06' },
      { national_id: '1583250689', first_name: 'رضا', last_name: 'کریمی', birth_date: '2011-05-10' },
    ]).execute();
    const post = (url: string, payload: Record<string, string> = {}) => t.app.inject({ method: 'POST', url, payload });
    const flows: string[] = [];
    for (const [nationalId, firstName, lastName, birthDate, email] of [['0076229645', 'سارا', 'احمدی', '1384/06/15', 'a@example.org'], ['1583250689', 'رضا', 'کریمی', '1390/02/20', 'b@example.org']] as const) {
      const id = (await post('/api/v1/flows/registration')).json().id;
      await post(`/api/v1/flows/${id}`, { accept: 'yes' });
      const response = await post(`/api/v1/flows/${id}`, {
        nationality: 'citizen', firstName, lastName, nationalId, birthDate, mobile: '09120000001', email, password: PASSWORD, repeat: PASSWORD, captcha: await solvedPayload(t.app),
      });
      assert.equal(response.json().state, 'verify', response.body);
      await post(`/api/v1/flows/${id}`, { action: 'send_mobile_code', method: 'sms' });
      flows.push(id);
    }
    // Both flows sent an SMS to the same number: the first flow's code, typed into the second.
    const messages: { to: string; text: string }[] = (await t.app.inject('/dev/outbox.json')).json();
    const sms = messages.filter((m) => m.to === '+989120000001').map((m) => /\d{6}/.exec(toLatinDigits(m.text))![0]);
    const firstFlowsCode = sms[1]!; // newest first: [second flow's, first flow's]
    const emailB = /\d{6}/.exec(toLatinDigits(messages.find((m) => m.to === 'b@example.org')!.text))![0];
    const crossed = await post(`/api/v1/flows/${flows[1]}`, { action: 'verify', mobileCode: firstFlowsCode, emailCode: emailB });
    if (firstFlowsCode !== sms[0]) assert.equal(crossed.json().state, 'verify', 'another flow\'s code proves nothing here');
  });
});
