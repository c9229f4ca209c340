// Overload (issue 12) is not a weapon: one client address holds at most its share of the
// password-hash queue (KELID_HASH_QUEUE_PER_ADDRESS). A place is taken before the lockout
// rules, the address's failure limit and the captcha are looked at, and the address's failures
// are counted after the hash; without a share, one address's burst of sign-ins (unknown
// identifiers, or attempts all answered "captcha required") held every place, and the owner,
// from elsewhere, was answered 503 for the right password.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { newUserCode } from '../../src/identity/accounts.ts';
import { createAgent, csrfTokenOf } from '../helpers/agent.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, nationalIdFor } from '../helpers/fixtures.ts';

const PASSWORD = 'Sahar-Mehr-1404!';
const ATTACKER = '203.0.113.7';
const OWNER = '198.51.100.1';

describe('one address\'s share of the hash queue', () => {
  let t: TestApp;
  let owner: { nationalId: string; accountId: string };

  before(async () => {
    // One hash at a time, twenty may wait, each slow; one address may hold two places.
    t = await startTestApp('postgres', {
      KELID_TRUST_PROXY: '1', KELID_HASH_CONCURRENCY: '1', KELID_HASH_QUEUE_MAX: '20', KELID_HASH_QUEUE_PER_ADDRESS: '2',
      KELID_ARGON2_MEMORY_KIB: '8192', KELID_ARGON2_ITERATIONS: '30',
    });
    const nationalId = nationalIdFor(9201);
    owner = { nationalId, accountId: (await createAccount(t.handle.db, t.hasher, { nationalId, password: PASSWORD })).accountId };
  });
  after(() => t.close());

  const signIn = (from: string, identifier: string, password: string) => t.app.inject({
    method: 'POST', url: '/api/v1/sessions', payload: { identifier, password }, headers: { 'accept-language': 'en', 'x-forwarded-for': from },
  });

  test('a burst from one address takes two places; the rest of it is refused, and the owner elsewhere signs in', async () => {
    const burst = Array.from({ length: 30 }, () => signIn(ATTACKER, newUserCode(), 'Wrong-Password-1'));
    for (let i = 0; i < 2000 && t.hasher.load().running === 0; i++) await sleep(2);
    const theOwner = await signIn(OWNER, owner.nationalId, PASSWORD);
    assert.equal(theOwner.statusCode, 201, theOwner.body);

    const answers = await Promise.all(burst);
    const statuses = answers.map((answer) => answer.statusCode);
    assert.equal(statuses.filter((status) => status === 401).length, 2, `two checked: ${statuses.join(' ')}`);
    assert.equal(statuses.filter((status) => status === 503).length, 28);
    for (const answer of answers.filter((a) => a.statusCode === 503)) assert.ok(Number(answer.headers['retry-after']) >= 1);
    const failed = await t.handle.db.selectFrom('audit_events').select('id').where('type', '=', 'sign_in.failed').where('ip', '=', ATTACKER).execute();
    assert.equal(failed.length, 2, 'only the two checked were counted: the refused ones wrote nothing');
  });

  test('the sign-in page likewise: an attempt past the address\'s share is a 503 that writes nothing, not even its flow', async () => {
    const agent = createAgent(t.app);
    const from = { 'x-forwarded-for': ATTACKER, 'accept-language': 'fa' };
    const form = await agent.get('/sign-in', from);
    const flows = async () => (await t.handle.db.selectFrom('flows').select('id').where('kind', '=', 'login').execute()).length;
    const before = await flows();
    const answers = await Promise.all(Array.from({ length: 10 }, () =>
      agent.post('/sign-in', { _csrf: csrfTokenOf(form.body), identifier: newUserCode(), password: 'Wrong-Password-1' }, from)));
    const shed = answers.filter((answer) => answer.statusCode === 503);
    // Two places at a time for ten at once: most are shed (how many, the hashes' pace decides: a place freed mid-burst is taken again).
    assert.ok(shed.length >= 1 && answers.every((answer) => answer.statusCode === 503 || answer.statusCode === 400), `shed: ${answers.map((answer) => answer.statusCode).join(' ')}`);
    for (const answer of shed) {
      assert.ok(Number(answer.headers['retry-after']) >= 1);
      assert.match(answer.body, /<html lang="fa"/);
    }
    assert.equal(await flows() - before, answers.length - shed.length, 'a flow for each attempt checked, none for those refused');
  });

  test('places come back when the address\'s attempts end', async () => {
    const answer = await signIn(ATTACKER, newUserCode(), 'Wrong-Password-1');
    assert.equal(answer.statusCode, 401);
    assert.equal(t.hasher.load().waiting, 0);
  });
});
