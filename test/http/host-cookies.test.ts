// Behind HTTPS every cookie of the whole site is named `__Host-…` (http/cookies.ts, RFC 6265bis
// §4.1.3.2): a neighbouring host of the same site cannot plant or overwrite one. A browser that
// enforces the prefixes' rules (test/helpers/cookie-browser.ts, as Chromium does), behind a proxy
// that ends TLS, signs in, goes through an app's sign-in (openid-client) and signs out, with no
// cookie of Kelid's refused on the way; a cookie planted under the bare name is not read; the
// cookies of the release before, under the bare names, end their session (the apps told) and go.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import * as oidc from 'openid-client';
import { loadConfig } from '../../src/config.ts';
import { siteCookies } from '../../src/http/cookies.ts';
import { startListeningApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor } from '../helpers/fixtures.ts';
import { AFTER_LOGOUT, authorizationRequest, authorize, cookieBrowser, exchange, formAction, isCallback, registerClient, type TestClient } from '../helpers/oidc.ts';

const PUBLIC = 'https://kelid.example';
const PASSWORD = 'Sahar-Mehr-1404!';

describe('cookies behind HTTPS', () => {
  let t: TestApp & { baseUrl: string };
  let app: TestClient;
  let logoutServer: Server;
  const toldApps: string[] = [];
  const teacher = { identifier: nationalIdFor(7301), password: PASSWORD };
  const nextTeacher = { identifier: nationalIdFor(7302), password: PASSWORD };
  const accountIds: Record<string, string> = {};
  const browserBehindTls = () => cookieBrowser({ tls: { origin: PUBLIC, via: t.baseUrl } });
  // The app's server reaches the provider through the same proxy.
  const throughProxy: oidc.CustomFetch = (url, options) => fetch(url.replace(PUBLIC, t.baseUrl), options as RequestInit);

  before(async () => {
    logoutServer = createServer((request, response) => {
      toldApps.push(request.url ?? '');
      request.resume().on('end', () => response.writeHead(200).end());
    });
    await new Promise<void>((resolve) => logoutServer.listen(0, '127.0.0.1', resolve));
    const address = logoutServer.address();
    t = await startListeningApp('pglite', { KELID_PUBLIC_URL: PUBLIC });
    const tree = await createTree(t.handle.db);
    for (const person of [teacher, nextTeacher]) {
      accountIds[person.identifier] = (await createAccount(t.handle.db, t.hasher, { nationalId: person.identifier, password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'teacher', startsOn: '2020-09-01', endsOn: null }] })).accountId;
    }
    app = await registerClient(t, { clientId: 'tls-app', roles: ['teacher'], backchannelLogoutUri: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/tls-app` });
    t.clock.now = () => new Date();
  });
  after(async () => { await t.close(); logoutServer.close(); });

  const signIn = async (browser: ReturnType<typeof cookieBrowser>, person = teacher) => {
    const page = await browser.go(`${PUBLIC}/sign-in?lang=en`);
    assert.equal(page.status, 200);
    return browser.submit(page, formAction(page.body, /^\/sign-in/), person);
  };
  const appConfig = () => oidc.discovery(new URL(`${PUBLIC}/oidc`), app.id, app.secret!, undefined, { [oidc.customFetch]: throughProxy });

  test('an https public URL in any case is https: the cookies are __Host-', () => {
    const config = loadConfig({ KELID_PUBLIC_URL: 'HTTPS://Kelid.Example/' });
    assert.equal(config.publicUrl, 'https://kelid.example');
    const cookies = siteCookies(config.publicUrl);
    assert.equal(cookies.session, '__Host-kelid_session');
    assert.equal(cookies.attributes.secure, true);
    assert.equal(siteCookies('http://localhost:3000').session, 'kelid_session');
    assert.equal(siteCookies('http://localhost:3000').previous, undefined);
  });

  test('a browser keeping the prefixes\' rules signs in, into an app, and out of both; every cookie is __Host- and Secure', async () => {
    const browser = browserBehindTls();
    const home = await signIn(browser);
    assert.equal(new URL(home.url).pathname, '/', `${home.status} ${home.url}`);
    for (const name of ['lang', 'csrf', 'session', 'device']) assert.ok(browser.cookie(`__Host-kelid_${name}`), `__Host-kelid_${name} kept`);

    const config = await appConfig();
    const request = await authorizationRequest(config, { scope: 'openid profile' });
    const tokens = await exchange(config, await authorize(browser, request), request);
    assert.ok(tokens.id_token, 'signed in to the app without typing');
    assert.ok(browser.cookie('__Host-kelid_oidc_session'), 'the provider\'s session cookie is __Host- too');
    // The provider's interaction cookies are one interaction's path, which the prefix forbids: Secure all the same.
    for (const cookie of browser.jar) {
      assert.equal(cookie.secure, true, cookie.name);
      if (cookie.path === '/') assert.match(cookie.name, /^__Host-/);
    }

    // The app's sign-out, "yes, of Kelid too": both sessions' cookies cleared, which a browser does only when the clearing keeps the rules.
    const confirm = await browser.go(oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: AFTER_LOGOUT }).href);
    assert.equal(confirm.status, 200);
    const action = /<form[^>]*id="op.logoutForm"[^>]*action="([^"]+)"|<form[^>]*action="([^"]+)"[^>]*id="op.logoutForm"/.exec(confirm.body);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.body)![1]!;
    const done = await browser.go(new URL((action![1] ?? action![2])!.replaceAll('&amp;', '&'), confirm.url).href, { form: { xsrf, logout: 'yes' }, stopAt: isCallback });
    assert.ok(isCallback(done.url), `${done.status} ${done.url}`);
    assert.equal(browser.cookie('__Host-kelid_session'), undefined);
    assert.equal(browser.cookie('__Host-kelid_oidc_session'), undefined);
    assert.deepEqual(browser.refused, [], 'no cookie of Kelid\'s was refused by the browser\'s rules');
  });

  test('Kelid\'s own sign-out clears the __Host- session cookie by the rules', async () => {
    const browser = browserBehindTls();
    const home = await signIn(browser);
    assert.ok(browser.cookie('__Host-kelid_session'));
    const out = await browser.submit(home, '/sign-out', {});
    assert.match(out.url, /\/sign-in/);
    assert.equal(browser.cookie('__Host-kelid_session'), undefined);
    assert.equal((await browser.go(`${PUBLIC}/account/sessions`)).url.includes('/sign-in'), true, 'signed out');
    assert.deepEqual(browser.refused, []);
  });

  test('a session or CSRF cookie under the bare name, as a neighbouring host could plant it, is not read', async () => {
    const browser = browserBehindTls();
    await signIn(browser);
    const token = browser.cookie('__Host-kelid_session')!;
    const page = (cookie: string) => fetch(`${t.baseUrl}/account/sessions`, { headers: { cookie, 'accept-language': 'en' }, redirect: 'manual' });
    assert.equal((await page(`__Host-kelid_session=${token}`)).status, 200, 'the real cookie signs in');
    const planted = await page(`kelid_session=${token}`);
    assert.equal(planted.status, 303);
    assert.match(planted.headers.get('location') ?? '', /^\/sign-in/);
    // A form posted with a bare CSRF cookie and a token drawn for it: refused.
    const drawn = await fetch(`${t.baseUrl}/sign-in`, { headers: { 'accept-language': 'en' } });
    const csrf = drawn.headers.getSetCookie().find((c) => c.startsWith('__Host-kelid_csrf='))!.split(';')[0]!.split('=').slice(1).join('=');
    const csrfToken = /name="_csrf" value="([^"]+)"/.exec(await drawn.text())![1]!;
    const posted = await fetch(`${t.baseUrl}/sign-in`, {
      method: 'POST', redirect: 'manual',
      headers: { cookie: `kelid_csrf=${csrf}`, 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' },
      body: new URLSearchParams({ _csrf: csrfToken, ...teacher }).toString(),
    });
    assert.equal(posted.status, 403);
    assert.equal(posted.headers.getSetCookie().some((c) => c.includes('kelid_session=') && !c.startsWith('__Host-kelid_session=;')), false, 'no session');
  });

  test('the cookies of the release before, under the bare names, end their session and its apps\' at the next page, and are cleared', async () => {
    const browser = browserBehindTls();
    await signIn(browser);
    const config = await appConfig();
    const request = await authorizationRequest(config, { scope: 'openid profile' });
    await exchange(config, await authorize(browser, request), request);
    const first = await t.handle.db.selectFrom('sessions').select('id').where('account_id', '=', accountIds[teacher.identifier]!).execute();
    assert.equal(first.length, 1);
    // The release before named them without the prefix: the same browser, as it was then.
    for (const cookie of browser.jar) cookie.name = cookie.name.replace(/^__Host-/, '');
    toldApps.length = 0;
    // The next person at this computer opens the sign-in page (in Persian: the browser's language).
    assert.equal(browser.cookie('kelid_lang'), 'en', 'the language chosen under the old name');
    const firstPage = await browser.go(`${PUBLIC}/sign-in`);
    assert.equal(firstPage.status, 200);
    assert.deepEqual(browser.jar.filter((c) => c.path === '/').map((c) => c.name).filter((name) => !name.startsWith('__Host-')), [], 'the old cookies are cleared');
    assert.equal(browser.cookie('__Host-kelid_lang'), 'en', 'the language chosen is kept under the new name');
    const page = await browser.go(`${PUBLIC}/sign-in`);
    assert.match(page.body, /<html lang="en"/, 'and read from the next page on');
    assert.equal((await t.handle.db.selectFrom('sessions').select('id').where('id', '=', first[0]!.id).execute()).length, 0, 'the old session ended');
    for (let i = 0; i < 50 && toldApps.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(toldApps, ['/tls-app'], 'the app the old session signed in to is told');
    const home = await browser.submit(page, formAction(page.body, /^\/sign-in/), nextTeacher);
    assert.equal(new URL(home.url).pathname, '/');
    assert.deepEqual(browser.refused, []);
  });
});
