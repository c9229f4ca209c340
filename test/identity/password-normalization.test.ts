// The same password works from another device (issue 9, fault 2): what a person types into a
// password means the same whatever keyboard typed it. Passwords are hashed normalized; hashes
// made before normalization keep working and are renewed at the next sign-in.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hash } from '@node-rs/argon2';
import { createAgent } from '../helpers/agent.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor, type Tree } from '../helpers/fixtures.ts';

// [as set on one device, as typed on another]
const pairs: [string, string, string][] = [
  ['Ä as one code point, then A + combining diaeresis', 'Kelid-\u00c4nder-1404', 'Kelid-A\u0308nder-1404'],
  ['combining first, then precomposed', 'Sch\u006f\u0308n-Tag-77', 'Sch\u00f6n-Tag-77'],
  ['Persian digits, then Latin digits', 'Ramz-Mehr-۱۴۰۴', 'Ramz-Mehr-1404'],
  ['Arabic-Indic digits, then Persian digits', 'Ramz-Aban-١٤٠٥', 'Ramz-Aban-۱۴۰۵'],
  ['Arabic keyboard yeh and kaf, then Persian', 'Ali-علي-كتاب-9', 'Ali-علی-کتاب-9'],
  ['with a right-to-left mark pasted in, then without', 'Rmz\u200f-سلام-12', 'Rmz-سلام-12'],
  ['full-width Latin, then ASCII', 'ＫＥＬＩＤ-pass-12', 'KELID-pass-12'],
  ['emoji with a variation selector, then without', 'I\u2764\ufe0fKelid-12', 'I\u2764Kelid-12'],
];

describe('passwords typed on different keyboards', () => {
  let t: TestApp;
  let tree: Tree;
  let n = 0;
  before(async () => {
    t = await startTestApp('postgres');
    tree = await createTree(t.handle.db);
  });
  after(() => t.close());

  const signIn = (identifier: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier, password }, remoteAddress: '10.7.0.1' });
  const failures = async (accountId: string) => (await t.handle.db.selectFrom('audit_events').select('id')
    .where('subject_account_id', '=', accountId).where('type', '=', 'sign_in.failed').execute()).length;

  for (const [name, set, typed] of pairs) {
    test(`${name}: signs in, and nothing counts toward the lock`, async () => {
      const nationalId = nationalIdFor(4700 + n++);
      const { accountId } = await createAccount(t.handle.db, t.hasher, { nationalId, password: set, memberships: [{ organizationId: tree.schoolA, role: 'teacher' }] });
      assert.equal((await signIn(nationalId, typed)).statusCode, 201);
      assert.equal((await signIn(nationalId, set)).statusCode, 201);
      assert.equal(await failures(accountId), 0);
      assert.equal((await signIn(nationalId, `${typed}x`)).statusCode, 401, 'a different password is still wrong');
    });
  }

  test('a password changed on one keyboard signs in from another, and "same as current" sees through the keyboard', async () => {
    const nationalId = nationalIdFor(4750);
    await createAccount(t.handle.db, t.hasher, { nationalId, password: 'Old-Password-1404!', memberships: [{ organizationId: tree.schoolA, role: 'teacher' }] });
    const agent = createAgent(t.app);
    await agent.submit('/sign-in', { identifier: nationalId, password: 'Old-Password-1404!' });
    const same = await agent.submit('/password', { current: 'Old-Password-1404!', password: 'Old-Password-۱۴۰۴!', repeat: 'Old-Password-1404!' });
    assert.equal(same.statusCode, 400);
    assert.match(same.body, /رمز عبور جدید باید با رمز عبور فعلی متفاوت باشد/);
    const changed = await agent.submit('/password', { current: 'Old-Password-1404!', password: 'Tazeh-A\u0308-1405!', repeat: 'Tazeh-\u00c4-1405!' });
    assert.equal(changed.statusCode, 200, 'the repeat typed the other way matches');
    assert.equal((await signIn(nationalId, 'Tazeh-\u00c4-1405!')).statusCode, 201);
  });

  test('a hash made before normalization, of the password as it was typed, still works and is renewed at sign-in', async () => {
    const nationalId = nationalIdFor(4751);
    const typed = 'Kelid-A\u0308nder-۱۴۰۴';
    const { accountId } = await createAccount(t.handle.db, t.hasher, { nationalId, password: 'placeholder-Aa1!' });
    // What the old code stored: argon2id of the raw string, with today's parameters.
    const legacy = await hash(typed, { algorithm: 2, memoryCost: t.config.argon2.memoryCost, timeCost: t.config.argon2.timeCost, parallelism: 1 });
    await t.handle.db.updateTable('credentials').set({ password_hash: legacy }).where('account_id', '=', accountId).execute();
    assert.equal((await signIn(nationalId, 'Kelid-\u00c4nder-1404')).statusCode, 401, 'before renewal only the old form matches');
    assert.equal((await signIn(nationalId, typed)).statusCode, 201);
    const renewed = await t.handle.db.selectFrom('credentials').select('password_hash').where('account_id', '=', accountId).executeTakeFirstOrThrow();
    assert.notEqual(renewed.password_hash, legacy, 'the hash was renewed');
    assert.equal((await signIn(nationalId, 'Kelid-\u00c4nder-1404')).statusCode, 201, 'now every keyboard works');
    assert.equal((await signIn(nationalId, typed)).statusCode, 201);
  });

  test('a renewed hash whose password, normalized, breaks the rules asks for a new password at once', async () => {
    const legacyHash = (password: string) => hash(password, { algorithm: 2, memoryCost: t.config.argon2.memoryCost, timeCost: t.config.argon2.timeCost, parallelism: 1 });
    // "P@ssw۰rd" with a Persian zero passed the rules as typed; it is hashed now as "P@ssw0rd", one of the commonest.
    const weak = { nationalId: nationalIdFor(4752), typed: 'P@ssw\u06f0rd' };
    const { accountId } = await createAccount(t.handle.db, t.hasher, { nationalId: weak.nationalId, password: 'placeholder-Aa1!' });
    await t.handle.db.updateTable('credentials').set({ password_hash: await legacyHash(weak.typed) }).where('account_id', '=', accountId).execute();
    const signedIn = await signIn(weak.nationalId, weak.typed);
    assert.equal(signedIn.statusCode, 201);
    assert.equal(signedIn.json().mustChangePassword, true);
    const session = await t.app.inject({ url: '/api/v1/sessions/current', headers: { authorization: `Bearer ${signedIn.json().token}` } });
    assert.equal(session.json().mustChangePassword, true);
    const again = await signIn(weak.nationalId, 'P@ssw0rd');
    assert.equal(again.json().mustChangePassword, true, 'until it is changed');

    // A renewal of a password that passes the rules asks for nothing.
    const fine = nationalIdFor(4753);
    const other = await createAccount(t.handle.db, t.hasher, { nationalId: fine, password: 'placeholder-Aa1!' });
    await t.handle.db.updateTable('credentials').set({ password_hash: await legacyHash('Kelid-A\u0308nder-\u06f1\u06f4\u06f0\u06f4') }).where('account_id', '=', other.accountId).execute();
    assert.equal((await signIn(fine, 'Kelid-A\u0308nder-\u06f1\u06f4\u06f0\u06f4')).json().mustChangePassword, false);
  });
});
