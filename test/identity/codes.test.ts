// Verification codes: HMAC at rest, five minutes, limited tries counted atomically, cooldown.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createFlow } from '../../src/flows/store.ts';
import { checkCode, cooldownLeft, defaultCodePolicy, issueCode, spendCodes } from '../../src/identity/codes.ts';
import { databaseKinds, openTestDatabase } from '../helpers/app.ts';

const key = Buffer.alloc(32, 7);
const persian = (text: string) => text.replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d)));

for (const kind of databaseKinds) {
  describe(`verification codes on ${kind}`, () => {
    let database: Awaited<ReturnType<typeof openTestDatabase>>;
    before(async () => { database = await openTestDatabase(kind); });
    after(() => database.close());

    const newTarget = async (target = '+989121234567') => {
      const flow = await createFlow(database.handle.db, { kind: 'registration', state: 'verify', data: {}, expiresAt: new Date(Date.now() + 3_600_000), binding: null });
      return { flowId: flow.id, purpose: 'mobile' as const, target };
    };
    const t0 = new Date('2025-11-20T08:00:00Z');
    const later = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

    test('a code typed in Persian digits is accepted once, and is stored only as an HMAC', async () => {
      const target = await newTarget();
      const code = await issueCode(database.handle.db, key, target, defaultCodePolicy, t0);
      assert.match(code, /^\d{6}$/);
      const rows = await database.handle.db.selectFrom('verification_codes').select('code_hmac').where('flow_id', '=', target.flowId).execute();
      assert.ok(rows.every((r) => !r.code_hmac.includes(code)));
      assert.equal(await checkCode(database.handle.db, key, target, persian(code), defaultCodePolicy, later(10)), 'ok');
      assert.equal(await spendCodes(database.handle.db, target.flowId, later(10)), 1);
      assert.equal(await checkCode(database.handle.db, key, target, code, defaultCodePolicy, later(11)), 'code.spent', 'spent once: another request moved its flow on');
    });

    test('a code older than five minutes is refused with code.expired', async () => {
      const target = await newTarget();
      const code = await issueCode(database.handle.db, key, target, defaultCodePolicy, t0);
      assert.equal(await checkCode(database.handle.db, key, target, code, defaultCodePolicy, later(5 * 60)), 'code.expired');
    });

    test('a code sent to another number proves nothing about this one', async () => {
      const target = await newTarget('+989121234567');
      const code = await issueCode(database.handle.db, key, target, defaultCodePolicy, t0);
      assert.equal(await checkCode(database.handle.db, key, { ...target, target: '+989351234567' }, code, defaultCodePolicy, later(5)), 'code.invalid');
    });

    test('wrong guesses run out, even twenty at once, and then the right code is refused too', async () => {
      const target = await newTarget();
      const code = await issueCode(database.handle.db, key, target, defaultCodePolicy, t0);
      const wrong = code === '000000' ? '111111' : '000000';
      const answers = await Promise.all(Array.from({ length: 20 }, () => checkCode(database.handle.db, key, target, wrong, defaultCodePolicy, later(5))));
      assert.equal(answers.filter((a) => a === 'code.invalid').length, defaultCodePolicy.maxTries);
      assert.ok(answers.filter((a) => a !== 'code.invalid').every((a) => a === 'code.too_many_tries'));
      assert.equal(await checkCode(database.handle.db, key, target, code, defaultCodePolicy, later(6)), 'code.too_many_tries');
    });

    test('a new code voids the old one; a resend waits for the cooldown', async () => {
      const target = await newTarget();
      const first = await issueCode(database.handle.db, key, target, defaultCodePolicy, t0);
      assert.equal(await cooldownLeft(database.handle.db, target, defaultCodePolicy, later(20)), 40);
      assert.equal(await cooldownLeft(database.handle.db, target, defaultCodePolicy, later(60)), 0);
      const second = await issueCode(database.handle.db, key, target, defaultCodePolicy, later(60));
      if (first !== second) assert.equal(await checkCode(database.handle.db, key, target, first, defaultCodePolicy, later(61)), 'code.invalid');
      assert.equal(await checkCode(database.handle.db, key, target, second, defaultCodePolicy, later(62)), 'ok');
    });

    test('malformed input is refused before any database work', async () => {
      const target = await newTarget();
      assert.equal(await checkCode(database.handle.db, key, target, '', defaultCodePolicy, t0), 'code.required');
      assert.equal(await checkCode(database.handle.db, key, target, '12345', defaultCodePolicy, t0), 'code.format');
      assert.equal(await checkCode(database.handle.db, key, target, 'x'.repeat(100_000), defaultCodePolicy, t0), 'code.format');
    });
  });
}
