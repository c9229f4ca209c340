// Brute-force protection by place (issue 9, faults 4 and 5; OWASP's device cookies): refused
// attempts are not counted, every change of protection is audited exactly once whichever
// racing attempt causes it, failures elsewhere never shut the owner's own device out, and an
// attacker still checks at most `threshold` passwords per account per lock window.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import { changesAt, gateFor, type LockoutPolicy } from '../../src/domain/lockout.ts';
import { admission } from '../../src/identity/rate-limits.ts';
import { openImageChallenge, sealKey } from '../../src/captcha/image-challenge.ts';
import { deriveKeys } from '../../src/secrets.ts';
import { easyCaptcha, solvedPayload } from '../captcha/solve.ts';
import { createAgent, csrfTokenOf } from '../helpers/agent.ts';
import { databaseKinds, startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor, type Tree } from '../helpers/fixtures.ts';

const PASSWORD = 'Sahar-Mehr-1404!';
const policy: LockoutPolicy = { delayAfter: 3, captchaAfter: 5, threshold: 8, lockMinutes: 15 };
const env = { ...easyCaptcha, KELID_LOCKOUT_DELAY_AFTER: '3', KELID_LOCKOUT_CAPTCHA_AFTER: '5', KELID_LOCKOUT_THRESHOLD: '8', KELID_LOCKOUT_MINUTES: '15', KELID_ADDRESS_FAILURE_LIMIT: '1000' };

describe('lockout rules (pure)', () => {
  const open = { captchaSolved: false, captchaAnyway: false };
  test('open, then a doubling wait, then a captcha as well, then a lock that runs out', () => {
    const now = new Date('2026-01-01T10:00:00Z');
    const at = (failures: number, secondsAgo: number, lockedUntil: Date | null = null) =>
      gateFor({ failures, lastFailedAt: new Date(now.getTime() - secondsAgo * 1000), lockedUntil }, policy, now, open);
    assert.deepEqual(gateFor(undefined, policy, now, open), { kind: 'open' });
    assert.deepEqual(at(2, 0), { kind: 'open' });
    assert.deepEqual(at(3, 0), { kind: 'wait', seconds: 1 });
    assert.deepEqual(at(3, 1), { kind: 'open' });
    assert.deepEqual(at(4, 1), { kind: 'wait', seconds: 1 });
    assert.deepEqual(at(5, 0), { kind: 'wait', seconds: 4 });
    assert.deepEqual(at(5, 4), { kind: 'captcha' });
    assert.deepEqual(gateFor({ failures: 5, lastFailedAt: new Date(now.getTime() - 4000), lockedUntil: null }, policy, now, { captchaSolved: true, captchaAnyway: false }), { kind: 'open' });
    assert.deepEqual(at(8, 0, new Date(now.getTime() + 60_000 * 15)), { kind: 'locked', minutes: 15 });
    assert.deepEqual(at(8, 0, new Date(now.getTime() - 1)), { kind: 'open' }, 'a lock that ran out is a fresh start');
    assert.deepEqual(gateFor(undefined, policy, now, { captchaSolved: false, captchaAnyway: true }), { kind: 'captcha' });
  });

  test('each change of protection belongs to exactly one attempt number of a run', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 20 }), (a, b, c) => {
      const [delayAfter, captchaAfter, threshold] = [a, b, c].sort((x, y) => x - y) as [number, number, number];
      const p = { delayAfter, captchaAfter, threshold, lockMinutes: 15 };
      const all = Array.from({ length: threshold + 5 }, (_, i) => changesAt(i + 1, p)).flat();
      assert.equal(all.filter((c) => c === 'sign_in.locked').length, 1);
      assert.ok(all.filter((c) => c === 'sign_in.delayed').length <= 1);
      assert.ok(all.filter((c) => c === 'sign_in.captcha_required').length <= 1);
    }));
  });
});

for (const kind of databaseKinds) {
  describe(`lockout on ${kind}`, () => {
    let t: TestApp;
    let tree: Tree;
    let n = 0;
    before(async () => {
      t = await startTestApp(kind, env);
      tree = await createTree(t.handle.db);
    });
    after(() => t.close());

    const person = async () => {
      const nationalId = nationalIdFor(4800 + n++);
      const { accountId } = await createAccount(t.handle.db, t.hasher, { nationalId, password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'student' }] });
      return { nationalId, accountId };
    };
    const signIn = (identifier: string, password: string, extra: Record<string, string> = {}, ip = '10.20.0.1') =>
      t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier, password, ...extra }, remoteAddress: ip });
    const events = async (accountId: string) => (await t.handle.db.selectFrom('audit_events').select(['type', 'data'])
      .where('subject_account_id', '=', accountId).orderBy('id').execute());
    const count = (rows: { type: string }[], type: string) => rows.filter((r) => r.type === type).length;

    test('the SQL admission agrees with the rules for any counter state', async () => {
      await fc.assert(fc.asyncProperty(
        fc.option(fc.record({ failures: fc.integer({ min: 1, max: 12 }), secondsAgo: fc.integer({ min: 0, max: 400 }), lock: fc.option(fc.integer({ min: -600, max: 900 })) })),
        fc.boolean(), fc.boolean(),
        async (state, captchaSolved, captchaAnyway) => {
          const now = new Date('2026-03-01T09:00:00Z');
          const key = `test:${n++}`;
          const prior = state === null ? undefined : { failures: state.failures, lastFailedAt: new Date(now.getTime() - state.secondsAgo * 1000), lockedUntil: state.lock === null ? null : new Date(now.getTime() + state.lock * 1000) };
          if (prior) await t.handle.db.insertInto('sign_in_failures').values({ key, failures: prior.failures, last_failed_at: prior.lastFailedAt, locked_until: prior.lockedUntil }).execute();
          const rows = (await admission(key, policy, now, { captchaSolved, captchaAnyway }).execute(t.handle.db)).rows;
          const gate = gateFor(prior, policy, now, { captchaSolved, captchaAnyway });
          assert.equal(rows.length === 1, gate.kind === 'open', JSON.stringify({ prior, captchaSolved, captchaAnyway, gate }));
        },
      ), { numRuns: 60 });
    });

    test('forty wrong passwords at once: only the first three are checked, the rest refused uncounted; one delay recorded', async () => {
      const { nationalId, accountId } = await person();
      const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => signIn(nationalId, `guess-${i}`)));
      const codes = answers.map((a) => a.json().error.code);
      assert.equal(codes.filter((c) => c === 'sign_in.invalid').length, 3, codes.join(','));
      assert.ok(codes.every((c) => c === 'sign_in.invalid' || c === 'sign_in.wait'));
      const rows = await events(accountId);
      assert.equal(count(rows, 'sign_in.failed'), 3);
      assert.equal(count(rows, 'sign_in.delayed'), 1);
      assert.equal(count(rows, 'sign_in.locked'), 0);
      t.clock.advance(2000);
      assert.equal((await signIn(nationalId, PASSWORD)).statusCode, 201, 'the owner is not locked out by a burst');
    });

    test('bursts over time: the lock comes after exactly `threshold` checked passwords and is audited once', async () => {
      const { nationalId, accountId } = await person();
      for (let round = 0; round < 12; round++) {
        const captcha = round >= 2 ? { captcha: await solvedPayload(t.app) } : {};
        await Promise.all(Array.from({ length: 10 }, (_, i) => signIn(nationalId, `guess-${round}-${i}`, i === 0 ? captcha : {})));
        t.clock.advance(70_000);
      }
      const rows = await events(accountId);
      assert.equal(count(rows, 'sign_in.failed'), policy.threshold, 'the brute-force bound holds');
      for (const type of ['sign_in.delayed', 'sign_in.captcha_required', 'sign_in.locked']) assert.equal(count(rows, type), 1, type);
      const locked = await signIn(nationalId, PASSWORD);
      assert.equal(locked.json().error.code, 'sign_in.locked');
    });

    test('past the captcha stage, an attempt without a solved captcha is 428 and unchecked; with one it is checked', async () => {
      const { nationalId, accountId } = await person();
      for (let i = 0; i < 5; i++) { await signIn(nationalId, `wrong-${i}`); t.clock.advance(20_000); }
      const without = await signIn(nationalId, PASSWORD);
      assert.equal(without.statusCode, 428);
      assert.deepEqual(without.json().error.code, 'sign_in.captcha_required');
      assert.equal(without.json().error.field, 'captcha');
      const bogus = await signIn(nationalId, PASSWORD, { captcha: 'not-a-solution' });
      assert.equal(bogus.statusCode, 428);
      assert.equal(count(await events(accountId), 'sign_in.failed'), 5);
      const solved = await signIn(nationalId, PASSWORD, { captcha: await solvedPayload(t.app) });
      assert.equal(solved.statusCode, 201);
    });

    test('past the captcha stage, the security image answers too: through the API, and on the sign-in page without JavaScript', async () => {
      const { nationalId } = await person();
      for (let i = 0; i < 5; i++) { await signIn(nationalId, `wrong-${i}`); t.clock.advance(20_000); }
      const digitsOf = (id: string) => openImageChallenge(sealKey(deriveKeys(t.config.secret!).captcha), id)!.digits;
      const image = async () => (await t.app.inject('/api/v1/captcha?kind=image')).json<{ id: string }>().id;
      const spent = await image();
      assert.equal((await signIn(nationalId, PASSWORD, { captcha: digitsOf(spent).replace(/^./, (d) => String((Number(d) + 1) % 10)), captchaId: spent })).statusCode, 428);
      assert.equal((await signIn(nationalId, PASSWORD, { captcha: digitsOf(spent), captchaId: spent })).statusCode, 428, 'a wrong reading spent the image');

      const agent = createAgent(t.app, { ip: '10.20.0.1' });
      const refused = await agent.submit('/sign-in', { identifier: nationalId, password: PASSWORD, flow: '' }, '/sign-in');
      assert.equal(refused.statusCode, 428);
      const id = /name="captchaId" value="([^"]+)"/.exec(refused.body)?.[1];
      assert.ok(id, 'the page asks the captcha with a security image for browsers without JavaScript');
      const flow = /name="flow" value="([^"]+)"/.exec(refused.body)?.[1] ?? '';
      const signedIn = await agent.post('/sign-in', { _csrf: csrfTokenOf(refused.body), identifier: nationalId, password: PASSWORD, flow, captcha: digitsOf(id), captchaId: id });
      assert.equal(signedIn.statusCode, 303, signedIn.body.slice(0, 300));
    });

    test('a device that signed in before keeps its own count: the owner gets in while every other device is locked', async () => {
      const { nationalId, accountId } = await person();
      const first = (await signIn(nationalId, PASSWORD)).json();
      assert.match(first.deviceToken, /^[0-9a-f-]{36}\.[\w-]{22}\.[\w-]{22}$/);
      // Someone else, patiently, with captchas: the account locks for unknown devices.
      for (let i = 0; i < policy.threshold; i++) {
        await signIn(nationalId, `attack-${i}`, { captcha: await solvedPayload(t.app) }, '203.0.113.9');
        t.clock.advance(70_000);
      }
      t.clock.advance(-70_000);
      assert.equal((await signIn(nationalId, PASSWORD, {}, '203.0.113.10')).json().error.code, 'sign_in.locked');
      const owner = await signIn(nationalId, PASSWORD, { deviceToken: first.deviceToken });
      assert.equal(owner.statusCode, 201, 'the owner\'s phone is not locked out');
      assert.equal(owner.json().deviceToken, first.deviceToken, 'the device keeps its token');
      // The owner's own typos count on the device's counter only.
      for (let i = 0; i < 3; i++) assert.equal((await signIn(nationalId, `typo-${i}`, { deviceToken: first.deviceToken })).json().error.code, 'sign_in.invalid');
      assert.equal((await signIn(nationalId, PASSWORD, { deviceToken: first.deviceToken })).json().error.code, 'sign_in.wait');
      const rows = await events(accountId);
      const delayed = rows.filter((r) => r.type === 'sign_in.delayed').map((r) => (r.data as { place: string }).place);
      assert.deepEqual(delayed.sort(), ['known_device', 'other_devices']);
      // A token of another account, or a forged one, is no key to this one.
      const other = await person();
      const theirs = (await signIn(other.nationalId, PASSWORD)).json().deviceToken as string;
      assert.equal((await signIn(nationalId, PASSWORD, { deviceToken: theirs }, '203.0.113.11')).json().error.code, 'sign_in.locked');
      const forged = `${accountId}.${'A'.repeat(22)}.${'B'.repeat(22)}`;
      assert.equal((await signIn(nationalId, PASSWORD, { deviceToken: forged }, '203.0.113.11')).json().error.code, 'sign_in.locked');
    });

    test('a lock that ran out is audited as lifted exactly once, however many attempts race after it', async () => {
      const { nationalId, accountId } = await person();
      for (let i = 0; i < policy.threshold; i++) {
        await signIn(nationalId, `attack-${i}`, i >= 5 ? { captcha: await solvedPayload(t.app) } : {});
        t.clock.advance(70_000);
      }
      t.clock.advance(16 * 60_000);
      await Promise.all(Array.from({ length: 6 }, (_, i) => signIn(nationalId, `later-${i}`)));
      const unlocked = (await events(accountId)).filter((r) => r.type === 'sign_in.unlocked');
      assert.equal(unlocked.length, 1);
      assert.equal((unlocked[0]!.data as { by: string }).by, 'expiry');
    });

    test('an unknown national ID goes through the very same answers as an account', async () => {
      const { nationalId } = await person();
      const ghost = nationalIdFor(4999);
      const walk = async (id: string) => {
        const codes: string[] = [];
        // Fast after the third failure (a wait), then patient; a captcha only from the eighth try.
        for (let i = 0; i < 10; i++) {
          const response = await signIn(id, `nope-${i}`, i >= 7 ? { captcha: await solvedPayload(t.app) } : {}, '10.30.0.1');
          codes.push(`${response.statusCode} ${response.json().error.code}`);
          t.clock.advance(i === 2 ? 100 : 20_000);
        }
        return codes;
      };
      const known = await walk(nationalId);
      assert.deepEqual(await walk(ghost), known);
      assert.deepEqual(known, [
        '401 sign_in.invalid', '401 sign_in.invalid', '401 sign_in.invalid', '429 sign_in.wait', '401 sign_in.invalid', '401 sign_in.invalid',
        '428 sign_in.captcha_required', '401 sign_in.invalid', '401 sign_in.invalid', '429 sign_in.locked',
      ]);
    });

    test('an admin reset (one or a batch) lifts the lock, audited (recovery: test/flows/recovery.test.ts)', async () => {
      const { nationalId, accountId } = await person();
      await t.handle.db.insertInto('sign_in_failures').values({ key: `account:${accountId}`, failures: 8, last_failed_at: t.clock.now(), locked_until: new Date(t.clock.now().getTime() + 600_000) }).execute();
      const { applyTemporaryPasswords } = await import('../../src/admin/password-reset.ts');
      await t.handle.db.transaction().execute((trx) => applyTemporaryPasswords(trx, [{ accountId, hash: 'x' }], t.clock.now()));
      const rows = await events(accountId);
      assert.deepEqual(rows.filter((r) => r.type === 'sign_in.unlocked').map((r) => (r.data as { by: string }).by), ['admin_reset']);
      void nationalId;
    });
  });
}

describe('lockout per client address', () => {
  let t: TestApp;
  before(async () => { t = await startTestApp('pglite', { ...env, KELID_ADDRESS_FAILURE_LIMIT: '4' }); });
  after(() => t.close());

  test('many failures from one address ask that address for a captcha, not a refusal; known devices and other addresses go on', async () => {
    const tree = await createTree(t.handle.db);
    const owner = nationalIdFor(4900);
    await createAccount(t.handle.db, t.hasher, { nationalId: owner, password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'student' }] });
    const signIn = (identifier: string, password: string, extra: Record<string, string> = {}, ip = '10.40.0.1') =>
      t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier, password, ...extra }, remoteAddress: ip });
    const token = (await signIn(owner, PASSWORD)).json().deviceToken as string;
    for (let i = 0; i < 4; i++) await signIn(nationalIdFor(4901 + i), 'spray-1404!');
    const sprayed = await signIn(nationalIdFor(4910), 'spray-1404!');
    assert.equal(sprayed.statusCode, 428);
    assert.equal((await signIn(owner, PASSWORD)).statusCode, 428, 'an unknown device at that address needs the captcha');
    assert.equal((await signIn(owner, PASSWORD, { captcha: await solvedPayload(t.app) })).statusCode, 201);
    assert.equal((await signIn(owner, PASSWORD, { deviceToken: token })).statusCode, 201, 'a known device is not asked');
    assert.equal((await signIn(owner, PASSWORD, {}, '10.40.0.2')).statusCode, 201, 'another address is not touched');
    const limited = await t.handle.db.selectFrom('audit_events').select('id').where('type', '=', 'sign_in.address_limited').execute();
    assert.equal(limited.length, 1);
  });

  test('the sign-in page shows the security check as soon as the next try needs it, and remembers the device', async () => {
    const agent = createAgent(t.app, { ip: '10.40.9.9' });
    const owner = nationalIdFor(4920);
    await createAccount(t.handle.db, t.hasher, { nationalId: owner, password: PASSWORD });
    const ok = await agent.submit('/sign-in', { identifier: owner, password: PASSWORD });
    assert.equal(ok.statusCode, 303);
    assert.match(agent.cookies.get('kelid_device') ?? '', /^[0-9a-f-]{36}\./);
    await agent.submit('/', {}, '/sign-out');
    assert.equal(agent.cookies.has('kelid_session'), false);
    const stranger = createAgent(t.app, { ip: '10.40.9.10' });
    let page = await stranger.submit('/sign-in', { identifier: owner, password: 'wrong-1' });
    for (let i = 2; i <= 5; i++) {
      t.clock.advance(20_000);
      page = await stranger.submit('/sign-in', { identifier: owner, password: `wrong-${i}` });
    }
    assert.match(page.body, /<altcha-widget[^>]+name="captcha"/, 'the captcha is drawn after the failure that makes it needed');
    assert.equal((await agent.submit('/sign-in', { identifier: owner, password: PASSWORD })).statusCode, 303, 'the known browser signs in without it');
  });
});

void sql;
