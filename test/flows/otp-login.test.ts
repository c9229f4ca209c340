// One-time-code sign-in (F3, issue 11): national ID or user code → a code by SMS or call to the
// registered mobile → signed in, with amr saying so. Unknown identifiers get the same answers
// and states and no message; codes are single-use, per flow, with tries, cooldown and limits
// that an injected clock runs out.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { toLatinDigits } from '../../src/domain/digits.ts';
import { deriveKeys, hmacSha256 } from '../../src/secrets.ts';
import { createAgent } from '../helpers/agent.ts';
import { databaseKinds, startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor } from '../helpers/fixtures.ts';
import { buttonsOf, errorCodes, flowClient, type FlowJson } from '../helpers/flow-client.ts';

type Outboxed = { id: string; channel: string; to: string; template: string; text: string };

const PARENT = { nationalId: '0056789122', mobile: '+989121112233' };
const PASSWORD = 'Parent-Pass-1405!';

async function outbox(t: TestApp): Promise<Outboxed[]> {
  return (await t.app.inject('/dev/outbox.json')).json();
}

async function codeTo(t: TestApp, to: string, template = 'sign_in.code.sms'): Promise<string> {
  const message = (await outbox(t)).find((m) => m.to === to && m.template === template);
  assert.ok(message, `a ${template} to ${to}`);
  return /\d{6}/.exec(toLatinDigits(message.text))![0];
}

/** A flow answer with what differs between any two flows (id, expiry) taken out. */
const shape = (flow: FlowJson) => ({ kind: flow.kind, state: flow.state, form: flow.form });

for (const kind of databaseKinds) {
  describe(`one-time-code sign-in on ${kind}`, () => {
    let t: TestApp;
    let userCode: string;
    before(async () => {
      t = await startTestApp(kind, { KELID_SMS: 'dev', KELID_EMAIL: 'dev' });
      const tree = await createTree(t.handle.db);
      ({ userCode } = await createAccount(t.handle.db, t.hasher, {
        nationalId: PARENT.nationalId, password: PASSWORD, mobile: PARENT.mobile, firstName: 'محمد', lastName: 'نوری',
        memberships: [{ organizationId: tree.schoolA, role: 'father', startsOn: '2025-09-01', endsOn: null }],
      }));
    });
    after(() => t.close());

    test('a parent with only a phone signs in: national ID in Persian digits, the SMS code, a session marked otp+sms', async () => {
      const client = flowClient(t.app, { locale: 'fa' });
      const identify = await client.start('otp-login');
      assert.equal(identify.state, 'identify');
      assert.deepEqual([...buttonsOf(identify).keys()], ['send_sms', 'send_call']);
      const verify = await client.press(identify, 'send_sms', { identifier: '۰۰۵ ۶۷۸ ۹۱۲۲' });
      assert.equal(verify.status, 200, verify.response.body);
      assert.equal(verify.flow.state, 'verify');
      const code = await codeTo(t, PARENT.mobile);
      const done = await client.press(verify.flow, 'verify', { code: [...code].map((d) => String.fromCharCode(0x06f0 + Number(d))).join('') });
      assert.equal(done.status, 200, done.response.body);
      assert.equal(done.flow.state, 'done');
      const token = done.flow.session!.token;
      const me = await t.app.inject({ url: '/api/v1/sessions', headers: { authorization: `Bearer ${token}` } });
      assert.equal(me.statusCode, 200);
      const { data } = await t.handle.db.selectFrom('flows').select('data').where('id', '=', done.flow.id).executeTakeFirstOrThrow();
      const session = await t.handle.db.selectFrom('sessions').select(['amr', 'kind']).where('id', '=', (data as { sessionId: string }).sessionId).executeTakeFirstOrThrow();
      assert.deepEqual(session, { amr: ['otp', 'sms'], kind: 'api' });
      // The code is spent with the sign-in: the same flow cannot be driven again.
      const again = await t.app.inject({ method: 'POST', url: `/api/v1/flows/${done.flow.id}`, payload: { action: 'verify', code } });
      assert.equal(again.statusCode, 422);
    });

    test('by the user code and a voice call: the code read out digit by digit, the session marked otp+tel', async () => {
      const client = flowClient(t.app);
      const verify = await client.press(await client.start('otp-login'), 'send_call', { identifier: userCode.toLowerCase() });
      assert.equal(verify.flow.state, 'verify');
      assert.ok(verify.flow.form.messages.some((m) => m.code === 'otp.code_called'));
      const message = (await outbox(t)).find((m) => m.to === PARENT.mobile && m.template === 'sign_in.code.voice');
      assert.ok(message);
      const spoken = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
      const code = /: ([a-z, ]+)\./.exec(message.text)![1]!.split(', ').map((word) => spoken.indexOf(word)).join('');
      assert.match(code, /^\d{6}$/);
      const done = await client.press(verify.flow, 'verify', { code });
      assert.equal(done.flow.state, 'done', done.response.body);
      const sessions = await t.handle.db.selectFrom('sessions').select('amr').orderBy('created_at', 'desc').execute();
      assert.ok(sessions.some((s) => s.amr.join() === 'otp,tel'));
    });
  });
}

describe('one-time-code sign-in: nothing tells who has an account; codes and limits hold', () => {
  let t: TestApp;
  let tree: Awaited<ReturnType<typeof createTree>>;
  before(async () => {
    t = await startTestApp('postgres', { KELID_SMS: 'dev', KELID_EMAIL: 'dev', KELID_SEND_PER_RECIPIENT_PER_HOUR: '100' });
    tree = await createTree(t.handle.db);
    await createAccount(t.handle.db, t.hasher, { nationalId: PARENT.nationalId, password: PASSWORD, mobile: PARENT.mobile });
    await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(2), password: PASSWORD }); // no mobile
    await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(3), password: PASSWORD, mobile: '+989120000003', status: 'disabled' });
    await createAccount(t.handle.db, t.hasher, {
      nationalId: nationalIdFor(4), password: PASSWORD, mobile: '+989120000004', mustChange: true,
      memberships: [{ organizationId: tree.schoolA, role: 'mother', startsOn: '2025-09-01', endsOn: null }],
    });
  });
  after(() => t.close());

  test('known, unknown, without a mobile or disabled: the same status, state, form and messages at every step; only the known one gets an SMS', async () => {
    const answers = [];
    for (const [i, identifier] of [PARENT.nationalId, nationalIdFor(1), nationalIdFor(2), nationalIdFor(3)].entries()) {
      const client = flowClient(t.app, { ip: `198.51.100.${10 + i}` });
      const before = (await outbox(t)).length;
      const verify = await client.press(await client.start('otp-login'), 'send_sms', { identifier });
      const sent = (await outbox(t)).length - before;
      const wrong = await client.press(verify.flow, 'verify', { code: '000000' });
      answers.push({ verify: [verify.status, shape(verify.flow)], wrong: [wrong.status, shape(wrong.flow)], sent });
    }
    assert.deepEqual(answers.map((a) => a.sent), [1, 0, 0, 0]);
    // The others cost the same work: a message written and withheld, without its text, never sent.
    const withheld = await sql<{ last_error: string; text: string }>`select last_error, text from outbox where status = 'withheld'`.execute(t.handle.db);
    assert.deepEqual(withheld.rows.map((row) => [row.last_error, row.text]), [['no_account', ''], ['no_account', ''], ['no_account', '']]);
    for (const answer of answers.slice(1)) {
      assert.deepEqual(answer.verify, answers[0]!.verify);
      assert.deepEqual(answer.wrong, answers[0]!.wrong);
    }
    assert.deepEqual(errorCodes(answers[0]!.wrong[1] as FlowJson), { code: ['code.invalid'] });
  });

  test('a malformed identifier is named (the same for every person); a code is five tries, one flow, one purpose', async () => {
    const client = flowClient(t.app, { ip: '198.51.100.20' });
    const bad = await client.press(await client.start('otp-login'), 'send_sms', { identifier: '0056789123' });
    assert.deepEqual(errorCodes(bad.flow), { identifier: ['national_id.checksum'] });
    assert.equal(bad.flow.state, 'identify');
    const empty = await client.press(bad.flow, 'send_sms', { identifier: '' });
    assert.deepEqual(errorCodes(empty.flow), { identifier: ['identifier.required'] });

    // Two flows for the same person: each has its own code, and neither works in the other.
    const one = await client.press(await client.start('otp-login'), 'send_sms', { identifier: PARENT.nationalId });
    const codeOne = await codeTo(t, PARENT.mobile);
    const other = await flowClient(t.app, { ip: '198.51.100.21' }).press(await client.start('otp-login'), 'send_sms', { identifier: PARENT.nationalId });
    const codeOther = await codeTo(t, PARENT.mobile);
    assert.notEqual(codeOne, codeOther);
    assert.deepEqual(errorCodes((await client.press(other.flow, 'verify', { code: codeOne })).flow), { code: ['code.invalid'] });
    // Five wrong tries spend the code, the right one included afterwards.
    for (let i = 0; i < 4; i++) assert.deepEqual(errorCodes((await client.press(one.flow, 'verify', { code: '000000' })).flow), { code: ['code.invalid'] });
    assert.deepEqual(errorCodes((await client.press(one.flow, 'verify', { code: '000000' })).flow), { code: ['code.invalid'] });
    assert.deepEqual(errorCodes((await client.press(one.flow, 'verify', { code: codeOne })).flow), { code: ['code.too_many_tries'] });
    // A new code after the cooldown works; the old one does not.
    const early = await client.press(one.flow, 'send_sms');
    assert.deepEqual(errorCodes(early.flow), { code: ['code.cooldown'] });
    t.clock.advance(61_000);
    const resent = await client.press((await client.read(one.flow.id)).flow, 'send_sms');
    assert.equal(resent.status, 200);
    const fresh = await codeTo(t, PARENT.mobile);
    assert.equal((await client.press(resent.flow, 'verify', { code: codeOne === fresh ? '111111' : codeOne })).status, 422);
    assert.equal((await client.press(resent.flow, 'verify', { code: fresh })).flow.state, 'done');
    // A code sent after five minutes' wait is expired.
    const late = await client.press(await client.start('otp-login'), 'send_sms', { identifier: PARENT.nationalId });
    const lateCode = await codeTo(t, PARENT.mobile);
    t.clock.advance(5 * 60_000 + 1000);
    const expired = (await client.press(late.flow, 'verify', { code: lateCode })).flow;
    assert.deepEqual(errorCodes(expired), { code: ['code.expired'] });
    const said = (expired.form.fields.find((f) => f.name === 'code')?.errors[0] as { message?: string } | undefined)?.message;
    assert.ok(said !== undefined && !said.includes('فعال سازی') && !said.includes('activation'), `a sign-in code is no activation code: ${said}`);
  });

  test('requests for one ID are limited from one address, then from anywhere, alike for known and unknown IDs; an hour later it works again', async () => {
    t.clock.advance(2 * 3_600_000);
    const known = PARENT.nationalId;
    const unknown = nationalIdFor(77);
    const ask = async (identifier: string, ip: string) => {
      const client = flowClient(t.app, { ip });
      const answer = await client.press(await client.start('otp-login'), 'send_sms', { identifier });
      return [answer.status, answer.flow.state, errorCodes(answer.flow)];
    };
    for (const identifier of [known, unknown]) {
      for (let i = 0; i < 5; i++) assert.deepEqual(await ask(identifier, '203.0.113.1'), [200, 'verify', {}]);
      assert.deepEqual(await ask(identifier, '203.0.113.1'), [422, 'identify', { identifier: ['otp.too_many'] }], 'the sixth from one address');
      // Someone else's requests do not use up the owner's, up to the ceiling per ID (10 an hour).
      for (let i = 0; i < 4; i++) assert.deepEqual(await ask(identifier, `203.0.113.${10 + i}`), [200, 'verify', {}]);
      assert.deepEqual(await ask(identifier, '203.0.113.99'), [422, 'identify', { identifier: ['otp.too_many'] }], 'the ceiling');
    }
    const sent = (await outbox(t)).filter((m) => m.to === PARENT.mobile && m.template === 'sign_in.code.sms');
    t.clock.advance(61 * 60_000);
    assert.deepEqual(await ask(known, '203.0.113.1'), [200, 'verify', {}]);
    assert.equal((await outbox(t)).filter((m) => m.to === PARENT.mobile && m.template === 'sign_in.code.sms').length, sent.length + 1);
  });

  test('wrong codes count per place over a day, whatever the flow: past 20 no code is checked there, the right one included, alike for known and unknown IDs; the owner\'s own device has its own share', async () => {
    // A day on from the wrong codes of the tests before.
    t.clock.advance(25 * 3_600_000);
    const unknown = nationalIdFor(78);
    const owner = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: PARENT.nationalId, password: PASSWORD }, remoteAddress: '198.51.100.70' });
    const { deviceToken } = owner.json<{ deviceToken: string }>();
    for (const identifier of [PARENT.nationalId, unknown]) {
      for (let flow = 0; flow < 4; flow++) {
        const client = flowClient(t.app, { ip: `198.51.100.${40 + flow}` });
        const sent = await client.press(await client.start('otp-login'), 'send_sms', { identifier });
        for (let i = 0; i < 5; i++) assert.deepEqual(errorCodes((await client.press(sent.flow, 'verify', { code: '000000' })).flow), { code: ['code.invalid'] });
      }
      const client = flowClient(t.app, { ip: '198.51.100.50' });
      const last = await client.press(await client.start('otp-login'), 'send_sms', { identifier });
      const right = identifier === PARENT.nationalId ? await codeTo(t, PARENT.mobile) : '123456';
      const refused = await client.press(last.flow, 'verify', { code: right });
      assert.deepEqual([refused.status, refused.flow.state, errorCodes(refused.flow)], [422, 'verify', { code: ['otp.too_many_wrong'] }], identifier);
    }
    // The owner's phone, on the device that signed in before: a share of its own.
    const own = flowClient(t.app, { ip: '198.51.100.51' });
    const flow = await own.start('otp-login');
    assert.equal((await own.send(flow.id, { action: 'send_sms', identifier: PARENT.nationalId, deviceToken })).status, 200);
    const done = await own.send(flow.id, { action: 'verify', code: await codeTo(t, PARENT.mobile), deviceToken });
    assert.equal(done.flow.state, 'done', JSON.stringify(errorCodes(done.flow)));
    // A day later, everyone else's share is back.
    t.clock.advance(24 * 3_600_000 + 60_000);
    const later = flowClient(t.app, { ip: '198.51.100.52' });
    const again = await later.press(await later.start('otp-login'), 'send_sms', { identifier: PARENT.nationalId });
    assert.equal((await later.press(again.flow, 'verify', { code: await codeTo(t, PARENT.mobile) })).flow.state, 'done');
  });

  test('wrong codes sent all at once from many flows are counted before they are checked: no more than the day\'s 20 are compared', async () => {
    t.clock.advance(25 * 3_600_000);
    const identifier = nationalIdFor(77);
    const flows = [];
    for (let n = 0; n < 5; n++) {
      const client = flowClient(t.app, { ip: `198.51.100.${60 + n}` });
      flows.push({ client, flow: (await client.press(await client.start('otp-login'), 'send_sms', { identifier })).flow });
    }
    const answers = await Promise.all(flows.flatMap(({ client, flow }) => Array.from({ length: 5 }, () => client.press(flow, 'verify', { code: '000000' }))));
    const codes = answers.map((answer) => errorCodes(answer.flow).code?.[0]);
    assert.equal(codes.filter((code) => code === 'code.invalid').length, 20, JSON.stringify(codes));
    assert.equal(codes.filter((code) => code === 'otp.too_many_wrong').length, 5, JSON.stringify(codes));
  });

  test('a code the send limits held back is never one that can be typed in, even guessed; going back to type another ID keeps the cooldown', async () => {
    // A phone that hears one message an hour from strangers: the second request is answered the same, its message held back.
    const strict = await startTestApp('postgres', { KELID_SMS: 'dev', KELID_EMAIL: 'dev', KELID_SEND_PER_RECIPIENT_PER_HOUR: '1' });
    try {
      await createAccount(strict.handle.db, strict.hasher, { nationalId: PARENT.nationalId, password: PASSWORD, mobile: PARENT.mobile });
      let held: FlowJson | undefined;
      for (let i = 0; i < 2; i++) {
        const client = flowClient(strict.app, { ip: `198.51.100.${80 + i}` });
        const sent = await client.press(await client.start('otp-login'), 'send_sms', { identifier: PARENT.nationalId });
        assert.deepEqual([sent.status, sent.flow.state], [200, 'verify']);
        held = sent.flow;
      }
      assert.equal((await outbox(strict)).length, 1, 'one message left');
      const row = await strict.handle.db.selectFrom('verification_codes').select(['target', 'code_hmac']).where('flow_id', '=', held!.id).executeTakeFirstOrThrow();
      // The stored code, found by trying them all (a lucky guess stands for it).
      const codes = deriveKeys(strict.config.secret!).codes;
      let guessed: string | undefined;
      for (let n = 0; n < 1_000_000 && guessed === undefined; n++) {
        const code = String(n).padStart(6, '0');
        if (hmacSha256(codes, `${held!.id}\u0000sign_in\u0000${row.target}\u0000${code}`).toString('hex') === row.code_hmac) guessed = code;
      }
      assert.ok(guessed, 'the held-back code found');
      const client = flowClient(strict.app, { ip: '198.51.100.85' });
      const tried = await client.press(held!, 'verify', { code: guessed });
      assert.deepEqual([tried.flow.state, errorCodes(tried.flow)], ['verify', { code: ['code.invalid'] }]);

      // Back to type another ID: the send buttons wait out the flow's cooldown, and a send before it is refused.
      const back = await client.press((await client.read(held!.id)).flow, 'edit');
      assert.equal(back.flow.state, 'identify');
      assert.ok([...buttonsOf(back.flow).values()].every((option) => option.available === false && (option.waitSeconds ?? 0) > 0), JSON.stringify([...buttonsOf(back.flow).values()]));
      const early = await client.send(held!.id, { action: 'send_sms', identifier: nationalIdFor(79) });
      assert.deepEqual([early.flow.state, errorCodes(early.flow)], ['identify', { identifier: ['code.cooldown'] }]);
      strict.clock.advance(61_000);
      assert.equal((await client.press((await client.read(held!.id)).flow, 'send_sms', { identifier: nationalIdFor(79) })).flow.state, 'verify');
    } finally {
      await strict.close();
    }
  });

  test('KELID_CODE_TRIES and KELID_CODE_RESEND_SECONDS set the tries of a code and the wait before another', async () => {
    const tight = await startTestApp('postgres', { KELID_SMS: 'dev', KELID_EMAIL: 'dev', KELID_CODE_TRIES: '2', KELID_CODE_RESEND_SECONDS: '10' });
    try {
      await createAccount(tight.handle.db, tight.hasher, { nationalId: PARENT.nationalId, password: PASSWORD, mobile: PARENT.mobile });
      const client = flowClient(tight.app, { ip: '198.51.100.90' });
      const sent = await client.press(await client.start('otp-login'), 'send_sms', { identifier: PARENT.nationalId });
      const code = await codeTo(tight, PARENT.mobile);
      for (let i = 0; i < 2; i++) assert.deepEqual(errorCodes((await client.press(sent.flow, 'verify', { code: '000000' })).flow), { code: ['code.invalid'] });
      assert.deepEqual(errorCodes((await client.press(sent.flow, 'verify', { code })).flow), { code: ['code.too_many_tries'] }, 'two wrong tries spent it');
      tight.clock.advance(9_000);
      assert.deepEqual(errorCodes((await client.press((await client.read(sent.flow.id)).flow, 'send_sms')).flow), { code: ['code.cooldown'] });
      tight.clock.advance(1_000);
      const again = await client.press((await client.read(sent.flow.id)).flow, 'send_sms');
      assert.equal(again.status, 200, 'ten seconds on, another code');
      assert.equal((await client.press(again.flow, 'verify', { code: await codeTo(tight, PARENT.mobile) })).flow.state, 'done');
    } finally {
      await tight.close();
    }
  });

  test('a temporary password is changed after a code sign-in without typing it; then the pages go on as after a password', async () => {
    t.clock.advance(2 * 3_600_000);
    const client = flowClient(t.app, { ip: '192.0.2.50' });
    const verify = await client.press(await client.start('otp-login'), 'send_sms', { identifier: nationalIdFor(4) });
    const done = await client.press(verify.flow, 'verify', { code: await codeTo(t, '+989120000004') });
    assert.equal(done.flow.session?.mustChangePassword, true);
    const bearer = { authorization: `Bearer ${done.flow.session!.token}` };
    const change = await t.app.inject({ method: 'POST', url: '/api/v1/flows/change-password', headers: bearer });
    const form = change.json<FlowJson>();
    assert.deepEqual(form.form.fields.map((f) => f.name), ['password', 'repeat', 'action'], 'no current password asked');
    const kept = await t.app.inject({ method: 'POST', url: `/api/v1/flows/${form.id}`, headers: bearer, payload: { password: PASSWORD, repeat: PASSWORD } });
    assert.equal(kept.statusCode, 422, 'the temporary password itself is no new password, untyped as it is');
    assert.deepEqual(errorCodes(kept.json<FlowJson>()), { password: ['password.same_as_current'] });
    const NEW = 'Mother-New-1405!';
    const changed = await t.app.inject({ method: 'POST', url: `/api/v1/flows/${form.id}`, headers: bearer, payload: { password: NEW, repeat: NEW } });
    assert.equal(changed.statusCode, 200, changed.body);
    const signIn = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: nationalIdFor(4), password: NEW } });
    assert.equal(signIn.statusCode, 201);
    assert.equal(signIn.json().mustChangePassword, false);
  });

  test('the pages in Persian: a link from sign-in, the seed\'s words, the code\'s expiry, signed in with a cookie', async () => {
    t.clock.advance(2 * 3_600_000);
    const agent = createAgent(t.app, { ip: '192.0.2.60' });
    const signInPage = await agent.get('/sign-in?return_to=%2Fprofile');
    assert.match(signInPage.body, /<a href="\/sign-in\/code\?return_to=%2Fprofile">ورود با رمز یکبار مصرف \(پیامک\)<\/a>/);
    const start = await agent.get('/sign-in/code?return_to=%2Fprofile');
    assert.equal(start.statusCode, 303);
    const url = String(start.headers.location);
    const page = await agent.get(url);
    assert.match(page.body, /<button type="submit" name="action" value="send_sms" class="primary">ارسال پیامک<\/button>/);
    assert.equal((await agent.submit(url, { identifier: PARENT.nationalId, action: 'send_sms' })).statusCode, 303);
    const verify = await agent.get(url);
    assert.match(verify.body, /این کد تا ساعت [۰-۹]{2}:[۰-۹]{2} معتبر است/);
    assert.match(verify.body, /autocomplete="one-time-code"/);
    const wrong = await agent.submit(url, { code: '000000', action: 'verify' });
    assert.equal(wrong.statusCode, 422);
    const signedIn = await agent.submit(url, { code: await codeTo(t, PARENT.mobile), action: 'verify' });
    assert.equal(signedIn.statusCode, 303);
    assert.equal(signedIn.headers.location, '/profile');
    assert.ok(agent.cookies.has('kelid_session'));
    const home = await agent.get('/');
    assert.equal(home.statusCode, 200);
  });

  test('the administration console asks a code session for the password first', async () => {
    t.clock.advance(2 * 3_600_000);
    await createAccount(t.handle.db, t.hasher, {
      nationalId: nationalIdFor(5), password: PASSWORD, mobile: '+989120000005',
      memberships: [{ organizationId: tree.schoolA, role: 'principal', startsOn: '2025-09-01', endsOn: null }],
    });
    const client = flowClient(t.app, { ip: '192.0.2.70' });
    const verify = await client.press(await client.start('otp-login'), 'send_sms', { identifier: nationalIdFor(5) });
    const done = await client.press(verify.flow, 'verify', { code: await codeTo(t, '+989120000005') });
    const users = await t.app.inject({ url: '/api/v1/admin/users', headers: { authorization: `Bearer ${done.flow.session!.token}` } });
    assert.equal(users.statusCode, 403);
    assert.equal(users.json().error.code, 'admin.password_required');
  });
});
