// Work on input nobody has authenticated is bounded (review i9, findings 1, 2, 3, 7, 8): a
// query or form body with more fields than any form, a JSON body with more values than any
// request, is refused by count (not parsed and walked whole); a Buffer is never walked as
// text; an anonymous upload to the admin API or the import page is refused before a byte of
// it is read; and what Fastify refuses before any hook runs is the app's localized answer
// with the usual headers. No test here measures time: each counts the work instead.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { isUuid } from '../../src/domain/uuid.ts';
import { inputProblemIn, MAX_FIELDS, MAX_VALUES, readUrlEncoded, textProblemIn } from '../../src/http/plugins/input-text.ts';
import { createAgent, csrfTokenOf } from '../helpers/agent.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor, type Tree } from '../helpers/fixtures.ts';

const PASSWORD = 'Sahar-Mehr-1404!';

/** An array that counts how many of its entries were read. */
function countingArray(length: number): { array: unknown[]; reads: () => number } {
  let reads = 0;
  const array = new Proxy(new Array<number>(length).fill(0), {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
      return Reflect.get(target, key, receiver);
    },
  });
  return { array, reads: () => reads };
}

/** A request body of `total` bytes that counts how much of it the server pulled. */
function countingBody(total: number): { stream: Readable; pulled: () => number } {
  let pulled = 0;
  const stream = new Readable({
    read() {
      if (pulled >= total) return void this.push(null);
      pulled += 65_536;
      this.push(Buffer.alloc(65_536, 0x61));
    },
  });
  return { stream, pulled: () => pulled };
}

function assertAppAnswer(response: LightMyRequestResponse, status: number, code: string) {
  assert.equal(response.statusCode, status, response.body.slice(0, 300));
  assert.match(String(response.headers['content-security-policy']), /frame-ancestors 'none'/, 'the usual security headers');
  assert.equal(response.headers['x-content-type-options'], 'nosniff');
  assert.equal(response.headers['cache-control'], 'no-store');
  assert.ok(isUuid(String(response.headers['x-request-id'])), 'the request id support is told');
  if (String(response.headers['content-type']).startsWith('application/json')) assert.equal(response.json().error.code, code);
  else assert.match(response.body, /<html lang="(fa|en|he)"/);
}

describe('bounded parsing (pure)', () => {
  test('a repeated name is appended in place: 1,000 repeats are one array of 1,000', () => {
    const { fields, complete } = readUrlEncoded('a=1&'.repeat(MAX_FIELDS));
    assert.equal(complete, true);
    assert.equal((fields.a as string[]).length, MAX_FIELDS);
  });

  test('past MAX_FIELDS fields the parser stops reading and says so', () => {
    const { fields, complete } = readUrlEncoded(`${'a&'.repeat(MAX_FIELDS)}b=1&${'c&'.repeat(30_000)}`);
    assert.equal(complete, false);
    assert.equal(fields.b, undefined, 'nothing after the limit was read');
    assert.equal((fields.a as string[]).length, MAX_FIELDS);
  });

  test('the text check reads at most MAX_VALUES values of a huge array, then refuses it', () => {
    const { array, reads } = countingArray(1_000_000);
    assert.deepEqual(inputProblemIn({ id: '\u0000x', pad: array }), { field: 'body', code: 'error.too_many_fields' });
    assert.ok(reads() <= MAX_VALUES, `read ${reads()} entries`);
    // Where a problem is shown beside a field, the body as a whole is invalid: never passed unchecked.
    assert.deepEqual(textProblemIn({ pad: new Array(MAX_VALUES + 1).fill(0) }), { field: 'body', code: 'error.field_invalid' });
    assert.equal(inputProblemIn({ pad: new Array(MAX_VALUES - 10).fill(0) }), undefined);
  });

  test('bytes are not walked as text (an uploaded file, a CSV body): their importers check them', () => {
    assert.equal(inputProblemIn({ file: Buffer.alloc(MAX_VALUES * 3), name: 'x' }), undefined);
    assert.equal(inputProblemIn(new Uint8Array(MAX_VALUES * 3)), undefined);
    assert.deepEqual(inputProblemIn({ file: Buffer.alloc(10), organizationId: '\u0000' }), { field: 'organizationId', code: 'error.field_invalid' });
  });
});

describe('bounded work over HTTP', () => {
  let t: TestApp;
  let tree: Tree;
  const adminId = nationalIdFor(4701);

  before(async () => {
    t = await startTestApp('pglite', { KELID_ADMIN_MFA: 'optional' });
    tree = await createTree(t.handle.db);
    await createAccount(t.handle.db, t.hasher, { nationalId: adminId, password: PASSWORD, memberships: [{ organizationId: tree.district, role: 'district_admin' }] });
  });
  after(() => t.close());

  test('a query string of 30,000 repeated names is refused by count, on pages and in the API', async () => {
    const query = 'a&'.repeat(30_000);
    assertAppAnswer(await t.app.inject({ url: `/sign-in?${query}` }), 400, 'error.too_many_fields');
    const api = await t.app.inject({ url: `/api/v1/captcha?${query}`, headers: { 'accept-language': 'en' } });
    assertAppAnswer(api, 400, 'error.too_many_fields');
    assert.equal(api.json().error.field, 'query');
    // The OpenID provider's routes share the router's parser.
    assert.equal((await t.app.inject({ url: `/oidc/auth?${query}` })).statusCode, 400);
    // One short of the limit is an ordinary request.
    assert.equal((await t.app.inject({ url: `/sign-in?${'a&'.repeat(MAX_FIELDS - 1)}` })).statusCode, 200);
  });

  test('a form body of 30,000 repeated names is refused by count with a 413', async () => {
    const agent = createAgent(t.app);
    const page = await agent.get('/sign-in');
    const response = await agent.post('/sign-in', { _csrf: csrfTokenOf(page.body), identifier: Array(30_000).fill('x') });
    assertAppAnswer(response, 413, 'error.too_many_fields');
    assert.match(response.body, /تعداد فیلدهای درخواست بیش از حد مجاز است/);
  });

  test('a JSON body of half a million values is refused by count, before sign-in looks at it', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', headers: { 'content-type': 'application/json', 'accept-language': 'en' }, payload: `{"pad":[${Array(520_000).fill(0).join(',')}]}` });
    assertAppAnswer(response, 413, 'error.too_many_fields');
    const audit = await t.handle.db.selectFrom('audit_events').select('id').execute();
    assert.equal(audit.length, 0);
  });

  test('a NUL hidden behind 100,001 values is refused, not passed unchecked to PostgreSQL (POST /mfa/passkey)', async () => {
    const agent = createAgent(t.app);
    await agent.submit('/sign-in', { identifier: adminId, password: PASSWORD });
    const csrf = csrfTokenOf((await agent.get('/account/mfa')).body);
    const post = (payload: string) => t.app.inject({
      method: 'POST', url: '/mfa/passkey', payload,
      headers: { cookie: [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/json', 'x-csrf-token': csrf },
    });
    const hidden = await post(`{"id":"\\u0000","pad":[${Array(100_001).fill(0).join(',')}]}`);
    assertAppAnswer(hidden, 413, 'error.too_many_fields');
    const plain = await post('{"id":"\\u0000","pad":[0]}');
    assert.equal(plain.statusCode, 400, 'a small body is checked whole');
    // In JSON, as the page's script reads it (assets/passkey.js: error.message), said in words.
    assert.deepEqual(plain.json(), { error: { code: 'error.field_invalid', message: 'مقدار این فیلد نامعتبر است', field: 'id' } });
    for (const [url, body] of [['/mfa/passkey', '{'], ['/mfa/passkey/options', '{"a":"\udc00'], ['/account/passkeys', ''], ['/account/passkeys/options', '[']] as const) {
      const broken = await t.app.inject({ method: 'POST', url, payload: body, headers: { cookie: [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/json', 'x-csrf-token': csrf } });
      assert.equal(broken.statusCode, 400, `${url} ${JSON.stringify(body)}`);
      assert.match(String(broken.headers['content-type']), /^application\/json/, url);
      assert.match(broken.json().error.message, /[\u0600-\u06ff]/, 'in the page\'s language');
    }
  });

  test('an anonymous 4 MB text/csv to the admin API is refused before its body is read', async () => {
    for (const url of ['/api/v1/admin/imports', '/api/v1/admin/users', '/api/v1/admin/clients']) {
      const body = countingBody(4 * 1024 * 1024);
      const response = await t.app.inject({ method: 'POST', url, headers: { 'content-type': 'text/csv' }, payload: body.stream });
      assertAppAnswer(response, 401, 'error.session_required');
      assert.ok(body.pulled() < 1024 * 1024, `${url}: ${body.pulled()} bytes read`);
    }
    const json = countingBody(900 * 1024);
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/admin/memberships/renew', headers: { 'content-type': 'application/json' }, payload: json.stream });
    assert.equal(response.statusCode, 401);
    assert.ok(json.pulled() < 900 * 1024, 'an anonymous JSON body to the admin API is not read either');
  });

  test('CSV goes to the import route only: elsewhere in the admin API it is an unsupported type', async () => {
    const token = (await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: adminId, password: PASSWORD } })).json().token;
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/admin/users', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, payload: 'national_id,role\n' });
    assertAppAnswer(response, 415, 'error.unsupported_media');
  });

  test('the import page: an anonymous upload is not read; a NUL in a multipart field is a 400 that leads back to the form', async () => {
    const body = countingBody(4 * 1024 * 1024);
    const anonymous = await t.app.inject({ method: 'POST', url: '/admin/import', headers: { 'content-type': 'multipart/form-data; boundary=X' }, payload: body.stream });
    assert.equal(anonymous.statusCode, 303);
    assert.equal(anonymous.headers.location, '/sign-in');
    assert.ok(body.pulled() < 1024 * 1024, `${body.pulled()} bytes read`);

    const agent = createAgent(t.app);
    await agent.submit('/sign-in', { identifier: adminId, password: PASSWORD });
    const csrf = csrfTokenOf((await agent.get('/admin/import')).body);
    const response = await t.app.inject({
      method: 'POST', url: '/admin/import',
      headers: { cookie: [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'multipart/form-data; boundary=X' },
      payload: [
        `--X\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n`,
        `--X\r\nContent-Disposition: form-data; name="organizationId"\r\n\r\n\u0000\r\n`,
        '--X\r\nContent-Disposition: form-data; name="file"; filename="x.csv"\r\nContent-Type: text/csv\r\n\r\nnational_id,role\r\n',
        '--X--\r\n',
      ].join(''),
    });
    assertAppAnswer(response, 400, 'error.field_invalid');
    assert.match(response.body, /role="alert">مقدار این فیلد نامعتبر است<\/p>\s*<p><a class="button" href="\/admin\/import">بازگشت به فرم<\/a>/);
  });

  test('an upload of two files, or a file over the 20 MB cap, says so; nothing is imported', async () => {
    const token = (await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: adminId, password: PASSWORD } })).json().token;
    const file = (name: string, content: string) => `--X\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n${content}\r\n`;
    const jobs = async () => Number((await t.handle.db.selectFrom('import_jobs').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await jobs();
    const two = await t.app.inject({
      method: 'POST', url: '/api/v1/admin/imports',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'multipart/form-data; boundary=X', 'accept-language': 'en' },
      payload: [file('a.csv', 'national_id,role\r\n'), file('b.csv', 'national_id,role\r\n'), '--X--\r\n'].join(''),
    });
    assertAppAnswer(two, 413, 'error.one_file');
    assert.equal(two.json().error.message, 'Send one file only.');
    const huge = await t.app.inject({
      method: 'POST', url: '/api/v1/admin/imports',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'multipart/form-data; boundary=X', 'accept-language': 'en' },
      payload: [file('a.csv', `national_id,role\r\n${'0012345679,student\r\n'.repeat(1_150_000)}`), '--X--\r\n'].join(''),
    });
    assertAppAnswer(huge, 413, 'error.file_too_large');
    assert.equal(huge.json().error.message, 'The file is larger than 20 MB.', 'the limit is said');
    // The file itself as a text/csv body: the same limit, said the same way.
    const body = await t.app.inject({
      method: 'POST', url: '/api/v1/admin/imports',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', 'accept-language': 'fa' },
      payload: `national_id,role\r\n${'0012345679,student\r\n'.repeat(1_150_000)}`,
    });
    assertAppAnswer(body, 413, 'error.file_too_large');
    assert.equal(body.json().error.message, 'حجم فایل بیشتر از ۲۰ مگابایت است.');
    assert.equal(await jobs(), before, 'no import job was made');
  });

  test('a path Fastify cannot decode is the app\'s localized error with the usual headers, the URL not echoed', async () => {
    const page = await t.app.inject({ url: '/register/%FF' });
    assertAppAnswer(page, 400, 'error.bad_request');
    assert.match(page.body, /درخواست نامعتبر است/);
    assert.doesNotMatch(page.body, /%FF|FST_ERR/);
    const english = await t.app.inject({ url: '/register/%FF', headers: { cookie: 'kelid_lang=en' } });
    assert.match(english.body, /<html lang="en"/);
    const api = await t.app.inject({ url: '/api/v1/flows/%E0%A4%A', headers: { 'accept-language': 'en' } });
    assertAppAnswer(api, 400, 'error.bad_request');
    assert.deepEqual(api.json(), { error: { code: 'error.bad_request', message: 'The request is not valid.' } });
    // A path parameter longer than the router takes.
    assertAppAnswer(await t.app.inject({ url: `/api/v1/flows/${'a'.repeat(200)}` }), 414, 'error.bad_request');
  });

  test('junk JSON, an unknown content type and a body over the limit: localized, with the usual headers', async () => {
    const api = (payload: string | Buffer, type: string) => t.app.inject({ method: 'POST', url: '/api/v1/sessions', headers: { 'content-type': type, 'accept-language': 'en' }, payload });
    assertAppAnswer(await api('{"identifier": ', 'application/json'), 400, 'error.bad_request');
    assertAppAnswer(await api('<x/>', 'application/xml'), 415, 'error.unsupported_media');
    assertAppAnswer(await api(Buffer.alloc(1024 * 1024 + 1, 0x20), 'application/json'), 413, 'error.payload_too_large');
    assertAppAnswer(await t.app.inject({ method: 'POST', url: '/sign-in', headers: { 'content-type': 'application/xml' }, payload: '<x/>' }), 415, 'error.unsupported_media');
  });
});
