// Passkeys store what WebAuthn defines, and no more of it (review i9, finding 3): a
// registration's transports are kept only when they are transports (each once), an account
// holds at most ten passkeys (a localized refusal, even for enrolments racing), and a
// credential id that is no base64url never reaches a query.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MAX_PASSKEYS } from '../../src/identity/passkeys.ts';
import { createAgent, csrfTokenOf, type Agent } from '../helpers/agent.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor } from '../helpers/fixtures.ts';
import { registrationResponse } from '../helpers/webauthn.ts';

const PASSWORD = 'Modir-Madreseh-1404!';

describe('passkey limits', () => {
  let t: TestApp;
  let agent: Agent;
  let csrf: string;
  let accountId: string;
  const rp = { id: 'localhost', origin: '' };

  before(async () => {
    t = await startTestApp('pglite', { KELID_ADMIN_MFA: 'optional' });
    rp.origin = new URL(t.config.publicUrl).origin;
    const tree = await createTree(t.handle.db);
    const nationalId = nationalIdFor(4951);
    accountId = (await createAccount(t.handle.db, t.hasher, { nationalId, password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'principal' }] })).accountId;
    agent = createAgent(t.app);
    await agent.submit('/sign-in', { identifier: nationalId, password: PASSWORD });
    csrf = csrfTokenOf((await agent.get('/account/mfa')).body);
  });
  after(() => t.close());

  const postJson = (url: string, body: unknown = {}) => t.app.inject({
    method: 'POST', url, payload: JSON.stringify(body),
    headers: { cookie: [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/json', 'x-csrf-token': csrf},
  });
  const stored = () => t.handle.db.selectFrom('mfa_passkeys').select(['credential_id', 'transports']).where('account_id', '=', accountId).orderBy('created_at').execute();

  test('transports are kept only when WebAuthn defines them, each once', async () => {
    const options = await postJson('/account/passkeys/options');
    assert.equal(options.statusCode, 200, options.body);
    const answer = registrationResponse(options.json(), rp, ['usb', 'bogus', 'usb', 'internal', 'x'.repeat(2000), 42, 'hybrid']);
    const enrolled = await postJson('/account/passkeys', answer);
    assert.deepEqual(enrolled.json(), { ok: true });
    assert.deepEqual((await stored()).map((p) => p.transports), [['usb', 'internal', 'hybrid']]);
  });

  test(`at most ${MAX_PASSKEYS} passkeys an account: the next is refused with a localized message`, async () => {
    while ((await stored()).length < MAX_PASSKEYS - 1) {
      const options = await postJson('/account/passkeys/options');
      assert.deepEqual((await postJson('/account/passkeys', registrationResponse(options.json(), rp))).json(), { ok: true });
    }
    // A ceremony begun with room for one more, finished after another enrolment took the room.
    const late = await postJson('/account/passkeys/options');
    assert.equal(late.statusCode, 200);
    const options = await postJson('/account/passkeys/options');
    assert.deepEqual((await postJson('/account/passkeys', registrationResponse(options.json(), rp))).json(), { ok: true });
    assert.equal((await stored()).length, MAX_PASSKEYS);
    await t.handle.db.updateTable('sessions').set({ webauthn_challenge: late.json().challenge, webauthn_challenge_at: t.clock.now() }).execute();
    const raced = await postJson('/account/passkeys', registrationResponse(late.json(), rp));
    assert.equal(raced.statusCode, 422);
    // A page's JSON speaks the page's language (an English Accept-Language alone does not switch it).
    assert.deepEqual(raced.json().error, { code: 'mfa.passkey_limit', message: 'هر حساب حداکثر ۱۰ کلید عبور می‌تواند داشته باشد.' });
    const refused = await postJson('/account/passkeys/options');
    assert.equal(refused.statusCode, 422);
    assert.equal(refused.json().error.code, 'mfa.passkey_limit');
    assert.equal((await stored()).length, MAX_PASSKEYS);
  });

  test('a credential id that is no base64url is refused before any query', async () => {
    assert.equal((await postJson('/mfa/passkey/options')).statusCode, 200);
    const odd = await postJson('/mfa/passkey', { id: "x' or 1=1 --", rawId: 'x', type: 'public-key', response: {} });
    assert.equal(odd.statusCode, 422);
    assert.equal(odd.json().error.code, 'mfa.passkey_failed');
  });
});
