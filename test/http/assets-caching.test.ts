// What a shared cache may keep of answers under /assets/ (review of issue 14): only the asset
// route's own answers choose their caching, and those carry nothing of one visitor (no cookie);
// everything else there (a 404, a refused name, an error) is `no-store` like every other page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assetUrl } from '../../src/http/asset-table.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

describe('caching of answers under /assets/', () => {
  let t: TestApp;
  before(async () => { t = await startTestApp('pglite'); });
  after(() => t.close());

  test('an answer under /assets/ that is not an asset (404, 400) is never stored', async () => {
    for (const url of ['/assets/nope.css', '/assets/fonts/fonts.json', '/assets/../package.json', '/assets/%2e%2e/package.json', '/assets/', '/assets/site.css%00', '/assets/countdown.ts']) {
      const response = await t.app.inject({ url, headers: { 'accept-encoding': 'br' } });
      assert.ok(response.statusCode >= 400, `${url}: ${response.statusCode}`);
      assert.equal(response.headers['cache-control'], 'no-store', url);
    }
  });

  test('an asset, or the redirect to one, sets no cookie: ?lang= and ?digits= are remembered by pages only', async () => {
    for (const url of [`${assetUrl('site.css')}?lang=ar&digits=latn`, '/assets/site.css?lang=ar&digits=latn', `${assetUrl('fonts/fa.woff2')}?lang=en`]) {
      const response = await t.app.inject({ url, headers: { 'accept-encoding': 'br' } });
      assert.ok(response.statusCode === 200 || response.statusCode === 302, `${url}: ${response.statusCode}`);
      assert.equal(response.headers['set-cookie'], undefined, url);
    }
    const asset = await t.app.inject(assetUrl('site.css'));
    assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
    // The same parameters on a page are remembered as before.
    const page = await t.app.inject('/sign-in?lang=ar&digits=latn');
    assert.match(String(page.headers['set-cookie']), /kelid_lang=ar/);
    assert.match(String(page.headers['set-cookie']), /kelid_digits=latn/);
  });
});
