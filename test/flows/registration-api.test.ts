// Registration through the JSON API alone (B9): rules, details, captcha, both codes from the
// dev outbox, the account, the messages; duplicates, races, expiry and swapped numbers.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { toLatinDigits } from '../../src/domain/digits.ts';
import { solvedPayload, easyCaptcha } from '../captcha/solve.ts';
import { databaseKinds, startTestApp, type TestApp } from '../helpers/app.ts';
import { nationalIdFor } from '../helpers/fixtures.ts';

const PASSWORD = 'Sara-Mehr-1404!';
const sara = { nationalId: '0076229645', firstName: 'سارا', lastName: 'احمدی', birthSolar: '۱۳۸۴/۰۶/۱۵', birthIso: '2005-09-06' };

type Outboxed = { id: string; channel: string; to: string; template: string; text: string; createdAt: string };

for (const kind of databaseKinds) {
  describe(`registration API on ${kind}`, () => {
    let t: TestApp;
    before(async () => {
      // Twenty registrations of one national ID at once (the race below) from one address: the lookup limits (registration-limits.test.ts) set aside.
      t = await startTestApp(kind, { ...easyCaptcha, KELID_SMS: 'dev', KELID_EMAIL: 'dev', KELID_SEND_PER_RECIPIENT_PER_HOUR: '100', KELID_SEND_PER_ADDRESS_PER_HOUR: '1000', KELID_REGISTRATION_PER_ID_PER_HOUR: '100', KELID_REGISTRATION_PER_ID_ALL_PER_HOUR: '100' });
      for (const person of [sara, { nationalId: '1583250689', firstName: 'رضا', lastName: 'کریمی', birthIso: '2011-05-10' }, { nationalId: '0011537027', firstName: 'مریم', lastName: 'رضایی', birthIso: '2008-02-19' }]) {
        await t.handle.db.insertInto('people').values({ national_id: person.nationalId, first_name: person.firstName, last_name: person.lastName, birth_date: person.birthIso }).execute();
      }
    });
    after(() => t.close());

    const post = (url: string, payload: Record<string, string> = {}) =>
      t.app.inject({ method: 'POST', url, payload, headers: { 'accept-language': 'fa' } });
    const outbox = async (): Promise<Outboxed[]> => (await t.app.inject('/dev/outbox.json')).json();
    const codeSentTo = async (to: string, template: string): Promise<string> => {
      const message = (await outbox()).find((m) => m.to === to && m.template === template);
      assert.ok(message, `no ${template} to ${to}`);
      const code = /\d{6}/.exec(toLatinDigits(message.text))?.[0];
      assert.ok(code, message.text);
      return code;
    };
    const errorsOf = (response: LightMyRequestResponse) =>
      Object.fromEntries(response.json().form.fields.filter((f: { errors: unknown[] }) => f.errors.length > 0).map((f: { name: string; errors: { code: string }[] }) => [f.name, f.errors.map((e) => e.code)]));

    async function toDetails(): Promise<string> {
      const started = await post('/api/v1/flows/registration');
      assert.equal(started.statusCode, 201);
      assert.equal(started.json().state, 'rules');
      const id = started.json().id;
      const refused = await post(`/api/v1/flows/${id}`, {});
      assert.equal(refused.statusCode, 422, 'the rules must be accepted first (F6)');
      assert.equal((await post(`/api/v1/flows/${id}`, { accept: 'yes' })).json().state, 'details');
      return id;
    }

    const details = (over: Record<string, string> = {}) => ({
      nationality: 'citizen', firstName: sara.firstName, lastName: sara.lastName, nationalId: sara.nationalId, birthDate: sara.birthSolar,
      mobile: '۰۹۱۲ ۳۴۵ ۶۷۸۹', email: ' Sara.Ahmadi@Example.ORG ', password: PASSWORD, repeat: PASSWORD, ...over,
    });

    test('an empty form lists every error at once, in the seed wording, keeping nothing but what was typed', async () => {
      const id = await toDetails();
      const response = await post(`/api/v1/flows/${id}`, { nationality: 'citizen', firstName: '<b>x</b>', password: 'a' });
      assert.equal(response.statusCode, 422);
      const errors = errorsOf(response);
      assert.deepEqual(Object.keys(errors).sort(), ['birthDate', 'email', 'lastName', 'mobile', 'nationalId', 'password', 'repeat'].sort());
      const fields = response.json().form.fields;
      assert.equal(fields.find((f: { name: string }) => f.name === 'firstName').value, '<b>x</b>');
      assert.equal(fields.find((f: { name: string }) => f.name === 'password').value, '');
      assert.equal(fields.find((f: { name: string }) => f.name === 'lastName').errors[0].message, 'لطفاً نام خانوادگی را وارد نمایید');
    });

    test('the whole journey: captcha, email and SMS codes (typed in Persian digits), a pending account, the username by SMS and email', async () => {
      const id = await toDetails();
      const noCaptcha = await post(`/api/v1/flows/${id}`, details());
      assert.deepEqual(errorsOf(noCaptcha), { captcha: ['captcha.invalid'] });
      const verify = await post(`/api/v1/flows/${id}`, { ...details(), captcha: await solvedPayload(t.app) });
      assert.equal(verify.statusCode, 200, verify.body);
      assert.equal(verify.json().state, 'verify');

      const emailCode = await codeSentTo('sara.ahmadi@example.org', 'verification.email');
      const early = await post(`/api/v1/flows/${id}`, { action: 'verify', mobileCode: '123456', emailCode });
      assert.deepEqual(errorsOf(early).mobileCode, ['code.not_sent']);
      const call = await post(`/api/v1/flows/${id}`, { action: 'send_mobile_code', method: 'call' });
      assert.equal(call.statusCode, 200);
      assert.ok(call.json().form.messages.some((m: { message: string }) => m.message === 'از طرف سیستم با شما تماس گرفته می شود'));
      const spoken = (await outbox()).find((m) => m.template === 'verification.voice');
      assert.ok(spoken && !/\d/.test(toLatinDigits(spoken.text)), 'a call reads the code aloud, digit by digit, in words');
      const again = await post(`/api/v1/flows/${id}`, { action: 'send_mobile_code', method: 'sms' });
      assert.deepEqual(errorsOf(again).mobileCode, ['code.cooldown'], 'a resend waits 60 seconds');
      t.clock.advance(61_000);
      assert.equal((await post(`/api/v1/flows/${id}`, { action: 'send_mobile_code', method: 'sms' })).statusCode, 200);
      const smsCode = await codeSentTo('+989123456789', 'verification.sms');

      const persianDigits = smsCode.replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d)));
      const done = await post(`/api/v1/flows/${id}`, { action: 'verify', mobileCode: persianDigits, emailCode });
      assert.equal(done.statusCode, 200, done.body);
      assert.equal(done.json().state, 'done');
      assert.match(done.json().form.messages[0].message, /حساب کاربری شما در حال ایجاد است/);

      const account = await t.handle.db.selectFrom('accounts as a').innerJoin('people as p', 'p.id', 'a.person_id')
        .select(['a.status', 'a.mobile', 'a.email']).where('p.national_id', '=', sara.nationalId).executeTakeFirstOrThrow();
      assert.deepEqual(account, { status: 'pending', mobile: '+989123456789', email: 'sara.ahmadi@example.org' });
      const messages = await outbox();
      const confirmation = messages.filter((m) => m.template.startsWith('registration.done'));
      assert.deepEqual(confirmation.map((m) => m.channel).sort(), ['email', 'sms']);
      for (const m of confirmation) {
        assert.match(toLatinDigits(m.text), new RegExp(sara.nationalId));
        assert.doesNotMatch(m.text, new RegExp(PASSWORD));
      }

      const signIn = await post('/api/v1/sessions', { identifier: sara.nationalId, password: PASSWORD });
      assert.equal(signIn.statusCode, 201, 'a pre-registration can sign in (F14)');
      const again2 = await post(`/api/v1/flows/${id}`, { action: 'verify' });
      assert.equal(again2.statusCode, 422, 'a finished flow takes nothing more');
    });

    test('a registered national ID is refused at the top of the form, never a second account', async () => {
      const id = await toDetails();
      const response = await post(`/api/v1/flows/${id}`, { ...details(), captcha: await solvedPayload(t.app) });
      assert.equal(response.statusCode, 422);
      assert.deepEqual(response.json().form.messages.map((m: { code: string }) => m.code), ['national_id.already_registered']);
    });

    test('names or a birth date that do not match the registry are refused', async () => {
      const id = await toDetails();
      const response = await post(`/api/v1/flows/${id}`, { ...details({ nationalId: '1583250689', firstName: 'رضا', lastName: 'احمدی', birthDate: '1390/02/20' }), captcha: await solvedPayload(t.app) });
      assert.deepEqual(response.json().form.messages.map((m: { code: string }) => m.code), ['registry.mismatch']);
    });

    test('an expired code gets the exact seed message; a swapped mobile voids the code sent before', async () => {
      const id = await toDetails();
      const mobile = '09351112233';
      const verify = await post(`/api/v1/flows/${id}`, { ...details({ nationalId: '0011537027', firstName: 'مريم', lastName: 'رضایی', birthDate: '1386/11/30', mobile, email: 'maryam@example.org' }), captcha: await solvedPayload(t.app) });
      assert.equal(verify.json().state, 'verify', verify.body);
      const hint = verify.json().form.messages.find((m: { code: string }) => m.code === 'registration.codes_hint').message;
      const buttons = verify.json().form.fields.find((f: { name: string }) => f.name === 'action').options.map((o: { label: string }) => o.label);
      assert.ok(buttons.includes('پیامک') && buttons.includes('تماس'), buttons.join());
      assert.match(hint, /روی دکمه پیامک یا تماس کلیک نمایید/, 'the hint names the buttons as they read');
      assert.doesNotMatch(hint, /ارسال کد/, 'no button is called «ارسال کد»');
      await post(`/api/v1/flows/${id}`, { action: 'send_mobile_code', method: 'sms' });
      const smsCode = await codeSentTo('+989351112233', 'verification.sms');
      const emailCode = await codeSentTo('maryam@example.org', 'verification.email');
      t.clock.advance(5 * 60_000 + 1000);
      const late = await post(`/api/v1/flows/${id}`, { action: 'verify', mobileCode: smsCode, emailCode });
      assert.equal(errorsOf(late).mobileCode?.[0], 'code.expired', 'the stable code (DESIGN.md), in the seed\'s words below');
      const message = late.json().form.fields.find((f: { name: string }) => f.name === 'mobileCode').errors[0].message;
      assert.equal(message, 'کد فعال سازی قبلی منقضی شده است، لطفا مجددا اقدام به دریافت کد نمایید');

      await post(`/api/v1/flows/${id}`, { action: 'send_mobile_code', method: 'sms' });
      const fresh = await codeSentTo('+989351112233', 'verification.sms');
      assert.equal((await post(`/api/v1/flows/${id}`, { action: 'edit' })).json().state, 'details');
      const swapped = await post(`/api/v1/flows/${id}`, { ...details({ nationalId: '0011537027', firstName: 'مریم', lastName: 'رضایی', birthDate: '1386/11/30', mobile: '09351112244', email: 'maryam@example.org' }), captcha: await solvedPayload(t.app) });
      assert.equal(swapped.json().state, 'verify');
      const newEmail = (await outbox()).filter((m) => m.to === 'maryam@example.org')[0]!;
      const emailNow = /\d{6}/.exec(toLatinDigits(newEmail.text))![0];
      const stale = await post(`/api/v1/flows/${id}`, { action: 'verify', mobileCode: fresh, emailCode: emailNow });
      assert.ok(errorsOf(stale).mobileCode, 'the code sent to the old number proves nothing');
    });

    test('twenty simultaneous registrations of one national ID make exactly one account', async () => {
      const newest = async (to: string) => /\d{6}/.exec(toLatinDigits((await outbox()).find((m) => m.to === to)!.text))![0];
      const ready: { id: string; mobileCode: string; emailCode: string }[] = [];
      for (let i = 0; i < 20; i++) {
        const id = await toDetails();
        const response = await post(`/api/v1/flows/${id}`, { ...details({ nationalId: '1583250689', firstName: 'رضا', lastName: 'کریمی', birthDate: '1390/02/20', mobile: '09121110000', email: 'reza@example.org' }), captcha: await solvedPayload(t.app) });
        assert.equal(response.json().state, 'verify', response.body);
        const emailCode = await newest('reza@example.org');
        await post(`/api/v1/flows/${id}`, { action: 'send_mobile_code', method: 'sms' });
        ready.push({ id, emailCode, mobileCode: await newest('+989121110000') });
      }
      const answers = await Promise.all(ready.map((r) => post(`/api/v1/flows/${r.id}`, { action: 'verify', mobileCode: r.mobileCode, emailCode: r.emailCode })));
      assert.ok(answers.every((a) => a.statusCode < 500), answers.map((a) => a.statusCode).join());
      assert.equal(answers.filter((a) => a.json().state === 'done').length, 1);
      const losers = answers.filter((a) => a.json().state !== 'done');
      assert.ok(losers.every((a) => a.json().form.messages.some((m: { code: string }) => m.code === 'national_id.already_registered')));
      const accounts = await t.handle.db.selectFrom('accounts as a').innerJoin('people as p', 'p.id', 'a.person_id').select('a.id').where('p.national_id', '=', '1583250689').execute();
      assert.equal(accounts.length, 1);
    });

    test('one registration submitted twice at once (a double click): one is done, the other told the flow moved on, never that the code was wrong or not sent', async () => {
      const newest = async (to: string) => /\d{6}/.exec(toLatinDigits((await outbox()).find((m) => m.to === to)!.text))![0];
      for (let round = 0; round < 3; round++) {
        const nationalId = nationalIdFor(8800 + round);
        await t.handle.db.insertInto('people').values({ national_id: nationalId, first_name: 'سارا', last_name: 'امینی', birth_date: '2011-05-10' }).execute();
        const id = await toDetails();
        const mobile = `0912333000${round}`;
        const email = `twice${round}@example.org`;
        const response = await post(`/api/v1/flows/${id}`, { ...details({ nationalId, firstName: 'سارا', lastName: 'امینی', birthDate: '1390/02/20', mobile, email }), captcha: await solvedPayload(t.app) });
        assert.equal(response.json().state, 'verify', response.body);
        const emailCode = await newest(email);
        await post(`/api/v1/flows/${id}`, { action: 'send_mobile_code', method: 'sms' });
        const mobileCode = await newest(`+98${mobile.slice(1)}`);
        const answers = await Promise.all([1, 2, 3].map(() => post(`/api/v1/flows/${id}`, { action: 'verify', mobileCode, emailCode })));
        assert.equal(answers.filter((a) => a.json().state === 'done').length, 1, answers.map((a) => a.body).join('\n'));
        for (const loser of answers.filter((a) => a.json().state !== 'done')) {
          const codes = [...loser.json().form.messages.map((m: { code: string }) => m.code), ...Object.values(errorsOf(loser)).flat()];
          assert.ok(codes.includes('flow.changed'), loser.body);
          assert.deepEqual(codes.filter((code) => code.startsWith('code.')), [], 'no word of a wrong, spent or unsent code');
        }
      }
    });

    test('an unknown or malformed flow id answers 404; hostile values are refused field by field', async () => {
      assert.equal((await t.app.inject('/api/v1/flows/00000000-0000-4000-8000-000000000000')).statusCode, 404);
      assert.equal((await t.app.inject('/api/v1/flows/not-an-id')).statusCode, 404);
      const id = await toDetails();
      // Wrong types are invalid input like any other: 422 with the flow, each field named, the good values kept (issue 11).
      const hostile = await t.app.inject({ method: 'POST', url: `/api/v1/flows/${id}`, payload: { firstName: ['a'], lastName: { x: 1 }, birthDate: 13840615, email: null } });
      assert.equal(hostile.statusCode, 422);
      assert.equal(hostile.json().state, 'details');
      assert.deepEqual(errorsOf(hostile), { firstName: ['error.field_invalid'], lastName: ['error.field_invalid'], birthDate: ['error.field_invalid'], email: ['error.field_invalid'] });
      for (const body of ['"text"', '[1,2]', '42', 'true']) {
        const odd = await t.app.inject({ method: 'POST', url: `/api/v1/flows/${id}`, payload: body, headers: { 'content-type': 'application/json' } });
        assert.equal(odd.statusCode, 422, body);
        assert.deepEqual(odd.json().form.messages.filter((m: { kind: string }) => m.kind === 'error').map((m: { code: string }) => m.code), ['error.body_invalid'], body);
      }
      // A NUL is invalid input like any other: 422 with the flow and the field named (issue 9).
      const nul = await post(`/api/v1/flows/${id}`, { firstName: 'a\u0000b' });
      assert.equal(nul.statusCode, 422);
      assert.deepEqual(errorsOf(nul), { firstName: ['error.field_invalid'] });
    });
  });
}

describe('registration send limits', () => {
  let t: TestApp;
  before(async () => { t = await startTestApp('postgres', { ...easyCaptcha, KELID_SMS: 'dev', KELID_EMAIL: 'dev', KELID_SEND_PER_RECIPIENT_PER_HOUR: '2' }); });
  after(() => t.close());

  test('codes to one number stop after the hourly limit, with a localized answer', async () => {
    await t.handle.db.insertInto('people').values({ national_id: '0076229645', first_name: 'سارا', last_name: 'احمدی', birth_date: '2005-09-06' }).execute();
    const post = (url: string, payload: Record<string, string> = {}) => t.app.inject({ method: 'POST', url, payload, headers: { 'accept-language': 'en' } });
    const id = (await post('/api/v1/flows/registration')).json().id;
    await post(`/api/v1/flows/${id}`, { accept: 'yes' });
    const verify = await post(`/api/v1/flows/${id}`, {
      nationality: 'citizen', firstName: 'سارا', lastName: 'احمدی', nationalId: '0076229645', birthDate: '2005-09-06',
      mobile: '09123456789', email: 'sara@example.org', password: PASSWORD, repeat: PASSWORD, captcha: await solvedPayload(t.app),
    });
    assert.equal(verify.json().state, 'verify', verify.body);
    const answers = [];
    for (let i = 0; i < 3; i++) {
      answers.push(await post(`/api/v1/flows/${id}`, { action: 'send_mobile_code', method: 'sms' }));
      t.clock.advance(61_000);
    }
    assert.deepEqual(answers.map((a) => a.statusCode), [200, 200, 422]);
    const error = answers[2]!.json().form.fields.find((f: { name: string }) => f.name === 'mobileCode').errors[0];
    assert.equal(error.code, 'send.too_many_for_recipient');
    assert.match(error.message, /Too many messages to this number/);
  });
});

describe('non-citizen registration (F15)', () => {
  let t: TestApp;
  before(async () => { t = await startTestApp('postgres', { ...easyCaptcha, KELID_SMS: 'dev', KELID_EMAIL: 'dev' }); });
  after(() => t.close());

  test('in English, with a passport and country of issue; the username is a generated user code', async () => {
    const post = (url: string, payload: Record<string, string> = {}) => t.app.inject({ method: 'POST', url, payload, headers: { 'accept-language': 'en' } });
    const started = await post('/api/v1/flows/registration?international=1');
    assert.equal(started.statusCode, 201);
    const id = started.json().id;
    await post(`/api/v1/flows/${id}`, { accept: 'yes' });
    const form = (await t.app.inject({ url: `/api/v1/flows/${id}`, headers: { 'accept-language': 'en' } })).json().form;
    const names = form.fields.map((f: { name: string }) => f.name);
    assert.ok(names.includes('passportNumber') && names.includes('passportCountry') && !names.includes('nationalId'));
    const afghanistan = (answer: { fields: { name: string; options?: { value: string; label: string }[] }[] }) => answer.fields.find((f) => f.name === 'passportCountry')!.options!.find((o) => o.value === 'AF')!.label;
    assert.equal(afghanistan(form), 'Afghanistan');
    assert.equal(afghanistan((await t.app.inject({ url: `/api/v1/flows/${id}`, headers: { 'accept-language': 'fa' } })).json().form), 'افغانستان', 'named in the answer\'s language');

    const base = { nationality: 'foreign', firstName: 'Ahmad', lastName: 'Karimi', birthDate: '2001-03-04', mobile: '09121234000', email: 'ahmad@example.org', password: PASSWORD, repeat: PASSWORD };
    const bad = await post(`/api/v1/flows/${id}`, { ...base, passportNumber: 'ab', passportCountry: 'ZZ' });
    const errors = Object.fromEntries(bad.json().form.fields.filter((f: { errors: unknown[] }) => f.errors.length > 0).map((f: { name: string; errors: { code: string; message: string }[] }) => [f.name, f.errors[0]!.code]));
    assert.deepEqual(errors, { passportNumber: 'passport.invalid' });
    assert.equal(bad.json().form.fields.find((f: { name: string }) => f.name === 'passportNumber').errors[0].message, 'The passport number is not valid (letters and digits, 5 to 20)', 'in the Accept-Language locale');

    const verify = await post(`/api/v1/flows/${id}`, { ...base, passportNumber: 'p 1234567', passportCountry: 'af', captcha: await solvedPayload(t.app) });
    assert.equal(verify.json().state, 'verify', verify.body);
    await post(`/api/v1/flows/${id}`, { action: 'send_mobile_code', method: 'sms' });
    const outbox: { to: string; template: string; text: string }[] = (await t.app.inject('/dev/outbox.json')).json();
    const code = (to: string) => /\d{6}/.exec(toLatinDigits(outbox.find((m) => m.to === to)!.text))![0];
    const done = await post(`/api/v1/flows/${id}`, { action: 'verify', mobileCode: code('+989121234000'), emailCode: code('ahmad@example.org') });
    assert.equal(done.json().state, 'done', done.body);

    const person = await t.handle.db.selectFrom('people as p').innerJoin('accounts as a', 'a.person_id', 'p.id')
      .select(['p.national_id', 'p.passport_number', 'p.passport_country', 'a.user_code']).where('p.passport_number', '=', 'P1234567').executeTakeFirstOrThrow();
    assert.deepEqual({ ...person, user_code: undefined }, { national_id: null, passport_number: 'P1234567', passport_country: 'AF', user_code: undefined });
    const confirmation = ((await t.app.inject('/dev/outbox.json')).json() as { template: string; text: string }[]).find((m) => m.template === 'registration.done.email')!;
    assert.ok(confirmation.text.includes(`${person.user_code.slice(0, 4)}-${person.user_code.slice(4)}`), 'the email gives the user code as username');
    const signIn = await post('/api/v1/sessions', { identifier: person.user_code.toLowerCase(), password: PASSWORD });
    assert.equal(signIn.statusCode, 201);

    const again = (await post('/api/v1/flows/registration?international=1')).json().id;
    await post(`/api/v1/flows/${again}`, { accept: 'yes' });
    const duplicate = await post(`/api/v1/flows/${again}`, { ...base, passportNumber: 'P1234567', passportCountry: 'AF', captcha: await solvedPayload(t.app) });
    assert.deepEqual(duplicate.json().form.messages.map((m: { code: string }) => m.code), ['passport.already_registered']);
  });

  test('a passport recorded before with another name is told so in its own words, not "the civil registry"', async () => {
    // A pre-registration deleted after 30 days leaves its person behind.
    await t.handle.db.insertInto('people').values({ passport_number: 'X7654321', passport_country: 'IQ', first_name: 'Ali', last_name: 'Hassan', birth_date: '2000-01-02', registry_status: 'self_declared' }).execute();
    const post = (url: string, payload: Record<string, string> = {}) => t.app.inject({ method: 'POST', url, payload, headers: { 'accept-language': 'en' } });
    const id = (await post('/api/v1/flows/registration?international=1')).json().id;
    await post(`/api/v1/flows/${id}`, { accept: 'yes' });
    const refused = await post(`/api/v1/flows/${id}`, {
      nationality: 'foreign', firstName: 'Ali', lastName: 'Hasan', passportNumber: 'X7654321', passportCountry: 'IQ', birthDate: '2000-01-02',
      mobile: '09121234001', email: 'ali@example.org', password: PASSWORD, repeat: PASSWORD, captcha: await solvedPayload(t.app),
    });
    assert.deepEqual(refused.json().form.messages.map((m: { code: string; message: string }) => [m.code, m.message]),
      [['passport.mismatch', 'The name or date of birth does not match what was registered with this passport']]);
  });
});
