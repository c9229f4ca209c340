// Text that is not well-formed Unicode never gets near storage (issue 9, fault 1): lone
// surrogates in JSON (`"\ud800"`), percent-escapes that are not UTF-8 in forms and queries,
// raw bytes that are not UTF-8 in bodies and CSV files, NUL. Each is a localized 4xx naming
// the field (a flow answers 422 with the flow, unchanged), on every route of the server.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { decodeComponent, parseUrlEncoded, textProblemIn } from '../../src/http/plugins/input-text.ts';
import { importRegistry, RegistryFileError } from '../../src/identity/registry.ts';
import { clip, quotable } from '../../src/domain/text.ts';
import { utf8Checker } from '../../src/domain/utf8.ts';
import { easyCaptcha } from '../captcha/solve.ts';
import { createAgent, csrfTokenOf } from '../helpers/agent.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor, type Tree } from '../helpers/fixtures.ts';

const PASSWORD = 'Sahar-Mehr-1404!';
// Lone high and low surrogates, a reversed pair, and one hidden inside otherwise good text.
const malformed = ['\ud800', '\udfff', '\udc00\ud800', 'سارا\ud83d', 'a\udc80b'];
// Form and query escapes whose bytes are not UTF-8: a surrogate as UTF-8, a lone continuation
// byte, a truncated emoji, an overlong slash, Windows-1256 "سلام", Latin-1 "é".
const badEscapes = ['%ED%A0%80', '%80', '%F0%9F%98', '%C0%AF', '%D3%E1%C7%E3', 'caf%E9'];

function assertNoLeak(response: LightMyRequestResponse) {
  assert.ok(response.statusCode < 500, `a ${response.statusCode}: ${response.body.slice(0, 300)}`);
  assert.doesNotMatch(response.body, /\bat .+\.(ts|js):\d+/, 'no stack trace');
  assert.doesNotMatch(response.body, /unsupported Unicode|invalid input syntax|\\u0000 cannot/i, 'no database error');
}

describe('decoding and checking text (pure)', () => {
  test('well-formed escapes decode as UTF-8; broken ones become lone surrogates, which the check refuses', () => {
    assert.equal(decodeComponent('%D8%B3%D8%A7%D8%B1%D8%A7+x'), 'سارا x');
    assert.equal(decodeComponent('100%'), '100%');
    assert.equal(decodeComponent('%zz%2'), '%zz%2');
    for (const escape of badEscapes) {
      const value = decodeComponent(`ok${escape}ok`);
      assert.equal(value.isWellFormed(), false, escape);
      assert.ok(value.startsWith('ok') && value.endsWith('ok'), escape);
    }
    assert.deepEqual({ ...parseUrlEncoded('a=1&a=2&b=%E2%9C%93&c') }, { a: ['1', '2'], b: '✓', c: '' });
  });

  test('the check names the path of the first bad string or key, NUL included', () => {
    assert.deepEqual(textProblemIn({ a: 'x', b: { c: ['ok', '\ud800'] } }), { field: 'b.c.1', code: 'error.text_malformed' });
    assert.deepEqual(textProblemIn({ '\ud800': 'x' }), { field: '\ufffd', code: 'error.text_malformed' });
    assert.deepEqual(textProblemIn({ name: 'a\u0000b' }), { field: 'name', code: 'error.field_invalid' });
    assert.equal(textProblemIn({ name: 'سارا 😀 \u200c', n: 5, list: [null, true] }), undefined);
    let deep: unknown = '\ud800';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    assert.doesNotThrow(() => textProblemIn(deep), 'a deeply nested body does not overflow the stack');
  });

  test('clip never cuts a surrogate pair in half', () => {
    for (let n = 1; n <= 12; n++) assert.ok(clip('a😀b😀c😀d😀e', n).isWellFormed(), `clip at ${n}`);
    assert.equal(clip('😀😀', 3), '😀');
    assert.equal(clip('abc', 10), 'abc');
  });

  test('quotable: a cut quote ends in "…" within its length, whole; controls, direction marks and line separators show as U+FFFD', () => {
    assert.equal(quotable('users.csv', 100), 'users.csv');
    assert.equal(quotable('a'.repeat(100), 100), 'a'.repeat(100));
    // Two names that differ past the cut no longer read the same.
    assert.equal(quotable(`${'a'.repeat(100)}1/`, 100), `${'a'.repeat(99)}…`);
    for (let n = 2; n <= 12; n++) {
      const quoted = quotable('a😀b😀c😀d😀e😀f', n);
      assert.ok(quoted.isWellFormed() && quoted.length <= n, `quotable at ${n}: ${quoted}`);
    }
    assert.equal(quotable('ev\u202eil\u0000\u2028x\u2029y\u200b', 100), 'ev\ufffdil\ufffd\ufffdx\ufffdy\ufffd');
    assert.equal(quotable('نام\u200cخانوادگی', 100), 'نام\u200cخانوادگی', 'ZWNJ is part of a Persian word: kept');
  });

  test('the UTF-8 checker names the line of the first broken byte or NUL, across chunk boundaries', () => {
    const lines = Buffer.from('a,b\nسارا,x\nok,ok\n', 'utf8');
    const checker = utf8Checker();
    for (let i = 0; i < lines.length; i += 3) assert.equal(checker.push(lines.subarray(i, i + 3)).ok, true, 'a multibyte character split between chunks is fine');
    assert.equal(checker.end().ok, true);
    const bad = utf8Checker();
    assert.deepEqual(bad.push(Buffer.concat([Buffer.from('a,b\nc,d\n'), Buffer.from([0xd3, 0xe1, 0x2c, 0x78])])), { ok: false, line: 3 });
    assert.deepEqual(utf8Checker().push(Buffer.from('a\nb\nc\u0000\n')), { ok: false, line: 3 });
    const truncated = utf8Checker();
    assert.equal(truncated.push(Buffer.from([0x61, 0x0a, 0xd8])).ok, true);
    assert.deepEqual(truncated.end(), { ok: false, line: 2 });
  });
});

describe('malformed text over HTTP', () => {
  let t: TestApp;
  let tree: Tree;
  let admin: string;
  let adminCookie: { cookie: string; csrf: string };
  const adminId = nationalIdFor(4601);

  before(async () => {
    t = await startTestApp('postgres', { ...easyCaptcha, KELID_SMS: 'dev', KELID_EMAIL: 'dev', KELID_ADMIN_MFA: 'optional' });
    tree = await createTree(t.handle.db);
    await createAccount(t.handle.db, t.hasher, { nationalId: adminId, password: PASSWORD, memberships: [{ organizationId: tree.district, role: 'district_admin' }] });
    admin = (await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: adminId, password: PASSWORD } })).json().token;
    const agent = createAgent(t.app);
    await agent.submit('/sign-in', { identifier: adminId, password: PASSWORD });
    const page = await agent.get('/admin/users');
    adminCookie = { cookie: [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; '), csrf: csrfTokenOf(page.body) };
  });
  after(() => t.close());

  const json = (method: 'POST' | 'PUT' | 'DELETE' | 'GET', url: string, body?: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url, headers: { authorization: `Bearer ${admin}`, 'accept-language': 'en', 'content-type': 'application/json', ...headers }, ...(body === undefined ? {} : { payload: body }) });
  // JSON.stringify writes lone surrogates as \\uXXXX escapes, exactly what a client sends.
  const body = (value: Record<string, unknown>) => JSON.stringify(value);
  const fieldErrors = (response: LightMyRequestResponse) =>
    Object.fromEntries(response.json().form.fields.filter((f: { errors: unknown[] }) => f.errors.length > 0).map((f: { name: string; errors: { code: string }[] }) => [f.name, f.errors.map((e) => e.code)]));

  async function registrationAtDetails(international = false): Promise<string> {
    const id = (await t.app.inject({ method: 'POST', url: `/api/v1/flows/registration${international ? '?international=1' : ''}` })).json().id;
    await t.app.inject({ method: 'POST', url: `/api/v1/flows/${id}`, payload: { accept: 'yes' } });
    return id;
  }

  const detailFields = ['firstName', 'lastName', 'nationalId', 'birthDate', 'mobile', 'email', 'password', 'repeat', 'captcha', 'nationality'];
  test('every text field of the registration details: 422 with the flow, the field named, the flow unchanged', async () => {
    for (const [index, name] of detailFields.entries()) {
      const id = await registrationAtDetails();
      const value = malformed[index % malformed.length]!;
      const response = await json('POST', `/api/v1/flows/${id}`, body({ firstName: 'سارا', lastName: 'احمدی', [name]: value }));
      assert.equal(response.statusCode, 422, name);
      assert.equal(response.json().state, 'details', name);
      assert.deepEqual(fieldErrors(response), { [name]: ['error.text_malformed'] }, name);
      assert.match(response.json().form.fields.find((f: { name: string }) => f.name === name).errors[0].message, /not valid text/);
      const row = await t.handle.db.selectFrom('flows').select(['version', 'state']).where('id', '=', id).executeTakeFirstOrThrow();
      assert.deepEqual(row, { version: 1, state: 'details' }, 'nothing of the bad request was saved');
    }
  });

  test('the international form, recovery and the rules step refuse it the same way; so does a malformed field name', async () => {
    const international = await registrationAtDetails(true);
    for (const name of ['passportNumber', 'passportCountry']) {
      const response = await json('POST', `/api/v1/flows/${international}`, body({ [name]: '\udbff' }));
      assert.equal(response.statusCode, 422);
      assert.deepEqual(fieldErrors(response), { [name]: ['error.text_malformed'] });
    }
    const recovery = (await json('POST', '/api/v1/flows/recovery', undefined, { 'content-type': 'text/plain' })).json().id
      ?? (await t.app.inject({ method: 'POST', url: '/api/v1/flows/recovery' })).json().id;
    for (const name of ['nationalId', 'serial', 'mobile', 'captcha']) {
      const response = await json('POST', `/api/v1/flows/${recovery}`, body({ [name]: 'x\ud800' }));
      assert.equal(response.statusCode, 422, name);
      assert.equal(response.json().state, 'identify');
      assert.deepEqual(fieldErrors(response), { [name]: ['error.text_malformed'] });
    }
    const rules = (await t.app.inject({ method: 'POST', url: '/api/v1/flows/registration' })).json().id;
    const accept = await json('POST', `/api/v1/flows/${rules}`, body({ accept: '\ud800' }));
    assert.equal(accept.statusCode, 422);
    assert.equal(accept.json().state, 'rules');
    const key = await json('POST', `/api/v1/flows/${rules}`, body({ '\ud800x': 'yes' }));
    assert.equal(key.statusCode, 422);
    assert.ok(key.json().form.messages.some((m: { code: string }) => m.code === 'error.text_malformed'));
  });

  test('the registration and recovery pages redraw the form with the error beside the field, keeping the good values', async () => {
    const agent = createAgent(t.app);
    const start = await agent.get('/register');
    const path = start.headers.location as string;
    await agent.submit(path, { accept: 'yes' });
    for (const escape of badEscapes) {
      const page = await agent.get(path);
      const response = await t.app.inject({
        method: 'POST', url: path,
        headers: { cookie: [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
        payload: `_csrf=${encodeURIComponent(csrfTokenOf(page.body))}&nationality=citizen&firstName=${escape}&lastName=%D8%A7%D8%AD%D9%85%D8%AF%DB%8C`,
      });
      assert.equal(response.statusCode, 422, escape);
      assert.match(response.body, /<div class="field invalid">\s*<label for="firstName">/, escape);
      assert.match(response.body, /نویسه‌های نامعتبر/);
      assertNoLeak(response);
    }
    const recover = createAgent(t.app);
    const recoverPath = (await recover.get('/recover')).headers.location as string;
    const page = await recover.get(recoverPath);
    const response = await t.app.inject({
      method: 'POST', url: recoverPath,
      headers: { cookie: [...recover.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(csrfTokenOf(page.body))}&nationalId=1%ED%B0%80&mobile=09121234567`,
    });
    assert.equal(response.statusCode, 422);
    assert.match(response.body, /value="09121234567"/, 'the good values are kept');
  });

  test('a JSON body with a __proto__ or constructor.prototype key: the key is dropped, the route answers as it does, nothing is polluted', async () => {
    const id = await registrationAtDetails();
    for (const raw of ['{"__proto__": {"polluted": 1}, "firstName": "سارا"}', '{"constructor": {"prototype": {"polluted": 1}}, "firstName": "سارا"}']) {
      const response = await json('POST', `/api/v1/flows/${id}`, raw);
      assert.equal(response.statusCode, 422, response.body);
      assert.equal(response.json().state, 'details', 'the flow comes back, as for any incomplete form');
      assert.equal(response.json().form.fields.find((f: { name: string }) => f.name === 'firstName').value, 'سارا');
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    }
    const signIn = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', headers: { 'content-type': 'application/json', 'accept-language': 'en' }, payload: `{"__proto__": {"isAdmin": true}, "identifier": "${adminId}", "password": "not-it"}` });
    assert.equal(signIn.statusCode, 401, signIn.body);
    assert.equal(signIn.json().error.code, 'sign_in.invalid');
  });

  test('JSON and form bodies whose bytes are not UTF-8 are refused; a query with bad escapes too', async () => {
    const rawJson = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', headers: { 'content-type': 'application/json', 'accept-language': 'en' }, payload: Buffer.from([0x7b, 0x22, 0x69, 0x64, 0x65, 0x6e, 0x74, 0x69, 0x66, 0x69, 0x65, 0x72, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]) });
    assert.equal(rawJson.statusCode, 400);
    assert.equal(rawJson.json().error.code, 'error.text_malformed');
    const agent = createAgent(t.app);
    const page = await agent.get('/sign-in');
    const rawForm = await t.app.inject({
      method: 'POST', url: '/sign-in', headers: { cookie: [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
      payload: Buffer.concat([Buffer.from(`_csrf=${encodeURIComponent(csrfTokenOf(page.body))}&identifier=`), Buffer.from([0xe9]), Buffer.from('&password=x')]),
    });
    assert.equal(rawForm.statusCode, 400);
    // A body that cannot be read at all: the refusal in words and the way back to the form (return_to kept), no name of the code's.
    assert.match(rawForm.body, /role="alert">این مقدار نویسه‌های نامعتبر دارد؛ لطفاً آن را دوباره تایپ کنید<\/p>\s*<p><a class="button" href="\/sign-in">بازگشت به فرم<\/a>/);
    assert.doesNotMatch(rawForm.body, /\((body|identifier)\)/);
    for (const escape of badEscapes) {
      const query = await json('GET', `/api/v1/admin/users?nationalId=${escape}`);
      assert.equal(query.statusCode, 400, escape);
      assert.deepEqual(query.json().error.field, 'nationalId');
      const recover = await t.app.inject(`/recover?nationalId=${escape}`);
      assert.equal(recover.statusCode, 400);
      assert.match(recover.body, /نویسه‌های نامعتبر/);
      assert.doesNotMatch(recover.body, /\(nationalId\)|بازگشت به فرم/, 'a page asked for, not a form sent: no way back to a form');
    }
  });

  test('the sign-in, password and profile forms draw themselves again with the error beside the field; other forms say it and lead back', async () => {
    const agent = createAgent(t.app);
    const cookie = () => [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const send = async (url: string, fields: string, locale = 'he') => {
      const page = await agent.get(url);
      return t.app.inject({
        method: 'POST', url, headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded', 'accept-language': locale },
        payload: `_csrf=${encodeURIComponent(csrfTokenOf(page.body))}&${fields}`,
      });
    };
    for (const [fields, field, text] of [
      ['identifier=%ff&password=x', 'identifier', 'הערך מכיל תווים לא תקינים'],
      ['identifier=0012345679&password=a%00b', 'password', 'הערך בשדה זה אינו תקין'],
      ['identifier=12%ED%A0%80&password=x', 'identifier', 'הערך מכיל תווים לא תקינים'],
    ] as const) {
      for (const url of ['/sign-in', '/sign-in/staff?return_to=%2Fadmin%2Fusers']) {
        const response = await send(url, fields);
        assert.equal(response.statusCode, 400, `${url} ${fields}`);
        assert.match(response.body, new RegExp(`<div class="field invalid">\\s*<label for="${field}">`), `${url} ${fields}`);
        assert.match(response.body, new RegExp(text));
        assert.match(response.body, /<form[^>]+action="\/sign-in/, 'the form itself, to try again');
        assert.doesNotMatch(response.body, /\((identifier|password)\)/);
        assertNoLeak(response);
      }
    }
    // Signed in (the district administrator), the password form likewise.
    await agent.submit('/sign-in', { identifier: adminId, password: PASSWORD });
    const password = await send('/password', 'current=%C0%AF&password=x&repeat=x');
    assert.equal(password.statusCode, 400);
    assert.match(password.body, /<div class="field invalid">\s*<label for="current">/);
    // A pending account completing its profile.
    const pendingId = nationalIdFor(4602);
    await createAccount(t.handle.db, t.hasher, { nationalId: pendingId, password: PASSWORD, status: 'pending' });
    const pending = createAgent(t.app);
    await pending.submit('/sign-in', { identifier: pendingId, password: PASSWORD });
    const profilePage = await pending.get('/profile');
    const profile = await t.app.inject({
      method: 'POST', url: '/profile', headers: { cookie: [...pending.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(csrfTokenOf(profilePage.body))}&fatherName=a%F0%9F%98b&gender=male`,
    });
    assert.equal(profile.statusCode, 400, profile.body.slice(0, 200));
    assert.match(profile.body, /<div class="field invalid">\s*<label for="fatherName">/);
    assert.equal((await t.handle.db.selectFrom('accounts as a').innerJoin('people as p', 'p.id', 'a.person_id').select('a.status').where('p.national_id', '=', pendingId).executeTakeFirstOrThrow()).status, 'pending');
    // A form that cannot be drawn again with a field's error (the support request's repeated field): said, with the way back.
    const support = await send('/support', 'category=account&category=other&subject=s&text=t', 'en');
    assert.ok(support.statusCode >= 400 && support.statusCode < 500, String(support.statusCode));
    assert.match(support.body, /<a class="button" href="\/support">بازگشت به فرم<\/a>/, 'in the account\'s own language');
    // A refused CSRF token leads back too, to a fresh token.
    const csrf = await t.app.inject({ method: 'POST', url: '/sign-in', headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' }, payload: 'identifier=x&password=y' });
    assert.equal(csrf.statusCode, 403);
    assert.match(csrf.body, /<a class="button" href="\/sign-in">بازگشت به فرم<\/a>/);
  });

  test('the sessions API and the admin API name the field, nested ones by their path', async () => {
    const signIn = await json('POST', '/api/v1/sessions', body({ identifier: adminId, password: `${PASSWORD}\ud800` }));
    assert.equal(signIn.statusCode, 400);
    assert.deepEqual(signIn.json().error, { code: 'error.text_malformed', message: 'This value contains characters that are not valid text; please type it again', field: 'password' });
    const cases: [string, string, Record<string, unknown>, string][] = [
      ['POST', '/api/v1/admin/users', { nationalId: '\ud800', role: 'teacher' }, 'nationalId'],
      ['POST', '/api/v1/admin/users', { nationalId: nationalIdFor(9), role: 'father', childNationalId: '1\udfff' }, 'childNationalId'],
      ['POST', '/api/v1/admin/password-batches', { userIds: [randomUUID(), '\ud800'] }, 'userIds.1'],
      ['POST', '/api/v1/admin/memberships/renew', { membershipIds: ['\ud800'] }, 'membershipIds.0'],
      ['PUT', '/api/v1/sessions/current/membership', { membershipId: '\ud800' }, 'membershipId'],
    ];
    for (const [method, url, payload, field] of cases) {
      const response = await json(method as 'POST', url, body(payload));
      assert.equal(response.statusCode, 400, url);
      assert.deepEqual(response.json().error.code, 'error.text_malformed', url);
      assert.equal(response.json().error.field, field, url);
    }
    const events = await t.handle.db.selectFrom('audit_events').select('type').where('type', 'like', 'admin.%').execute();
    assert.deepEqual(events, [], 'nothing was done');
  });

  test('a CSV import with bytes that are not UTF-8, or a NUL, is refused with its line; nothing is written', async () => {
    const csv = (tail: Buffer) => Buffer.concat([Buffer.from(`national_id,role\n${nationalIdFor(30)},teacher\n`), tail]);
    for (const [tail, line] of [[Buffer.from([0xd3, 0xe1, 0xc7, 0xe3, 0x2c, 0x74, 0x0a]), 3], [Buffer.from(`${nationalIdFor(31)},teacher\nx\u0000,y\n`), 4]] as const) {
      const imported = await t.app.inject({ method: 'POST', url: `/api/v1/admin/imports?organizationId=${tree.schoolA}`, headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/csv', 'accept-language': 'en' }, payload: csv(tail) });
      assert.equal(imported.statusCode, 422);
      assert.equal(imported.json().error.code, 'import.not_utf8');
      assert.match(imported.json().error.message, new RegExp(`line ${line}\\)`));
    }
    const memberships = await t.handle.db.selectFrom('memberships').select('id').where('organization_id', '=', tree.schoolA).execute();
    assert.equal(memberships.length, 0);
    const page = await t.app.inject({
      method: 'POST', url: '/admin/import', headers: { cookie: adminCookie.cookie, 'content-type': 'multipart/form-data; boundary=X' },
      payload: Buffer.concat([
        Buffer.from(`--X\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${adminCookie.csrf}\r\n--X\r\nContent-Disposition: form-data; name="organizationId"\r\n\r\n${tree.schoolA}\r\n`),
        Buffer.from('--X\r\nContent-Disposition: form-data; name="file"; filename="x.csv"\r\nContent-Type: text/csv\r\n\r\n'), csv(Buffer.from([0xff, 0x0a])), Buffer.from('\r\n--X--\r\n'),
      ]),
    });
    assert.equal(page.statusCode, 422);
    assert.match(page.body, /UTF-8/);
    assert.match(page.body, /ورود این فایل انجام نشد و چیزی ذخیره نشد\./, 'the page says nothing was saved');
  });

  test('a CSV import whose quoting breaks is refused with the line where the broken record begins; nothing is written', async () => {
    const row = (n: number) => `${nationalIdFor(n)},teacher`;
    const cases: [Buffer, number][] = [
      // A quote opened on line 3 and never closed: csv-parse reads to the end of the file (line 6) before it gives up.
      [Buffer.from(`national_id,role\n${row(32)}\n"${row(33)}\n${row(34)}\n${row(35)}\n`), 3],
      // Windows line ends, Excel's BOM, a quoted field over two lines before the fault: text after a closing quote on line 5.
      [Buffer.from(`\ufeffnational_id,role\r\n${row(36)}\r\n${nationalIdFor(37)},"teacher\r\nx"\r\n"${nationalIdFor(38)}"x,teacher\r\n${row(39)}\r\n`), 5],
      // The same fault in a field that is not the first: text after the closing quote of the role on line 3.
      [Buffer.from(`national_id,role\n${row(47)}\n${nationalIdFor(48)},"teacher"x\n${row(49)}\n`), 3],
      // A record past the size cap (64 KiB) on line 2.
      [Buffer.from(`national_id,role\n${nationalIdFor(40)},${'x'.repeat(70_000)}\n`), 2],
      // Excel's "CSV (Macintosh)": lines end with a lone CR; the quote opens on line 4.
      [Buffer.from(`national_id,role\r${row(41)}\r${row(42)}\r"${row(43)}\r${row(44)}\r`), 4],
      // Blank lines the parser skips, then the fault on line 5.
      [Buffer.from(`national_id,role\n${row(45)}\n\n\r\n"${row(46)}\n`), 5],
    ];
    for (const [file, line] of cases) {
      const imported = await t.app.inject({ method: 'POST', url: `/api/v1/admin/imports?organizationId=${tree.schoolA}`, headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/csv', 'accept-language': 'en' }, payload: file });
      assert.equal(imported.statusCode, 422, String(line));
      assert.equal(imported.json().error.code, 'import.not_csv_at');
      assert.match(imported.json().error.message, new RegExp(`at line ${line}: a cell there opens a quote`));
      const persian = await t.app.inject({ method: 'POST', url: `/api/v1/admin/imports?organizationId=${tree.schoolA}`, headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/csv', 'accept-language': 'fa' }, payload: file });
      assert.match(persian.json().error.message, new RegExp(`سطر ${String(line).replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]!)} `), 'in Persian, with Persian digits');
    }
    const memberships = await t.handle.db.selectFrom('memberships').select('id').where('organization_id', '=', tree.schoolA).execute();
    assert.equal(memberships.length, 0);
  });

  test('a quote inside an unquoted CSV field is a character (Hebrew writes בי"ס and תשפ"ו with one): the row is read, its own checks refuse or keep it', async () => {
    await t.handle.db.insertInto('people').values([50, 51, 52, 53].map((n) => ({ national_id: nationalIdFor(n), first_name: 'רונית', last_name: 'כהן' }))).execute();
    const file = Buffer.from([
      'national_id,role,email',
      `${nationalIdFor(50)},teacher,`, // a good row before
      `${nationalIdFor(51)},tea"cher,`, // a stray quote: the role, as written, is unknown
      `${nationalIdFor(52)},teacher,ב"ס@example.com`, // and in another field: an email that is not one
      `${nationalIdFor(53)},teacher,`, // a good row after: the parser knows where rows start
    ].join('\n') + '\n');
    const imported = await t.app.inject({ method: 'POST', url: `/api/v1/admin/imports?organizationId=${tree.schoolA}`, headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/csv', 'accept-language': 'en' }, payload: file });
    assert.equal(imported.statusCode, 200, imported.body);
    const report = imported.json();
    assert.deepEqual({ created: report.created, rejected: report.rejected }, { created: 2, rejected: 2 });
    assert.deepEqual(report.errors.map((e: { line: number; field: string; code: string }) => [e.line, e.field, e.code]),
      [[3, 'role', 'import.role_unknown'], [4, 'email', 'import.email_invalid']]);
    const memberships = await t.handle.db.selectFrom('memberships').innerJoin('accounts', 'accounts.id', 'memberships.account_id').innerJoin('people', 'people.id', 'accounts.person_id')
      .select('people.national_id').where('memberships.organization_id', '=', tree.schoolA).orderBy('people.national_id').execute();
    assert.deepEqual(memberships.map((m) => m.national_id), [nationalIdFor(50), nationalIdFor(53)].sort());
  });

  test('the registry import stops at the first line that is not UTF-8 and writes nothing', async () => {
    const file = Buffer.concat([Buffer.from(`national_id,first_name,last_name,birth_date\n${nationalIdFor(40)},سارا,احمدی,2005-01-01\n`), Buffer.from([0x30, 0xe9, 0x2c, 0x61, 0x2c, 0x62, 0x2c, 0x63, 0x0a])]);
    await assert.rejects(importRegistry(t.handle.db, Readable.from([file]), { profile: 'ir', personalDataKey: Buffer.alloc(32) }),
      (error: unknown) => error instanceof RegistryFileError && /line 3: the file is not UTF-8/.test(error.message));
    const person = await t.handle.db.selectFrom('people').select('id').where('national_id', '=', nationalIdFor(40)).executeTakeFirst();
    assert.equal(person, undefined);
  });

  test('a User-Agent with a lone surrogate is stored well-formed', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', headers: { 'user-agent': 'Phone\ud800/1' }, payload: { identifier: adminId, password: PASSWORD } });
    assert.equal(response.statusCode, 201);
    const rows = await t.handle.db.selectFrom('sessions').select('user_agent').where('user_agent', 'like', 'Phone%').execute();
    assert.deepEqual(rows.map((r) => r.user_agent), ['Phone\ufffd/1']);
  });

  test('every route of the server: a malformed string in the body or the query is a 4xx, never a 500', async () => {
    const auth = { authorization: `Bearer ${admin}`, cookie: adminCookie.cookie };
    const routes = t.app.routeTable.filter((r) => r.method !== 'HEAD' && !r.url.startsWith('/assets/'));
    assert.ok(routes.length > 40, `only ${routes.length} routes`);
    for (const route of routes) {
      const url = route.url.replace(/:[A-Za-z]+/g, randomUUID()).replace('*', 'x');
      const query = await t.app.inject({ method: route.method as 'GET', url: `${url}?x=%ED%A0%80`, headers: auth });
      assertNoLeak(query);
      if (route.method === 'GET') {
        // The admin API's door is before the body and the query are read: a route this admin may not use is a 403 first;
        // SCIM's takes a client's token, not a person's: a 401 first.
        const door = (query.statusCode === 403 && route.url.startsWith('/api/v1/admin/')) || (query.statusCode === 401 && route.url.startsWith('/scim/v2/'));
        assert.equal(query.statusCode, door ? query.statusCode : 400, `${route.method} ${route.url} ?x=%ED%A0%80`);
        continue;
      }
      const isApi = route.url.startsWith('/api/');
      const response = await t.app.inject({
        method: route.method as 'POST', url, headers: { ...auth, 'content-type': isApi ? 'application/json' : 'application/x-www-form-urlencoded' },
        payload: isApi ? '{"nationalId":"\\ud800","text":"\\udfff"}' : `_csrf=${encodeURIComponent(adminCookie.csrf)}&nationalId=%ED%A0%80`,
      });
      assertNoLeak(response);
      // The profile form checks its own text (it draws itself again), and is only for a pending account: an active one is sent home first.
      const sentHome = route.url === '/profile' && response.statusCode === 303 && response.headers.location === '/';
      assert.ok(response.statusCode >= 400 || sentHome, `${route.method} ${route.url}: ${response.statusCode}`);
    }
  });
});
