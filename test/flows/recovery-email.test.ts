// Recovery by an emailed link (issue 11): the national ID or, for non-citizens, the user code,
// with the email address the person proved; the same answer whether or not anything matched;
// the link works once, for 30 minutes, in whatever browser opens it, and a mail scanner's
// visit spends nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { newUserCode } from '../../src/identity/accounts.ts';
import { easyCaptcha, solvedPayload } from '../captcha/solve.ts';
import { createAgent } from '../helpers/agent.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, nationalIdFor } from '../helpers/fixtures.ts';
import { buttonsOf, errorCodes, flowClient } from '../helpers/flow-client.ts';

const PASSWORD = 'Old-Pass-1404!';
const NEW = 'Fresh-Pass-1405!';

describe('password recovery by an emailed link', () => {
  let t: TestApp;
  let foreignCode: string;
  before(async () => {
    t = await startTestApp('postgres', { ...easyCaptcha, KELID_SMS: 'dev', KELID_EMAIL: 'dev' });
    const proven = new Date('2025-01-01T00:00:00Z');
    for (const [n, email, verified] of [[1, 'nader@example.org', true], [2, 'unproven@example.org', false], [3, 'gone@example.org', true]] as const) {
      const { accountId } = await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(n), password: PASSWORD, email, mobile: `+98912000000${n}`, status: n === 3 ? 'disabled' : 'active' });
      if (verified) await t.handle.db.updateTable('accounts').set({ email_verified_at: proven }).where('id', '=', accountId).execute();
    }
    // A non-citizen: no national ID, a passport, the user code as username (F15).
    const person = await t.handle.db.insertInto('people').values({ national_id: null, passport_number: 'X1234567', passport_country: 'AF', first_name: 'Ahmad', last_name: 'Karimi', birth_date: '2001-01-01', registry_status: 'self_declared' }).returning('id').executeTakeFirstOrThrow();
    foreignCode = newUserCode();
    const account = await t.handle.db.insertInto('accounts').values({ person_id: person.id, user_code: foreignCode, email: 'ahmad@example.org', email_verified_at: proven }).returning('id').executeTakeFirstOrThrow();
    await t.handle.db.insertInto('credentials').values({ account_id: account.id, password_hash: await t.hasher.hash(PASSWORD) }).execute();
  });
  after(() => t.close());

  const links = async (to: string) => {
    const messages: { to: string; template: string; text: string }[] = (await t.app.inject('/dev/outbox.json')).json();
    return messages.filter((m) => m.to === to && m.template === 'recovery.link').map((m) => /\/recover\/link\?token=([0-9a-f-]{36}\.[A-Za-z0-9_-]{43})/.exec(m.text)![1]!);
  };
  const askLink = async (identifier: string, email: string, ip = '198.51.100.1') => {
    const client = flowClient(t.app, { ip });
    const start = await client.start('recovery', '?by=email');
    assert.equal(start.state, 'identify_email');
    return { client, answer: await client.press(start, 'send_link', { identifier, email, captcha: await solvedPayload(t.app) }) };
  };

  test('through the API: the link from the email opens the new-password step once; the new password signs in', async () => {
    const { client, answer } = await askLink(` ${nationalIdFor(1)} `, ' Nader@Example.ORG ');
    assert.equal(answer.status, 200, answer.response.body);
    assert.equal(answer.flow.state, 'link_sent');
    assert.deepEqual([...buttonsOf(answer.flow).values()].map((o) => [o.value, o.available]), [['open', true], ['resend_link', false]]);
    const [token] = await links('nader@example.org');
    assert.ok(token);
    const wrong = await client.press(answer.flow, 'open', { token: `${answer.flow.id}.${'A'.repeat(43)}` });
    assert.deepEqual(errorCodes(wrong.flow), { token: ['recovery.link_invalid'] });
    const open = await client.press(answer.flow, 'open', { token });
    assert.equal(open.flow.state, 'new_password', open.response.body);
    const weak = await client.press(open.flow, 'save', { password: 'short', repeat: 'short' });
    assert.equal(weak.status, 422);
    const done = await client.press(open.flow, 'save', { password: NEW, repeat: NEW });
    assert.equal(done.flow.state, 'done', done.response.body);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: nationalIdFor(1), password: NEW } })).statusCode, 201);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: nationalIdFor(1), password: PASSWORD } })).statusCode, 401);
    // The password change is told to the owner.
    const messages: { to: string; template: string }[] = (await t.app.inject('/dev/outbox.json')).json();
    assert.ok(messages.some((m) => m.to === '+989120000001' && m.template === 'password.changed'));
  });

  test('unknown ID, another email, an unproven email, a disabled account: the same answer, and no email', async () => {
    const before = (await t.app.inject('/dev/outbox.json')).json().length;
    const answers: [number, unknown][] = [];
    for (const [identifier, email] of [[nationalIdFor(1), 'nader@example.org'], [nationalIdFor(9), 'nader@example.org'], [nationalIdFor(1), 'other@example.org'], [nationalIdFor(2), 'unproven@example.org'], [nationalIdFor(3), 'gone@example.org']] as const) {
      const { answer } = await askLink(identifier, email, `198.51.100.${answers.length + 10}`);
      answers.push([answer.status, { state: answer.flow.state, form: answer.flow.form }]);
    }
    for (const answer of answers.slice(1)) assert.deepEqual(answer, answers[0]);
    const sent = (await t.app.inject('/dev/outbox.json')).json().length - before;
    assert.equal(sent, 1, 'only the match got an email');
    const withheld = await sql<{ n: number }>`select count(*)::int as n from outbox where status = 'withheld' and template = 'recovery.link'`.execute(t.handle.db);
    assert.equal(withheld.rows[0]!.n, 4);
  });

  test('the national ID and the user code are one person\'s budget: five tries from one address, whichever named them', async () => {
    const { userCode } = await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(4), password: PASSWORD, email: 'four@example.org', mobile: '+989120000004' });
    const ip = '198.51.100.44';
    for (const identifier of [nationalIdFor(4), userCode, nationalIdFor(4), userCode.toLowerCase(), nationalIdFor(4)]) {
      assert.deepEqual(errorCodes((await askLink(identifier, 'wrong@example.org', ip)).answer.flow), {}, identifier);
    }
    const sixth = await askLink(userCode, 'four@example.org', ip);
    assert.equal(sixth.answer.status, 422);
    assert.ok(JSON.stringify(errorCodes(sixth.answer.flow)).includes('recovery.too_many'), JSON.stringify(errorCodes(sixth.answer.flow)));
    // Another person's user code from the same address is still counted as its own.
    assert.deepEqual(errorCodes((await askLink(foreignCode, 'wrong@example.org', ip)).answer.flow), {});
  });

  test('a non-citizen recovers by user code and email; a link of one flow does not open another', async () => {
    const first = await askLink(foreignCode.toLowerCase(), 'ahmad@example.org', '198.51.100.30');
    const second = await askLink(foreignCode, 'ahmad@example.org', '198.51.100.31');
    const [newest, older] = await links('ahmad@example.org');
    assert.ok(newest && older);
    // Each flow's link is its own: the first flow's link in the second flow is refused.
    assert.deepEqual(errorCodes((await second.client.press(second.answer.flow, 'open', { token: older })).flow), { token: ['recovery.link_invalid'] });
    const open = await first.client.press(first.answer.flow, 'open', { token: older });
    assert.equal(open.flow.state, 'new_password');
    assert.equal((await first.client.press(open.flow, 'save', { password: NEW, repeat: NEW })).flow.state, 'done');
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: foreignCode, password: NEW } })).statusCode, 201);
  });

  test('a flow started through the API, its link opened in the owner\'s browser: from that moment it is that browser\'s alone; saves racing the opening never set the password', async () => {
    // The attacker knows the national ID and the proven email; the link goes to the owner.
    const { accountId } = await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(5), password: PASSWORD, email: 'roya@example.org', mobile: '+989120000005' });
    await t.handle.db.updateTable('accounts').set({ email_verified_at: new Date('2025-01-01T00:00:00Z') }).where('id', '=', accountId).execute();
    const { client, answer } = await askLink(nationalIdFor(5), 'roya@example.org', '203.0.113.60');
    assert.equal(answer.flow.state, 'link_sent', answer.response.body);
    const token = (await links('roya@example.org'))[0]!;
    const owner = createAgent(t.app, { ip: '198.51.100.61' });
    const landing = await owner.get(`/recover/link?token=${token}`);
    const stolen = 'Attacker-Pw-1!x';
    let opening = true;
    const opened = owner.post('/recover/link', { _csrf: /name="_csrf" value="([^"]+)"/.exec(landing.body)![1]!, token }).finally(() => { opening = false; });
    // Eight clients at once, pressing "save" until the opening has answered, and a few times after.
    const statuses = (await Promise.all(Array.from({ length: 8 }, async () => {
      const seen: number[] = [];
      for (let after = 0; after < 3; after += opening ? 0 : 1) seen.push((await client.send(answer.flow.id, { action: 'save', password: stolen, repeat: stolen })).status);
      return seen;
    }))).flat();
    assert.equal((await opened).statusCode, 303);
    assert.ok(statuses.every((status) => status === 404 || status === 422), `every save refused: ${statuses.join(' ')}`);
    assert.ok(statuses.includes(404), 'after the opening, the flow is gone for the API');
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: nationalIdFor(5), password: stolen } })).statusCode, 401);
    // The owner's browser sets it.
    const url = String((await opened).headers.location);
    assert.equal((await owner.submit(url, { action: 'save', password: NEW, repeat: NEW })).statusCode, 303);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: nationalIdFor(5), password: NEW } })).statusCode, 201);
  });

  test('a flow binding planted in the owner\'s browser by a neighbouring host is not the one the opened link is bound to', async () => {
    const { accountId } = await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(6), password: PASSWORD, email: 'omid@example.org', mobile: '+989120000006' });
    await t.handle.db.updateTable('accounts').set({ email_verified_at: new Date('2025-01-01T00:00:00Z') }).where('id', '=', accountId).execute();
    const { answer } = await askLink(nationalIdFor(6), 'omid@example.org', '203.0.113.70');
    const token = (await links('omid@example.org'))[0]!;
    // The attacker's browser has a binding of its own, and plants it in the owner's (cookie tossing).
    const attacker = createAgent(t.app, { ip: '203.0.113.70' });
    await attacker.get('/recover');
    const planted = attacker.cookies.get('kelid_flow')!;
    assert.ok(planted);
    const owner = createAgent(t.app, { ip: '198.51.100.71' });
    owner.cookies.set('kelid_flow', planted);
    const landing = await owner.get(`/recover/link?token=${token}`);
    const opened = await owner.post('/recover/link', { _csrf: /name="_csrf" value="([^"]+)"/.exec(landing.body)![1]!, token });
    assert.equal(opened.statusCode, 303);
    assert.notEqual(owner.cookies.get('kelid_flow'), planted, 'a binding of its own');
    const url = `/recover/${answer.flow.id}`;
    assert.equal((await attacker.get(url)).statusCode, 404, 'the planted binding does not reach the flow');
    assert.match((await owner.get(url)).body, /name="password"/);
  });

  test('the pages: from the mobile way to the email way; the link opened in another browser, after a mail scanner looked at it; used and expired links say so', async () => {
    const agent = createAgent(t.app, { ip: '198.51.100.40' });
    const url = String((await agent.get('/recover')).headers.location);
    assert.equal((await agent.submit(url, { action: 'use_email' })).statusCode, 303);
    const identify = await agent.get(url);
    assert.match(identify.body, /name="email"/);
    const sent = await agent.submit(url, { action: 'send_link', identifier: nationalIdFor(1), email: 'nader@example.org', captcha: await solvedPayload(t.app) });
    assert.equal(sent.statusCode, 303, sent.body.slice(0, 500));
    const waiting = await agent.get(url);
    assert.match(waiting.body, /پیوند انتخاب رمز عبور جدید به پست الکترونیک فرستاده شد/);
    assert.doesNotMatch(waiting.body, /name="token"/, 'a browser waits for the email, it types no token');
    const token = (await links('nader@example.org'))[0]!;

    const phone = createAgent(t.app, { ip: '198.51.100.41' });
    const scanner = await createAgent(t.app, { ip: '203.0.113.250' }).get(`/recover/link?token=${token}`);
    assert.equal(scanner.statusCode, 200);
    assert.equal(scanner.headers['referrer-policy'], 'no-referrer');
    const landing = await phone.get(`/recover/link?token=${token}`);
    const opened = await phone.post('/recover/link', { _csrf: /name="_csrf" value="([^"]+)"/.exec(landing.body)![1]!, token });
    assert.equal(opened.statusCode, 303, opened.body.slice(0, 300));
    assert.equal(opened.headers.location, url);
    const choose = await phone.get(url);
    assert.match(choose.body, /رمز عبور جدید خود را انتخاب کنید/);
    assert.equal((await agent.get(url)).statusCode, 404, 'the first browser no longer has the flow');
    // The first test gave this account NEW already: the same again is refused (as change-password does), another saves.
    const same = await phone.submit(url, { action: 'save', password: NEW, repeat: NEW });
    assert.equal(same.statusCode, 422);
    assert.match(same.body, /رمز عبور جدید باید با رمز عبور فعلی متفاوت باشد/);
    assert.equal((await phone.submit(url, { action: 'save', password: `${NEW}2`, repeat: `${NEW}2` })).statusCode, 303);
    assert.match((await phone.get(url)).body, /رمز عبور شما با موفقیت تغییر یافت/);

    // Used: the same link again.
    const again = await phone.get(`/recover/link?token=${token}`);
    const reused = await phone.post('/recover/link', { _csrf: /name="_csrf" value="([^"]+)"/.exec(again.body)![1]!, token });
    assert.equal(reused.statusCode, 410);
    assert.match(reused.body, /این پیوند کار نمی‌کند/);

    // Expired: a new link, half an hour later.
    const late = createAgent(t.app, { ip: '198.51.100.42' });
    const lateUrl = String((await late.get('/recover?by=email')).headers.location);
    await late.submit(lateUrl, { action: 'send_link', identifier: nationalIdFor(1), email: 'nader@example.org', captcha: await solvedPayload(t.app) });
    const lateToken = (await links('nader@example.org'))[0]!;
    t.clock.advance(31 * 60_000);
    const lateLanding = await late.get(`/recover/link?token=${lateToken}`);
    const expired = await late.post('/recover/link', { _csrf: /name="_csrf" value="([^"]+)"/.exec(lateLanding.body)![1]!, token: lateToken });
    assert.equal(expired.statusCode, 410);
    assert.match(expired.body, /زمان این پیوند گذشته است/);
    for (const bad of ['', 'x', `${lateToken}x`, '../../etc', '\u202e']) {
      const response = await late.post('/recover/link', { _csrf: /name="_csrf" value="([^"]+)"/.exec(lateLanding.body)![1]!, token: bad });
      assert.equal(response.statusCode, 410, bad);
    }
  });
});

