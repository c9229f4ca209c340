// The ministry's apps in the console (issue 10 §4), against a listening app on PostgreSQL: a
// ministry administrator registers an app and sees its secret once, the database holds only
// its HMAC, a rotation makes the old secret fail at the token endpoint, a removal removes it;
// bad and hostile input is kept and named; nobody below the ministry can see or use the page;
// each change is audited once. The admin API twin answers the same.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import * as oidc from 'openid-client';
import { clientSecretKey, hashClientSecret } from '../../src/federation/client-secrets.ts';
import { deriveKeys } from '../../src/secrets.ts';
import { createAgent, csrfTokenOf, type Agent } from '../helpers/agent.ts';
import { startListeningApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor } from '../helpers/fixtures.ts';
import { authorizationRequest, authorize, configFor, cookieBrowser, exchange, formAction, registerClient } from '../helpers/oidc.ts';

const PASSWORD = 'Vezarat-Khaneh-1404!';
const ADMIN_IP = '10.20.30.40';
const secretOf = (body: string) => /<p class="secret long" dir="ltr" lang="en">([^<]+)<\/p>/.exec(body)?.[1];

/** A complete, valid registration as the form posts it; each test changes what it is about. */
const serviceForm = (clientId: string): Record<string, string | readonly string[]> => ({
  clientId, name: 'سامانه حضور و غیاب', firstParty: 'yes', confidential: 'yes', grantTypes: 'client_credentials', scopes: ['scim'],
  redirectUris: '', postLogoutRedirectUris: '', backchannelLogoutUri: '',
});

describe('connected apps in the admin console', () => {
  let t: TestApp & { baseUrl: string };
  let issuer: URL;
  let secretKey: Buffer;
  let ministry: Agent;
  let ministryAdmin: { accountId: string; membershipIds: string[] };
  const others: Record<'district' | 'principal' | 'teacher', Agent> = {} as never;
  const tokens: Record<'ministry' | 'district', string> = {} as never;

  before(async () => {
    t = await startListeningApp('postgres', { KELID_ADMIN_MFA: 'optional' });
    issuer = new URL(`${t.baseUrl}/oidc`);
    secretKey = clientSecretKey(deriveKeys(t.config.secret!).federation);
    const tree = await createTree(t.handle.db);
    const people = [
      ['ministry', 1, tree.ministry, 'ministry_admin'], ['district', 2, tree.district, 'district_admin'],
      ['principal', 3, tree.schoolA, 'principal'], ['teacher', 4, tree.schoolA, 'teacher'],
    ] as const;
    for (const [key, n, organizationId, role] of people) {
      const made = await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(n), password: PASSWORD, memberships: [{ organizationId, role }] });
      if (key === 'ministry') ministryAdmin = made;
      const agent = createAgent(t.app, { ip: ADMIN_IP });
      assert.equal((await agent.submit('/sign-in', { identifier: nationalIdFor(n), password: PASSWORD })).statusCode, 303);
      if (key === 'ministry') ministry = agent;
      else others[key] = agent;
      if (key === 'ministry' || key === 'district') {
        tokens[key] = (await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: nationalIdFor(n), password: PASSWORD } })).json().token;
      }
    }
    await ministry.get('/admin/clients?lang=en');
  });
  after(() => t.close());

  const tokenFor = async (clientId: string, secret: string) =>
    oidc.clientCredentialsGrant(await oidc.discovery(issuer, clientId, secret, undefined, { execute: [oidc.allowInsecureRequests] }));
  const storedRow = (clientId: string) => t.handle.db.selectFrom('oidc_clients').selectAll().where('client_id', '=', clientId).executeTakeFirst();
  const events = (type: string, clientId: string) => t.handle.db.selectFrom('audit_events').selectAll()
    .where('type', '=', type).where(sql<boolean>`data->>'clientId' = ${clientId}`).execute();

  test('a ministry admin registers an app and sees its secret once, never cached; the database keeps its HMAC only', async () => {
    const menu = await ministry.get('/admin/users');
    assert.match(menu.body, /href="\/admin\/clients">Connected apps</);
    assert.match((await ministry.get('/admin/clients')).body, /No app is registered yet/);

    const shown = await ministry.submit('/admin/clients/new', serviceForm('attendance'));
    assert.equal(shown.statusCode, 200, shown.body.slice(0, 800));
    assert.equal(shown.headers['cache-control'], 'no-store');
    assert.match(shown.body, /shown once/);
    const secret = secretOf(shown.body);
    assert.ok(secret && secret.length >= 43, 'a 256-bit secret');
    assert.ok(!JSON.stringify(shown.headers).includes(secret), 'never in a header (a URL, a cookie)');

    const row = await storedRow('attendance');
    assert.equal(row?.secret_hmac, hashClientSecret(secretKey, secret));
    assert.ok(!JSON.stringify(row).includes(secret), 'the secret itself is nowhere in the row');
    const [added] = await events('client.added', 'attendance');
    assert.ok(added && !JSON.stringify(added).includes(secret), 'nor in the audit');

    // Reloading the list, or posting the same form again, never shows it again.
    const listed = await ministry.get('/admin/clients');
    assert.equal(listed.headers['cache-control'], 'no-store');
    assert.match(listed.body, /<code>attendance<\/code>/);
    assert.match(listed.body, /سامانه حضور و غیاب/);
    assert.match(listed.body, /Client credentials/);
    assert.match(listed.body, /role="region" tabindex="0" aria-label="Registered apps"/);
    assert.ok(!listed.body.includes(secret));
    const again = await ministry.submit('/admin/clients/new', serviceForm('attendance'));
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /An app with this client ID is registered already/);
    assert.ok(!again.body.includes(secret));

    const token = await tokenFor('attendance', secret);
    assert.ok(token.access_token, 'the secret shown works at the token endpoint');
  });

  test('a sign-in app with its URIs, roles and JWT tokens: every column of the table, localized', async () => {
    const shown = await ministry.submit('/admin/clients/new', {
      clientId: 'exam.portal', name: 'Exam <portal>', firstParty: 'no', confidential: 'yes', grantTypes: 'code',
      scopes: ['openid', 'profile', 'national_id'], roles: ['student', 'mother'], accessTokenFormat: 'jwt',
      redirectUris: 'https://exam.example.ir/callback\r\n\r\n  https://exam.example.ir/cb2  ', postLogoutRedirectUris: 'https://exam.example.ir/',
      backchannelLogoutUri: 'https://exam.example.ir/logout',
    });
    assert.equal(shown.statusCode, 200, shown.body.slice(0, 800));
    const row = await storedRow('exam.portal');
    assert.deepEqual(row?.redirect_uris, ['https://exam.example.ir/callback', 'https://exam.example.ir/cb2']);
    assert.deepEqual(row?.roles, ['student', 'mother']);
    assert.equal(row?.access_token_format, 'jwt');
    assert.equal(row?.first_party, false);
    for (const lang of ['en', 'fa', 'he'] as const) {
      const page = (await ministry.get(`/admin/clients?lang=${lang}`)).body;
      const words = {
        en: ['Third party', 'Confidential (has a secret)', 'Authorization code', 'Mother', 'JWT', 'Opaque', 'Back-channel logout URI'],
        fa: ['سامانه شخص ثالث', 'محرمانه (دارای رمز)', 'کد مجوز', 'مادر', 'مات (opaque)', 'نشانی خروج پشت صحنه'],
        he: ['מערכת של צד שלישי', 'חסויה (עם סוד)', 'קוד הרשאה', 'אם', 'אטום (opaque)'],
      }[lang];
      for (const word of words) assert.ok(page.includes(word), `${lang}: ${word}`);
      assert.match(page, /https:\/\/exam\.example\.ir\/logout/);
      assert.match(page, /Exam &lt;portal&gt;/, 'escaped');
    }
    await ministry.get('/admin/clients?lang=en');
  });

  test('rotation: a confirmation, then the new secret once; the old one fails at the token endpoint; a second post rotates nothing', async () => {
    const first = secretOf((await ministry.submit('/admin/clients/new', serviceForm('payroll-sync'))).body)!;
    const confirm = await ministry.get('/admin/clients/payroll-sync/secret');
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /Are you sure you want to replace this app&#39;s secret\?/);
    const version = /name="version" value="([^"]+)"/.exec(confirm.body)![1]!;
    const form = { _csrf: csrfTokenOf(confirm.body), version };
    const rotated = await ministry.post('/admin/clients/payroll-sync/secret', form);
    assert.equal(rotated.statusCode, 200);
    assert.equal(rotated.headers['cache-control'], 'no-store');
    assert.match(rotated.body, /shown once/);
    const second = secretOf(rotated.body)!;
    assert.notEqual(second, first);
    assert.equal((await storedRow('payroll-sync'))?.secret_hmac, hashClientSecret(secretKey, second));
    await assert.rejects(tokenFor('payroll-sync', first), (error: { error?: string }) => error.error === 'invalid_client', 'the old secret no longer works');
    assert.ok((await tokenFor('payroll-sync', second)).access_token);

    // The answer reloaded (the same form again): the secret just shown stays the one that works.
    const reloaded = await ministry.post('/admin/clients/payroll-sync/secret', form);
    assert.equal(reloaded.statusCode, 409);
    assert.match(reloaded.body, /was replaced a moment ago/);
    assert.equal(secretOf(reloaded.body), undefined);
    assert.ok((await tokenFor('payroll-sync', second)).access_token);
    assert.equal((await events('client.secret_rotated', 'payroll-sync')).length, 1);
  });

  test('removal: a confirmation, then the app is gone, its secret refused; every change audited once, with the admin, the appointment and the address', async () => {
    const secret = secretOf((await ministry.submit('/admin/clients/new', serviceForm('old-app'))).body)!;
    const confirm = await ministry.get('/admin/clients/old-app/remove');
    assert.match(confirm.body, /Are you sure you want to remove this app\?/);
    const removed = await ministry.post('/admin/clients/old-app/remove', { _csrf: csrfTokenOf(confirm.body) });
    assert.equal(removed.statusCode, 303);
    assert.equal(removed.headers.location, '/admin/clients?removed=1');
    const listed = await ministry.get('/admin/clients?removed=1');
    assert.match(listed.body, /The app was removed/);
    assert.doesNotMatch(listed.body, /<code>old-app<\/code>/);
    assert.equal(await storedRow('old-app'), undefined);
    await assert.rejects(tokenFor('old-app', secret), (error: { error?: string }) => error.error === 'invalid_client');
    assert.equal((await ministry.post('/admin/clients/old-app/remove', { _csrf: csrfTokenOf(confirm.body) })).statusCode, 404, 'removed once');
    assert.equal((await ministry.get('/admin/clients/old-app/secret')).statusCode, 404);

    for (const type of ['client.added', 'client.removed']) {
      const rows = await events(type, 'old-app');
      assert.equal(rows.length, 1, type);
      assert.equal(rows[0]!.actor_account_id, ministryAdmin.accountId);
      assert.equal(rows[0]!.acting_membership_id, ministryAdmin.membershipIds[0]);
      assert.equal(rows[0]!.ip, ADMIN_IP);
    }
    assert.match((await ministry.get('/admin/audit')).body, /Connected app removed/);
  });

  test('problems are named beside their fields, in words, with every value kept', async () => {
    const response = await ministry.submit('/admin/clients/new', {
      clientId: 'Bad ID', name: '', firstParty: 'no', confidential: 'no', grantTypes: 'client_credentials', scopes: ['openid', 'root'], roles: ['teacher', 'king'],
      redirectUris: 'javascript:alert(1)\nhttp://evil.example/cb\nhttps://good.example/cb#frag', postLogoutRedirectUris: 'https://a.example/\nhttps://b.example/',
      backchannelLogoutUri: 'ftp://x.example/', accessTokenFormat: 'jwt',
    });
    assert.equal(response.statusCode, 422);
    const body = response.body;
    for (const [field, words] of [
      ['clientId', 'The client ID must be 2 to 64 characters'], ['name', 'Enter the app&#39;s name'], ['scopes', 'One of the scopes chosen is not known'],
      ['roles', 'One of the roles chosen is not known'], ['redirectUris', 'The address \u2068javascript:alert(1)\u2069 cannot be used: use https; http only for localhost.'],
      ['grantTypes', 'A public app keeps no secret'], ['backchannelLogoutUri', 'The address \u2068ftp://x.example/\u2069 cannot be used: use https; http only for localhost.'],
    ] as const) {
      assert.match(body, new RegExp(`id="${field}-error"><li>${words.replace(/[()]/g, '\\$&')}`), field);
      assert.match(body, new RegExp(`name="${field}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*aria-describedby="[^"]*${field}-error`), `${field} marked invalid`);
    }
    // Every wrong line is named at once, each with what to do, so all are put right in one go.
    const uriErrors = /id="redirectUris-error">((?:(?!<\/ul>).)*)<\/ul>/s.exec(body)?.[1] ?? '';
    assert.deepEqual([...uriErrors.matchAll(/<li>The address \u2068([^\u2069]*)\u2069 cannot be used: ([^<]*)<\/li>/g)].map((m) => [m[1], m[2]]), [
      ['javascript:alert(1)', 'use https; http only for localhost.'], ['http://evil.example/cb', 'use https; http only for localhost.'],
      ['https://good.example/cb#frag', 'remove the # and everything after it.'],
    ]);
    assert.match(body, /<textarea id="redirectUris" name="redirectUris" rows="3" class="uris"/, 'a long line scrolls: two addresses on one line look like one');
    assert.match(body, /value="Bad ID"/);
    assert.match(body, />javascript:alert\(1\)\nhttp:\/\/evil\.example\/cb\nhttps:\/\/good\.example\/cb#frag<\/textarea>/);
    assert.match(body, /name="confidential" value="no" checked/);
    assert.match(body, /name="roles" value="teacher" checked/);
    assert.match(body, /name="accessTokenFormat" value="jwt" checked/);
    assert.equal(await storedRow('bad id'), undefined);

    const sign = (extra: Record<string, string | readonly string[]>) => ministry.submit('/admin/clients/new', { ...serviceForm('sign-in-app'), grantTypes: 'code', scopes: ['openid'], ...extra });
    assert.match((await sign({})).body, /id="redirectUris-error"><li>An app that signs people in needs at least one redirect URI/);
    assert.match((await sign({ firstParty: 'no', redirectUris: 'https://a.example/cb\nhttps://b.example/cb' })).body, /id="redirectUris-error"><li>A third-party app&#39;s redirect URIs must all be on one host/);
    const local = await sign({ redirectUris: 'http://localhost:4000/callback', confidential: 'no' });
    assert.equal(local.statusCode, 303, 'http is fine on the machine itself; a public app has no secret to show');
    assert.equal(local.headers.location, '/admin/clients?saved=1');
    assert.equal((await storedRow('sign-in-app'))?.secret_hmac, null);
  });

  test('hostile input is a clear 4xx, never a 500, and writes nothing', async () => {
    const page = await ministry.get('/admin/clients/new');
    const csrf = csrfTokenOf(page.body);
    const post = (form: Record<string, string | readonly string[]>) => ministry.post('/admin/clients/new', { _csrf: csrf, ...serviceForm('hostile'), ...form });
    // No form of ours sends these: the refusal in words, the way back to the form, no field name of the code.
    for (const form of [
      { clientId: ['a', 'b'] }, { name: ['x', 'y'] }, { redirectUris: ['a', 'b'] },
      { grantTypes: ['code', 'client_credentials'] }, { scopes: Array.from({ length: 900 }, () => 'openid') },
    ]) {
      const response = await post(form);
      assert.equal(response.statusCode, 400, JSON.stringify(form).slice(0, 80));
      assert.match(response.body, /role="alert">The value of this field is not valid<\/p>\s*<p><a class="button" href="\/admin\/clients\/new">Back to the form<\/a>/);
      assert.doesNotMatch(response.body, /\((clientId|name|redirectUris|grantTypes|scopes)\)/);
    }
    const nul = await post({ name: 'a\u0000b' });
    assert.equal(nul.statusCode, 422, 'a NUL is drawn again beside its field');
    assert.match(nul.body, /id="name-error"><li>The value of this field is not valid/);
    const huge = await post({ name: 'ی'.repeat(100_000) });
    assert.equal(huge.statusCode, 422);
    assert.match(huge.body, /id="name-error"><li>The value of this field is too long/);
    const hugeUris = await post({ redirectUris: `https://a.example/${'x'.repeat(100_000)}` });
    assert.equal(hugeUris.statusCode, 422);
    assert.match(hugeUris.body, /id="redirectUris-error"><li>The value of this field is too long/);
    const odd = await post({ firstParty: 'maybe' });
    assert.equal(odd.statusCode, 422);
    assert.match(odd.body, /id="firstParty-error">/);

    const malformed = await t.app.inject({
      method: 'POST', url: '/admin/clients/new', payload: `_csrf=${encodeURIComponent(csrf)}&clientId=x%ED%A0%80&name=n`,
      headers: { cookie: [...ministry.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
    });
    // Drawn again with the error beside the field (the route reads its own text), nothing registered.
    assert.equal(malformed.statusCode, 422);
    assert.match(malformed.body, /id="clientId-error"><li>This value contains characters that are not valid text/);
    assert.match(malformed.body, /value="x\uFFFD+"/, 'what was typed comes back, its broken part shown as �');
    const escapedNul = await t.app.inject({
      method: 'POST', url: '/admin/clients/new', payload: `_csrf=${encodeURIComponent(csrf)}&clientId=ok-id&name=a%00b`,
      headers: { cookie: [...ministry.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(escapedNul.statusCode, 422);
    assert.match(escapedNul.body, /id="name-error"><li>The value of this field is not valid/);
    assert.equal(await t.handle.db.selectFrom('oidc_clients').select('client_id').where('client_id', 'in', ['x\ufffd', 'ok-id', 'hostile']).executeTakeFirst(), undefined);
    assert.equal((await ministry.post('/admin/clients/new', serviceForm('no-csrf'))).statusCode, 403, 'no CSRF token, nothing registered');
    assert.equal((await ministry.post('/admin/clients/attendance/remove', {})).statusCode, 403);
    assert.equal((await ministry.post('/admin/clients/attendance/secret', { version: 'x' })).statusCode, 403);
    for (const url of ['/admin/clients/%3Cscript%3E/remove', `/admin/clients/${'a'.repeat(90)}/secret`, '/admin/clients/..%2F..%2Fadmin/remove']) {
      assert.equal((await ministry.get(url)).statusCode, 404, url);
    }
    assert.equal((await ministry.get(`/admin/clients/${'a'.repeat(5000)}/secret`)).statusCode, 414, 'too long a URL for the router');
    for (const id of ['hostile', 'no-csrf']) assert.equal(await storedRow(id), undefined, id);
  });

  test('a district admin, a principal and a teacher can neither see nor use the page', async () => {
    for (const key of ['district', 'principal', 'teacher'] as const) {
      const agent = others[key];
      const own = csrfTokenOf((await agent.get('/')).body);
      assert.doesNotMatch((await agent.get('/admin/users')).body, /\/admin\/clients/, `${key}: no menu entry`);
      for (const url of ['/admin/clients', '/admin/clients/new', '/admin/clients/attendance/edit', '/admin/clients/attendance/secret', '/admin/clients/attendance/remove']) {
        assert.equal((await agent.get(url)).statusCode, 403, `${key} GET ${url}`);
      }
      assert.equal((await agent.post('/admin/clients/new', { _csrf: own, ...serviceForm(`by-${key}`) })).statusCode, 403);
      assert.equal((await agent.post('/admin/clients/attendance/remove', { _csrf: own })).statusCode, 403);
      assert.equal((await agent.post('/admin/clients/attendance/edit', { _csrf: own, ...serviceForm('attendance'), name: `renamed by ${key}`, version: 'x' })).statusCode, 403);
      assert.equal((await agent.post('/admin/clients/attendance/secret', { _csrf: own, version: 'x' })).statusCode, 403);
      assert.equal(await storedRow(`by-${key}`), undefined);
    }
    assert.equal((await storedRow('attendance'))?.name, 'سامانه حضور و غیاب', 'still there, unchanged');
    assert.equal((await createAgent(t.app).get('/admin/clients')).statusCode, 303, 'anonymous visitors go to sign-in');
  });

  test('editing an app: the form holds it as registered; a change reaches the provider at once; what cannot change stays; a stale form is refused with the app as it is now', async () => {
    const registered = await ministry.submit('/admin/clients/new', {
      ...serviceForm('grades.portal'), name: 'Grades', grantTypes: 'code', scopes: ['openid', 'profile'], roles: ['teacher'],
      redirectUris: 'https://grades.example.ir/callback', postLogoutRedirectUris: 'https://grades.example.ir/',
    });
    assert.equal(registered.statusCode, 200);
    const before = (await storedRow('grades.portal'))!;
    const page = await ministry.get('/admin/clients/grades.portal/edit');
    assert.equal(page.statusCode, 200);
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.match(page.body, /<h1>Edit Grades<\/h1>/);
    assert.match(page.body, /name="name" value="Grades"/);
    assert.match(page.body, />https:\/\/grades\.example\.ir\/callback<\/textarea>/);
    assert.match(page.body, /name="roles" value="teacher" checked/);
    assert.match(page.body, /<dd dir="ltr"><code>grades\.portal<\/code><\/dd>/);
    assert.doesNotMatch(page.body, /name="(clientId|firstParty|confidential|grantTypes)"/, 'fixed at registration: shown, not offered');
    const version = /name="version" value="([^"]+)"/.exec(page.body)![1]!;
    const edit = (fields: Record<string, string | readonly string[]>, csrfFrom = page.body) => ministry.post('/admin/clients/grades.portal/edit', {
      _csrf: csrfTokenOf(csrfFrom), version, name: 'Grades', scopes: ['openid', 'profile'], roles: ['teacher'],
      redirectUris: 'https://grades.example.ir/callback', postLogoutRedirectUris: 'https://grades.example.ir/', backchannelLogoutUri: '', ...fields,
    });

    // A bad value: named beside its field, nothing written.
    const bad = await edit({ redirectUris: 'http://evil.example/cb' });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /id="redirectUris-error"><li>The address \u2068http:\/\/evil\.example\/cb\u2069 cannot be used: use https/);
    assert.deepEqual((await storedRow('grades.portal'))?.redirect_uris, ['https://grades.example.ir/callback']);

    // The change, with a try at what cannot change: that is kept as registered.
    const saved = await edit({
      name: 'Grades <new>', redirectUris: 'https://grades.example.ir/cb2', roles: ['teacher', 'principal'], accessTokenFormat: 'jwt',
      clientId: 'other', firstParty: 'no', confidential: 'no', grantTypes: 'client_credentials',
    });
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 600));
    assert.equal(saved.headers.location, '/admin/clients?updated=grades.portal');
    assert.match((await ministry.get('/admin/clients?updated=grades.portal')).body, /role="status">The changes to “Grades &lt;new&gt;” were saved and apply now/);
    const after = (await storedRow('grades.portal'))!;
    assert.deepEqual([after.name, after.redirect_uris, after.roles, after.access_token_format], ['Grades <new>', ['https://grades.example.ir/cb2'], ['teacher', 'principal'], 'jwt']);
    assert.deepEqual([after.first_party, after.secret_hmac, after.grant_types], [before.first_party, before.secret_hmac, before.grant_types], 'owner, secret and grants as registered');
    assert.equal(await storedRow('other'), undefined);
    // The provider reads the change at once: the old redirect URI is refused, the new one taken.
    const authorize = (redirect: string) => fetch(`${t.baseUrl}/oidc/auth?client_id=grades.portal&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(redirect)}`, { redirect: 'manual' });
    assert.equal((await authorize('https://grades.example.ir/callback')).status, 400);
    assert.equal((await authorize('https://grades.example.ir/cb2')).status, 303);
    const updates = await events('client.updated', 'grades.portal');
    assert.equal(updates.length, 1);
    const data = updates[0]!.data as { changed: string[]; before: Record<string, unknown>; after: Record<string, unknown>; grantsEnded?: boolean };
    assert.deepEqual(data.changed, ['name', 'redirectUris', 'accessTokenFormat', 'roles']);
    assert.deepEqual([data.before['redirectUris'], data.after['redirectUris']], [['https://grades.example.ir/callback'], ['https://grades.example.ir/cb2']], 'what a URI was and became');
    assert.equal(data.grantsEnded, true, 'another token format: its sign-ins end');
    // The console's events name the app and what changed.
    const audit = (await ministry.get('/admin/audit?type=client.updated')).body;
    assert.match(audit, /<code dir="ltr">grades\.portal<\/code><br><small>Name, Redirect URIs, Access tokens, Roles served<\/small>/);
    // Under the column that says it holds an app as well as a person.
    const columns = [...audit.matchAll(/<th scope="col">([^<]*)<\/th>/g)].map((m) => m[1]);
    const row = /<tr><td>(?:(?!<\/tr>).)*grades\.portal(?:(?!<\/tr>).)*<\/tr>/s.exec(audit)?.[0] ?? '';
    const cells = [...row.matchAll(/<td[^>]*>((?:(?!<\/td>).)*)<\/td>/gs)].map((m) => m[1]!);
    assert.equal(columns[cells.findIndex((cell) => cell.includes('grades.portal'))], 'User or app');

    // The same form posted again, drawn before the change: refused, the app shown as it is now.
    const stale = await edit({ name: 'Stale' });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /This app was changed since you opened this form/);
    assert.match(stale.body, /name="name" value="Grades &lt;new&gt;"/);
    assert.equal((await storedRow('grades.portal'))?.name, 'Grades <new>');
    assert.equal((await ministry.get('/admin/clients/nobody/edit')).statusCode, 404);
    assert.equal((await ministry.post('/admin/clients/grades.portal/edit', { _csrf: csrfTokenOf(page.body), version: ['a', 'b'] })).statusCode, 400);
    assert.equal((await ministry.post('/admin/clients/grades.portal/edit', { version })).statusCode, 403, 'no CSRF token');
  });

  test('the admin API: the same rules, the secret once, 403 below the ministry', async () => {
    const api = (who: 'ministry' | 'district', method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
      t.app.inject({ method, url: `/api/v1/admin${url}`, headers: { authorization: `Bearer ${tokens[who]}`, 'accept-language': 'en' }, ...(payload ? { payload } : {}) });
    const body = { clientId: 'api-app', name: 'API app', grantTypes: ['client_credentials'], scopes: ['scim'] };
    const created = await api('ministry', 'POST', '/clients', body);
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.headers['cache-control'], 'no-store');
    const { clientSecret } = created.json();
    assert.ok((await tokenFor('api-app', clientSecret)).access_token);
    assert.equal((await api('ministry', 'POST', '/clients', body)).statusCode, 409);
    const listed = (await api('ministry', 'GET', '/clients')).json().clients;
    assert.ok(listed.some((c: { clientId: string }) => c.clientId === 'api-app'));
    assert.ok(!JSON.stringify(listed).includes(clientSecret));

    const bad = await api('ministry', 'POST', '/clients', { ...body, clientId: 'api-2', grantTypes: ['authorization_code'], scopes: ['openid', 'profile'], redirectUris: ['http://evil.example/cb'] });
    assert.equal(bad.statusCode, 422);
    assert.deepEqual([bad.json().error.code, bad.json().error.field], ['client.uri_invalid', 'redirectUris']);
    // The message names the address refused (isolated) and the rule it broke.
    assert.equal(bad.json().error.message, 'The address \u2068http://evil.example/cb\u2069 cannot be used: use https; http only for localhost.');
    const wrongType = await api('ministry', 'POST', '/clients', { ...body, clientId: 'api-3', scopes: 'scim' });
    assert.equal(wrongType.statusCode, 400);
    assert.equal(wrongType.json().error.field, 'scopes');

    const rotated = await api('ministry', 'POST', '/clients/api-app/secret');
    assert.equal(rotated.statusCode, 200);
    assert.equal(rotated.headers['cache-control'], 'no-store');
    await assert.rejects(tokenFor('api-app', clientSecret), (error: { error?: string }) => error.error === 'invalid_client');
    assert.ok((await tokenFor('api-app', rotated.json().clientSecret)).access_token);

    for (const [method, url] of [['GET', '/clients'], ['POST', '/clients'], ['DELETE', '/clients/api-app'], ['POST', '/clients/api-app/secret']] as const) {
      const refused = await api('district', method, url, method === 'POST' && url === '/clients' ? { ...body, clientId: 'by-district' } : undefined);
      assert.equal(refused.statusCode, 403, `${method} ${url}`);
    }
    assert.equal((await api('ministry', 'DELETE', '/clients/api-app')).statusCode, 204);
    assert.equal((await api('ministry', 'DELETE', '/clients/api-app')).statusCode, 404);
    for (const type of ['client.added', 'client.secret_rotated', 'client.removed']) assert.equal((await events(type, 'api-app')).length, 1, type);
  });

  test('the admin API changes an app with PATCH: the fields sent, If-Match with its ETag, what cannot change refused by name', async () => {
    const api = (who: 'ministry' | 'district', method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, headers: Record<string, string> = {}) =>
      t.app.inject({ method, url: `/api/v1/admin${url}`, headers: { authorization: `Bearer ${tokens[who]}`, 'accept-language': 'en', ...headers }, ...(payload ? { payload } : {}) });
    const created = await api('ministry', 'POST', '/clients', {
      clientId: 'api-edit', name: 'API edit', grantTypes: ['authorization_code', 'refresh_token'], scopes: ['openid', 'profile'], roles: ['teacher'],
      redirectUris: ['https://api-edit.example.org/callback'],
    });
    assert.equal(created.statusCode, 201, created.body);
    const read = await api('ministry', 'GET', '/clients/api-edit');
    assert.equal(read.statusCode, 200);
    const etag = read.headers.etag as string;
    assert.equal(etag, `"${read.json().version}"`);

    const changed = await api('ministry', 'PATCH', '/clients/api-edit', { name: 'API edited', roles: ['student'] }, { 'if-match': etag });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.deepEqual([changed.json().name, changed.json().roles, changed.json().redirectUris], ['API edited', ['student'], ['https://api-edit.example.org/callback']], 'what was not sent stays');
    assert.notEqual(changed.headers.etag, etag);
    const stale = await api('ministry', 'PATCH', '/clients/api-edit', { name: 'Stale' }, { 'if-match': etag });
    assert.equal(stale.statusCode, 412);
    assert.equal(stale.json().error.code, 'client.changed');
    assert.match(stale.json().error.message, /changed since/);
    // If-Match compares strongly: a weak tag matches nothing; one of several tags may; none asked, none checked.
    assert.equal((await api('ministry', 'PATCH', '/clients/api-edit', { name: 'Weak' }, { 'if-match': `W/${changed.headers.etag as string}` })).statusCode, 412);
    assert.equal((await api('ministry', 'PATCH', '/clients/api-edit', { name: 'Weak' }, { 'if-match': `"nope", ${changed.headers.etag as string}` })).statusCode, 200);
    assert.equal((await api('ministry', 'PATCH', '/clients/api-edit', { idTokenAlg: 'ES256' }, { 'if-match': '*' })).json().idTokenAlg, 'ES256');

    for (const [field, value] of [['confidential', false], ['firstParty', false], ['clientId', 'other'], ['grantTypes', ['client_credentials']]] as const) {
      const refused = await api('ministry', 'PATCH', '/clients/api-edit', { [field]: value });
      assert.equal(refused.statusCode, 422, field);
      assert.deepEqual([refused.json().error.code, refused.json().error.field], ['client.fixed', field]);
      assert.match(refused.json().error.message, /cannot be changed after registration/);
    }
    // Two changes of different fields at once, without If-Match: both land (the rest is read under the lock).
    for (let round = 0; round < 5; round++) {
      const [a, b] = await Promise.all([
        api('ministry', 'PATCH', '/clients/api-edit', { name: `Round ${round}` }),
        api('ministry', 'PATCH', '/clients/api-edit', { backchannelLogoutUri: `https://api-edit.example.org/logout/${round}` }),
      ]);
      assert.deepEqual([a.statusCode, b.statusCode], [200, 200]);
      const row = await storedRow('api-edit');
      assert.deepEqual([row?.name, row?.backchannel_logout_uri], [`Round ${round}`, `https://api-edit.example.org/logout/${round}`], `round ${round}`);
    }
    assert.equal((await api('ministry', 'PATCH', '/clients/api-edit', { backchannelLogoutUri: null }, { 'if-match': (await api('ministry', 'GET', '/clients/api-edit')).json().version })).statusCode, 200, 'the version as the JSON shows it');
    // The same values as registered (the grants in another order) are no change of them.
    assert.equal((await api('ministry', 'PATCH', '/clients/api-edit', { grantTypes: ['refresh_token', 'authorization_code'], confidential: true, name: 'API edit' })).statusCode, 200);
    const bad = await api('ministry', 'PATCH', '/clients/api-edit', { redirectUris: ['http://evil.example/cb'] });
    assert.deepEqual([bad.statusCode, bad.json().error.code, bad.json().error.field], [422, 'client.uri_invalid', 'redirectUris']);
    assert.equal((await api('ministry', 'PATCH', '/clients/api-edit', {})).statusCode, 400, 'nothing to change');
    assert.equal((await api('ministry', 'PATCH', '/clients/api-edit', { name: 7 })).statusCode, 400);
    assert.equal((await api('ministry', 'PATCH', '/clients/nobody', { name: 'x' })).statusCode, 404);
    assert.equal((await api('district', 'PATCH', '/clients/api-edit', { name: 'By district' })).statusCode, 403);
    assert.equal((await api('district', 'GET', '/clients/api-edit')).statusCode, 403);
    assert.equal((await storedRow('api-edit'))?.name, 'API edit');
    assert.equal((await events('client.updated', 'api-edit')).length, 15);
  });

  test('an app has a name in each language: the person signing in to it reads the one of theirs, else its own name', async () => {
    const api = (method: 'POST' | 'PATCH', url: string, payload: object) =>
      t.app.inject({ method, url: `/api/v1/admin${url}`, headers: { authorization: `Bearer ${tokens.ministry}`, 'accept-language': 'en' }, payload });
    const created = await api('POST', '/clients', {
      clientId: 'library', name: 'کتابخانه', names: { en: '  Library\u200f ', he: 'ספרייה', ar: '' }, grantTypes: ['authorization_code', 'refresh_token'],
      scopes: ['openid', 'profile'], redirectUris: ['https://library.example.ir/callback'],
    });
    assert.equal(created.statusCode, 201, created.body);
    assert.deepEqual((await storedRow('library'))?.names, { en: 'Library', he: 'ספרייה' }, 'one line each, the empty left out');
    const signInPage = async (lang: string) => {
      const start = await fetch(`${t.baseUrl}/oidc/auth?client_id=library&response_type=code&scope=openid&redirect_uri=${encodeURIComponent('https://library.example.ir/callback')}&ui_locales=${lang}`, { redirect: 'manual' });
      let location = start.headers.get('location')!;
      let cookie = start.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      for (let i = 0; i < 5 && !location.startsWith('/sign-in'); i++) {
        const next = await fetch(new URL(location, t.baseUrl), { redirect: 'manual', headers: { cookie, 'accept-language': lang } });
        cookie = [cookie, ...next.headers.getSetCookie().map((c) => c.split(';')[0])].join('; ');
        location = next.headers.get('location')!;
      }
      return (await fetch(new URL(location, t.baseUrl), { headers: { cookie, 'accept-language': lang } })).text();
    };
    assert.match(await signInPage('en'), /Sign in to continue to “Library”/);
    assert.match(await signInPage('he'), /להמשיך אל &quot;ספרייה&quot;/);
    assert.match(await signInPage('fa'), /برای ادامه به «کتابخانه» وارد شوید/);
    assert.match(await signInPage('ar'), /للمتابعة إلى «کتابخانه»/, 'no Arabic name: its own');

    // Changed in the console: a name in one more language, one taken away.
    const page = await ministry.get('/admin/clients/library/edit');
    assert.match(page.body, /name="names\.en" value="Library"/);
    assert.match(page.body, /<label for="names" lang="he">עברית<\/label>/);
    assert.doesNotMatch(page.body, /name="names\.fa"/, 'the name itself is the profile language\'s');
    const saved = await ministry.post('/admin/clients/library/edit', {
      _csrf: csrfTokenOf(page.body), version: /name="version" value="([^"]+)"/.exec(page.body)![1]!, name: 'کتابخانه', scopes: ['openid', 'profile'],
      redirectUris: 'https://library.example.ir/callback', postLogoutRedirectUris: '', backchannelLogoutUri: '',
      'names.fa': '', 'names.he': '', 'names.ar': 'المكتبة', 'names.en': 'Library',
    });
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 600));
    assert.deepEqual((await storedRow('library'))?.names, { ar: 'المكتبة', en: 'Library' });
    assert.match(await signInPage('ar'), /للمتابعة إلى «المكتبة»/);
    assert.match(await signInPage('he'), /להמשיך אל &quot;کتابخانه&quot;/);
    assert.match((await ministry.get('/admin/clients')).body, /<small>العربية: <span lang="ar" dir="auto">المكتبة<\/span><\/small>/);
    const long = await ministry.post('/admin/clients/library/edit', {
      _csrf: csrfTokenOf(page.body), version: 'x', name: 'کتابخانه', scopes: ['openid'], redirectUris: 'https://library.example.ir/callback', 'names.en': 'L'.repeat(101),
    });
    assert.equal(long.statusCode, 422);
    assert.match(long.body, /id="names-error"><li>Each name in another language: at most 100 characters/);
    assert.equal((await api('PATCH', '/clients/library', { names: { de: 'Bibliothek' } })).statusCode, 400, 'a language Kelid does not speak');
  });

  test('a change that gives an app less ends its sign-ins; one that gives more keeps them; a third-party app may move host; addresses are exact', async () => {
    const api = (method: 'POST' | 'PATCH', url: string, payload: object) =>
      t.app.inject({ method, url: `/api/v1/admin${url}`, headers: { authorization: `Bearer ${tokens.ministry}`, 'accept-language': 'en' }, payload });
    const app = await registerClient(t, { clientId: 'narrowing', roles: ['teacher'], scopes: ['openid', 'profile', 'national_id', 'offline_access'] });
    const config = await configFor(t.baseUrl, app);
    const signIn = async (scope = 'openid profile national_id offline_access') => {
      const request = await authorizationRequest(config, { scope, prompt: 'consent' });
      return exchange(config, await authorize(cookieBrowser(), request, { identifier: nationalIdFor(4), password: PASSWORD }), request);
    };
    const first = await signIn();
    assert.ok(first.refresh_token);
    assert.ok(first.claims()?.['national_id'], 'the scope it had');

    // More (a role served): the refresh token goes on.
    assert.equal((await api('PATCH', '/clients/narrowing', { roles: ['teacher', 'principal'] })).statusCode, 200);
    const refreshed = await oidc.refreshTokenGrant(config, first.refresh_token!);
    assert.ok(refreshed.refresh_token);
    // Less (a scope taken away): its grants end, the refresh token with them; a new sign-in gets what it has now.
    assert.equal((await api('PATCH', '/clients/narrowing', { scopes: ['openid', 'profile', 'offline_access'] })).statusCode, 200);
    await assert.rejects(oidc.refreshTokenGrant(config, refreshed.refresh_token!), (error: { error?: string }) => error.error === 'invalid_grant');
    const again = await signIn('openid profile offline_access');
    assert.ok(again.refresh_token, 'signed in again, without what was taken away');
    assert.equal(again.claims()?.['national_id'], undefined);
    const ended = (await events('client.updated', 'narrowing')).map((e) => (e.data as { grantsEnded?: boolean }).grantsEnded ?? false);
    assert.deepEqual(ended, [false, true]);

    // A sign-in in progress when the app is narrowed starts over: never the page drawn for the app as it was, again and again.
    const third = await registerClient(t, { clientId: 'narrowing-third', firstParty: false, roles: [], scopes: ['openid', 'profile', 'national_id'] });
    const thirdConfig = await configFor(t.baseUrl, third);
    const browser = cookieBrowser();
    const request = await authorizationRequest(thirdConfig, { scope: 'openid profile national_id' });
    const consent = await authorize(browser, request, { identifier: nationalIdFor(4), password: PASSWORD });
    assert.match(consent.body, /\/consent"/, 'at the consent page');
    assert.equal((await api('PATCH', '/clients/narrowing-third', { scopes: ['openid', 'profile'] })).statusCode, 200);
    const answered = await browser.submit(consent, formAction(consent.body, /\/consent$/), { decision: 'allow' }, (location) => location.startsWith('http://127.0.0.1:4999/'));
    assert.ok(answered.hops.length < 6, `no loop: ${answered.hops.map((h) => `${h.status} ${h.url}`).join(' → ')}`);
    assert.doesNotMatch(answered.body, /\/consent"/, 'not the consent page again');
    const restarted = await authorize(browser, await authorizationRequest(thirdConfig, { scope: 'openid profile' }));
    assert.match(restarted.body, /\/consent"/, 'a new sign-in asks consent for what the app has now');
    assert.doesNotMatch(restarted.body, /national|کد ملی/i);

    // A third-party app's people are known to it by identifiers made from its client ID: it may move to another host
    // (or port), its redirect URIs on one host still.
    assert.equal((await api('POST', '/clients', { clientId: 'outside', name: 'Outside', firstParty: false, grantTypes: ['authorization_code'], scopes: ['openid'], redirectUris: ['https://outside.example.org/cb'] })).statusCode, 201);
    for (const uri of ['https://elsewhere.example.org/cb', 'https://outside.example.org:8443/cb', 'https://outside.example.org/callback']) {
      assert.equal((await api('PATCH', '/clients/outside', { redirectUris: [uri] })).statusCode, 200, uri);
    }
    const twoHosts = await api('PATCH', '/clients/outside', { redirectUris: ['https://outside.example.org/callback', 'https://elsewhere.example.org/cb'] });
    assert.deepEqual([twoHosts.statusCode, twoHosts.json().error.code], [422, 'client.pairwise_one_host']);

    // An address is stored as the app sends it: nothing the URL parser would drop or join.
    for (const uri of [' https://outside.example.org/cb', 'https://outside.example.org/cb ', 'https://outside.example.org/c\tb', 'https://outside.example.org/my cb', 'https://outside.example.org/cb\u00a0']) {
      const refused = await api('PATCH', '/clients/outside', { redirectUris: [uri] });
      assert.deepEqual([refused.statusCode, refused.json().error.code], [422, 'client.uri_invalid'], JSON.stringify(uri));
      assert.match(refused.json().error.message, /^The address \u2068[^\u2066-\u2069]*\u2069 cannot be used: it holds a space, a line break or an invisible character/, JSON.stringify(uri));
      assert.doesNotMatch(refused.json().error.message, /[\t\n\r]/, 'a control character is shown as U+FFFD');
    }
    // In Persian: the rule in Persian, the address isolated inside the sentence; an invisible character in it is shown as U+FFFD.
    for (const invisible of ['\u202e', '\u200b', '\u2066', '\ufeff']) {
      const refused = await t.app.inject({ method: 'PATCH', url: '/api/v1/admin/clients/outside', headers: { authorization: `Bearer ${tokens.ministry}`, 'accept-language': 'fa' },
        payload: { postLogoutRedirectUris: [`https://outside.example.org/${invisible}bye`] } });
      assert.deepEqual([refused.statusCode, refused.json().error.message], [422, 'نشانی \u2068https://outside.example.org/\ufffdbye\u2069 پذیرفته نیست: فاصله، شکست سطر یا نویسه نامرئی دارد. هر نشانی را در یک سطر جدا بنویسید.'], JSON.stringify(invisible));
    }
    const persianRefused = await t.app.inject({ method: 'PATCH', url: '/api/v1/admin/clients/outside', headers: { authorization: `Bearer ${tokens.ministry}`, 'accept-language': 'fa' },
      payload: { postLogoutRedirectUris: ['https://outside.example.org/bye', `outside.example.org/${'x'.repeat(300)}`] } });
    assert.deepEqual([persianRefused.statusCode, persianRefused.json().error.field], [422, 'postLogoutRedirectUris']);
    assert.equal(persianRefused.json().error.message, `نشانی \u2068outside.example.org/${'x'.repeat(100)}…\u2069 پذیرفته نیست: نشانی را کامل بنویسید، با https در آغاز آن.`);
    const page = await ministry.get('/admin/clients/payroll-sync/edit');
    const twoOnALine = await ministry.post('/admin/clients/narrowing/edit', {
      _csrf: csrfTokenOf(page.body), version: 'x', name: 'narrowing', scopes: ['openid'], roles: ['teacher'],
      redirectUris: 'http://127.0.0.1:4999/callback https://narrowing.example.org/callback', postLogoutRedirectUris: '', backchannelLogoutUri: '',
    });
    assert.equal(twoOnALine.statusCode, 422);
    assert.match(twoOnALine.body, /id="redirectUris-error"><li>The address \u2068http:\/\/127\.0\.0\.1:4999\/callback https:\/\/narrowing\.example\.org\/callback\u2069 cannot be used: it holds a space, a line break or an invisible character\./);
    assert.match(twoOnALine.body, /<a href="#redirectUris">The address \u2068http:\/\/127\.0\.0\.1:4999\/callback https/, 'the summary names it too');
  });
});
