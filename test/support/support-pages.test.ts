// The support pages without a browser (what a phone without JavaScript does): the services
// menu's entry for everyone signed in, the multipart form with its screenshot (checked by its
// bytes, not its name), the screenshot served only to its owner and the admins in scope, the
// console's queue, answer and escalation, and a signed-out request with a real captcha.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { easyCaptcha, solvedPayload } from '../captcha/solve.ts';
import { createAgent, csrfTokenOf, type Agent } from '../helpers/agent.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor, type Tree } from '../helpers/fixtures.ts';
import { outbox } from '../helpers/set-password.ts';

const PASSWORD = 'Safhe-Poshtibani-1405!';
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 7)]);

type Part = string | { filename: string; type: string; bytes: Buffer };

/** A multipart/form-data body, as a browser sends the form. */
function multipart(fields: Record<string, Part>): { payload: Buffer; contentType: string } {
  const boundary = '----kelid-test-boundary-7f3a';
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === 'string') {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
    } else {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${value.filename}"\r\nContent-Type: ${value.type}\r\n\r\n`), value.bytes, Buffer.from('\r\n'));
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('support pages', () => {
  let t: TestApp;
  let tree: Tree;
  const agents: Record<string, Agent> = {};

  const send = async (agent: Agent, fields: Record<string, Part>, options: { csrf?: boolean; ip?: string } = {}): Promise<LightMyRequestResponse> => {
    const form = await agent.get('/support');
    const body = multipart({ ...(options.csrf === false ? {} : { _csrf: csrfTokenOf(form.body) }), category: 'sign_in', subject: 'ورود', text: 'نمی‌توانم وارد شوم', ...fields });
    const cookie = [...agent.cookies].map(([n, v]) => `${n}=${v}`).join('; ');
    const response = await t.app.inject({ method: 'POST', url: '/support', payload: body.payload, remoteAddress: options.ip ?? '127.0.0.1', headers: { cookie, 'content-type': body.contentType } });
    for (const c of response.cookies) agent.cookies.set(c.name, c.value);
    return response;
  };

  before(async () => {
    t = await startTestApp('pglite', { KELID_ADMIN_MFA: 'optional', KELID_SMS: 'dev', KELID_EMAIL: 'dev', ...easyCaptcha });
    tree = await createTree(t.handle.db);
    const people: [string, number, NonNullable<Parameters<typeof createAccount>[2]['memberships']>, string?][] = [
      ['teacherA', 1, [{ organizationId: tree.schoolA, role: 'teacher' }], 'teacher@example.org'],
      ['teacherB', 2, [{ organizationId: tree.schoolB, role: 'teacher' }]],
      ['principalA', 3, [{ organizationId: tree.schoolA, role: 'principal' }]],
      ['principalB', 4, [{ organizationId: tree.schoolB, role: 'principal' }]],
      ['district', 5, [{ organizationId: tree.district, role: 'district_admin' }]],
      ['noRole', 6, []],
    ];
    for (const [name, n, memberships, email] of people) {
      await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(n), password: PASSWORD, memberships, ...(email ? { email } : {}) });
      agents[name] = createAgent(t.app);
      assert.equal((await agents[name].submit('/sign-in', { identifier: nationalIdFor(n), password: PASSWORD })).statusCode, 303);
    }
    agents.anonymous = createAgent(t.app, { ip: '10.7.0.1' });
  });
  after(() => t.close());

  test('System support is in the services menu of everyone signed in, even with no role, and on the sign-in page', async () => {
    for (const who of ['teacherA', 'noRole']) {
      const home = await agents[who]!.get('/');
      assert.equal(home.statusCode, 200);
      assert.match(home.body, /<a href="\/support\?from=%2F">پشتیبانی سامانه<\/a>/, who);
    }
    const he = await agents.teacherA!.get('/?lang=he');
    assert.match(he.body, />מוקד תמיכה</);
    await agents.teacherA!.get('/?lang=fa');
    const signIn = await agents.anonymous!.get('/sign-in');
    assert.match(signIn.body, /href="\/support\?from=%2Fsign-in">پشتیبانی سامانه</);
  });

  test('the form names whose administrators a request reaches first: the school, the level above an administrator (a principal too), the ministry for no role', async () => {
    const expected: [string, string][] = [['teacherA', 'دبستان الف'], ['principalB', 'مشهد ناحیه ۵'], ['district', 'خراسان رضوی'], ['noRole', 'وزارت آموزش و پرورش']];
    for (const [who, organization] of expected) {
      const page = await agents[who]!.get('/support');
      assert.match(page.body, new RegExp(`درخواست شما به <bdi>${organization}</bdi> می‌رسد`), who);
      // The ministry has no level above to pass a request on to.
      assert.equal(/در صورت نیاز به سطح بالاتر ارجاع می‌شود/.test(page.body), who !== 'noRole', who);
    }
    const he = await agents.district!.get('/support?lang=he');
    assert.match(he.body, /הפנייה מגיעה אל <bdi>خراسان رضوی<\/bdi>/);
    await agents.district!.get('/?lang=fa');
    const signedOut = await agents.anonymous!.get('/support');
    assert.doesNotMatch(signedOut.body, /مدیران/, 'someone signed out is told where the answer goes, not whose administrators');
  });

  test('the form keeps a same-site page it came from and drops any other', async () => {
    const kept = await agents.teacherA!.get('/support?from=%2Faccount%2Fsessions');
    assert.match(kept.body, /name="from" value="\/account\/sessions"/);
    for (const hostile of ['https://evil.example/', '//evil.example', '/\\evil.example', 'javascript:alert(1)']) {
      const page = await agents.teacherA!.get(`/support?from=${encodeURIComponent(hostile)}`);
      assert.equal(page.statusCode, 200);
      assert.doesNotMatch(page.body, /name="from"/, hostile);
    }
    assert.doesNotMatch(kept.body, /altcha-widget/, 'no captcha for someone signed in');
  });

  test('bad submissions come back with the error beside the field, and nothing is stored', async () => {
    const count = async () => Number((await t.handle.db.selectFrom('support_requests').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    assert.equal((await send(agents.teacherA!, {}, { csrf: false })).statusCode, 403, 'no CSRF token, no request');
    // The page's own errors, in its language and summary, as on every form: not the browser's prompts.
    assert.match((await agents.teacherA!.get('/support')).body, /<form method="post" action="\/support" enctype="multipart\/form-data" novalidate>/);
    const html = await send(agents.teacherA!, { screenshot: { filename: 'shot.png', type: 'image/png', bytes: Buffer.from('<!doctype html><script>alert(1)</script>') } });
    assert.equal(html.statusCode, 422);
    assert.match(html.body, /تصویر باید PNG یا JPEG باشد/);
    assert.match(html.body, /value="ورود"/, 'the subject is kept');
    const big = await send(agents.teacherA!, { screenshot: { filename: 'big.png', type: 'image/png', bytes: Buffer.concat([PNG, Buffer.alloc(1024 * 1024)]) } });
    assert.equal(big.statusCode, 422);
    assert.match(big.body, /حجم تصویر بیش از ۱ مگابایت است/);
    const huge = await send(agents.teacherA!, { screenshot: { filename: 'huge.png', type: 'image/png', bytes: Buffer.concat([PNG, Buffer.alloc(3 * 1024 * 1024)]) } });
    assert.ok(huge.statusCode >= 400 && huge.statusCode < 500, `a file past the parser's cap is a 4xx (${huge.statusCode})`);
    const evil = await send(agents.teacherA!, { from: '//evil.example/x' });
    assert.equal(evil.statusCode, 422);
    assert.match(evil.body, /نشانی صفحه معتبر نیست/);
    const nul = await send(agents.teacherA!, { subject: 'a\u0000b' });
    assert.equal(nul.statusCode, 400);
    const empty = await send(agents.teacherA!, { subject: '\u200e \u202e', text: '' });
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /عنوان را وارد کنید/);
    assert.match(empty.body, /شرح درخواست را وارد کنید/);
    // A body that is no well-formed multipart (no parts, cut off, no boundary): the client's fault, a localized 400, signed in or not.
    // (Empty, it is well formed, with no fields: no CSRF token, a 403.)
    const broken: [string, string, number][] = [
      ['multipart/form-data; boundary=zzz', 'subject=x', 400],
      ['multipart/form-data; boundary=zzz', '--zzz\r\nContent-Disposition: form-data; name="subject"\r\n\r\nx', 400],
      ['multipart/form-data', 'x', 400],
      ['multipart/form-data; boundary=zzz', '', 403],
      ['multipart/form-data; boundary=zzz', '--zzz\r\nContent-Disposition: form-data; name="subject"\r\nBroken header\r\n\r\nx\r\n--zzz--\r\n', 403],
    ];
    for (const agent of [agents.teacherA!, agents.anonymous!]) {
      const cookie = [...agent.cookies].map(([n, v]) => `${n}=${v}`).join('; ');
      for (const [contentType, payload, status] of broken) {
        const response = await t.app.inject({ method: 'POST', url: '/support', payload, headers: { cookie, 'content-type': contentType, 'accept-language': 'fa' } });
        assert.equal(response.statusCode, status, `${contentType} ${JSON.stringify(payload)}: ${response.body.slice(0, 200)}`);
        assert.match(response.body, /lang="fa"/);
        assert.doesNotMatch(response.body, /خطای غیرمنتظره/);
      }
    }
    assert.equal(await count(), before);
  });

  let requestId = '';

  test('a teacher files a request with a screenshot; only they and the admins in scope see the image', async () => {
    const filed = await send(agents.teacherA!, {
      subject: '<script>alert("x")</script>', text: 'خط اول\nخط دوم', from: '/account/sessions', category: 'roles',
      screenshot: { filename: 'screen.jpg.html', type: 'text/html', bytes: PNG },
    });
    assert.equal(filed.statusCode, 303, filed.body.slice(0, 300));
    const location = String(filed.headers.location);
    requestId = /\/support\/requests\/([0-9a-f-]{36})\?created=1$/.exec(location)![1]!;
    const page = await agents.teacherA!.get(location);
    assert.match(page.body, /درخواست شما با شماره پیگیری <bdi class="reference" dir="ltr">[A-Z0-9]{4}-[A-Z0-9]{4}<\/bdi> ثبت شد/, 'the reference on one line, left to right');
    assert.match(page.body, /<h1>پشتیبانی سامانه <bdi class="reference" dir="ltr">[A-Z0-9]{4}-[A-Z0-9]{4}<\/bdi><\/h1>/, 'the title\'s reference is not broken at its hyphen');
    assert.match(page.body, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/, 'the subject is escaped');
    assert.match(page.body, /خط اول<br>خط دوم/);
    assert.match(page.body, /در انتظار پاسخ/);
    assert.match((await agents.teacherA!.get('/support/requests')).body, new RegExp(requestId));

    const own = await agents.teacherA!.get(`/support/requests/${requestId}/screenshot`);
    assert.equal(own.statusCode, 200);
    assert.equal(own.headers['content-type'], 'image/png', 'the type its bytes say, not the upload\'s claim');
    assert.equal(own.headers['x-content-type-options'], 'nosniff');
    assert.match(String(own.headers['content-security-policy']), /sandbox/);
    assert.deepEqual(own.rawPayload, PNG);
    assert.equal((await agents.teacherB!.get(`/support/requests/${requestId}/screenshot`)).statusCode, 404);
    assert.equal((await agents.teacherB!.get(`/support/requests/${requestId}`)).statusCode, 404);
    assert.equal((await agents.principalA!.get(`/admin/support/${requestId}/screenshot`)).statusCode, 200);
    assert.equal((await agents.principalB!.get(`/admin/support/${requestId}/screenshot`)).statusCode, 404);
    assert.equal((await agents.principalB!.get(`/admin/support/${requestId}`)).statusCode, 404);
  });

  test('the same request sent twice at once, or again after (a double click, a reload): one request, the same reference; other words make another', async () => {
    const fields = { subject: 'تکرار', text: 'یک درخواست، دو بار فرستاده شد' };
    const count = async () => Number((await t.handle.db.selectFrom('support_requests').select((eb) => eb.fn.countAll<string>().as('n')).where('subject', '=', 'تکرار').executeTakeFirstOrThrow()).n);
    const answers = await Promise.all([send(agents.teacherB!, fields), send(agents.teacherB!, fields), send(agents.teacherB!, fields)]);
    assert.deepEqual(answers.map((answer) => answer.statusCode), [303, 303, 303]);
    assert.equal(new Set(answers.map((answer) => answer.headers.location)).size, 1, 'each answer leads to the one request');
    assert.equal((await send(agents.teacherB!, fields)).headers.location, answers[0]!.headers.location);
    assert.equal(await count(), 1);
    const other = await send(agents.teacherB!, { ...fields, text: 'درخواست دیگری' });
    assert.notEqual(other.headers.location, answers[0]!.headers.location);
    assert.equal(await count(), 2);
  });

  test('the principal answers in the console; the teacher reads the answer and is emailed', async () => {
    const users = await agents.principalA!.get('/admin/users');
    assert.match(users.body, /href="\/admin\/support">درخواست‌های پشتیبانی</, 'the console\'s navigation links the queue');
    const queue = await agents.principalA!.get('/admin/support?state=open');
    assert.match(queue.body, new RegExp(`/admin/support/${requestId}`));
    assert.doesNotMatch(queue.body, /<script>/);
    const detail = await agents.principalA!.get(`/admin/support/${requestId}`);
    assert.match(detail.body, /<h1>درخواست‌های پشتیبانی: <bdi class="reference" dir="ltr">/);
    assert.match(detail.body, /<img class="screenshot" src="\/admin\/support\/[0-9a-f-]+\/screenshot"/);
    assert.ok(detail.body.indexOf('<img class="screenshot"') < detail.body.indexOf('<h2>پاسخ‌ها</h2>'), 'the screenshot is under the request\'s text, before the answers');
    assert.match(detail.body, /نقش‌ها و احکام/);

    const empty = await agents.principalA!.submit(`/admin/support/${requestId}`, { text: ' \u200b ' }, `/admin/support/${requestId}/reply`);
    assert.equal(empty.statusCode, 422);
    const answered = await agents.principalA!.submit(`/admin/support/${requestId}`, { text: 'نقش شما ثبت شد.' }, `/admin/support/${requestId}/reply`);
    assert.equal(answered.statusCode, 303);
    assert.match((await agents.principalA!.get(String(answered.headers.location))).body, /پاسخ ثبت شد/);

    const mine = await agents.teacherA!.get(`/support/requests/${requestId}`);
    assert.match(mine.body, /نقش شما ثبت شد\./);
    const english = await agents.teacherA!.get(`/support/requests/${requestId}?lang=en`);
    assert.match(english.body, /Answer from <bdi>[^<]+<\/bdi>, <bdi>\d{4}-\d\d-\d\d \d\d:\d\d<\/bdi>/, 'a Persian name does not pull the date into its right-to-left run');
    await agents.teacherA!.get('/support?lang=fa');
    assert.match(mine.body, /پاسخ داده شده/);
    const email = (await outbox(t.app)).find((m) => m.to === 'teacher@example.org' && m.template === 'support.answered');
    assert.ok(email, 'the answer is emailed (the teacher has no mobile)');
    assert.match(email.text, new RegExp(`/support/requests/${requestId}`));
  });

  test('an answer to someone with no mobile or email says nobody was told, and where they will read it', async () => {
    const filed = await send(agents.teacherB!, { subject: 'بدون نشانی', text: 'پیامی به من نمی‌رسد' });
    assert.equal(filed.statusCode, 303);
    const id = /\/support\/requests\/([0-9a-f-]{36})/.exec(String(filed.headers.location))![1]!;
    const detail = await agents.principalB!.get(`/admin/support/${id}`);
    assert.match(detail.body, /<dt>رسیدگی‌کننده<\/dt>/);
    assert.doesNotMatch(detail.body, /آمده‌اید/, 'the console does not call the requester\'s page "the page you came from"');
    const answered = await agents.principalB!.submit(`/admin/support/${id}`, { text: 'پاسخ' }, `/admin/support/${id}/reply`);
    assert.equal(answered.statusCode, 303);
    assert.equal(answered.headers.location, `/admin/support/${id}?done=replied_unnotified`);
    const page = await agents.principalB!.get(String(answered.headers.location));
    assert.match(page.body, /درخواست‌کننده شماره همراه یا پست الکترونیکی ندارد/);
    assert.doesNotMatch(page.body, /اطلاع داده شد/);
    assert.equal((await outbox(t.app)).filter((m) => m.template === 'support.answered' && m.text.includes(id)).length, 0);
  });

  test('escalated, the request leaves the school\'s queue for the district\'s', async () => {
    const escalated = await agents.principalA!.submit(`/admin/support/${requestId}`, {}, `/admin/support/${requestId}/escalate`);
    assert.equal(escalated.statusCode, 303);
    assert.equal(escalated.headers.location, '/admin/support?done=escalated');
    assert.equal((await agents.principalA!.get(`/admin/support/${requestId}`)).statusCode, 404);
    const district = await agents.district!.get(`/admin/support/${requestId}`);
    assert.equal(district.statusCode, 200);
    const closed = await agents.district!.submit(`/admin/support/${requestId}`, {}, `/admin/support/${requestId}/close`);
    assert.equal(closed.statusCode, 303);
    const after = await agents.district!.get(String(closed.headers.location));
    assert.match(after.body, /درخواست بسته شد/);
    assert.doesNotMatch(after.body, /action="\/admin\/support\/[^"]+\/reply"/, 'a closed request takes no answer');
    assert.equal((await agents.teacherA!.get('/support')).statusCode, 200);
    assert.equal((await agents.teacherA!.get('/admin/support')).statusCode, 403, 'a teacher has no queue');
  });

  test('signed out: a contact and a real captcha give a reference', async () => {
    const form = await agents.anonymous!.get('/support?from=%2Fsign-in');
    assert.match(form.body, /altcha-widget/);
    assert.match(form.body, /name="contact"/);
    const unsolved = await send(agents.anonymous!, { contact: '09123334455', from: '/sign-in' }, { ip: '10.7.0.1' });
    assert.equal(unsolved.statusCode, 422);
    assert.match(unsolved.body, /تصویر امنیتی صحیح نیست/);
    const posted = await send(agents.anonymous!, { contact: '۰۹۱۲۳۳۳۴۴۵۵', from: '/sign-in', captcha: await solvedPayload(t.app) }, { ip: '10.7.0.1' });
    assert.equal(posted.statusCode, 303, posted.body.slice(0, 500));
    assert.match(String(posted.headers.location), /^\/support\/sent\?reference=[A-Z0-9]{4}-[A-Z0-9]{4}$/, 'a page of its own: a reload shows it again rather than sending the form once more');
    const sent = await agents.anonymous!.get(String(posted.headers.location));
    assert.equal(sent.statusCode, 200);
    assert.match(sent.body, /<p class="guide-link"><a href="\/guides\/support" rel="help">راهنما<\/a><\/p>/, 'the reference page links the guide that says what it is for');
    const reference = /شماره پیگیری: <bdi class="reference" dir="ltr">([A-Z0-9]{4}-[A-Z0-9]{4})<\/bdi>/.exec(sent.body)?.[1];
    assert.ok(reference);
    const stored = await t.handle.db.selectFrom('support_requests').select(['contact', 'account_id', 'from_path']).where('reference', '=', reference).executeTakeFirstOrThrow();
    assert.deepEqual(stored, { contact: '+989123334455', account_id: null, from_path: '/sign-in' });
    for (const forged of ['<script>', 'ABCD-EFG', '', 'abcd-efgh']) {
      const answer = await agents.anonymous!.get(`/support/sent?reference=${encodeURIComponent(forged)}`);
      assert.deepEqual([answer.statusCode, answer.headers.location], [303, '/support'], forged);
    }
  });
});
