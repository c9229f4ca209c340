// Every button of a step is in its form (issue 11): a generic JSON client that knows no kind
// drives registration and recovery from the form alone, sees which buttons may be pressed now
// and how long the others wait, and until when each code sent is good; a checkbox takes JSON
// true, and any other type is a 422 with the flow.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { toLatinDigits } from '../../src/domain/digits.ts';
import { easyCaptcha, solvedPayload } from '../captcha/solve.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { buttonsOf, errorCodes, flowClient } from '../helpers/flow-client.ts';

const PASSWORD = 'Sara-Mehr-1404!';

describe('flows driven from the form model alone', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp('postgres', { ...easyCaptcha, KELID_SMS: 'dev', KELID_EMAIL: 'dev', KELID_SEND_PER_RECIPIENT_PER_HOUR: '100' });
    await t.handle.db.insertInto('people').values({ national_id: '0076229645', first_name: 'سارا', last_name: 'احمدی', birth_date: '2005-09-06' }).execute();
  });
  after(() => t.close());

  const newestCode = async (to: string) => {
    const messages: { to: string; text: string }[] = (await t.app.inject('/dev/outbox.json')).json();
    return /\d{6}/.exec(toLatinDigits(messages.find((m) => m.to === to)!.text))![0];
  };
  const at = (ms: number) => new Date(t.clock.now().getTime() + ms).toISOString();

  test('registration: the rules checkbox takes JSON true; wrong types are named; every button says whether it may be pressed and how long it waits', async () => {
    const client = flowClient(t.app);
    const rules = await client.start('registration');
    assert.deepEqual([...buttonsOf(rules).values()], [{ value: 'accept', label: 'Confirm', available: true }]);
    for (const wrong of [1, 'true', null, ['yes'], { yes: true }]) {
      const refused = await client.press(rules, 'accept', { accept: wrong });
      assert.equal(refused.status, 422, JSON.stringify(wrong));
      assert.equal(refused.flow.state, 'rules');
    }
    assert.deepEqual(errorCodes((await client.press(rules, 'accept', { accept: false })).flow), { accept: ['rules.must_accept'] });
    const details = await client.press(rules, 'accept', { accept: true });
    assert.equal(details.status, 200);
    assert.equal(details.flow.state, 'details');

    assert.deepEqual([...buttonsOf(details.flow).keys()], ['submit']);
    const typed = {
      nationality: 'citizen', firstName: 'سارا', lastName: 'احمدی', nationalId: '0076229645', birthDate: '2005-09-06',
      mobile: '09123456789', email: 'sara@example.org', password: PASSWORD, repeat: PASSWORD,
    };
    const verify = await client.press(details.flow, 'submit', { ...typed, captcha: await solvedPayload(t.app) });
    assert.equal(verify.flow.state, 'verify', verify.response.body);
    const sentAt = t.clock.now().getTime();
    const field = (name: string) => verify.flow.form.fields.find((f) => f.name === name)!;
    assert.deepEqual([...buttonsOf(verify.flow).values()].map((o) => [o.value, o.available, o.waitSeconds]), [
      ['verify', false, undefined], ['send_sms', true, undefined], ['send_call', true, undefined], ['send_email_code', false, 60], ['edit', true, undefined],
    ]);
    assert.equal(field('emailCode').expiresAt, new Date(sentAt + 5 * 60_000).toISOString(), 'the email code is good 5 minutes');
    assert.equal(field('mobileCode').expiresAt, undefined, 'no mobile code yet');

    t.clock.advance(20_000);
    const later = await client.read(verify.flow.id);
    assert.equal(buttonsOf(later.flow).get('send_email_code')?.waitSeconds, 40);

    const sms = await client.press(later.flow, 'send_sms');
    assert.equal(sms.status, 200);
    const buttons = buttonsOf(sms.flow);
    assert.equal(buttons.get('verify')?.available, true);
    assert.deepEqual([buttons.get('send_sms'), buttons.get('send_call')].map((o) => [o?.available, o?.waitSeconds]), [[false, 60], [false, 60]]);
    assert.equal(sms.flow.form.fields.find((f) => f.name === 'mobileCode')?.expiresAt, at(5 * 60_000));

    // Pressing a button before its time answers how long is left, and sends nothing.
    const early = await client.press(sms.flow, 'send_call');
    assert.equal(early.status, 422);
    assert.deepEqual(errorCodes(early.flow), { mobileCode: ['code.cooldown'] });
    assert.match(early.flow.form.fields.find((f) => f.name === 'mobileCode')!.errors[0]!.message, /60 seconds/);

    const done = await client.press(sms.flow, 'verify', { mobileCode: await newestCode('+989123456789'), emailCode: await newestCode('sara@example.org') });
    assert.equal(done.flow.state, 'done', done.response.body);
    assert.equal(done.flow.form.fields.some((f) => f.name === 'action'), false, 'nothing to press once done');
  });

  test('recovery: the resend button waits the cooldown, the code says until when it is good, match or not', async () => {
    const client = flowClient(t.app);
    const identify = await client.start('recovery');
    assert.deepEqual([...buttonsOf(identify).keys()], ['submit']);
    const verify = await client.press(identify, 'submit', { nationalId: '0499370899', serial: '123456', mobile: '09120000000', captcha: await solvedPayload(t.app) });
    assert.equal(verify.flow.state, 'verify', verify.response.body);
    assert.deepEqual([...buttonsOf(verify.flow).values()].map((o) => [o.value, o.available, o.waitSeconds]), [['verify', true, undefined], ['resend', false, 60]]);
    assert.equal(verify.flow.form.fields.find((f) => f.name === 'code')?.expiresAt, at(5 * 60_000));
    t.clock.advance(61_000);
    const ready = await client.read(verify.flow.id);
    assert.deepEqual(buttonsOf(ready.flow).get('resend'), { value: 'resend', label: 'Send the code again', available: true });
    const resent = await client.press(ready.flow, 'resend');
    assert.equal(resent.status, 200);
    assert.equal(buttonsOf(resent.flow).get('resend')?.waitSeconds, 60);
  });

  test('a value longer than any field, a malformed name, too many names: 422 with the flow, nothing changed', async () => {
    const client = flowClient(t.app);
    const rules = await client.start('registration');
    const long = await client.send(rules.id, { accept: 'yes', note: 'x'.repeat(5000) });
    assert.equal(long.status, 422);
    assert.deepEqual(errorCodes(long.flow), { _form: ['error.field_too_long'] });
    const many = await client.send(rules.id, Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`f${i}`, 'x'])));
    assert.equal(many.status, 422);
    assert.deepEqual(errorCodes(many.flow), { _form: ['error.body_invalid'] });
    const badName = await t.app.inject({ method: 'POST', url: `/api/v1/flows/${rules.id}`, headers: { 'content-type': 'application/json' }, payload: '{"\\ud800":"x","accept":"yes"}' });
    assert.equal(badName.statusCode, 422);
    assert.equal((await client.read(rules.id)).flow.state, 'rules', 'no step ran');
  });
});
