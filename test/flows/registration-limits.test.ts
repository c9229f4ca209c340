// Registration's lookups in the civil registry have limits (an attacker review): what a lookup
// answers tells whether a national ID has an account (F12 requires it), and whether a name and
// birth date are the registry's, so without a ceiling per person anyone with a captcha solver
// could read someone's birth date out of the form. Every lookup counts, whatever it finds; a
// person's count from one address stops there, and a higher ceiling from everywhere; the
// refusal is the same whatever the registry holds.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { easyCaptcha, solvedPayload } from '../captcha/solve.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, nationalIdFor } from '../helpers/fixtures.ts';

const PASSWORD = 'Sara-Mehr-1404!';

describe('registration lookup limits', () => {
  let t: TestApp;
  const listed = nationalIdFor(7101);
  const registered = nationalIdFor(7102);
  before(async () => {
    t = await startTestApp('pglite', { ...easyCaptcha, KELID_SMS: 'dev', KELID_EMAIL: 'dev', KELID_REGISTRATION_PER_ID_PER_HOUR: '3', KELID_REGISTRATION_PER_ID_ALL_PER_HOUR: '5', KELID_REGISTRATION_PER_ID_PER_DAY: '7', KELID_SEND_PER_RECIPIENT_PER_HOUR: '100', KELID_SEND_PER_ADDRESS_PER_HOUR: '1000' });
    await t.handle.db.insertInto('people').values({ national_id: listed, first_name: 'سارا', last_name: 'احمدی', birth_date: '2005-09-06' }).execute();
    await createAccount(t.handle.db, t.hasher, { nationalId: registered, password: PASSWORD });
  });
  after(() => t.close());

  /** One submission of the details form for `nationalId` (a wrong birth date: a guess) from `ip`; the messages at the top. */
  const guess = async (nationalId: string, ip: string, birthDate = '1384/06/14') => {
    const post = (url: string, payload: Record<string, string> = {}) => t.app.inject({ method: 'POST', url, payload, remoteAddress: ip, headers: { 'accept-language': 'fa' } });
    const { id } = (await post('/api/v1/flows/registration')).json() as { id: string };
    await post(`/api/v1/flows/${id}`, { accept: 'yes' });
    const answer = await post(`/api/v1/flows/${id}`, {
      nationality: 'citizen', firstName: 'سارا', lastName: 'احمدی', nationalId, birthDate, mobile: '09123456789', email: 'sara@example.org',
      password: PASSWORD, repeat: PASSWORD, captcha: await solvedPayload(t.app),
    });
    const form = (answer.json() as { form: { messages: { code: string }[]; fields: { name: string; errors: { code: string }[] }[] } }).form;
    return [...form.messages.map((m) => m.code), ...form.fields.flatMap((f) => f.errors.map((e) => `${f.name}:${e.code}`))];
  };

  test('three lookups of one person from one address, then the refusal, whatever the registry holds; another person goes on', async () => {
    for (const [nationalId, found] of [[listed, 'registry.mismatch'], [registered, 'national_id.already_registered']] as const) {
      for (let i = 0; i < 3; i++) assert.deepEqual(await guess(nationalId, '198.51.100.10'), [found], `${nationalId} try ${i + 1}`);
      assert.deepEqual(await guess(nationalId, '198.51.100.10'), ['registration.too_many'], `${nationalId}: the fourth`);
    }
    assert.deepEqual(await guess(nationalIdFor(7103), '198.51.100.10'), ['nationalId:registry.not_found'], 'someone else from the same address');
  });

  test('from other addresses, a person\'s ceiling: past it the right details are refused too, and the refusal says when to try again', async () => {
    const person = nationalIdFor(7104);
    await t.handle.db.insertInto('people').values({ national_id: person, first_name: 'سارا', last_name: 'احمدی', birth_date: '2005-09-06' }).execute();
    for (let i = 0; i < 5; i++) assert.deepEqual(await guess(person, `203.0.113.${i + 1}`), ['registry.mismatch']);
    assert.deepEqual(await guess(person, '203.0.113.99', '1384/06/15'), ['registration.too_many'], 'the right birth date, past the ceiling: no answer about it');
    const flow = await t.app.inject({ method: 'POST', url: '/api/v1/flows/registration', remoteAddress: '203.0.113.98' });
    assert.equal(flow.statusCode, 201, 'starting is not refused: only the lookups are counted');
  });

  test('an hour later the hourly ceilings have room again; the day\'s does not, and says to try tomorrow', async () => {
    const person = nationalIdFor(7105);
    await t.handle.db.insertInto('people').values({ national_id: person, first_name: 'سارا', last_name: 'احمدی', birth_date: '2005-09-06' }).execute();
    for (let i = 0; i < 5; i++) assert.deepEqual(await guess(person, `192.0.2.${i + 1}`), ['registry.mismatch']);
    assert.deepEqual(await guess(person, '192.0.2.50'), ['registration.too_many']);
    t.clock.advance(61 * 60_000);
    assert.deepEqual(await guess(person, '192.0.2.51'), ['registry.mismatch'], 'the seventh lookup today (the refused one counted too)');
    assert.deepEqual(await guess(person, '192.0.2.52'), ['registration.too_many_today'], 'the eighth');
    t.clock.advance(24 * 60 * 60_000);
    assert.deepEqual(await guess(person, '192.0.2.53'), ['registry.mismatch'], 'the next day');
  });
});
