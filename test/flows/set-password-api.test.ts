// Set password from an emailed link (F19) through the JSON API, driven by the generic flow
// client: an administrator sends the link, the person opens it (the token is the first step),
// types their national ID, chooses a password twice, an identification question and its
// answer and an email, and signs in with the permanent user code. Only the newest link works;
// a used, expired, replaced or voided link says so and offers a new one by email.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkIdentificationAnswer, identificationQuestion } from '../../src/identity/identification-answers.ts';
import { deleteOldInvitations } from '../../src/identity/invitations.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor, type Tree } from '../helpers/fixtures.ts';
import { buttonsOf, errorCodes, flowClient, type FlowJson } from '../helpers/flow-client.ts';
import { invitedPerson, linkFor, newestTo, outbox } from '../helpers/set-password.ts';

const PRINCIPAL_PASSWORD = 'Modir-Madreseh-1404!';
const NEW_PASSWORD = 'Baran-Golnar-1405#';
const persian = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d)));

describe('set password from an emailed link: the JSON API', () => {
  let t: TestApp;
  let tree: Tree;
  let principal: string;
  let n = 0;
  const client = () => flowClient(t.app, { locale: 'en' });

  before(async () => {
    t = await startTestApp('postgres', {
      KELID_ADMIN_MFA: 'optional', KELID_SMS: 'dev', KELID_EMAIL: 'dev', KELID_SEND_PER_RECIPIENT_PER_HOUR: '1000', KELID_SEND_PER_ADDRESS_PER_HOUR: '1000',
    });
    tree = await createTree(t.handle.db);
    await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(1), password: PRINCIPAL_PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'principal' }] });
    principal = (await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: nationalIdFor(1), password: PRINCIPAL_PASSWORD } })).json().token;
  });
  after(() => t.close());

  /** A parent of school A with an address and no password, invited by the principal. */
  async function invite(options: { email?: string } = {}) {
    const nationalId = nationalIdFor(500 + n++);
    const email = options.email ?? `parent${n}@example.org`;
    const person = await invitedPerson(t.handle.db, { nationalId, email, organizationId: tree.schoolA });
    const sent = await send(person.accountId);
    assert.equal(sent.statusCode, 202, sent.body);
    return { ...person, nationalId, email, link: await linkFor(t.app, email) };
  }
  const send = (accountId: string, token = principal) =>
    t.app.inject({ method: 'POST', url: `/api/v1/admin/users/${accountId}/invitations`, headers: { authorization: `Bearer ${token}`, 'accept-language': 'en' } });

  /** A new flow with the link's token as its first step. */
  async function open(token: string): Promise<FlowJson> {
    const c = client();
    const started = await c.start('set-password');
    assert.equal(started.state, 'token');
    return (await c.press(started, 'submit', { token })).flow;
  }

  const choice = (email: string) => ({ password: NEW_PASSWORD, repeat: NEW_PASSWORD, question: 'father_birth_city', answer: '  Mashhad ۱۲  ', email });

  test('the whole way: link, token, national ID, password and question and email, the user code by email, then sign-in', async () => {
    const person = await invite();
    // A session the person had before (a temporary password handed out once) ends with the new password.
    await t.handle.db.insertInto('credentials').values({ account_id: person.accountId, password_hash: await t.hasher.hash('Old-Temp-1404!'), must_change: true }).execute();
    const old = (await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: person.nationalId, password: 'Old-Temp-1404!' } })).json().token;

    const sentTo = await send(person.accountId);
    assert.deepEqual(Object.keys(sentTo.json()).sort(), ['expiresAt', 'to']);
    assert.equal(sentTo.json().to, person.email);
    assert.equal(Date.parse(sentTo.json().expiresAt) - t.clock.now().getTime(), 72 * 3_600_000, 'the link works 72 hours by default');
    const { token } = await linkFor(t.app, person.email);

    const c = client();
    const started = await c.start('set-password');
    assert.deepEqual(started.form.fields.map((f) => f.name), ['token', 'action']);
    const identify = await c.press(started, 'submit', { token });
    assert.equal(identify.status, 200);
    assert.equal(identify.flow.state, 'identify');
    assert.ok(!JSON.stringify(identify.flow).includes(person.email), 'nothing about the account shows before its national ID');

    const wrong = await c.press(identify.flow, 'confirm', { nationalId: nationalIdFor(9999) });
    assert.equal(wrong.status, 422);
    assert.deepEqual(errorCodes(wrong.flow), { nationalId: ['set_password.id_mismatch'] });
    assert.match(wrong.flow.form.fields[0]!.errors[0]!.message, /4 tries left/);
    const malformed = await c.press(wrong.flow, 'confirm', { nationalId: '12345' });
    assert.deepEqual(errorCodes(malformed.flow), { nationalId: ['national_id.format'] }, 'a malformed ID is a typo, not a try');

    // Persian digits, spaces and a dash, as a phone keyboard types them.
    const typed = persian(`${person.nationalId.slice(0, 3)} ${person.nationalId.slice(3, 9)}-${person.nationalId.slice(9)}`);
    const choose = await c.press(malformed.flow, 'confirm', { nationalId: typed });
    assert.equal(choose.status, 200, JSON.stringify(errorCodes(choose.flow)));
    assert.equal(choose.flow.state, 'choose');
    const fields = Object.fromEntries(choose.flow.form.fields.map((f) => [f.name, f]));
    assert.equal(fields.email?.value, person.email, 'the email is the one the link went to');
    assert.deepEqual(fields.question?.options?.map((o) => o.value), ['', 'first_school', 'first_teacher', 'childhood_friend', 'childhood_street', 'father_birth_city']);
    assert.ok(choose.flow.form.messages.some((m) => m.code === 'set_password.policy' && m.message.endsWith('/password-policy')), 'a link to the policy');

    const weak = await c.press(choose.flow, 'save', { password: 'short', repeat: 'other', question: 'nope', answer: ' ', email: 'not-an-email' });
    assert.equal(weak.status, 422);
    assert.deepEqual(Object.keys(errorCodes(weak.flow)).sort(), ['answer', 'email', 'password', 'question', 'repeat']);
    assert.equal(weak.flow.form.fields.find((f) => f.name === 'question')?.value, '', 'an unknown question is not kept');

    // Someone guessing locked the account meanwhile: the new password lifts the lock.
    await t.handle.db.insertInto('sign_in_failures').values({ key: `account:${person.accountId}`, failures: 10, last_failed_at: t.clock.now(), locked_until: new Date(t.clock.now().getTime() + 15 * 60_000) }).execute();
    const done = await c.press(weak.flow, 'save', choice(person.email));
    assert.equal(done.status, 200, JSON.stringify(errorCodes(done.flow)));
    assert.equal(done.flow.state, 'done');
    assert.ok(!done.flow.form.fields.some((f) => f.name === 'action'), 'nothing left to press');
    const codes = done.flow.form.messages.map((m) => m.code);
    assert.deepEqual(codes, ['set_password.saved', 'set_password.your_user_code', 'set_password.user_code_permanent', 'set_password.sign_in_now']);
    assert.equal(done.flow.form.messages[0]!.message, 'Your details were saved successfully!');
    const userCode = `${person.userCode.slice(0, 4)}-${person.userCode.slice(4)}`;
    assert.match(done.flow.form.messages[1]!.message, new RegExp(userCode));

    const confirmation = await newestTo(t.app, person.email, 'set_password.done.email');
    assert.ok(confirmation, 'a confirmation email');
    assert.match(confirmation.text, new RegExp(userCode));
    assert.match(confirmation.text, /permanent and cannot be changed/);

    const signIn = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: userCode, password: NEW_PASSWORD } });
    assert.equal(signIn.statusCode, 201, signIn.body);
    assert.equal(signIn.json().mustChangePassword, false, 'must_change is cleared');
    const oldSession = await t.app.inject({ url: '/api/v1/sessions', headers: { authorization: `Bearer ${old}` } });
    assert.equal(oldSession.statusCode, 401, 'the sessions of before are over');

    // The answer is stored hashed and checked normalized: case, spaces, Persian digits.
    const stored = await t.handle.db.selectFrom('identification_answers').selectAll().where('account_id', '=', person.accountId).executeTakeFirstOrThrow();
    assert.match(stored.answer_hash, /^\$argon2id\$/);
    assert.ok(!stored.answer_hash.toLowerCase().includes('mashhad'));
    assert.equal(await identificationQuestion(t.handle.db, person.accountId), 'father_birth_city');
    assert.equal(await checkIdentificationAnswer(t.handle.db, t.hasher, person.accountId, 'MASHHAD 12'), true);
    assert.equal(await checkIdentificationAnswer(t.handle.db, t.hasher, person.accountId, 'mashhad\u200c۱۲'), true);
    assert.equal(await checkIdentificationAnswer(t.handle.db, t.hasher, person.accountId, 'Tehran 12'), false);
    const account = await t.handle.db.selectFrom('accounts').select(['email', 'email_verified_at']).where('id', '=', person.accountId).executeTakeFirstOrThrow();
    assert.deepEqual(account, { email: person.email, email_verified_at: t.clock.now() }, 'the link proved the address');
    const audit = await t.handle.db.selectFrom('audit_events').select('type').where('subject_account_id', '=', person.accountId).execute();
    assert.ok(audit.some((e) => e.type === 'invitation.sent') && audit.some((e) => e.type === 'password.set_by_link'));
    assert.ok(audit.some((e) => e.type === 'sign_in.unlocked'), 'the lock lifted, audited');
  });

  test('a used link is refused, says so, and offers a new one by email (to the address on record, once a minute)', async () => {
    const person = await invite();
    const c = client();
    const first = await c.press((await c.press(await open(person.link.token), 'confirm', { nationalId: person.nationalId })).flow, 'save', choice(person.email));
    assert.equal(first.flow.state, 'done');

    const replay = await open(person.link.token);
    assert.equal(replay.state, 'link_unusable');
    assert.deepEqual(replay.form.messages.map((m) => m.code), ['set_password.link_used']);
    assert.deepEqual([...buttonsOf(replay).keys()], ['new_link']);
    const before = (await outbox(t.app)).filter((m) => m.template === 'invitation.email').length;
    const asked = await c.press(replay, 'new_link');
    assert.equal(asked.status, 200);
    assert.ok(asked.flow.form.messages.some((m) => m.code === 'set_password.new_link_sent'));
    assert.equal(buttonsOf(asked.flow).get('new_link')?.available, false);
    assert.ok((buttonsOf(asked.flow).get('new_link')?.waitSeconds ?? 0) > 0, 'the button waits');
    const again = await c.press(asked.flow, 'new_link');
    assert.equal(again.status, 422);
    assert.deepEqual(errorCodes(again.flow), { _form: ['set_password.link_used', 'set_password.new_link_wait'] });
    const fresh = await linkFor(t.app, person.email);
    assert.notEqual(fresh.token, person.link.token);
    assert.equal((await outbox(t.app)).filter((m) => m.template === 'invitation.email').length, before + 1);
    assert.equal((await open(fresh.token)).state, 'identify', 'the new link works');
  });

  test('only the newest link works; an expired link says so (the clock moved past 72 hours)', async () => {
    const person = await invite();
    const older = person.link;
    await send(person.accountId);
    const newer = await linkFor(t.app, person.email);
    const replaced = await open(older.token);
    assert.equal(replaced.state, 'link_unusable');
    assert.deepEqual(replaced.form.messages.map((m) => m.code), ['set_password.link_replaced']);
    assert.equal((await open(newer.token)).state, 'identify');

    // A flow opened in time does not outlive its link either.
    const moved = 72 * 3_600_000 - 10 * 60_000;
    t.clock.advance(moved);
    try {
      const inTime = await open(newer.token);
      assert.equal(inTime.state, 'identify', 'ten minutes before the end, the link still opens');
      t.clock.advance(20 * 60_000);
      const expired = await open(newer.token);
      assert.equal(expired.state, 'link_unusable');
      assert.deepEqual(expired.form.messages.map((m) => m.code), ['set_password.link_expired']);
      const stale = await client().press(inTime, 'confirm', { nationalId: person.nationalId });
      assert.equal(stale.flow.state, 'link_unusable', 'the open flow finds its link expired');
      assert.ok(buttonsOf(stale.flow).has('new_link'));
    } finally {
      t.clock.advance(-(moved + 20 * 60_000));
    }
    // Housekeeping keeps a dead link 90 days past its expiry (it still offers a new one), then it is no link.
    assert.ok(await deleteOldInvitations(t.handle.db, new Date(t.clock.now().getTime() + (72 + 91 * 24) * 3_600_000)) >= 2);
    const c = client();
    const gone = await c.press(await c.start('set-password'), 'submit', { token: newer.token });
    assert.deepEqual(errorCodes(gone.flow), { token: ['set_password.link_invalid'] });
  });

  test('a password set since the link was sent ends it, whoever set it (an administrator\'s reset; its owner\'s change, with a flow already open); the new link works', async () => {
    const person = await invite();
    const reset = await t.app.inject({ method: 'POST', url: `/api/v1/admin/users/${person.accountId}/password-reset`, headers: { authorization: `Bearer ${principal}` } });
    assert.equal(reset.statusCode, 200, reset.body);
    const afterReset = await open(person.link.token);
    assert.equal(afterReset.state, 'link_unusable');
    assert.deepEqual(afterReset.form.messages.map((m) => m.code), ['set_password.link_password_changed']);
    assert.ok(buttonsOf(afterReset).has('new_link'));

    // A new link, opened and confirmed; then the owner changes the password elsewhere: the open flow cannot save.
    await send(person.accountId);
    const fresh = await linkFor(t.app, person.email);
    const c = client();
    const confirmed = await c.press(await open(fresh.token), 'confirm', { nationalId: person.nationalId });
    assert.equal(confirmed.flow.state, 'choose');
    const temporary = reset.json().temporaryPassword as string;
    t.clock.advance(1000);
    const signedIn = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: person.nationalId, password: temporary } });
    assert.equal(signedIn.statusCode, 201, signedIn.body);
    const session = signedIn.json().token as string;
    const changing = await t.app.inject({ method: 'POST', url: '/api/v1/flows/change-password', headers: { authorization: `Bearer ${session}` } });
    assert.equal(changing.statusCode, 201, changing.body);
    const changed = await t.app.inject({
      method: 'POST', url: `/api/v1/flows/${changing.json().id}`, headers: { authorization: `Bearer ${session}` },
      payload: { action: 'submit', current: temporary, password: 'Owner-Chose-1405!', repeat: 'Owner-Chose-1405!' },
    });
    assert.equal(changed.json().state, 'done', changed.body);
    const saved = await c.press(confirmed.flow, 'save', choice(person.email));
    assert.equal(saved.flow.state, 'link_unusable', 'the link was for the password as it stood');
    assert.deepEqual(saved.flow.form.messages.map((m) => m.code), ['set_password.link_password_changed']);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: person.nationalId, password: NEW_PASSWORD } })).statusCode, 401);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: person.nationalId, password: 'Owner-Chose-1405!' } })).statusCode, 201);
    // A link sent after the change works.
    await send(person.accountId);
    assert.equal((await open((await linkFor(t.app, person.email)).token)).state, 'identify');
  });

  test('a link opened by someone else: a wrong national ID is refused, five void the link for everyone', async () => {
    const person = await invite();
    const owner = await open(person.link.token);
    let stranger = await open(person.link.token);
    for (let i = 0; i < 4; i++) {
      const answer = await client().press(stranger, 'confirm', { nationalId: nationalIdFor(8000 + i) });
      assert.equal(answer.status, 422);
      assert.deepEqual(errorCodes(answer.flow), { nationalId: ['set_password.id_mismatch'] });
      stranger = answer.flow;
    }
    const last = await client().press(stranger, 'confirm', { nationalId: nationalIdFor(8010) });
    assert.equal(last.flow.state, 'link_unusable');
    assert.deepEqual(last.flow.form.messages.map((m) => m.code), ['set_password.link_wrong_ids']);
    const rightful = await client().press(owner, 'confirm', { nationalId: person.nationalId });
    assert.equal(rightful.flow.state, 'link_unusable', 'the right ID no longer opens a voided link');
    assert.equal((await open(person.link.token)).state, 'link_unusable');
    const voided = await t.handle.db.selectFrom('audit_events').select('type').where('subject_account_id', '=', person.accountId).where('type', '=', 'invitation.voided').execute();
    assert.equal(voided.length, 1);
  });

  test('an account with a password cannot set the same one again from a link, as change-password refuses it; another one saves', async () => {
    const nationalId = nationalIdFor(590);
    const email = 'same-again@example.org';
    const person = await invitedPerson(t.handle.db, { nationalId, email, organizationId: tree.schoolA, withPassword: NEW_PASSWORD, hash: (p) => t.hasher.hash(p) });
    assert.equal((await send(person.accountId)).statusCode, 202);
    const link = await linkFor(t.app, email);
    const c = client();
    const choose = (await c.press(await open(link.token), 'confirm', { nationalId })).flow;
    const same = await c.press(choose, 'save', choice(email));
    assert.equal(same.status, 422);
    assert.deepEqual(errorCodes(same.flow), { password: ['password.same_as_current'] });
    assert.equal(same.flow.state, 'choose');
    const other = 'Another-Ramz-1406!';
    const done = await c.press(same.flow, 'save', { ...choice(email), password: other, repeat: other });
    assert.equal(done.flow.state, 'done', JSON.stringify(errorCodes(done.flow)));
  });

  test('another address than the link\'s is proven by a code sent to it before anything is saved', async () => {
    const person = await invite();
    const c = client();
    const choose = (await c.press(await open(person.link.token), 'confirm', { nationalId: person.nationalId })).flow;
    const verify = await c.press(choose, 'save', choice('Other.Parent@Example.org'));
    assert.equal(verify.flow.state, 'verify_email');
    assert.deepEqual([...buttonsOf(verify.flow).keys()], ['verify', 'resend', 'edit']);
    assert.equal(await t.handle.db.selectFrom('credentials').select('account_id').where('account_id', '=', person.accountId).executeTakeFirst(), undefined, 'nothing saved yet');
    const wrong = await c.press(verify.flow, 'verify', { code: '000000' });
    assert.equal(wrong.status, 422);
    const message = await newestTo(t.app, 'other.parent@example.org', 'email_change.code');
    const code = /\d{6}/.exec(message?.text ?? '')?.[0] ?? '';
    const done = await c.press(wrong.flow, 'verify', { code });
    assert.equal(done.flow.state, 'done', JSON.stringify(errorCodes(done.flow)));
    const account = await t.handle.db.selectFrom('accounts').select(['email', 'email_verified_at']).where('id', '=', person.accountId).executeTakeFirstOrThrow();
    assert.deepEqual(account, { email: 'other.parent@example.org', email_verified_at: t.clock.now() });
    assert.ok(await newestTo(t.app, 'other.parent@example.org', 'set_password.done.email'), 'the confirmation goes to the address now on record');
  });

  test('edit goes back to the choice with the typed address; a QR token or a recovery link is no invitation, and an invitation no recovery link', async () => {
    const person = await invite();
    const c = client();
    const choose = (await c.press(await open(person.link.token), 'confirm', { nationalId: person.nationalId })).flow;
    const verify = (await c.press(choose, 'save', choice('typo@exmaple.org'))).flow;
    const back = await c.press(verify, 'edit');
    assert.equal(back.flow.state, 'choose');
    assert.equal(back.flow.form.fields.find((f) => f.name === 'email')?.value, 'typo@exmaple.org');

    // The invitation's token is no QR sign-in token, and a QR token is no invitation.
    assert.ok((await t.app.inject({ url: `/q/${person.link.token}` })).statusCode >= 400);
    const qr = 'q'.repeat(43);
    await t.handle.db.insertInto('sign_in_tokens').values({ token_hash: (await import('node:crypto')).createHash('sha256').update(qr).digest(), account_id: person.accountId, expires_at: new Date(t.clock.now().getTime() + 3_600_000) }).execute();
    const started = await c.start('set-password');
    const refused = await c.press(started, 'submit', { token: qr });
    assert.equal(refused.status, 422);
    assert.deepEqual(errorCodes(refused.flow), { token: ['set_password.link_invalid'] });
    // The whole link pasted instead of its token works too.
    const pasted = await c.press(refused.flow, 'submit', { token: person.link.url });
    assert.equal(pasted.flow.state, 'identify');
    // Recovery's emailed link is no invitation, and an invitation is no recovery link.
    const recoveryLink = `${t.config.publicUrl}/recover/link?token=${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}.${person.link.token}`;
    const notOurs = await c.press(await c.start('set-password'), 'submit', { token: recoveryLink });
    assert.deepEqual(errorCodes(notOurs.flow), { token: ['set_password.link_invalid'] });
    const page = await t.app.inject({ url: `/recover/link?token=${person.link.token}` });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const cookie = page.cookies.map((k) => `${k.name}=${k.value}`).join('; ');
    const opened = await t.app.inject({
      method: 'POST', url: '/recover/link', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf, token: person.link.token }).toString(),
    });
    assert.equal(opened.statusCode, 410, 'recovery refuses an invitation\'s token');
    assert.equal((await open(person.link.token)).state, 'identify', 'and the invitation still works');
  });

  test('hostile input: malformed text, very long values and wrong JSON types are a 422 with the flow, never a 500', async () => {
    const person = await invite();
    const c = client();
    const started = await c.start('set-password');
    for (const payload of [
      { action: 'submit', token: 'ab\ud800cd' }, { action: 'submit', token: 'x'.repeat(5000) }, { action: 'submit', token: 42 }, { action: 'submit', token: ['a'] },
      { action: 'submit', token: { $gt: '' } }, { action: ['submit'] }, 'token', [1, 2], null,
    ]) {
      const answer = await c.send(started.id, payload);
      assert.equal(answer.status, 422, JSON.stringify(payload));
      assert.equal(answer.flow.id, started.id);
      assert.equal(answer.flow.state, 'token');
    }
    const raw = await t.app.inject({ method: 'POST', url: `/api/v1/flows/${started.id}`, headers: { 'content-type': 'application/json' }, payload: '{"token": "\\udc00", "action": "submit"}' });
    assert.equal(raw.statusCode, 422);
    const pressed = await c.send(started.id, { action: 'confirm', nationalId: person.nationalId });
    assert.deepEqual(errorCodes(pressed.flow), { _form: ['flow.action_not_allowed'] }, 'a button the step does not offer');
    const identify = await open(person.link.token);
    const long = await c.send(identify.id, { action: 'confirm', nationalId: '۱'.repeat(3000) });
    assert.equal(long.status, 422);
    const choose = (await c.press(identify, 'confirm', { nationalId: person.nationalId })).flow;
    for (const payload of [
      { ...choice(person.email), answer: 'ا'.repeat(4000) }, { ...choice(person.email), password: 'P'.repeat(5000) }, { ...choice(person.email), question: 7 },
      { ...choice(person.email), email: `${'a'.repeat(300)}@example.org` }, { ...choice(person.email), answer: '\u0000x' },
    ]) {
      const answer = await c.send(choose.id, { action: 'save', ...payload });
      assert.equal(answer.status, 422, JSON.stringify(payload).slice(0, 80));
      assert.equal(answer.flow.state, 'choose');
    }
    assert.equal(await t.handle.db.selectFrom('credentials').select('account_id').where('account_id', '=', person.accountId).executeTakeFirst(), undefined, 'nothing was saved');
  });
});
