// Attacks on the ways in (issue 11) found by a security review (each one failed before its fix):
// a program solving the security image through its sum at scale, strangers using up the owner's code
// sign-in; and what held (an answered image used twice).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openImageChallenge, sealKey } from '../../src/captcha/image-challenge.ts';
import { deriveKeys } from '../../src/secrets.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor } from '../helpers/fixtures.ts';
import { errorCodes, flowClient } from '../helpers/flow-client.ts';

const OWNER = { nationalId: nationalIdFor(6301), mobile: '+989121119999' };

describe('attack: ways in', () => {
  let t: TestApp;
  let ownerUserCode = '';
  before(async () => {
    t = await startTestApp('pglite', { KELID_SMS: 'dev', KELID_EMAIL: 'dev' });
    const tree = await createTree(t.handle.db);
    ownerUserCode = (await createAccount(t.handle.db, t.hasher, {
      nationalId: OWNER.nationalId, password: 'Owner-Pass-1405!', mobile: OWNER.mobile, email: 'owner@example.org',
      memberships: [{ organizationId: tree.schoolA, role: 'father', startsOn: '2025-09-01', endsOn: null }],
    })).userCode;
  });
  after(() => t.close());

  test('a program reading the security image\'s sum gets past it a few times an hour from one address, never at scale', async () => {
    const bySum = async (ip: string, n: number) => {
      const issued = (await t.app.inject({ url: '/api/v1/captcha?kind=image', headers: { 'accept-language': 'en' } })).json<{ id: string; question: string | null }>();
      assert.ok(issued.question, 'the sum is asked by default, for people who cannot see the image');
      const sum = /sum of (\d+) and (\d+)/.exec(issued.question)!.slice(1).reduce((a, b) => a + Number(b), 0);
      // A bot asks for emailed recovery links (a different person each time): the captcha is what is in its way.
      const client = flowClient(t.app, { ip });
      const start = await client.start('recovery', '?by=email');
      return client.send(start.id, { action: 'send_link', identifier: nationalIdFor(6400 + n), email: 'x@example.org', captcha: String(sum), captchaId: issued.id });
    };
    for (let n = 0; n < 5; n++) assert.equal((await bySum('198.51.100.7', n)).status, 200, `sum ${n + 1} of the hour`);
    const sixth = await bySum('198.51.100.7', 5);
    assert.equal(sixth.status, 422, 'the sixth sum of the hour from that address is refused');
    assert.deepEqual(errorCodes(sixth.flow), { captcha: ['captcha.invalid'] });
    // The same /64 of IPv6 is one address; another address has its own few.
    assert.equal((await bySum('2001:db8:1:2::7', 6)).status, 200);
    for (let n = 7; n < 11; n++) await bySum(`2001:db8:1:2::${n}`, n);
    assert.equal((await bySum('2001:db8:1:2:ffff::1', 11)).status, 422, 'the /64 counted as one');
  });

  test('an answered security image cannot be used twice', async () => {
    const issued = (await t.app.inject({ url: '/api/v1/captcha?kind=image', headers: { 'accept-language': 'en' } })).json<{ id: string; question: string }>();
    // The digits as a person reads them from the image (only the server's key opens the id).
    const sum = openImageChallenge(sealKey(deriveKeys(t.config.secret!).captcha), issued.id)!.digits;
    const client = flowClient(t.app, { ip: '198.51.100.8' });
    const first = await client.start('recovery', '?by=email');
    await client.send(first.id, { action: 'send_link', identifier: nationalIdFor(6399), email: 'x@example.org', captcha: String(sum), captchaId: issued.id });
    const second = await client.start('recovery', '?by=email');
    const replay = await client.send(second.id, { action: 'send_link', identifier: nationalIdFor(6398), email: 'y@example.org', captcha: String(sum), captchaId: issued.id });
    assert.equal(replay.status, 422);
    assert.ok(JSON.stringify(errorCodes(replay.flow)).includes('captcha'), JSON.stringify(errorCodes(replay.flow)));
  });

  test('strangers cannot lock the owner out of code sign-in on the owner\'s own phone; the national ID and the user code are one budget', async () => {
    const ask = async (ip: string, identifier: string, extra: Record<string, string> = {}) => {
      const client = flowClient(t.app, { ip });
      // The device token travels beside the form's fields, as an app sends it (api/flows.ts).
      const answer = await client.send((await client.start('otp-login')).id, { action: 'send_sms', identifier, ...extra });
      return { status: answer.status, errors: errorCodes(answer.flow) };
    };
    // The owner's phone signed in before: it holds a device token.
    const signedIn = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: OWNER.nationalId, password: 'Owner-Pass-1405!' }, remoteAddress: '192.0.2.10' });
    const deviceToken = signedIn.json<{ deviceToken: string }>().deviceToken;
    assert.ok(deviceToken);
    // Strangers ask codes for the owner, by national ID and by user code, from two addresses: the per-person ceiling (10 an hour).
    for (let i = 0; i < 5; i++) await ask('203.0.113.50', OWNER.nationalId);
    for (let i = 0; i < 5; i++) await ask('203.0.113.51', ownerUserCode);
    const stranger = await ask('203.0.113.52', ownerUserCode.toLowerCase());
    assert.equal(stranger.status, 422, 'the ceiling counts the person, whichever identifier names them');
    assert.ok(JSON.stringify(stranger.errors).includes('otp.too_many'));
    const codesToOwner = async () => ((await t.app.inject('/dev/outbox.json')).json() as { to: string; template: string }[])
      .filter((m) => m.to === OWNER.mobile && m.template === 'sign_in.code.sms').length;
    const before = await codesToOwner();
    const owner = await ask('192.0.2.10', OWNER.nationalId, { deviceToken });
    assert.deepEqual(owner, { status: 200, errors: {} }, 'the owner, on the phone that signed in before, still gets a code');
    // Really sent: the strangers' requests spent the phone's count for strangers (KELID_SEND_PER_RECIPIENT_PER_HOUR, 5), not the owner's own.
    assert.equal(await codesToOwner(), before + 1, 'the code left for the owner\'s phone');
    // A token of someone else's account is no pass for this one.
    const forged = await ask('203.0.113.53', OWNER.nationalId, { deviceToken: deviceToken.replace(/^[0-9a-f-]{36}/, '00000000-0000-4000-8000-000000000000') });
    assert.equal(forged.status, 422);
  });
});
