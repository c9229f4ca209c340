// Password recovery (F18) through the API and the pages: national ID + birth-certificate
// serial + mobile, a code by SMS to the registered mobile, a new password. The answer never
// says which field was wrong: matched and unmatched attempts look the same from outside.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { toLatinDigits } from '../../src/domain/digits.ts';
import { newUserCode } from '../../src/identity/accounts.ts';
import { deriveKeys, hmacHex } from '../../src/secrets.ts';
import { easyCaptcha, solvedPayload } from '../captcha/solve.ts';
import { createAgent } from '../helpers/agent.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { nationalIdFor } from '../helpers/fixtures.ts';

const OLD = 'Old-Password-1404!';
const NEW = 'Tazeh-Ramz-1405#';
const MOBILE = '+989121112233';

type Outboxed = { to: string; template: string; text: string };

describe('password recovery', () => {
  let t: TestApp;
  let n = 0;
  // A fresh person for each test: the per-ID limit and the sessions stay the test's own.
  let person: { nationalId: string; accountId: string };

  before(async () => {
    t = await startTestApp('postgres', { ...easyCaptcha, KELID_SMS: 'dev', KELID_EMAIL: 'dev', KELID_RECOVERY_PER_ADDRESS_PER_HOUR: '1000', KELID_SEND_PER_RECIPIENT_PER_HOUR: '1000', KELID_SEND_PER_ADDRESS_PER_HOUR: '1000' });
  });
  after(() => t.close());

  async function addPerson(options: { serial?: string | null; status?: 'active' | 'disabled' } = {}) {
    const nationalId = nationalIdFor(7000 + n++);
    const serial = options.serial === undefined ? '123456' : options.serial;
    const db = t.handle.db;
    const p = await db.insertInto('people').values({
      national_id: nationalId, first_name: 'نرگس', last_name: 'امینی', birth_date: '2009-03-01',
      birth_serial_hmac: serial === null ? null : hmacHex(deriveKeys(t.config.secret!).personalData, serial),
    }).returning('id').executeTakeFirstOrThrow();
    const a = await db.insertInto('accounts').values({ person_id: p.id, user_code: newUserCode(), status: options.status ?? 'active', mobile: MOBILE })
      .returning('id').executeTakeFirstOrThrow();
    await db.insertInto('credentials').values({ account_id: a.id, password_hash: await t.hasher.hash(OLD) }).execute();
    return { nationalId, accountId: a.id };
  }
  beforeEach(async () => { person = await addPerson(); });

  const post = (url: string, payload: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url, payload, headers: { 'accept-language': 'fa' } });
  const outbox = async (): Promise<Outboxed[]> => (await t.app.inject('/dev/outbox.json')).json();
  const recoverySmsCount = async () => (await outbox()).filter((m) => m.template === 'recovery.sms').length;
  const errorsOf = (response: LightMyRequestResponse) =>
    Object.fromEntries(response.json().form.fields.filter((f: { errors: unknown[] }) => f.errors.length > 0).map((f: { name: string; errors: { code: string }[] }) => [f.name, f.errors.map((e) => e.code)]));
  /** The answer with what differs between any two flows (id, expiry) taken out. */
  const shape = (response: LightMyRequestResponse) => { const { id: _i, expiresAt: _e, ...rest } = response.json(); return { status: response.statusCode, ...rest }; };

  async function identify(fields: Record<string, string>) {
    const started = await post('/api/v1/flows/recovery');
    assert.equal(started.statusCode, 201);
    const id = started.json().id;
    const answer = await post(`/api/v1/flows/${id}`, { ...fields, captcha: await solvedPayload(t.app) });
    return { id, answer };
  }
  const signIn = (identifier: string, password: string, captcha?: string) => post('/api/v1/sessions', { identifier, password, ...(captcha ? { captcha } : {}) });

  test('matching details send a code to the registered mobile; the new password works, the old one and every session end', async () => {
    const session = await signIn(person.nationalId, OLD);
    assert.equal(session.statusCode, 201);
    const before = await recoverySmsCount();
    const persianId = person.nationalId.replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d)));
    const { id, answer } = await identify({ nationalId: persianId, serial: '۱۲۳۴۵۶', mobile: '0912 111 2233' });
    assert.equal(answer.statusCode, 200, answer.body);
    assert.equal(answer.json().state, 'verify');
    assert.equal(await recoverySmsCount(), before + 1);
    const sms = (await outbox()).find((m) => m.template === 'recovery.sms')!;
    assert.equal(sms.to, MOBILE);
    const code = /\d{6}/.exec(toLatinDigits(sms.text))![0];

    const weak = await post(`/api/v1/flows/${id}`, { code, password: '12345678', repeat: '1234' });
    assert.equal(weak.statusCode, 422);
    assert.ok(errorsOf(weak).password && errorsOf(weak).repeat, 'password problems, all at once');
    const wrong = await post(`/api/v1/flows/${id}`, { code: code === '000000' ? '111111' : '000000', password: NEW, repeat: NEW });
    assert.deepEqual(errorsOf(wrong), { code: ['code.invalid'] });
    const same = await post(`/api/v1/flows/${id}`, { code, password: OLD, repeat: OLD });
    assert.equal(same.statusCode, 422);
    assert.deepEqual(errorsOf(same), { password: ['password.same_as_current'] }, 'the old password again is refused, as change-password refuses it');
    assert.equal(same.json().form.fields.find((f: { name: string }) => f.name === 'password').errors[0].message, 'رمز عبور جدید باید با رمز عبور فعلی متفاوت باشد');
    const done = await post(`/api/v1/flows/${id}`, { code, password: NEW, repeat: NEW });
    assert.equal(done.statusCode, 200, done.body);
    assert.equal(done.json().state, 'done');

    assert.equal((await signIn(person.nationalId, OLD)).statusCode, 401);
    assert.equal((await signIn(person.nationalId, NEW)).statusCode, 201);
    const old = await t.app.inject({ url: '/api/v1/sessions', headers: { authorization: `Bearer ${session.json().token}` } });
    assert.equal(old.statusCode, 401, 'the sessions of the old password are over');
    assert.ok((await outbox()).some((m) => m.template === 'password.changed' && m.to === MOBILE));
    const events = await t.handle.db.selectFrom('audit_events').select('type').where('subject_account_id', '=', person.accountId).execute();
    assert.ok(events.some((e) => e.type === 'password.recovered'));
    assert.equal((await post(`/api/v1/flows/${id}`, { code, password: NEW, repeat: NEW })).statusCode, 422, 'a finished flow takes nothing more');
  });

  test('a wrong serial, a wrong mobile or an unknown ID answer exactly like a match, and send nothing', async () => {
    const matched = await identify({ nationalId: person.nationalId, serial: '123456', mobile: '09121112233' });
    const sent = await recoverySmsCount();
    for (const fields of [
      { nationalId: person.nationalId, serial: '654321', mobile: '09121112233' },
      { nationalId: person.nationalId, serial: '123456', mobile: '09129998877' },
      { nationalId: nationalIdFor(99_999), serial: '123456', mobile: '09121112233' },
    ]) {
      const other = await identify(fields);
      assert.deepEqual(shape(other.answer), shape(matched.answer));
      const guess = await post(`/api/v1/flows/${other.id}`, { code: '123456', password: NEW, repeat: NEW });
      assert.deepEqual(errorsOf(guess), { code: ['code.invalid'] });
    }
    assert.equal(await recoverySmsCount(), sent, 'no SMS for details that do not all match');
    // A password made of the account's user code is judged only after the code: before, it would tell a match.
    const userCode = (await t.handle.db.selectFrom('accounts').select('user_code').where('id', '=', person.accountId).executeTakeFirstOrThrow()).user_code;
    const withUserCode = `Aa1!${userCode}`;
    const probe = await post(`/api/v1/flows/${matched.id}`, { code: '000000', password: withUserCode, repeat: withUserCode });
    assert.deepEqual(Object.keys(errorsOf(probe)), ['code']);
    // Five minutes on, both say "expired" alike.
    t.clock.advance(5 * 60_000 + 1000);
    const late = await identify({ nationalId: person.nationalId, serial: '000000', mobile: '09121112233' });
    t.clock.advance(5 * 60_000 + 1000);
    const a = await post(`/api/v1/flows/${matched.id}`, { code: '123456', password: NEW, repeat: NEW });
    const b = await post(`/api/v1/flows/${late.id}`, { code: '123456', password: NEW, repeat: NEW });
    assert.deepEqual(errorsOf(a), { code: ['code.expired'] });
    assert.deepEqual(errorsOf(b), { code: ['code.expired'] });
    const said = a.json().form.fields.find((f: { name: string }) => f.name === 'code').errors[0].message;
    assert.equal(said, 'این کد منقضی شده است، لطفا کد جدیدی دریافت کنید', 'a recovery code is no activation code');
    assert.equal((await signIn(person.nationalId, OLD)).statusCode, 201, 'nothing changed');
  });

  test('malformed details are named field by field (that says nothing about any account)', async () => {
    const { answer } = await identify({ nationalId: '123', serial: '12345', mobile: '' });
    assert.equal(answer.statusCode, 422);
    assert.deepEqual(errorsOf(answer), { nationalId: ['national_id.format'], serial: ['serial.invalid'], mobile: ['mobile.required'] });
  });

  test('attempts per national ID are limited, matched or not, and a disabled account gets no code', async () => {
    for (let i = 0; i < 5; i++) assert.equal((await identify({ nationalId: person.nationalId, serial: '999999', mobile: '09121112233' })).answer.statusCode, 200);
    const sixth = await identify({ nationalId: person.nationalId, serial: '123456', mobile: '09121112233' });
    assert.equal(sixth.answer.statusCode, 422);
    assert.deepEqual(sixth.answer.json().form.messages.filter((m: { kind: string }) => m.kind === 'error').map((m: { code: string }) => m.code), ['recovery.too_many']);

    const disabled = await addPerson({ status: 'disabled' });
    const sent = await recoverySmsCount();
    assert.equal((await identify({ nationalId: disabled.nationalId, serial: '123456', mobile: '09121112233' })).answer.statusCode, 200);
    assert.equal(await recoverySmsCount(), sent);
  });

  test('a self-registered person (no serial on record) recovers with the registered mobile; a locked account is unlocked', async () => {
    const selfRegistered = await addPerson({ serial: null });
    for (let i = 0; i < t.config.lockout.threshold; i++) { t.clock.advance(10 * 60_000); await signIn(selfRegistered.nationalId, 'wrong-Password-1', await solvedPayload(t.app)); }
    assert.equal((await signIn(selfRegistered.nationalId, OLD)).json().error.code, 'sign_in.locked');
    const { id } = await identify({ nationalId: selfRegistered.nationalId, serial: '000001', mobile: '09121112233' });
    const sms = (await outbox()).find((m) => m.template === 'recovery.sms')!;
    const done = await post(`/api/v1/flows/${id}`, { code: /\d{6}/.exec(toLatinDigits(sms.text))![0], password: NEW, repeat: NEW });
    assert.equal(done.json().state, 'done', done.body);
    assert.equal((await signIn(selfRegistered.nationalId, NEW)).statusCode, 201);
    const unlocked = await t.handle.db.selectFrom('audit_events').select('data').where('type', '=', 'sign_in.unlocked').where('subject_account_id', '=', selfRegistered.accountId).execute();
    assert.deepEqual(unlocked.map((e) => e.data), [{ by: 'recovery', place: 'other_devices' }], 'the lift of the lock is audited once');
  });

  test('the pages: a link from sign-in, the Persian labels of the seed, the resend countdown without JavaScript', async () => {
    const agent = createAgent(t.app);
    const signInPage = await agent.get('/sign-in');
    assert.match(signInPage.body, /<a href="\/recover">رمز ورود را نمیدانم<\/a>/);
    const start = await agent.get(`/recover?nationalId=${person.nationalId}`);
    assert.equal(start.statusCode, 303);
    const url = String(start.headers.location);
    const form = await agent.get(url);
    for (const text of ['درخواست گذر واژه', 'سربرگ شناسنامه', 'تلفن همراه', `value="${person.nationalId}"`]) assert.ok(form.body.includes(text), text);

    const submitted = await agent.submit(url, { nationalId: person.nationalId, serial: '123456', mobile: '09121112233', captcha: await solvedPayload(t.app) });
    assert.equal(submitted.statusCode, 303, submitted.body.slice(0, 400));
    const verify = await agent.get(url);
    assert.match(verify.body, /کد بازیابی/);
    // Without JavaScript: the resend button says how long it waits, the code until when it is good.
    assert.match(verify.body, /<button type="submit" name="action" value="resend" class="secondary" data-wait="60"[^>]*>ارسال دوباره کد<\/button>/);
    assert.match(verify.body, /تا ۶۰ ثانیه دیگر/);
    assert.match(verify.body, /این کد تا ساعت [۰-۹]{2}:[۰-۹]{2} معتبر است/);
    assert.match(verify.body, /<script src="\/assets\/countdown\.[0-9a-f]{12}\.js" defer><\/script>/);
    t.clock.advance(61_000);
    const ready = await agent.get(url);
    assert.match(ready.body, /<button type="submit" name="action" value="resend" class="secondary">ارسال دوباره کد<\/button>/);
    assert.equal((await agent.submit(url, { action: 'resend' })).statusCode, 303);
    const code = /\d{6}/.exec(toLatinDigits((await outbox()).find((m) => m.template === 'recovery.sms')!.text))![0];
    assert.equal((await agent.submit(url, { action: 'verify', code, password: NEW, repeat: NEW })).statusCode, 303);
    assert.match((await agent.get(url)).body, /رمز عبور شما با موفقیت تغییر یافت/);

    const stranger = createAgent(t.app, { ip: '10.9.9.9' });
    assert.equal((await stranger.get(url)).statusCode, 404, "another browser's flow does not exist for it");
  });

  test('hostile input in any field, through the API and the page: a 4xx, never a 500, nothing written', async () => {
    const bad: unknown[] = [['a', 'b'], { $gt: '' }, 12345, null, 'abc\u0000def', 'ی'.repeat(100_000), '\u200f\u200e\u202b', '<script>x</script>'];
    const { id } = await identify({ nationalId: person.nationalId, serial: '123456', mobile: '09121112233' });
    const fresh = (await post('/api/v1/flows/recovery')).json().id;
    for (const value of bad) {
      for (const [flow, field] of [[fresh, 'nationalId'], [fresh, 'serial'], [fresh, 'mobile'], [id, 'code'], [id, 'password']] as const) {
        const response = await t.app.inject({ method: 'POST', url: `/api/v1/flows/${flow}`, payload: { [field]: value } as Record<string, unknown> as Record<string, string> });
        assert.ok(response.statusCode >= 400 && response.statusCode < 500, `${field}=${JSON.stringify(value).slice(0, 20)}: ${response.statusCode}`);
        assert.doesNotMatch(response.body, /\bat .+\.(ts|js):\d+/);
      }
    }
    const agent = createAgent(t.app);
    const url = String((await agent.get('/recover')).headers.location);
    for (const value of ['abc\u0000def', 'ی'.repeat(100_000), '\u200f\u200e', '<script>x</script>']) {
      const response = await agent.submit(url, { nationalId: value, serial: value, mobile: value });
      assert.ok(response.statusCode >= 400 && response.statusCode < 500, String(response.statusCode));
      assert.doesNotMatch(response.body, /<script>x/, 'escaped on the page');
    }
    assert.equal((await signIn(person.nationalId, OLD)).statusCode, 201, 'the password is untouched');
  });
});
