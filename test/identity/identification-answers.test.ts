// An identification answer is checked as people type it (src/identity/identification-answers.ts):
// with or without Hebrew niqqud or Arabic harakat; an answer saved with its marks before they
// were dropped still matches; an account without an answer spends the same hashes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkIdentificationAnswer, hashIdentificationAnswer, saveIdentificationAnswer } from '../../src/identity/identification-answers.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, nationalIdFor } from '../helpers/fixtures.ts';

describe('identification answers, checked', () => {
  let t: TestApp;
  before(async () => { t = await startTestApp('pglite'); });
  after(() => t.close());

  const person = async (n: number) => (await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(n), password: 'Sahar-Mehr-1404!' })).accountId;

  test('saved today: matches with and without niqqud', async () => {
    const accountId = await person(8101);
    await saveIdentificationAnswer(t.handle.db, accountId, 'father_birth_city', await hashIdentificationAnswer(t.hasher, 'הֶרְצְלִיָּה'), t.clock.now());
    for (const typed of ['הרצליה', 'הֶרְצְלִיָּה', ' הֶרצליה ']) assert.equal(await checkIdentificationAnswer(t.handle.db, t.hasher, accountId, typed), true, typed);
    assert.equal(await checkIdentificationAnswer(t.handle.db, t.hasher, accountId, 'חיפה'), false);
  });

  test('saved before, with its marks: still matches as typed then', async () => {
    const accountId = await person(8102);
    // What hashIdentificationAnswer saved until 2026-12-03: the marks kept.
    await saveIdentificationAnswer(t.handle.db, accountId, 'father_birth_city', await t.hasher.hash('مَشهَد'), t.clock.now());
    assert.equal(await checkIdentificationAnswer(t.handle.db, t.hasher, accountId, 'مَشهَد'), true);
    assert.equal(await checkIdentificationAnswer(t.handle.db, t.hasher, accountId, 'تبریز'), false);
  });

  test('no answer on record: false, after as many hashes as a wrong answer costs', async () => {
    const accountId = await person(8103);
    const hashes = async (typed: string, account: string) => {
      let count = 0;
      const counting = { ...t.hasher, check: async (phc: string, password: string) => { count++; return t.hasher.check(phc, password); }, verifyNothing: async (password: string) => { count++; return t.hasher.verifyNothing(password); } };
      assert.equal(await checkIdentificationAnswer(t.handle.db, counting, account, typed), false);
      return count;
    };
    const withAnswer = await person(8104);
    await saveIdentificationAnswer(t.handle.db, withAnswer, 'first_school', await hashIdentificationAnswer(t.hasher, 'alborz'), t.clock.now());
    for (const typed of ['damavand', 'دَماوَند']) assert.equal(await hashes(typed, accountId), await hashes(typed, withAnswer), typed);
  });
});
