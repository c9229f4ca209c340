// The parents portal shows a parent their own children, taken from their own `children`
// claim, and nobody else's.
import assert from 'node:assert/strict';
import { connect, type AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { buildApp, ownChild } from '../../examples/parents-portal/server.ts';
import { readConfig } from '../../examples/shared/config.ts';
import { fakeKelid, person, signIn } from './fake-kelid.ts';

const config = readConfig({}, { clientId: 'parents-portal', clientSecret: 'parents-portal-secret', port: 4002 });
const father = person({
  roles: [{ role: 'father', organization: 'School A', organization_id: 'org-a', organization_type: 'public', district: null, province: null, starts_on: null, ends_on: null, grade: null }],
  children: [
    { national_id: '0045678911', given_name: 'علی', family_name: 'محمدی', school: 'School A', grade: 6 },
    { national_id: '0076229645', given_name: 'سارا', family_name: 'محمدی', school: 'School G', grade: 11 },
  ],
});
const now = () => new Date('2025-10-20T08:00:00Z');

describe('parents portal: whose children', () => {
  test('ownChild finds a child only by its exact place in the parent\'s own list', () => {
    assert.equal(ownChild(father, '1')?.given_name, 'علی');
    assert.equal(ownChild(father, '2')?.given_name, 'سارا');
    for (const position of ['3', '0', '01', '1 ', '+1', '1.0', '-1', '0045678911', '', '۱']) assert.equal(ownChild(father, position), null, position);
    assert.equal(ownChild(person({ children: [] }), '1'), null);
  });

  test('a parent sees the list of their children and each child\'s page', async () => {
    const app = await buildApp(config, { kelid: fakeKelid(father), now });
    const { cookie, landedOn } = await signIn(app);
    assert.equal(landedOn, '/');
    const list = await app.inject({ url: '/', headers: { cookie } });
    assert.match(list.body, /href="\/children\/1"/);
    assert.match(list.body, /href="\/children\/2"/);
    assert.doesNotMatch(list.body, /href="[^"]*(0045678911|0076229645)/, 'no national ID in an address');
    const child = await app.inject({ url: '/children/2', headers: { cookie } });
    assert.equal(child.statusCode, 200);
    assert.match(child.body, /سارا/);
    assert.match(child.body, /زمان و نمره امتحانات نهایی/);
    assert.match(child.body, /<table>/, 'a child in grade 11 has final exams');
    const younger = await app.inject({ url: '/children/1', headers: { cookie } });
    assert.match(younger.body, /علی/);
    assert.doesNotMatch(younger.body, /<table>/, 'a child in grade 6 sits no final exams');
    assert.match(younger.body, /امتحانات نهایی از پایه ۱۱ برگزار می‌شود/);
  });

  test('an address past the parent\'s list, or not a place in it (a national ID), gets 404 and no data', async () => {
    const app = await buildApp(config, { kelid: fakeKelid(father), now });
    const { cookie } = await signIn(app);
    for (const id of ['3', '0', '01', '1%20', 'abc', '0045678911', '1583250689']) {
      const response = await app.inject({ url: `/children/${id}`, headers: { cookie } });
      assert.equal(response.statusCode, 404, id);
      assert.match(response.body, /در فهرست فرزندان شما نیست/);
      assert.doesNotMatch(response.body, /امتحانات نهایی<\/h2>/);
    }
  });

  test('an address Fastify cannot decode gets the app\'s own page, not Fastify\'s English JSON', async () => {
    const app = await buildApp(config, { kelid: fakeKelid(father), now });
    for (const url of ['/children/%ff', '/%C0%AF', '/children/%']) {
      const response = await app.inject({ url });
      assert.equal(response.statusCode, 400, url);
      assert.match(String(response.headers['content-type']), /^text\/html/, url);
      assert.match(response.body, /<html lang="fa" dir="rtl"/, url);
      assert.doesNotMatch(response.body, /FST_|Bad Request/, url);
      assert.match(String(response.headers['content-security-policy']), /default-src 'none'/, `${url}: the app's headers too`);
      assert.equal(response.headers['x-frame-options'], 'DENY');
    }
  });

  test('closing (Ctrl-C on the demo) does not wait for a browser\'s unused connection', async () => {
    const app = await buildApp(config, { kelid: fakeKelid(father), now });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const socket = connect((app.server.address() as AddressInfo).port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<string>((resolve) => { timer = setTimeout(() => resolve('still closing after 10 s'), 10_000); });
    assert.equal(await Promise.race([app.close().then(() => 'closed'), hung]), 'closed');
    clearTimeout(timer);
    socket.destroy();
  });

  test('without signing in, a child\'s page sends the browser to sign in and back', async () => {
    const app = await buildApp(config, { kelid: fakeKelid(father), now });
    const response = await app.inject({ url: '/children/1' });
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, '/sign-in?return=%2Fchildren%2F1');
  });
});

describe('shared sign-in pieces, through the parents portal', () => {
  test('a refusal from Kelid shows the no-access page in the person\'s language, with another-account link', async () => {
    const app = await buildApp(config, { kelid: fakeKelid(father), now });
    const start = await app.inject({ url: '/sign-in', headers: { 'accept-language': 'he-IL,he;q=0.9' } });
    const state = new URL(String(start.headers.location)).searchParams.get('state') ?? '';
    const cookie = start.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const back = await app.inject({ url: `/callback?error=access_denied&state=${state}`, headers: { cookie } });
    assert.equal(back.headers.location, '/sign-in-problem?reason=refused');
    const page = await app.inject({ url: '/sign-in-problem?reason=refused', headers: { 'accept-language': 'he' } });
    assert.equal(page.statusCode, 403);
    assert.match(page.body, /lang="he" dir="rtl"/);
    assert.match(page.body, /אין גישה לשירות זה/);
    assert.match(page.body, /href="\/sign-in\?another=1"/);
  });

  test('a callback with another state, or none in progress, does not sign in', async () => {
    const app = await buildApp(config, { kelid: fakeKelid(father), now });
    const start = await app.inject({ url: '/sign-in' });
    const cookie = start.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const forged = await app.inject({ url: '/callback?code=c&state=forged', headers: { cookie } });
    assert.equal(forged.headers.location, '/sign-in-problem?reason=failed');
    const stray = await app.inject({ url: '/callback?code=c&state=x' });
    assert.equal(stray.headers.location, '/sign-in-problem?reason=failed');
  });

  test('the session cookie is signed, HttpOnly and SameSite=Lax, and changes at sign-in', async () => {
    const app = await buildApp(config, { kelid: fakeKelid(father), now });
    const start = await app.inject({ url: '/sign-in' });
    const before = start.cookies.find((c) => c.name === 'parents-portal_session');
    assert.ok(before?.httpOnly);
    assert.equal(before.sameSite, 'Lax');
    assert.match(before.value, /\./);
    const { cookie } = await signIn(app);
    assert.ok(!cookie.includes(before.value));
  });

  test('signing out needs the form token, ends the session and goes to Kelid\'s end-session', async () => {
    const app = await buildApp(config, { kelid: fakeKelid(father), now });
    const { cookie } = await signIn(app);
    const home = await app.inject({ url: '/', headers: { cookie } });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(home.body)?.[1] ?? '';
    const form = (token: string) => ({ method: 'POST' as const, url: '/sign-out', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${token}` });
    assert.equal((await app.inject(form('forged'))).statusCode, 403);
    const out = await app.inject(form(csrf));
    assert.equal(out.statusCode, 303);
    assert.equal(out.headers.location, 'https://kelid.test/oidc/session/end?client_id=parents-portal');
    const after = await app.inject({ url: '/children/1', headers: { cookie } });
    assert.equal(after.statusCode, 303);
  });

  test('pages carry a CSP without inline script or style, and are not stored', async () => {
    const app = await buildApp(config, { kelid: fakeKelid(father), now });
    const response = await app.inject({ url: '/' });
    const csp = String(response.headers['content-security-policy']);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /style-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.equal(response.headers['cache-control'], 'no-store');
    assert.doesNotMatch(response.body, /<script|style=/);
  });

  test('a return path that leaves the app is ignored', async () => {
    const app = await buildApp(config, { kelid: fakeKelid(father), now });
    for (const evil of ['//evil.example/', '/\\evil.example/', 'https://evil.example/']) {
      const { landedOn } = await (async () => {
        const start = await app.inject({ url: `/sign-in?return=${encodeURIComponent(evil)}` });
        const state = new URL(String(start.headers.location)).searchParams.get('state') ?? '';
        const cookie = start.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
        const back = await app.inject({ url: `/callback?code=c&state=${state}`, headers: { cookie } });
        return { landedOn: back.headers.location };
      })();
      assert.equal(landedOn, '/', evil);
    }
  });
});
