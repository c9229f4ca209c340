// Code sign-in's budget for the devices that signed in before is one for all of them (found by
// the second security review: per device, whoever once had the password could collect tokens
// and multiply the ceiling on the owner's phone). Device tokens are minted at every sign-in
// from a browser without one, so three sign-ins give three; the phone still hears at most the
// two ceilings (known devices', everyone else's) an hour.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor } from '../helpers/fixtures.ts';
import { errorCodes, flowClient } from '../helpers/flow-client.ts';

const MOBILE = '+989121118201';
const PASSWORD = 'Parent-Pass-1405!';

describe('code sign-in: device tokens share one budget', () => {
  let t: TestApp;
  const owner = nationalIdFor(8201);
  before(async () => {
    t = await startTestApp('pglite', { KELID_SMS: 'dev', KELID_EMAIL: 'dev', KELID_SEND_PER_RECIPIENT_PER_HOUR: '1000' });
    const tree = await createTree(t.handle.db);
    await createAccount(t.handle.db, t.hasher, { nationalId: owner, password: PASSWORD, mobile: MOBILE, memberships: [{ organizationId: tree.schoolA, role: 'father', startsOn: '2025-09-01', endsOn: null }] });
  });
  after(() => t.close());

  const smsCount = async () => ((await t.app.inject('/dev/outbox.json')).json() as { to: string; template: string }[]).filter((m) => m.to === MOBILE && m.template === 'sign_in.code.sms').length;

  test('three past sign-ins: at most twenty codes an hour to the owner\'s phone (ten for known devices, ten for the rest)', async () => {
    const tokens: string[] = [];
    for (let i = 0; i < 3; i++) {
      const signedIn = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: owner, password: PASSWORD }, remoteAddress: `192.0.2.${200 + i}` });
      assert.equal(signedIn.statusCode, 201, signedIn.body);
      tokens.push(signedIn.json().deviceToken);
    }
    assert.equal(new Set(tokens).size, 3, 'a new device token at each sign-in');
    let ip = 0;
    const ask = async (deviceToken?: string) => {
      const client = flowClient(t.app, { ip: `198.51.100.${ip++}` });
      const flow = await client.start('otp-login');
      const answer = await client.send(flow.id, { identifier: owner, action: 'send_sms', ...(deviceToken ? { deviceToken } : {}) });
      return JSON.stringify(errorCodes(answer.flow));
    };
    const before = await smsCount();
    for (const token of [undefined, ...tokens]) for (let i = 0; i < 11; i++) await ask(token);
    const sent = (await smsCount()) - before;
    assert.equal(sent, 20, `${sent} codes sent to one phone within an hour`);
  });
});
