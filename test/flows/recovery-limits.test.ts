// Recovery's limits cannot be turned against others (review i9, finding 4): misses that send
// nothing do not spend the country's SMS budget (the per-number and per-address counts still
// move on every attempt, so they tell nothing about a match), and five wrong attempts at
// someone's national ID from one place do not lock the owner's own recovery elsewhere. An
// IPv6 client counts by its /64 (finding 10).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { addressKey } from '../../src/domain/client-address.ts';
import { newUserCode, setPassword } from '../../src/identity/accounts.ts';
import { toLatinDigits } from '../../src/domain/digits.ts';
import { deriveKeys, hmacHex } from '../../src/secrets.ts';
import { easyCaptcha, solvedPayload } from '../captcha/solve.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { nationalIdFor } from '../helpers/fixtures.ts';

const MOBILE = '+989121112233';
const PASSWORD = 'Owner-Password-1405!';

describe('client addresses as limits count them (pure)', () => {
  test('an IPv6 address counts by its /64, IPv4 and IPv4-mapped addresses as themselves', () => {
    assert.equal(addressKey('2001:db8:1:2:aaaa:bbbb:cccc:dddd'), '2001:db8:1:2::/64');
    assert.equal(addressKey('2001:DB8:1:2::1'), '2001:db8:1:2::/64');
    assert.equal(addressKey('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(addressKey('fe80::1%eth0'), 'fe80:0:0:0::/64');
    assert.equal(addressKey('::1'), '0:0:0:0::/64');
    assert.equal(addressKey('::ffff:192.0.2.7'), '192.0.2.7');
    assert.equal(addressKey('198.51.100.4'), '198.51.100.4');
    assert.equal(addressKey('not an address'), 'not an address');
    assert.equal(addressKey('1:2:3'), '1:2:3');
  });
});

describe('recovery limits', () => {
  let t: TestApp;
  let n = 0;

  before(async () => {
    t = await startTestApp('pglite', {
      ...easyCaptcha, KELID_SMS: 'dev', KELID_EMAIL: 'dev', KELID_SMS_BUDGET_PER_HOUR: '5',
      KELID_RECOVERY_PER_ADDRESS_PER_HOUR: '1000', KELID_SEND_PER_ADDRESS_PER_HOUR: '1000', KELID_SEND_PER_RECIPIENT_PER_HOUR: '1000',
      KELID_RECOVERY_PER_ID_PER_HOUR: '5', KELID_RECOVERY_PER_ID_ALL_PER_HOUR: '12',
    });
  });
  after(() => t.close());

  async function addPerson() {
    const nationalId = nationalIdFor(7600 + n++);
    const db = t.handle.db;
    const p = await db.insertInto('people').values({
      national_id: nationalId, first_name: 'نرگس', last_name: 'امینی', birth_date: '2009-03-01', birth_serial_hmac: hmacHex(deriveKeys(t.config.secret!).personalData, '123456'),
    }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('accounts').values({ person_id: p.id, user_code: newUserCode(), status: 'active', mobile: MOBILE }).execute();
    return nationalId;
  }

  async function identify(from: string, fields: Record<string, string>) {
    const post = (url: string, payload: Record<string, string> = {}) => t.app.inject({ method: 'POST', url, payload, remoteAddress: from });
    const id = (await post('/api/v1/flows/recovery')).json().id;
    return post(`/api/v1/flows/${id}`, { ...fields, captcha: await solvedPayload(t.app) });
  }
  const tooMany = (response: { json(): { form: { messages: { kind: string; code: string }[] } } }) =>
    response.json().form.messages.some((m) => m.kind === 'error' && m.code === 'recovery.too_many');
  const counter = async (bucket: string, key: string) =>
    (await t.handle.db.selectFrom('rate_counters').select('hits').where('bucket', '=', bucket).where('key', '=', key).executeTakeFirst())?.hits ?? 0;
  const recoverySms = async () => Number((await sql<{ n: string }>`select count(*) as n from outbox where template = 'recovery.sms' and status <> 'withheld'`.execute(t.handle.db)).rows[0]!.n);

  test('misses send nothing and spend none of the SMS budget; the number and address counts move all the same', async () => {
    const nationalId = await addPerson();
    for (let i = 0; i < 10; i++) {
      const miss = await identify(`198.51.100.${i}`, { nationalId: nationalIdFor(9000 + i), serial: '123456', mobile: '09121112233' });
      assert.equal(miss.statusCode, 200, miss.body);
    }
    assert.equal(await counter('send.sms_budget', 'all'), 0, 'ten misses, no SMS, nothing spent');
    assert.equal(await counter('send.recipient', `phone:${MOBILE}`), 10, 'the typed number counted every attempt');
    assert.equal(await counter('send.address', '198.51.100.3'), 1);
    // The budget is still whole for the people who do get a code.
    for (let i = 0; i < 3; i++) assert.equal((await identify(`203.0.113.${i}`, { nationalId, serial: '123456', mobile: '09121112233' })).statusCode, 200);
    assert.equal(await recoverySms(), 3);
    assert.equal(await counter('send.sms_budget', 'all'), 3);
  });

  test('five wrong attempts at an ID from one place lock that place only; the owner elsewhere still recovers, up to a ceiling', async () => {
    const nationalId = await addPerson();
    for (let i = 0; i < 5; i++) assert.equal((await identify('198.51.100.50', { nationalId, serial: '999999', mobile: '09121112233' })).statusCode, 200);
    assert.ok(tooMany(await identify('198.51.100.50', { nationalId, serial: '123456', mobile: '09121112233' })), 'the attacker\'s place is stopped');
    const owner = await identify('203.0.113.80', { nationalId, serial: '123456', mobile: '09121112233' });
    assert.equal(owner.statusCode, 200, 'the owner at home is not');
    assert.equal(owner.json().state, 'verify');

    // An IPv6 attacker is one place however many addresses of its /64 it uses.
    for (let i = 1; i <= 5; i++) assert.equal((await identify(`2001:db8:7:7::${i}`, { nationalId, serial: '999999', mobile: '09121112233' })).statusCode, 200);
    assert.ok(tooMany(await identify('2001:db8:7:7::99', { nationalId, serial: '999999', mobile: '09121112233' })));
    // The ceiling for the ID from everywhere (12 here) still holds against many places.
    let stopped = false;
    for (let i = 0; i < 6 && !stopped; i++) stopped = tooMany(await identify(`192.0.2.${i}`, { nationalId, serial: '999999', mobile: '09121112233' }));
    assert.ok(stopped, 'past the ceiling every place is stopped');
  });

  test('strangers at the ceiling from many places do not shut out the owner\'s own device, by mobile or by email', async () => {
    const nationalId = await addPerson();
    const account = await t.handle.db.selectFrom('accounts as a').innerJoin('people as p', 'p.id', 'a.person_id').select('a.id')
      .where('p.national_id', '=', nationalId).executeTakeFirstOrThrow();
    await setPassword(t.handle.db, account.id, await t.hasher.hash(PASSWORD), false, t.clock.now());
    // The owner's phone signed in once: it holds the account's device token.
    const signIn = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: nationalId, password: PASSWORD }, remoteAddress: '203.0.113.90' });
    assert.equal(signIn.statusCode, 201, signIn.body);
    const deviceToken: string = signIn.json().deviceToken;
    // Twelve places, each under its own limit, spend the ceiling of the ID (12 here) with wrong details.
    for (let i = 0; i < 12; i++) assert.equal((await identify(`192.0.2.${100 + i}`, { nationalId, serial: '999999', mobile: '09120000000' })).statusCode, 200);
    assert.ok(tooMany(await identify('198.51.100.200', { nationalId, serial: '123456', mobile: '09121112233' })), 'a stranger is stopped at the ceiling');
    assert.ok(tooMany(await identify('198.51.100.201', { nationalId, serial: '123456', mobile: '09121112233', deviceToken: `${deviceToken.slice(0, -2)}AA` })), 'so is a forged device token');
    const owner = await identify('198.51.100.202', { nationalId, serial: '123456', mobile: '09121112233', deviceToken });
    assert.equal(owner.statusCode, 200, owner.body);
    assert.equal(owner.json().state, 'verify', 'the owner\'s phone still gets its code');
    assert.ok(!tooMany(owner));
    // The email way counts the same ID the same way.
    const post = (url: string, payload: Record<string, string> = {}) => t.app.inject({ method: 'POST', url, payload, remoteAddress: '198.51.100.203' });
    const byEmail = async (extra: Record<string, string>) => {
      const id = (await post('/api/v1/flows/recovery?by=email')).json().id;
      return post(`/api/v1/flows/${id}`, { action: 'send_link', identifier: nationalId, email: 'owner@example.org', captcha: await solvedPayload(t.app), ...extra });
    };
    assert.ok(tooMany(await byEmail({})), 'a stranger asking for the link is stopped too');
    const link = await byEmail({ deviceToken });
    assert.equal(link.json().state, 'link_sent', link.body);
    // A device of another account is a stranger here.
    const other = await addPerson();
    const otherAccount = await t.handle.db.selectFrom('accounts as a').innerJoin('people as p', 'p.id', 'a.person_id').select('a.id')
      .where('p.national_id', '=', other).executeTakeFirstOrThrow();
    await setPassword(t.handle.db, otherAccount.id, await t.hasher.hash(PASSWORD), false, t.clock.now());
    const otherDevice: string = (await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: other, password: PASSWORD }, remoteAddress: '203.0.113.91' })).json().deviceToken;
    assert.ok(tooMany(await identify('198.51.100.204', { nationalId, serial: '123456', mobile: '09121112233', deviceToken: otherDevice })));
  });

  test('the code sign-in likewise: requests for identifiers with no account spend none of the budget', async () => {
    const before = await counter('send.sms_budget', 'all');
    const request = async (identifier: string, from: string) => {
      const id = (await t.app.inject({ method: 'POST', url: '/api/v1/flows/otp-login', remoteAddress: from })).json().id;
      return t.app.inject({ method: 'POST', url: `/api/v1/flows/${id}`, payload: { action: 'send_sms', identifier }, remoteAddress: from });
    };
    for (let i = 0; i < 10; i++) assert.equal((await request(nationalIdFor(9100 + i), `198.51.100.${100 + i}`)).statusCode, 200);
    assert.equal(await counter('send.sms_budget', 'all'), before, 'ten requests, no account, nothing spent');
    assert.equal(await counter('send.recipient', `phone:unknown:national_id:${nationalIdFor(9100)}`), 1, 'the stand-in recipient is counted');
    const nationalId = await addPerson();
    assert.equal((await request(nationalId, '203.0.113.200')).statusCode, 200);
    assert.equal(await counter('send.sms_budget', 'all'), before + 1, 'a code that leaves is spent');
  });
});

describe('recovery: strangers who spend a phone\'s or an inbox\'s send count do not silence its owner\'s own device', () => {
  let t: TestApp;
  let n = 0;
  before(async () => {
    // The send limit per recipient at its default (5 an hour); recovery's own limits out of the way.
    t = await startTestApp('pglite', { ...easyCaptcha, KELID_SMS: 'dev', KELID_EMAIL: 'dev', KELID_RECOVERY_PER_ID_ALL_PER_HOUR: '1000', KELID_RECOVERY_PER_ADDRESS_PER_HOUR: '1000' });
  });
  after(() => t.close());

  /** A person with an account (a mobile, a proven email) whose device signed in once: its national ID and device token. */
  async function signedInPerson(mobile: string, email: string) {
    const nationalId = nationalIdFor(7700 + n++);
    const p = await t.handle.db.insertInto('people').values({
      national_id: nationalId, first_name: 'نرگس', last_name: 'امینی', birth_date: '2009-03-01', birth_serial_hmac: hmacHex(deriveKeys(t.config.secret!).personalData, '123456'),
    }).returning('id').executeTakeFirstOrThrow();
    const account = await t.handle.db.insertInto('accounts').values({ person_id: p.id, user_code: newUserCode(), status: 'active', mobile, email, email_verified_at: t.clock.now() }).returning('id').executeTakeFirstOrThrow();
    await setPassword(t.handle.db, account.id, await t.hasher.hash(PASSWORD), false, t.clock.now());
    const signIn = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: nationalId, password: PASSWORD }, remoteAddress: '203.0.113.90' });
    assert.equal(signIn.statusCode, 201, signIn.body);
    return { nationalId, deviceToken: signIn.json().deviceToken as string };
  }
  const post = (from: string, url: string, payload: Record<string, string> = {}) => t.app.inject({ method: 'POST', url, payload, remoteAddress: from });
  const byMobile = async (from: string, fields: Record<string, string>) => {
    const id = (await post(from, '/api/v1/flows/recovery')).json().id;
    return post(from, `/api/v1/flows/${id}`, { ...fields, captcha: await solvedPayload(t.app) });
  };
  const byEmail = async (from: string, fields: Record<string, string>) => {
    const id = (await post(from, '/api/v1/flows/recovery?by=email')).json().id;
    return post(from, `/api/v1/flows/${id}`, { action: 'send_link', ...fields, captcha: await solvedPayload(t.app) });
  };
  const sent = async (to: string, template: string) => ((await t.app.inject('/dev/outbox.json')).json() as { to: string; template: string }[]).filter((m) => m.to === to && m.template === template).length;

  test('five wrong tries with the owner\'s mobile from five places; the owner\'s phone, signed in before, still gets its code', async () => {
    const mobile = '+989121117701';
    const owner = await signedInPerson(mobile, 'owner1@example.org');
    for (let i = 0; i < 5; i++) assert.equal((await byMobile(`192.0.2.${150 + i}`, { nationalId: owner.nationalId, serial: '999999', mobile: '09121117701' })).statusCode, 200);
    // A stranger with the right details now: the phone's count for strangers is spent, so nothing leaves (and nothing says so).
    assert.equal((await byMobile('192.0.2.160', { nationalId: owner.nationalId, serial: '123456', mobile: '09121117701' })).json().state, 'verify');
    assert.equal(await sent(mobile, 'recovery.sms'), 0);
    const asked = await byMobile('198.51.100.90', { nationalId: owner.nationalId, serial: '123456', mobile: '09121117701', deviceToken: owner.deviceToken });
    assert.equal(asked.json().state, 'verify', asked.body);
    assert.equal(await sent(mobile, 'recovery.sms'), 1, 'the owner\'s code left');
  });

  const NEW = 'Brand-New-Pass-1405!';
  const errorsOf = (response: { json(): { form: { fields: { name: string; errors: { code: string }[] }[] } } }) =>
    Object.fromEntries(response.json().form.fields.filter((f) => f.errors.length > 0).map((f) => [f.name, f.errors.map((e) => e.code)]));
  const lastCode = async (to: string) => {
    const message = ((await t.app.inject('/dev/outbox.json')).json() as { to: string; template: string; text: string }[]).find((m) => m.to === to && m.template === 'recovery.sms');
    return /\d{6}/.exec(toLatinDigits(message!.text))![0];
  };

  test('a code the send limits held back is never one that can be typed in, even guessed', async () => {
    const mobile = '+989121117703';
    const owner = await signedInPerson(mobile, 'owner3@example.org');
    for (let i = 0; i < 5; i++) await byMobile(`192.0.2.${190 + i}`, { nationalId: owner.nationalId, serial: '999999', mobile: '09121117703' });
    const held = await byMobile('192.0.2.196', { nationalId: owner.nationalId, serial: '123456', mobile: '09121117703' });
    assert.equal(held.json().state, 'verify');
    assert.equal(await sent(mobile, 'recovery.sms'), 0, 'held back');
    const id: string = held.json().id;
    const row = await t.handle.db.selectFrom('verification_codes').select(['target', 'code_hmac']).where('flow_id', '=', id).executeTakeFirstOrThrow();
    const codes = deriveKeys(t.config.secret!).codes;
    let guessed: string | undefined;
    for (let n = 0; n < 1_000_000 && guessed === undefined; n++) {
      const code = String(n).padStart(6, '0');
      if (hmacHex(codes, `${id}\u0000recovery\u0000${row.target}\u0000${code}`) === row.code_hmac) guessed = code;
    }
    assert.ok(guessed, 'the held-back code found (a lucky guess stands for it)');
    const tried = await post('192.0.2.196', `/api/v1/flows/${id}`, { code: guessed, password: NEW, repeat: NEW });
    assert.equal(tried.json().state, 'verify');
    assert.deepEqual(errorsOf(tried), { code: ['code.invalid'] });
  });

  test('wrong codes count per place over a day, whatever the flow: past 20 no code is checked there, the right one included; the owner\'s own device has its own share', async () => {
    const mobile = '+989121117704';
    const owner = await signedInPerson(mobile, 'owner4@example.org');
    const details = { nationalId: owner.nationalId, serial: '123456', mobile: '09121117704' };
    for (let f = 0; f < 4; f++) {
      const from = `192.0.2.${210 + f}`;
      const id: string = (await byMobile(from, details)).json().id;
      for (let i = 0; i < 5; i++) assert.deepEqual(errorsOf(await post(from, `/api/v1/flows/${id}`, { code: '000000', password: NEW, repeat: NEW })), { code: ['code.invalid'] });
    }
    const last = await byMobile('192.0.2.220', details);
    const refused = await post('192.0.2.220', `/api/v1/flows/${last.json().id}`, { code: await lastCode(mobile), password: NEW, repeat: NEW });
    assert.equal(refused.json().state, 'verify');
    assert.deepEqual(errorsOf(refused), { code: ['recovery.too_many_wrong'] });
    // The owner's phone, on the device that signed in before: a share of its own.
    const own = await byMobile('198.51.100.91', { ...details, deviceToken: owner.deviceToken });
    const done = await post('198.51.100.91', `/api/v1/flows/${own.json().id}`, { code: await lastCode(mobile), password: NEW, repeat: NEW, deviceToken: owner.deviceToken });
    assert.equal(done.json().state, 'done', done.body);
  });

  test('the wrong codes\' count says nothing about whether the details matched: a full count refuses every detail alike (found by a review)', async () => {
    const mobile = '+989121117705';
    const owner = await signedInPerson(mobile, 'owner5@example.org');
    // Twenty wrong codes on flows whose serial did not match.
    for (let f = 0; f < 4; f++) {
      const from = `192.0.2.${230 + f}`;
      const id: string = (await byMobile(from, { nationalId: owner.nationalId, serial: '999999', mobile: '09121117705' })).json().id;
      for (let i = 0; i < 5; i++) assert.deepEqual(errorsOf(await post(from, `/api/v1/flows/${id}`, { code: '000000', password: NEW, repeat: NEW })), { code: ['code.invalid'] });
    }
    const answers: unknown[] = [];
    for (const [i, serial] of ['111111', '123456', '222222'].entries()) {
      const from = `192.0.2.${240 + i}`;
      const flow = await byMobile(from, { nationalId: owner.nationalId, serial, mobile: '09121117705' });
      answers.push(errorsOf(await post(from, `/api/v1/flows/${flow.json().id}`, { code: '000000', password: NEW, repeat: NEW })));
    }
    assert.deepEqual(answers, [{ code: ['recovery.too_many_wrong'] }, { code: ['recovery.too_many_wrong'] }, { code: ['recovery.too_many_wrong'] }]);
  });

  test('an account holder\'s own device token does not let him spend another person\'s share, by mobile or by email (found by the review)', async () => {
    const mobile = '+989121117702';
    const email = 'owner2@example.org';
    const owner = await signedInPerson(mobile, email);
    const attacker = await signedInPerson('+989121117799', 'attacker@example.org');
    // Strangers spend the phone's and the inbox's counts for strangers…
    for (let i = 0; i < 5; i++) await byMobile(`192.0.2.${170 + i}`, { nationalId: owner.nationalId, serial: '999999', mobile: '09121117702' });
    for (let i = 0; i < 5; i++) await byEmail(`192.0.2.${180 + i}`, { identifier: nationalIdFor(9300 + i), email });
    // …and the attacker, with his own ID and his own device's token, asks for the owner's number and address five times more.
    // (From a new address each time: his own ID's limit per address, 5, must not be what stops him.)
    for (let i = 0; i < 5; i++) {
      assert.equal((await byMobile(`192.0.2.${200 + i}`, { nationalId: attacker.nationalId, serial: '999999', mobile: '09121117702', deviceToken: attacker.deviceToken })).json().state, 'verify');
      assert.equal((await byEmail(`192.0.2.${220 + i}`, { identifier: attacker.nationalId, email, deviceToken: attacker.deviceToken })).json().state, 'link_sent');
    }
    assert.equal((await byMobile('198.51.100.91', { nationalId: owner.nationalId, serial: '123456', mobile: '09121117702', deviceToken: owner.deviceToken })).json().state, 'verify');
    assert.equal(await sent(mobile, 'recovery.sms'), 1, 'the owner\'s code left');
    assert.equal((await byEmail('198.51.100.92', { identifier: owner.nationalId, email, deviceToken: owner.deviceToken })).json().state, 'link_sent');
    assert.equal(await sent(email, 'recovery.link'), 1, 'the owner\'s link left');
  });
});

describe('recovery by email for someone without a national ID: the owner\'s device has its own ceiling too', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp('pglite', { ...easyCaptcha, KELID_SMS: 'dev', KELID_EMAIL: 'dev', KELID_RECOVERY_PER_ID_ALL_PER_HOUR: '6', KELID_RECOVERY_PER_ADDRESS_PER_HOUR: '1000', KELID_SEND_PER_RECIPIENT_PER_HOUR: '1000' });
  });
  after(() => t.close());

  test('strangers at the ceiling of a user code from many places; the owner\'s device is not stopped', async () => {
    const p = await t.handle.db.insertInto('people').values({
      national_id: null, passport_number: 'X1234567', passport_country: 'AF', first_name: 'Ahmad', last_name: 'Karimi', birth_date: '2008-05-01',
    }).returning('id').executeTakeFirstOrThrow();
    const userCode = newUserCode();
    const account = await t.handle.db.insertInto('accounts').values({ person_id: p.id, user_code: userCode, status: 'active', email: 'ahmad@example.org', email_verified_at: t.clock.now() }).returning('id').executeTakeFirstOrThrow();
    await setPassword(t.handle.db, account.id, await t.hasher.hash(PASSWORD), false, t.clock.now());
    const signIn = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: userCode, password: PASSWORD }, remoteAddress: '203.0.113.95' });
    assert.equal(signIn.statusCode, 201, signIn.body);
    const deviceToken: string = signIn.json().deviceToken;
    const byEmail = async (from: string, extra: Record<string, string> = {}) => {
      const post = (url: string, payload: Record<string, string> = {}) => t.app.inject({ method: 'POST', url, payload, remoteAddress: from });
      const id = (await post('/api/v1/flows/recovery?by=email')).json().id;
      return post(`/api/v1/flows/${id}`, { action: 'send_link', identifier: userCode, email: 'wrong@example.org', captcha: await solvedPayload(t.app), ...extra });
    };
    const tooManyEmail = (response: { json(): { form: { messages: { code: string }[] } } }) => response.json().form.messages.some((m) => m.code === 'recovery.too_many');
    let stopped = false;
    for (let i = 0; i < 8 && !stopped; i++) stopped = tooManyEmail(await byEmail(`192.0.2.${210 + i}`));
    assert.ok(stopped, 'strangers reach the ceiling');
    const owner = await byEmail('198.51.100.95', { email: 'ahmad@example.org', deviceToken });
    assert.ok(!tooManyEmail(owner), owner.body);
    assert.equal(owner.json().state, 'link_sent');
  });
});
