// The second factor for administrators (B3), required: a principal enrols an authenticator
// (the QR code's secret read from the page, codes computed as the phone app would), gets ten
// recovery codes once; a code works once; the admin API stays closed until the session passes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import { createAgent, csrfTokenOf } from '../helpers/agent.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor } from '../helpers/fixtures.ts';

const PASSWORD = 'Modir-Madreseh-1404!';

describe('admin multi-factor (required)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp('postgres', { KELID_ADMIN_MFA: 'required' });
    const tree = await createTree(t.handle.db);
    await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(1), password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'principal' }] });
  });
  after(() => t.close());

  const codeAt = (secret: string, at: Date) => new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: at.getTime() });

  test('enrolment, recovery codes, one use per code, and the console behind it', async () => {
    const agent = createAgent(t.app);
    await agent.submit('/sign-in', { identifier: nationalIdFor(1), password: PASSWORD });
    const door = await agent.get('/admin/users');
    assert.equal(door.statusCode, 303);
    assert.equal(door.headers.location, '/mfa?return_to=%2Fadmin%2Fusers');
    const toEnrol = await agent.get(String(door.headers.location));
    assert.equal(toEnrol.headers.location, '/account/mfa?return_to=%2Fadmin%2Fusers', 'not enrolled yet: enrol first');
    const enrol = await agent.get(String(toEnrol.headers.location));
    assert.match(enrol.body, /<svg/);
    const secret = /<p class="secret"[^>]*>([A-Z2-7 ]+)<\/p>/.exec(enrol.body)![1]!.replace(/ /g, '');

    // Posted with the token of the page that showed the seed (opening the page again makes a new seed).
    const csrf = csrfTokenOf(enrol.body);
    const wrong = await agent.post(String(toEnrol.headers.location), { _csrf: csrf, code: '000000' === codeAt(secret, t.clock.now()) ? '111111' : '000000' });
    assert.equal(wrong.statusCode, 422);
    assert.match(wrong.body, new RegExp(secret.slice(0, 4)), 'a wrong code redraws the same seed');
    const confirmed = await agent.post(String(toEnrol.headers.location), { _csrf: csrf, code: codeAt(secret, t.clock.now()) });
    assert.equal(confirmed.statusCode, 200);
    const recovery = [...confirmed.body.matchAll(/<code>([A-Z0-9-]+)<\/code>/g)].map((m) => m[1]!);
    assert.equal(recovery.length, 10);
    assert.equal((await agent.get('/admin/users')).statusCode, 200, 'the enrolling session has passed');

    // A new session: the same code again is refused (replay), the next step's code passes.
    const second = createAgent(t.app);
    await second.submit('/sign-in', { identifier: nationalIdFor(1), password: PASSWORD });
    const replay = await second.submit('/mfa?return_to=%2Fadmin%2Fusers', { code: codeAt(secret, t.clock.now()) });
    assert.equal(replay.statusCode, 422);
    assert.match(replay.body, /کد صحیح نیست یا قبلاً استفاده شده است/);
    t.clock.advance(30_000);
    const ok = await second.submit('/mfa?return_to=%2Fadmin%2Fusers', { code: codeAt(secret, t.clock.now()) });
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, '/admin/users');

    // A recovery code, once.
    const third = createAgent(t.app);
    await third.submit('/sign-in', { identifier: nationalIdFor(1), password: PASSWORD });
    assert.equal((await third.submit('/mfa', { code: recovery[0]!.toLowerCase() })).statusCode, 303);
    const fourth = createAgent(t.app);
    await fourth.submit('/sign-in', { identifier: nationalIdFor(1), password: PASSWORD });
    assert.equal((await fourth.submit('/mfa', { code: recovery[0]! })).statusCode, 422, 'a recovery code works once');

    // The admin API: closed until the session passes the factor.
    const token = (await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: nationalIdFor(1), password: PASSWORD } })).json().token;
    const bearer = { authorization: `Bearer ${token}` };
    const closed = await t.app.inject({ url: '/api/v1/admin/users', headers: bearer });
    assert.equal(closed.statusCode, 403);
    assert.equal(closed.json().error.code, 'admin.mfa_required');
    t.clock.advance(30_000);
    const passed = await t.app.inject({ method: 'POST', url: '/api/v1/sessions/current/mfa', headers: bearer, payload: { code: codeAt(secret, t.clock.now()) } });
    assert.equal(passed.statusCode, 204);
    assert.equal((await t.app.inject({ url: '/api/v1/admin/users', headers: bearer })).statusCode, 200);
    const events = await t.handle.db.selectFrom('audit_events').select('type').where('type', 'like', 'mfa.%').execute();
    assert.ok(['mfa.enrolled', 'mfa.verified', 'mfa.failed', 'mfa.recovery_code_used'].every((type) => events.some((e) => e.type === type)));
  });

  test('wrong codes lock the second factor like passwords', async () => {
    const agent = createAgent(t.app);
    await agent.submit('/sign-in', { identifier: nationalIdFor(1), password: PASSWORD });
    let last = 0;
    for (let i = 0; i <= t.config.lockout.threshold; i++) { t.clock.advance(6 * 60_000); last = (await agent.submit('/mfa', { code: '999999' })).statusCode; }
    assert.equal(last, 429);
  });

  test('a session that knows only the password cannot add a factor of its own to an enrolled account', async () => {
    const agent = createAgent(t.app);
    await agent.submit('/sign-in', { identifier: nationalIdFor(1), password: PASSWORD });
    const enrol = await agent.get('/account/mfa');
    assert.equal(enrol.statusCode, 303);
    assert.match(String(enrol.headers.location), /^\/mfa/);
    const page = await agent.get('/mfa');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const options = await agent.post('/account/passkeys/options', {}, { 'x-csrf-token': csrf });
    assert.equal(options.statusCode, 403);
    const passkeys = await t.handle.db.selectFrom('mfa_passkeys').select('id').execute();
    assert.equal(passkeys.length, 0);
  });

  test("an enrolment's seed is shown to one session, and only that session may confirm it", async () => {
    const tree = await createTree(t.handle.db);
    await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(2), password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'principal' }] });
    const first = createAgent(t.app);
    const second = createAgent(t.app);
    for (const agent of [first, second]) await agent.submit('/sign-in', { identifier: nationalIdFor(2), password: PASSWORD });
    const page1 = await first.get('/account/mfa');
    const s1 = /<p class="secret"[^>]*>([A-Z2-7 ]+)<\/p>/.exec(page1.body)![1]!.replace(/ /g, '');
    const page2 = await second.get('/account/mfa');
    const s2 = /<p class="secret"[^>]*>([A-Z2-7 ]+)<\/p>/.exec(page2.body)![1]!.replace(/ /g, '');
    assert.notEqual(s1, s2, 'each opening makes its own seed');
    const stolen = await second.post('/account/mfa', { _csrf: csrfTokenOf(page2.body), code: codeAt(s1, t.clock.now()) });
    assert.equal(stolen.statusCode, 422, "the other session's seed does not count here");
    assert.equal((await second.post('/account/mfa', { _csrf: csrfTokenOf(page2.body), code: codeAt(s2, t.clock.now()) })).statusCode, 200);
    const late = await first.post('/account/mfa', { _csrf: csrfTokenOf(page1.body), code: codeAt(s1, t.clock.now()) });
    assert.equal(late.statusCode, 303, 'the first seed was replaced by the second opening; the account is enrolled now, so this session must pass it');
  });

  test('the first code posted twice at once (a double click, two tabs) enrols once: one page of recovery codes, and those are the ones that work', async () => {
    const tree = await createTree(t.handle.db);
    const { accountId } = await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(3), password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'principal' }] });
    const agent = createAgent(t.app);
    await agent.submit('/sign-in', { identifier: nationalIdFor(3), password: PASSWORD });
    const page = await agent.get('/account/mfa');
    const secret = /<p class="secret"[^>]*>([A-Z2-7 ]+)<\/p>/.exec(page.body)![1]!.replace(/ /g, '');
    const form = { _csrf: csrfTokenOf(page.body), code: codeAt(secret, t.clock.now()) };
    const answers = await Promise.all(Array.from({ length: 8 }, () => agent.post('/account/mfa', form)));
    const shown = answers.filter((answer) => answer.statusCode === 200);
    assert.equal(shown.length, 1, JSON.stringify(answers.map((answer) => answer.statusCode)));
    const redirected = answers.filter((answer) => answer.statusCode !== 200);
    assert.ok(redirected.every((answer) => answer.statusCode === 303 && answer.headers.location === '/mfa?return_to=%2Fadmin%2Fusers&enrolled=meanwhile'));
    const told = await agent.get(String(redirected[0]!.headers.location));
    assert.equal(told.statusCode, 200);
    assert.match(told.body, /role="status">ورود دو مرحله‌ای برای حساب شما در زبانه یا پنجره‌ای دیگر فعال شده است/, 'the other tab says where the recovery codes are');
    assert.match(told.body, /action="\/mfa\?return_to=%2Fadmin%2Fusers"/, 'and its form goes on to the same place, without the notice');
    const later = await agent.post('/account/mfa', form);
    assert.equal(later.headers.location, '/mfa?return_to=%2Fadmin%2Fusers&enrolled=meanwhile', 'the form sent again later, from the tab left open, is told too');
    assert.doesNotMatch((await agent.get('/mfa?return_to=%2Fadmin%2Fusers')).body, /پنجره‌ای دیگر فعال شده/, 'not on the check reached any other way');
    const codes = [...shown[0]!.body.matchAll(/\b([A-Z2-9]{5}-[A-Z2-9]{5})\b/g)].map((match) => match[1]!);
    assert.equal(new Set(codes).size, 10);
    const stored = await t.handle.db.selectFrom('mfa_recovery_codes').select((eb) => eb.fn.countAll<string>().as('n')).where('account_id', '=', accountId).executeTakeFirstOrThrow();
    assert.equal(Number(stored.n), 10, 'one set stored');
    const events = await t.handle.db.selectFrom('audit_events').select('id').where('type', '=', 'mfa.enrolled').where('subject_account_id', '=', accountId).execute();
    assert.equal(events.length, 1);
    const other = createAgent(t.app);
    await other.submit('/sign-in', { identifier: nationalIdFor(3), password: PASSWORD });
    const used = await other.submit('/mfa', { code: codes[0]! });
    assert.equal(used.statusCode, 303, 'a recovery code from the page shown works');
  });
});

