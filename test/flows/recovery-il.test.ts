// Recovery in Israel's profile (issue 11): no birth-certificate serial there, so the national
// ID and the identification question chosen when the password was set (F19) with its answer,
// then a code to the mobile on record. The same answer whether or not anything matched: an
// unknown ID, a wrong answer, the wrong question and an account with no question all move on
// alike, and only the match gets the SMS.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { toLatinDigits } from '../../src/domain/digits.ts';
import { hashIdentificationAnswer, saveIdentificationAnswer } from '../../src/identity/identification-answers.ts';
import { easyCaptcha, solvedPayload } from '../captcha/solve.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount } from '../helpers/fixtures.ts';
import { errorCodes, flowClient } from '../helpers/flow-client.ts';

const PASSWORD = 'Yael-Old-Pass-1!';
const NEW = 'Yael-New-Pass-2!';
// Valid Israeli IDs (weights 1,2,1,2…, digit sums, total mod 10 = 0).
const YAEL = '039337423';
const NO_QUESTION = '000000018';
const UNKNOWN = '000000026';

describe('password recovery in the il profile: the identification answer, then the code', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp('postgres', { ...easyCaptcha, KELID_PROFILE: 'il', KELID_SMS: 'dev', KELID_EMAIL: 'dev', KELID_ADMIN_MFA: 'optional' });
    const yael = await createAccount(t.handle.db, t.hasher, { nationalId: YAEL, password: PASSWORD, firstName: 'יעל', lastName: 'כהן', mobile: '+972521112233' });
    await saveIdentificationAnswer(t.handle.db, yael.accountId, 'first_school', await hashIdentificationAnswer(t.hasher, 'Herzliya Gymnasium'), new Date());
    await createAccount(t.handle.db, t.hasher, { nationalId: NO_QUESTION, password: PASSWORD, mobile: '+972521110000' });
  });
  after(() => t.close());

  const outbox = async (): Promise<{ to: string; template: string; text: string }[]> => (await t.app.inject('/dev/outbox.json')).json();
  const ask = async (fields: Record<string, string>, ip: string) => {
    const client = flowClient(t.app, { locale: 'he', ip });
    const identify = await client.start('recovery');
    assert.deepEqual(identify.form.fields.map((f) => f.name), ['nationalId', 'question', 'answer', 'captcha', 'action'], 'no serial and no typed mobile in Israel');
    return { client, answer: await client.press(identify, 'submit', { ...fields, captcha: await solvedPayload(t.app) }) };
  };

  test('the answer as remembered (other case and spacing), the code to the mobile on record, a new password', async () => {
    const { client, answer } = await ask({ nationalId: YAEL, question: 'first_school', answer: '  herzliya   GYMNASIUM ' }, '198.51.100.1');
    assert.equal(answer.flow.state, 'verify', answer.response.body);
    const sms = (await outbox()).find((m) => m.to === '+972521112233' && m.template === 'recovery.sms');
    assert.ok(sms, 'the code went to the mobile on record');
    const done = await client.press(answer.flow, 'verify', { code: /\d{6}/.exec(toLatinDigits(sms.text))![0], password: NEW, repeat: NEW });
    assert.equal(done.flow.state, 'done', done.response.body);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: YAEL, password: NEW } })).statusCode, 201);
  });

  test('a wrong answer, the wrong question, an account with no question, an unknown ID: the same answer as a match, and no SMS', async () => {
    const before = (await outbox()).length;
    const shapes = [];
    for (const [i, fields] of [
      { nationalId: YAEL, question: 'first_school', answer: 'Herzliya Gymnasium' },
      { nationalId: YAEL, question: 'first_school', answer: 'Another school' },
      { nationalId: YAEL, question: 'first_teacher', answer: 'Herzliya Gymnasium' },
      { nationalId: NO_QUESTION, question: 'first_school', answer: 'Herzliya Gymnasium' },
      { nationalId: UNKNOWN, question: 'first_school', answer: 'Herzliya Gymnasium' },
    ].entries()) {
      const { answer } = await ask(fields, `198.51.100.${20 + i}`);
      shapes.push([answer.status, answer.flow.state, answer.flow.form]);
    }
    for (const shape of shapes.slice(1)) assert.deepEqual(shape, shapes[0]);
    assert.equal((await outbox()).length - before, 1, 'only the match got a code');
  });

  test('the form names what is missing: the question, an answer too short', async () => {
    const { answer } = await ask({ nationalId: YAEL, question: '', answer: 'x' }, '198.51.100.40');
    assert.deepEqual(errorCodes(answer.flow), { question: ['set_password.question_required'], answer: ['set_password.answer_too_short'] });
    const { answer: forged } = await ask({ nationalId: YAEL, question: 'mother_maiden_name', answer: 'whatever' }, '198.51.100.41');
    assert.deepEqual(errorCodes(forged.flow), { question: ['set_password.question_required'] });
  });
});
