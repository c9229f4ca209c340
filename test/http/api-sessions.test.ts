// POST /api/v1/sessions and friends (F1, F2, B2, B7), on PGlite and on PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createAccount, createTree, nationalIdFor, type Tree } from '../helpers/fixtures.ts';
import { databaseKinds, startTestApp, type TestApp } from '../helpers/app.ts';

const PASSWORD = 'Sahar-Mehr-1404!';
const toPersianDigits = (text: string) => text.replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d)));

for (const kind of databaseKinds) {
  describe(`sessions API on ${kind}`, () => {
    let t: TestApp;
    let tree: Tree;
    let principal: Awaited<ReturnType<typeof createAccount>>;
    const principalId = nationalIdFor(11);

    before(async () => {
      t = await startTestApp(kind, { KELID_LOCKOUT_DELAY_AFTER: '3', KELID_LOCKOUT_THRESHOLD: '5', KELID_LOCKOUT_MINUTES: '15' });
      tree = await createTree(t.handle.db);
      principal = await createAccount(t.handle.db, t.hasher, {
        nationalId: principalId, password: PASSWORD, firstName: 'علی', lastName: 'محمدی',
        memberships: [
          { organizationId: tree.schoolA, role: 'principal' },
          { organizationId: tree.schoolB, role: 'teacher' },
          { organizationId: tree.schoolC, role: 'teacher', startsOn: '2023-09-23', endsOn: '2024-09-21' }, // ended
          { organizationId: tree.schoolC, role: 'deputy', startsOn: '2026-09-23', endsOn: '2027-09-22' }, // not yet started
          { organizationId: tree.schoolC, role: 'staff', approved: false },
        ],
      });
    });
    after(() => t.close());

    const signIn = (identifier: unknown, password: unknown, ip = '10.0.0.1') =>
      t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier, password }, remoteAddress: ip });

    test('the national ID in Persian digits with spaces and direction marks signs in, listing only active memberships', async () => {
      const spaced = `\u200f${toPersianDigits(principalId.slice(0, 3))} ${toPersianDigits(principalId.slice(3))}\u200e`;
      const response = await signIn(spaced, PASSWORD);
      assert.equal(response.statusCode, 201);
      const body = response.json();
      assert.match(body.token, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(body.mustChangePassword, false);
      assert.deepEqual(body.memberships.map((m: { role: string }) => m.role).sort(), ['principal', 'teacher']);
      const schoolA = body.memberships.find((m: { role: string }) => m.role === 'principal');
      assert.equal(schoolA.organization.name, 'دبستان الف');
      assert.equal(schoolA.district, 'مشهد ناحیه ۵');
      assert.equal(schoolA.province, 'خراسان رضوی');
    });

    test('the user code signs in too, in any case and with a dash', async () => {
      const code = principal.userCode.toLowerCase();
      const response = await signIn(`${code.slice(0, 4)}-${code.slice(4)}`, PASSWORD);
      assert.equal(response.statusCode, 201);
    });

    test('a wrong password and an unknown national ID get the same answer', async () => {
      const wrong = await signIn(principalId, 'Not-The-Password-1', '10.0.0.2');
      const unknown = await signIn(nationalIdFor(99), PASSWORD, '10.0.0.2');
      assert.equal(wrong.statusCode, 401);
      assert.equal(unknown.statusCode, 401);
      assert.deepEqual(wrong.json(), unknown.json());
      assert.equal(wrong.json().error.code, 'sign_in.invalid');
      assert.equal(wrong.json().error.message, 'نام کاربری یا رمز عبور صحیح نیست.');
    });

    test('an invalid national ID is refused naming the field, in the Accept-Language locale', async () => {
      const response = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', headers: { 'accept-language': 'he-IL,he;q=0.9' }, payload: { identifier: '0012345678', password: 'x' } });
      assert.equal(response.statusCode, 400);
      assert.deepEqual(response.json().error, { code: 'national_id.checksum', message: 'מספר הזהות אינו תקין', field: 'identifier' });
    });

    test('a value past its schema\'s length is "too long", naming the field; a field left out is asked for; a value of the wrong type is "not valid"', async () => {
      const long = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', headers: { 'accept-language': 'en' }, payload: { identifier: '۱'.repeat(2_000), password: 'x' } });
      assert.equal(long.statusCode, 400);
      assert.deepEqual(long.json().error, { code: 'error.field_too_long', message: 'The value of this field is too long', field: 'identifier' });
      for (const [payload, field] of [[{}, 'identifier'], [{ password: 'x' }, 'identifier'], [{ identifier: '0012345679' }, 'password']] as const) {
        const missing = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', headers: { 'accept-language': 'en' }, payload });
        assert.equal(missing.statusCode, 400);
        assert.deepEqual([missing.json().error.code, missing.json().error.field], [`${field}.required`, field], `a field left out is asked for by name: ${JSON.stringify(payload)}`);
      }
      const wrongType = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', headers: { 'accept-language': 'en' }, payload: { identifier: ['0012345679'], password: 'x' } });
      assert.equal(wrongType.statusCode, 400);
      assert.deepEqual(wrongType.json().error, { code: 'error.field_invalid', message: 'The value of this field is not valid', field: 'identifier' });
    });

    test('a password past 1,024 characters is "too long", its limit said in each locale\'s digits, by the API and by the sign-in flow', async () => {
      const tooLong = 'x'.repeat(1_025);
      for (const [locale, max] of [['fa', '۱۰۲۴'], ['en', '1024'], ['he', '1024'], ['ar', '١٠٢٤']] as const) {
        const api = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', headers: { 'accept-language': locale }, payload: { identifier: principalId, password: tooLong } });
        assert.equal(api.statusCode, 400);
        const error = api.json().error;
        assert.equal(error.code, 'password.too_long');
        assert.ok(error.message.includes(max) && !/[{}]/.test(error.message), `${locale}: ${error.message}`);
        const flow = (await t.app.inject({ method: 'POST', url: '/api/v1/flows/login', headers: { 'accept-language': locale } })).json();
        const step = await t.app.inject({ method: 'POST', url: `/api/v1/flows/${flow.id}`, headers: { 'accept-language': locale }, payload: { identifier: principalId, password: tooLong } });
        const shown = JSON.stringify(step.json().form);
        assert.match(shown, /password\.too_long/, `${locale}: ${shown}`);
        assert.ok(shown.includes(max) && !/\{max\}/.test(shown), `${locale}: ${shown}`);
      }
    });

    test('the bearer token reads the session, picks a role, and ends the session', async () => {
      const { token, memberships } = (await signIn(principalId, PASSWORD)).json();
      const auth = { authorization: `Bearer ${token}` };
      const current = await t.app.inject({ method: 'GET', url: '/api/v1/sessions/current', headers: auth });
      assert.equal(current.statusCode, 200);
      assert.equal(current.json().membership, null, 'two active memberships: nothing chosen yet');
      // The scheme's name in any case, spaces after it (RFC 9110 11.1, RFC 6750 2.1); anything else is no token.
      for (const header of [`bearer ${token}`, `BEARER ${token}`, `Bearer  ${token}`, `Bearer ${token} `]) {
        assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/sessions/current', headers: { authorization: header } })).statusCode, 200, header);
      }
      for (const header of [`Bearer`, `Bearer ${token}x y`, `Basic ${token}`, `Bearer\t${token}`, `Bearer ${token.slice(1)}`, `xBearer ${token}`]) {
        assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/sessions/current', headers: { authorization: header } })).statusCode, 401, header);
      }

      const teacher = memberships.find((m: { role: string }) => m.role === 'teacher');
      const chosen = await t.app.inject({ method: 'PUT', url: '/api/v1/sessions/current/membership', headers: auth, payload: { membershipId: teacher.id } });
      assert.equal(chosen.statusCode, 200);
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/sessions/current', headers: auth })).json().membership.role, 'teacher');

      const ended = principal.membershipIds[2]!;
      const refused = await t.app.inject({ method: 'PUT', url: '/api/v1/sessions/current/membership', headers: auth, payload: { membershipId: ended } });
      assert.equal(refused.statusCode, 422);
      assert.equal(refused.json().error.code, 'role_choice.invalid');

      const list = await t.app.inject({ method: 'GET', url: '/api/v1/sessions', headers: auth });
      const mine = list.json().sessions.find((s: { current: boolean }) => s.current);
      assert.ok(mine);
      assert.equal((await t.app.inject({ method: 'DELETE', url: `/api/v1/sessions/${mine.id}`, headers: auth })).statusCode, 204);
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/sessions/current', headers: auth })).statusCode, 401);
    });

    test("another account's session id answers 404, like one that does not exist", async () => {
      const other = await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(12), password: PASSWORD, memberships: [{ organizationId: tree.schoolB, role: 'teacher' }] });
      const mine = (await signIn(principalId, PASSWORD)).json().token;
      const theirs = (await signIn(nationalIdFor(12), PASSWORD)).json().token;
      const theirSession = (await t.app.inject({ method: 'GET', url: '/api/v1/sessions/current', headers: { authorization: `Bearer ${theirs}` } })).json().id;
      const attempt = await t.app.inject({ method: 'DELETE', url: `/api/v1/sessions/${theirSession}`, headers: { authorization: `Bearer ${mine}` } });
      assert.equal(attempt.statusCode, 404);
      const missing = await t.app.inject({ method: 'DELETE', url: '/api/v1/sessions/00000000-0000-4000-8000-000000000000', headers: { authorization: `Bearer ${mine}` } });
      assert.deepEqual(attempt.json(), missing.json());
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/sessions/current', headers: { authorization: `Bearer ${theirs}` } })).statusCode, 200);
      void other;
    });

    test('failures slow down, then lock the account; the lock is audited and runs out', async () => {
      const nationalId = nationalIdFor(21);
      const { accountId } = await createAccount(t.handle.db, t.hasher, { nationalId, password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'teacher' }] });
      for (let i = 0; i < 3; i++) assert.equal((await signIn(nationalId, `wrong-${i}`, '10.1.0.1')).statusCode, 401);
      const slowed = await signIn(nationalId, PASSWORD, '10.1.0.1');
      assert.equal(slowed.statusCode, 429);
      assert.equal(slowed.json().error.code, 'sign_in.wait');
      assert.ok(slowed.headers['retry-after']);
      for (let i = 0; i < 2; i++) {
        t.clock.advance(10_000);
        await signIn(nationalId, `wrong-again-${i}`, '10.1.0.1');
      }
      t.clock.advance(60_000);
      const locked = await signIn(nationalId, PASSWORD, '10.1.0.1');
      assert.equal(locked.statusCode, 429);
      assert.equal(locked.json().error.code, 'sign_in.locked');
      const events = await t.handle.db.selectFrom('audit_events').select('type').where('subject_account_id', '=', accountId).execute();
      // Five passwords were checked (the fifth locked); the tries refused by the delay and the lock were not.
      assert.equal(events.filter((e) => e.type === 'sign_in.failed').length, 5);
      assert.equal(events.filter((e) => e.type === 'sign_in.delayed').length, 1);
      assert.equal(events.filter((e) => e.type === 'sign_in.locked').length, 1);
      t.clock.advance(16 * 60_000);
      assert.equal((await signIn(nationalId, PASSWORD, '10.1.0.1')).statusCode, 201);
      const cleared = await t.handle.db.selectFrom('sign_in_failures').selectAll().where('key', '=', `account:${accountId}`).executeTakeFirst();
      assert.equal(cleared, undefined, 'a successful sign-in clears the failures');
    });

    test('forty guesses at once check at most the threshold of passwords; the rest are refused unchecked', async () => {
      const nationalId = nationalIdFor(22);
      const { accountId } = await createAccount(t.handle.db, t.hasher, { nationalId, password: PASSWORD });
      const guesses = Array.from({ length: 40 }, (_, i) => (i === 37 ? PASSWORD : `guess-${i}`));
      const answers = await Promise.all(guesses.map((guess) => signIn(nationalId, guess, '10.1.1.1')));
      const checked = answers.filter((a) => a.statusCode !== 429);
      assert.ok(checked.length <= 5, `${checked.length} passwords were checked`);
      const failed = await t.handle.db.selectFrom('audit_events').select('type').where('subject_account_id', '=', accountId).where('type', '=', 'sign_in.failed').execute();
      assert.ok(failed.length <= 5);
    });

    test('an unknown national ID is slowed and locked exactly like a real one', async () => {
      const ghost = nationalIdFor(31);
      const answers: string[] = [];
      for (let i = 0; i < 4; i++) answers.push((await signIn(ghost, `guess-${i}`, '10.2.0.1')).json().error.code);
      assert.deepEqual(answers, ['sign_in.invalid', 'sign_in.invalid', 'sign_in.invalid', 'sign_in.wait']);
    });

    test('a temporary password signs in but the session can do nothing else until it is changed', async () => {
      const nationalId = nationalIdFor(41);
      const account = await createAccount(t.handle.db, t.hasher, { nationalId, password: PASSWORD, mustChange: true, memberships: [{ organizationId: tree.schoolA, role: 'student' }] });
      const body = (await signIn(nationalId, PASSWORD)).json();
      assert.equal(body.mustChangePassword, true);
      const pick = await t.app.inject({ method: 'PUT', url: '/api/v1/sessions/current/membership', headers: { authorization: `Bearer ${body.token}` }, payload: { membershipId: account.membershipIds[0] } });
      assert.equal(pick.statusCode, 403);
      assert.equal(pick.json().error.code, 'error.must_change_password');
    });

    test('a disabled account cannot sign in, with the same answer as a wrong password', async () => {
      const nationalId = nationalIdFor(51);
      await createAccount(t.handle.db, t.hasher, { nationalId, password: PASSWORD, status: 'disabled' });
      const response = await signIn(nationalId, PASSWORD, '10.3.0.1');
      assert.equal(response.statusCode, 401);
      assert.equal(response.json().error.code, 'sign_in.invalid');
    });

    test('a hash made with other argon2 parameters is renewed at sign-in', async () => {
      const nationalId = nationalIdFor(61);
      const { createPasswordHasher } = await import('../../src/identity/passwords.ts');
      const old = createPasswordHasher({ memoryCost: 9000, timeCost: 1, parallelism: 1 });
      const { accountId } = await createAccount(t.handle.db, old, { nationalId, password: PASSWORD });
      assert.equal((await signIn(nationalId, PASSWORD)).statusCode, 201);
      const stored = await t.handle.db.selectFrom('credentials').select('password_hash').where('account_id', '=', accountId).executeTakeFirstOrThrow();
      assert.ok(stored.password_hash.startsWith(`$argon2id$v=19$m=${t.config.argon2.memoryCost},t=${t.config.argon2.timeCost},p=1$`));
      assert.equal((await signIn(nationalId, PASSWORD)).statusCode, 201, 'the renewed hash still verifies');
    });

    test('the session token is stored only as a digest', async () => {
      const { token } = (await signIn(principalId, PASSWORD)).json();
      const rows = await t.handle.db.selectFrom('sessions').select('token_hash').execute();
      assert.ok(rows.every((row) => !Buffer.from(row.token_hash).toString().includes(token)));
    });
  });
}
