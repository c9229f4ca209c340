// The owner's own devices are part of the account (review i9, finding 6): a device's failure
// counter is named by account and nonce, so a new password (an admin's reset, a recovery)
// lifts its lock too, audited once per lifted lock; a QR sign-in remembers the device as a
// password sign-in does; a shared computer remembers twenty people, not five.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { hashQrToken } from '../../src/admin/password-batches.ts';
import { toLatinDigits } from '../../src/domain/digits.ts';
import { DEVICE_TOKENS_KEPT, readDeviceTokens, rememberDevice } from '../../src/identity/devices.ts';
import { deriveKeys, hmacHex } from '../../src/secrets.ts';
import { sql } from 'kysely';
import { easyCaptcha, solvedPayload } from '../captcha/solve.ts';
import { createAgent, csrfTokenOf } from '../helpers/agent.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor, type Tree } from '../helpers/fixtures.ts';

const PASSWORD = 'Sahar-Mehr-1404!';
const NEW = 'Tazeh-Ramz-1405#';
const MOBILE = '+989121112233';
const env = {
  ...easyCaptcha, KELID_SMS: 'dev', KELID_EMAIL: 'dev', KELID_ADMIN_MFA: 'optional',
  KELID_LOCKOUT_DELAY_AFTER: '3', KELID_LOCKOUT_CAPTCHA_AFTER: '5', KELID_LOCKOUT_THRESHOLD: '8', KELID_LOCKOUT_MINUTES: '15', KELID_ADDRESS_FAILURE_LIMIT: '1000',
};

describe('device tokens kept by a browser', () => {
  test(`a shared computer remembers its last ${DEVICE_TOKENS_KEPT} people, newest first, in a cookie well under 4 KB`, () => {
    const key = randomBytes(32);
    const accounts = Array.from({ length: 25 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    let cookie: string | undefined;
    for (const accountId of accounts) cookie = rememberDevice(key, cookie, accountId).cookie;
    assert.equal(DEVICE_TOKENS_KEPT, 20);
    assert.ok(cookie!.length < 2000, `${cookie!.length} characters`);
    const known = readDeviceTokens(key, cookie);
    assert.deepEqual(known.map((d) => d.accountId), accounts.slice(5).reverse());
  });
});

describe('a new password lifts the lock of the owner\'s own devices', () => {
  let t: TestApp;
  let tree: Tree;
  let admin: string;
  let n = 0;

  before(async () => {
    t = await startTestApp('pglite', env);
    tree = await createTree(t.handle.db);
    const adminId = nationalIdFor(4901);
    await createAccount(t.handle.db, t.hasher, { nationalId: adminId, password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'principal' }] });
    admin = (await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: adminId, password: PASSWORD } })).json().token;
  });
  after(() => t.close());

  const person = async () => {
    const nationalId = nationalIdFor(4910 + n++);
    const { accountId } = await createAccount(t.handle.db, t.hasher, { nationalId, password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'student' }] });
    await t.handle.db.updateTable('accounts').set({ mobile: MOBILE }).where('id', '=', accountId).execute();
    await t.handle.db.updateTable('people').set({ birth_serial_hmac: hmacHex(deriveKeys(t.config.secret!).personalData, '123456') })
      .where('national_id', '=', nationalId).execute();
    return { nationalId, accountId };
  };
  const signIn = (identifier: string, password: string, extra: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier, password, ...extra }, remoteAddress: '10.40.0.1' });
  const unlocks = async (accountId: string) => (await t.handle.db.selectFrom('audit_events').select('data')
    .where('type', '=', 'sign_in.unlocked').where('subject_account_id', '=', accountId).execute()).map((r) => r.data);

  /** The owner's phone signs in, then locks itself with its own typos. */
  async function lockedPhone(nationalId: string): Promise<string> {
    const deviceToken = (await signIn(nationalId, PASSWORD)).json().deviceToken as string;
    for (let i = 0; i < 8; i++) {
      await signIn(nationalId, `typo-${i}`, { deviceToken, ...(i >= 5 ? { captcha: await solvedPayload(t.app) } : {}) });
      t.clock.advance(70_000);
    }
    assert.equal((await signIn(nationalId, PASSWORD, { deviceToken })).json().error.code, 'sign_in.locked', 'the phone locked itself');
    return deviceToken;
  }

  test('an admin\'s reset: the phone signs in with the temporary password at once; the lift is audited once', async () => {
    const { nationalId, accountId } = await person();
    const deviceToken = await lockedPhone(nationalId);
    const reset = await t.app.inject({ method: 'POST', url: `/api/v1/admin/users/${accountId}/password-reset`, headers: { authorization: `Bearer ${admin}` } });
    assert.equal(reset.statusCode, 200, reset.body);
    const again = await signIn(nationalId, reset.json().temporaryPassword, { deviceToken });
    assert.equal(again.statusCode, 201, again.body);
    assert.deepEqual(await unlocks(accountId), [{ by: 'admin_reset', place: 'known_device' }]);
  });

  test('a recovery: the phone signs in with the new password at once; the lift is audited once', async () => {
    const { nationalId, accountId } = await person();
    const deviceToken = await lockedPhone(nationalId);
    const post = (url: string, payload: Record<string, string> = {}) => t.app.inject({ method: 'POST', url, payload });
    const id = (await post('/api/v1/flows/recovery')).json().id;
    await post(`/api/v1/flows/${id}`, { nationalId, serial: '123456', mobile: '09121112233', captcha: await solvedPayload(t.app) });
    const sms = (await sql<{ text: string }>`select text from outbox where template = 'recovery.sms' and status <> 'withheld' order by created_at desc limit 1`.execute(t.handle.db)).rows[0]!;
    const done = await post(`/api/v1/flows/${id}`, { code: /\d{6}/.exec(toLatinDigits(sms.text))![0], password: NEW, repeat: NEW });
    assert.equal(done.json().state, 'done', done.body);
    assert.equal((await signIn(nationalId, NEW, { deviceToken })).statusCode, 201);
    assert.deepEqual(await unlocks(accountId), [{ by: 'recovery', place: 'known_device' }]);
  });

  test('a device counter is the account\'s: another account\'s reset leaves it locked', async () => {
    const owner = await person();
    const other = await person();
    const deviceToken = await lockedPhone(owner.nationalId);
    await t.app.inject({ method: 'POST', url: `/api/v1/admin/users/${other.accountId}/password-reset`, headers: { authorization: `Bearer ${admin}` } });
    assert.equal((await signIn(owner.nationalId, PASSWORD, { deviceToken })).json().error.code, 'sign_in.locked');
  });

  test('a QR sign-in remembers the device: its next password tries count on that device\'s own counter', async () => {
    const { nationalId, accountId } = await person();
    const token = randomBytes(24).toString('base64url');
    await t.handle.db.insertInto('sign_in_tokens').values({ token_hash: hashQrToken(token), account_id: accountId, expires_at: new Date(t.clock.now().getTime() + 86_400_000) }).execute();
    const agent = createAgent(t.app);
    const page = await agent.get(`/q/${token}`);
    const signedIn = await agent.post(`/q/${token}`, { _csrf: csrfTokenOf(page.body) });
    assert.equal(signedIn.statusCode, 303);
    const known = readDeviceTokens(deriveKeys(t.config.secret!).device, agent.cookies.get('kelid_device'));
    assert.deepEqual(known.map((d) => d.accountId), [accountId]);
    await signIn(nationalId, 'typo-0', { deviceToken: agent.cookies.get('kelid_device')! });
    const keys = (await t.handle.db.selectFrom('sign_in_failures').select('key').where('key', 'like', `device:${accountId}:%`).execute()).map((r) => r.key);
    assert.deepEqual(keys, [`device:${accountId}:${known[0]!.nonce}`]);
  });
});
