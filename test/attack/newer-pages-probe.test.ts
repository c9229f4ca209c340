// Odd inputs on the end-session page, the sign-in page naming an app and the renewal page answer without a 500 (the second security review's probe).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startListeningApp, type TestApp } from '../helpers/app.ts';
import { cookieBrowser } from '../helpers/cookie-browser.ts';

describe('odd inputs on the newer pages', () => {
  let t: TestApp & { baseUrl: string };
  before(async () => { t = await startListeningApp('pglite'); });
  after(() => t.close());

  test('return_to and end-session oddities', async () => {
    const urls = [
      '/sign-in?return_to=%2Foidc%2Fauth%3Fclient_id%3D%2525ZZ',
      '/sign-in?return_to=%2Foidc%2Fauth%3Fclient_id%3D' + 'a'.repeat(2000),
      '/sign-in?return_to=%2Finteraction%2F' + 'A'.repeat(64),
      '/sign-in?return_to=%2Finteraction%2F..%2F..%2Fadmin',
      '/sign-in/code?return_to=%2Foidc%2Fauth%3Fclient_id%3Dx%26client_id%3Dy',
      '/register?return_to=%2Foidc%2Fauth%3Fclient_id%3D%22%3E%3Cscript%3E',
      '/recover?return_to=%2Foidc%2Fauth%3Fclient_id%3D%22%3E%3Cscript%3E',
      '/oidc/session/end?post_logout_redirect_uri=javascript:alert(1)',
      '/oidc/session/end?client_id=%22%3E%3Cscript%3Ealert(1)%3C/script%3E&post_logout_redirect_uri=http://evil.example/',
      '/oidc/session/end?ui_locales=%22%3E%3Csvg%3E&lang=%22%3E%3Csvg%3E&x=%22%3E%3Cscript%3E',
      '/oidc/session/end?%22%3E%3Cscript%3E=1',
    ];
    for (const url of urls) {
      const page = await cookieBrowser().go(`${t.baseUrl}${url}`);
      assert.ok(page.status < 500, `${url}: ${page.status}`);
      assert.doesNotMatch(page.body, /<script>|<svg>/i, `${url} reflects markup`);
      assert.doesNotMatch(page.body, /at [A-Za-z]+ \(|node_modules/, `${url} shows a stack`);
    }
    const post = await fetch(`${t.baseUrl}/oidc/session/end/confirm`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'xsrf=x&logout=yes' });
    assert.ok(post.status < 500, `confirm without a session: ${post.status}`);
  });
});
