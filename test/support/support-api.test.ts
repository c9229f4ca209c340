// Support requests through the JSON API (F29), on PGlite and on PostgreSQL: a teacher asks,
// the school's principal answers (the answer goes to the outbox, to the teacher's mobile),
// another school's principal cannot even see it, escalation hands it to the district, and a
// signed-out person asks with a contact and a solved captcha. Hostile input is refused by name.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { easyCaptcha, solvedPayload } from '../captcha/solve.ts';
import { databaseKinds, startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor, type Tree } from '../helpers/fixtures.ts';
import { outbox } from '../helpers/set-password.ts';

const PASSWORD = 'Poshtibani-1405!';
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);

for (const kind of databaseKinds) {
  describe(`support requests API on ${kind}`, () => {
    let t: TestApp;
    let tree: Tree;
    const tokens: Record<string, string> = {};

    const call = (method: 'GET' | 'POST', url: string, who: string | null, payload?: unknown, ip = '10.1.0.1') => t.app.inject({
      method, url, remoteAddress: ip, ...(payload === undefined ? {} : { payload: payload as object }),
      headers: who === null ? {} : { authorization: `Bearer ${tokens[who]}` },
    });
    const ask = (who: string | null, body: Record<string, unknown>, ip?: string) =>
      call('POST', '/api/v1/support-requests', who, { category: 'sign_in', subject: 'رمز عبور', text: 'کلمه عبور را فراموش کرده‌ام', ...body }, ip);

    before(async () => {
      t = await startTestApp(kind, { KELID_ADMIN_MFA: 'optional', KELID_SMS: 'dev', KELID_EMAIL: 'dev', ...easyCaptcha });
      tree = await createTree(t.handle.db);
      const people: [string, number, string, NonNullable<Parameters<typeof createAccount>[2]['memberships']>, string?][] = [
        ['teacherA', 1, 'teacher', [{ organizationId: tree.schoolA, role: 'teacher' }], '+989121112233'],
        ['teacherB', 2, 'teacher', [{ organizationId: tree.schoolB, role: 'teacher' }]],
        ['principalA', 3, 'principal', [{ organizationId: tree.schoolA, role: 'principal' }]],
        ['principalB', 4, 'principal', [{ organizationId: tree.schoolB, role: 'principal' }]],
        ['district', 5, 'district_admin', [{ organizationId: tree.district, role: 'district_admin' }]],
        ['ministry', 6, 'ministry_admin', [{ organizationId: tree.ministry, role: 'ministry_admin' }]],
        ['noRole', 7, '', []],
      ];
      for (const [name, n, , memberships, mobile] of people) {
        await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(n), password: PASSWORD, memberships, ...(mobile ? { mobile } : {}) });
        const signIn = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: nationalIdFor(n), password: PASSWORD } });
        assert.equal(signIn.statusCode, 201);
        tokens[name] = signIn.json().token;
      }
    });
    after(() => t.close());

    const adminList = async (who: string) => (await call('GET', '/api/v1/admin/support-requests', who)).json().requests as { id: string; state: string }[];
    // The dev outbox (DESIGN.md Contracts): what would be sent, newest first.
    const outboxFor = async (template: string) => (await outbox(t.app) as (Awaited<ReturnType<typeof outbox>>[number] & { channel: string })[]).filter((m) => m.template === template);

    test('a teacher asks; the request is theirs alone and goes to their school', async () => {
      const created = await ask('teacherA', { from: '/account/sessions?x=1', screenshot: PNG.toString('base64') });
      assert.equal(created.statusCode, 201, created.body);
      const { id, reference } = created.json();
      assert.match(reference, /^[A-Z0-9]{4}-[A-Z0-9]{4}$/);

      const own = (await call('GET', '/api/v1/support-requests', 'teacherA')).json().requests;
      assert.equal(own.length, 1);
      assert.equal(own[0].id, id);
      assert.equal(own[0].state, 'open');
      assert.equal(own[0].from, '/account/sessions?x=1');
      assert.equal(own[0].hasScreenshot, true);
      assert.equal(own[0].organization, 'دبستان الف');
      assert.deepEqual((await call('GET', '/api/v1/support-requests', 'teacherB')).json().requests, [], 'another teacher sees none of it');
      assert.equal((await call('GET', '/api/v1/support-requests', null)).statusCode, 401);

      assert.ok((await adminList('principalA')).some((r) => r.id === id), 'the school\'s principal has it');
      assert.ok(!(await adminList('principalB')).some((r) => r.id === id), 'the other school\'s principal does not');
      assert.ok((await adminList('district')).some((r) => r.id === id), 'the district above sees its schools\' requests');
      const audit = await t.handle.db.selectFrom('audit_events').select('data').where('type', '=', 'support.requested').execute();
      assert.ok(audit.some((e) => e.data.requestId === id));
    });

    test('another school\'s principal gets 404 on reply; the school\'s principal answers and the answer goes to the teacher\'s mobile', async () => {
      const { id } = (await ask('teacherA', { subject: 'نقش من', category: 'roles' })).json();
      const outsider = await call('POST', `/api/v1/admin/support-requests/${id}/replies`, 'principalB', { text: 'پاسخ' });
      assert.equal(outsider.statusCode, 404);
      assert.equal(outsider.json().error.code, 'support.not_found');
      assert.equal((await call('POST', '/api/v1/admin/support-requests/not-a-uuid/replies', 'principalA', { text: 'x' })).statusCode, 404);
      assert.equal((await call('POST', `/api/v1/admin/support-requests/${id}/replies`, 'teacherA', { text: 'x' })).statusCode, 403, 'a teacher is no admin');

      const answered = await call('POST', `/api/v1/admin/support-requests/${id}/replies`, 'principalA', { text: 'نقش شما اصلاح شد.\u202Egnp.exe' });
      assert.equal(answered.statusCode, 201, answered.body);
      assert.equal(answered.json().notified, 'sms');
      const messages = await outboxFor('support.answered');
      const sms = messages.find((m) => m.to === '+989121112233');
      assert.ok(sms, 'the answer is in the outbox, to the teacher\'s mobile');
      assert.equal(sms.channel, 'sms');
      assert.match(sms.text, /نقش شما اصلاح شد\./);
      assert.doesNotMatch(sms.text, /\u202E/, 'no direction override reaches the message');

      const mine = (await call('GET', '/api/v1/support-requests', 'teacherA')).json().requests.find((r: { id: string }) => r.id === id);
      assert.equal(mine.state, 'answered');
      assert.equal(mine.replies.length, 1);
      assert.equal(mine.replies[0].text, 'نقش شما اصلاح شد.gnp.exe');
      assert.equal(mine.replies[0].organization, 'دبستان الف');

      // A long answer is cut for the SMS where no character is split (an emoji's two halves straddling the cut: stored as they are, the outbox refused it).
      const { id: second } = (await ask('teacherA', { subject: 'باز هم نقش', category: 'roles' })).json();
      const long = `${'ب'.repeat(299)}\u{1F600}${'پ'.repeat(50)}`;
      const cut = await call('POST', `/api/v1/admin/support-requests/${second}/replies`, 'principalA', { text: long });
      assert.equal(cut.statusCode, 201, cut.body);
      const last = (await outboxFor('support.answered')).find((m) => m.to === '+989121112233' && m.text.includes('ببب'))!;
      assert.match(last.text, /ب{299}…/);
      assert.ok(last.text.isWellFormed(), 'no half of a character');
    });

    test('escalation moves the request to the district: the school no longer has it, the district does; the root cannot go higher', async () => {
      const { id } = (await ask('teacherA', { subject: 'ارجاع' })).json();
      const escalated = await call('POST', `/api/v1/admin/support-requests/${id}/escalation`, 'principalA');
      assert.equal(escalated.statusCode, 200, escalated.body);
      assert.equal(escalated.json().organizationId, tree.district);
      assert.ok(!(await adminList('principalA')).some((r) => r.id === id));
      assert.equal((await call('POST', `/api/v1/admin/support-requests/${id}/replies`, 'principalA', { text: 'x' })).statusCode, 404);
      assert.ok((await adminList('district')).some((r) => r.id === id));
      assert.equal((await call('POST', `/api/v1/admin/support-requests/${id}/escalation`, 'district')).statusCode, 200);
      assert.equal((await call('POST', `/api/v1/admin/support-requests/${id}/escalation`, 'ministry')).statusCode, 200, 'province → ministry');
      const top = await call('POST', `/api/v1/admin/support-requests/${id}/escalation`, 'ministry');
      assert.equal(top.statusCode, 409);
      assert.equal(top.json().error.code, 'support.top_level');
      const closed = await call('POST', `/api/v1/admin/support-requests/${id}/close`, 'ministry');
      assert.equal(closed.statusCode, 200);
      const late = await call('POST', `/api/v1/admin/support-requests/${id}/replies`, 'ministry', { text: 'دیر' });
      assert.equal(late.statusCode, 409);
      assert.equal(late.json().error.code, 'support.closed');
      const mine = (await call('GET', '/api/v1/support-requests', 'teacherA')).json().requests.find((r: { id: string }) => r.id === id);
      assert.equal(mine.state, 'closed');
      const types = (await t.handle.db.selectFrom('audit_events').select('type').where('type', 'like', 'support.%').execute()).map((e) => e.type);
      for (const type of ['support.requested', 'support.replied', 'support.escalated', 'support.closed']) assert.ok(types.includes(type), type);
    });

    test('racing changes: two escalations move it one level; a reply racing a close never lands on a closed request', async () => {
      const { id } = (await ask('teacherA', { subject: 'مسابقه' })).json();
      const both = await Promise.all([1, 2].map(() => call('POST', `/api/v1/admin/support-requests/${id}/escalation`, 'principalA')));
      assert.deepEqual(both.map((r) => r.statusCode).sort(), [200, 404], 'the second finds it gone from the school');
      const row = await t.handle.db.selectFrom('support_requests').select('organization_id').where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(row.organization_id, tree.district, 'escalated once, not twice');

      const [replied, closed] = await Promise.all([
        call('POST', `/api/v1/admin/support-requests/${id}/replies`, 'district', { text: 'پاسخ' }),
        call('POST', `/api/v1/admin/support-requests/${id}/close`, 'district'),
      ]);
      assert.equal(closed!.statusCode, 200);
      assert.ok([201, 409].includes(replied!.statusCode));
      const state = await t.handle.db.selectFrom('support_requests').select(['state', 'closed_at']).where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(state.state, 'closed');
      const late = await t.handle.db.selectFrom('support_replies').select('created_at').where('request_id', '=', id).execute();
      assert.equal(late.length, replied!.statusCode === 201 ? 1 : 0);
    });

    test('a person with no role to act as asks the ministry', async () => {
      const { id } = (await ask('noRole', {})).json();
      assert.ok((await adminList('ministry')).some((r) => r.id === id));
      assert.ok(!(await adminList('district')).some((r) => r.id === id));
    });

    test('hostile input is refused by name, and nothing is stored half-way', async () => {
      const before = await t.handle.db.selectFrom('support_requests').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const cases: [Record<string, unknown>, number, string, string?][] = [
        [{ subject: '   \u200f ' }, 422, 'support.subject_required', 'subject'],
        [{ text: '' }, 422, 'support.text_required', 'text'],
        [{ text: 'ب'.repeat(5001) }, 422, 'support.text_too_long', 'text'],
        [{ text: 'ب'.repeat(100_000) }, 400, 'error.field_too_long', 'text'],
        [{ subject: 42 }, 400, 'error.field_invalid', 'subject'],
        [{ category: 'hack' }, 400, 'error.field_invalid', 'category'],
        [{ subject: ['a'] }, 400, 'error.field_invalid', 'subject'],
        [{ text: 'a\u0000b' }, 400, 'error.field_invalid', 'text'],
        [{ text: 'a\ud800b' }, 400, 'error.text_malformed', 'text'],
        [{ from: 'https://evil.example/phish' }, 422, 'support.from_invalid', 'from'],
        [{ from: '//evil.example' }, 422, 'support.from_invalid', 'from'],
        [{ from: '/\\evil.example' }, 422, 'support.from_invalid', 'from'],
        [{ from: 'javascript:alert(1)' }, 422, 'support.from_invalid', 'from'],
        [{ screenshot: Buffer.from('<html><script>alert(1)</script></html>').toString('base64') }, 422, 'support.screenshot_type', 'screenshot'],
        [{ screenshot: Buffer.concat([PNG, Buffer.alloc(1024 * 1024)]).toString('base64') }, 422, 'support.screenshot_too_large', 'screenshot'],
        [{ screenshot: 'not base64 at all!' }, 422, 'support.screenshot_type', 'screenshot'],
        [{ extra: 1 }, 400, 'error.field_invalid'],
      ];
      for (const [body, status, code, field] of cases) {
        const response = await ask('teacherB', body);
        assert.equal(response.statusCode, status, `${JSON.stringify(body).slice(0, 80)}: ${response.body.slice(0, 200)}`);
        assert.equal(response.json().error.code, code);
        if (field) assert.equal(response.json().error.field, field);
      }
      const english = await t.app.inject({ method: 'POST', url: '/api/v1/support-requests', headers: { authorization: `Bearer ${tokens.teacherB}`, 'accept-language': 'en' }, payload: { category: 'other', subject: 's', text: '' } });
      assert.equal(english.json().error.message, 'Write your request.');
      const afterCount = await t.handle.db.selectFrom('support_requests').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(afterCount.n), Number(before.n), 'no refused request was stored');

      const odd = await ask('teacherB', { subject: '\u202Eسلام\u200b  دنیا', text: 'خط یک\r\n\r\n\r\n\r\nخط دو\u2066', from: '/register?lang=fa' });
      assert.equal(odd.statusCode, 201);
      const stored = await t.handle.db.selectFrom('support_requests').select(['subject', 'body', 'from_path']).where('id', '=', odd.json().id).executeTakeFirstOrThrow();
      assert.deepEqual(stored, { subject: 'سلام دنیا', body: 'خط یک\n\nخط دو', from_path: '/register?lang=fa' });
    });

    test('a signed-out person asks with a contact and a real captcha; the ministry answers to that contact', async () => {
      const stale = await t.app.inject({ method: 'POST', url: '/api/v1/support-requests', headers: { authorization: `Bearer ${'x'.repeat(43)}` }, payload: { category: 'other', subject: 's', text: 't' } });
      assert.equal(stale.statusCode, 401, 'a dead token is told to sign in, not to solve a captcha');
      const noCaptcha = await ask(null, { contact: 'parent@example.org' }, '10.9.0.1');
      assert.equal(noCaptcha.statusCode, 422);
      assert.equal(noCaptcha.json().error.code, 'captcha.invalid');
      const noContact = await ask(null, { captcha: await solvedPayload(t.app) }, '10.9.0.1');
      assert.equal(noContact.statusCode, 422);
      assert.equal(noContact.json().error.code, 'support.contact_required');
      const badContact = await ask(null, { contact: '021 8888 0000', captcha: await solvedPayload(t.app) }, '10.9.0.1');
      assert.equal(badContact.json().error.code, 'support.contact_invalid', 'a landline is no mobile');

      const created = await ask(null, { contact: ' Parent@Example.org ', captcha: await solvedPayload(t.app), category: 'registration' }, '10.9.0.1');
      assert.equal(created.statusCode, 201, created.body);
      const { id } = created.json();
      assert.ok(!(await adminList('principalA')).some((r) => r.id === id), 'no school has a signed-out request');
      const queued = (await call('GET', '/api/v1/admin/support-requests?state=open', 'ministry')).json().requests.find((r: { id: string }) => r.id === id);
      assert.equal(queued.contact, 'parent@example.org');
      assert.equal(queued.requester, null);
      const answered = await call('POST', `/api/v1/admin/support-requests/${id}/replies`, 'ministry', { text: 'از صفحه ثبت نام اقدام کنید.' });
      assert.equal(answered.json().notified, 'email');
      const email = (await outboxFor('support.answered')).find((m) => m.to === 'parent@example.org');
      assert.ok(email);
      assert.match(email.text, /از صفحه ثبت نام اقدام کنید/);

      const persianMobile = await ask(null, { contact: '۰۹۱۲ ۳۳۳ ۴۴۵۵', captcha: await solvedPayload(t.app) }, '10.9.0.1');
      assert.equal(persianMobile.statusCode, 201);
      const row = await t.handle.db.selectFrom('support_requests').select(['contact', 'contact_channel']).where('id', '=', persianMobile.json().id).executeTakeFirstOrThrow();
      assert.deepEqual(row, { contact: '+989123334455', contact_channel: 'sms' });
    });

    test('the limits: ten requests an hour per account, five per address signed out; a captcha is spent once', async () => {
      for (let i = 0; i < 10; i++) assert.equal((await ask('principalB', { subject: `درخواست ${i}` })).statusCode, 201);
      const limited = await ask('principalB', { subject: 'یازدهم' });
      assert.equal(limited.statusCode, 429);
      assert.equal(limited.json().error.code, 'support.rate_limited');
      assert.equal((await ask('principalA', { subject: 'دیگری' })).statusCode, 201, 'another account is not held back');

      const captcha = await solvedPayload(t.app);
      const first = await ask(null, { contact: 'a@example.org', captcha }, '10.8.0.1');
      assert.equal(first.statusCode, 201);
      assert.equal((await ask(null, { contact: 'a@example.org', captcha }, '10.8.0.1')).json().error.code, 'captcha.invalid', 'a solution counts once');
      // The same words again from the same contact: the request already filed, not counted again.
      const repeat = await ask(null, { contact: 'a@example.org', captcha: await solvedPayload(t.app) }, '10.8.0.1');
      assert.equal(repeat.json().reference, first.json().reference);
      for (let i = 0; i < 4; i++) assert.equal((await ask(null, { contact: 'a@example.org', subject: `بی نام ${i}`, captcha: await solvedPayload(t.app) }, '10.8.0.1')).statusCode, 201);
      const sixth = await ask(null, { contact: 'a@example.org', subject: 'ششم', captcha: await solvedPayload(t.app) }, '10.8.0.1');
      assert.equal(sixth.statusCode, 429);
    });

    test('the OpenAPI document describes the four contract routes', async () => {
      const doc = (await t.app.inject('/api/v1/openapi.json')).json();
      assert.ok(doc.paths['/api/v1/support-requests'].post);
      assert.ok(doc.paths['/api/v1/support-requests'].get);
      assert.ok(doc.paths['/api/v1/admin/support-requests'].get);
      assert.ok(doc.paths['/api/v1/admin/support-requests/{id}/replies'].post);
    });
  });
}
