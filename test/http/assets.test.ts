// Static assets (issue 14): content-hashed names, cached for a year, precompressed; pages and
// JSON compressed when asked, secrets' pages not; old names sent on to the current version.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import zlib from 'node:zlib';
import { assets, assetUrl, fontUrls } from '../../src/http/asset-table.ts';
import { chooseEncoding } from '../../src/http/plugins/assets.ts';
import { createAgent, csrfTokenOf } from '../helpers/agent.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor } from '../helpers/fixtures.ts';

const PASSWORD = 'Modir-Madreseh-1404!';

describe('static assets and compression', () => {
  let t: TestApp;
  before(async () => { t = await startTestApp('pglite', { KELID_ADMIN_MFA: 'optional' }); });
  after(() => t.close());

  test('every asset answers at its hashed URL, immutable for a year; text in Brotli or gzip as asked, fonts as they are', async () => {
    for (const asset of assets.values()) {
      assert.match(asset.url, /^\/assets\/.+\.[0-9a-f]{12}\.(css|js|woff2)$/);
      const plain = await t.app.inject({ url: asset.url, headers: { 'accept-encoding': 'identity' } });
      assert.equal(plain.statusCode, 200, asset.url);
      assert.equal(plain.headers['cache-control'], 'public, max-age=31536000, immutable');
      assert.equal(plain.headers['content-encoding'], undefined);
      assert.ok(plain.rawPayload.equals(asset.body));
      const br = await t.app.inject({ url: asset.url, headers: { 'accept-encoding': 'gzip, deflate, br' } });
      if (!asset.compressible) {
        assert.equal(br.headers['content-type'], 'font/woff2');
        assert.equal(br.headers['content-encoding'], undefined);
        continue;
      }
      assert.equal(br.headers['content-encoding'], 'br', asset.url);
      assert.equal(br.headers['vary'], 'accept-encoding');
      assert.ok(zlib.brotliDecompressSync(br.rawPayload).equals(asset.body));
      const gz = await t.app.inject({ url: asset.url, headers: { 'accept-encoding': 'gzip' } });
      assert.equal(gz.headers['content-encoding'], 'gzip');
      assert.ok(zlib.gunzipSync(gz.rawPayload).equals(asset.body));
    }
  });

  test('the stylesheet names the fonts and the captcha script the widget by their hashed URLs', () => {
    const css = assets.get('site.css')!.body.toString('utf8');
    for (const url of [...fontUrls('fa'), ...fontUrls('he')]) assert.ok(css.includes(`url(${url})`), url);
    assert.match(css, /font-display: swap; unicode-range: U\+/);
    assert.doesNotMatch(css, /url\(\/assets\/[\w/-]+\.woff2\)/, 'no unhashed font URL is left');
    const captcha = assets.get('captcha.js')!.body.toString('utf8');
    assert.ok(captcha.includes(assetUrl('altcha/external/altcha.min.js')));
    assert.ok(captcha.includes(assetUrl('altcha/workers/pbkdf2.js')));
    assert.deepEqual(fontUrls('en'), [], 'English is drawn by the system font');
  });

  test('an old name, or another version\'s hash, is sent on to the current file; anything else is a 404', async () => {
    for (const old of ['/assets/site.css', '/assets/site.0123456789ab.css', '/assets/altcha/i18n/fa.js']) {
      const response = await t.app.inject(old);
      assert.equal(response.statusCode, 302, old);
      assert.match(String(response.headers.location), /^\/assets\/.+\.[0-9a-f]{12}\./);
      assert.equal(response.headers['cache-control'], 'no-cache');
    }
    for (const unknown of ['/assets/nope.css', '/assets/Vazirmatn-Regular.woff2', '/assets/../package.json', '/assets/fonts/fonts.json', '/assets/']) {
      assert.equal((await t.app.inject(unknown)).statusCode, 404, unknown);
    }
  });

  test('pages and JSON are compressed when asked; tiny answers and the TOTP secret\'s page are not', async () => {
    const page = await t.app.inject({ url: '/sign-in?lang=fa', headers: { 'accept-encoding': 'br, gzip' } });
    assert.equal(page.headers['content-encoding'], 'br');
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.match(zlib.brotliDecompressSync(page.rawPayload).toString('utf8'), /<html lang="fa" dir="rtl">/);
    assert.ok(page.rawPayload.length < 4096, `the sign-in page is ${page.rawPayload.length} bytes compressed`);
    const gz = await t.app.inject({ url: '/sign-in?lang=he', headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    // BREACH: the compressed page's CSRF token is salted afresh on every answer, so no secret repeats.
    const visitor = createAgent(t.app);
    const first = csrfTokenOf((await visitor.get('/sign-in')).body);
    assert.ok(visitor.cookies.has('kelid_csrf'));
    assert.notEqual(csrfTokenOf((await visitor.get('/sign-in')).body), first);
    const plain = await t.app.inject({ url: '/sign-in' });
    assert.equal(plain.headers['content-encoding'], undefined, 'no Accept-Encoding: sent as it is');
    const json = await t.app.inject({ url: '/api/v1/openapi.json', headers: { 'accept-encoding': 'br' } });
    assert.equal(json.statusCode, 200);
    assert.equal(json.headers['content-encoding'], 'br');
    assert.equal(JSON.parse(zlib.brotliDecompressSync(json.rawPayload).toString('utf8')).openapi?.slice(0, 2), '3.');
    const tiny = await t.app.inject({ url: '/healthz', headers: { 'accept-encoding': 'br' } });
    assert.equal(tiny.headers['content-encoding'], undefined);
  });

  test('the page showing a TOTP secret is never compressed (BREACH); the signed-in home page is; the XLSX export streams untouched', async () => {
    const tree = await createTree(t.handle.db);
    const nationalId = nationalIdFor(4961);
    await createAccount(t.handle.db, t.hasher, { nationalId, password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'principal' }] });
    const agent = createAgent(t.app);
    await agent.submit('/sign-in', { identifier: nationalId, password: PASSWORD });
    const enrol = await agent.get('/account/mfa', { 'accept-encoding': 'br, gzip' });
    assert.equal(enrol.statusCode, 200);
    assert.match(enrol.body, /class="secret"/);
    assert.equal(enrol.headers['content-encoding'], undefined);
    const home = await agent.get('/', { 'accept-encoding': 'br, gzip' });
    assert.equal(home.statusCode, 200);
    assert.equal(home.headers['content-encoding'], 'br');
    // The XLSX export streams as it is written (a zip already): never recompressed.
    const xlsx = await agent.get('/admin/users.xlsx', { 'accept-encoding': 'br, gzip' });
    assert.equal(xlsx.statusCode, 200);
    assert.equal(xlsx.headers['content-encoding'], undefined);
    assert.equal(xlsx.rawPayload.subarray(0, 2).toString('latin1'), 'PK');
  });

  test('Accept-Encoding: Brotli first, gzip next, q=0 refuses', () => {
    assert.equal(chooseEncoding('gzip, deflate, br, zstd'), 'br');
    assert.equal(chooseEncoding('gzip;q=1.0, br;q=0'), 'gzip');
    assert.equal(chooseEncoding('identity'), null);
    assert.equal(chooseEncoding(undefined), null);
    assert.equal(chooseEncoding('BR'), 'br');
  });
});
