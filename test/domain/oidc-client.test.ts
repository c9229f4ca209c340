// What may be registered as an app (src/domain/oidc-client.ts): exact, safe redirect URIs;
// client ids that fit a URL; SCIM only for systems; pairwise subjects need one host.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkClient, type ClientInput, clientName, isRedirectUri, redirectUriFault, shownUri } from '../../src/domain/oidc-client.ts';

const base: ClientInput = {
  clientId: 'grades-app', name: 'Grades', firstParty: true, confidential: true,
  redirectUris: ['https://grades.example.org/callback'], postLogoutRedirectUris: [], grantTypes: ['authorization_code', 'refresh_token'],
  scopes: ['openid', 'profile'], accessTokenFormat: 'opaque', backchannelLogoutUri: null, roles: ['teacher'],
};
const codes = (input: Partial<ClientInput>) => checkClient({ ...base, ...input }, ['teacher', 'student']).map((p) => `${p.field}:${p.code}`);

describe('registering an app', () => {
  test('redirect URIs: https, or http on this machine only; absolute, no fragment, no credentials', () => {
    for (const ok of ['https://a.example/cb', 'https://a.example:8443/cb?x=1', 'http://localhost:4001/callback', 'http://127.0.0.1:4999/cb', 'http://[::1]:3000/']) assert.ok(isRedirectUri(ok), ok);
    for (const bad of ['http://a.example/cb', 'javascript:alert(1)', 'data:text/html,x', 'https://a.example/cb#x', 'https://user:pw@a.example/', '/relative', '', 'https://a.example/cb#', 'ftp://a.example/']) assert.ok(!isRedirectUri(bad), bad);
  });

  test('a refused URI says which rule it broke, the first in the order spaces, absolute, fragment, credentials, scheme', () => {
    const faults: [string, ReturnType<typeof redirectUriFault>][] = [
      ['https://a.example/cb https://b.example/cb', 'space'], ['https://a.example/c\tb', 'space'], ['https://a.example/cb\u0000', 'space'], ['https://a.example/\u00a0', 'space'], ['https://a.example/\u202ecb', 'space'], ['https://a.example/c\u200bb', 'space'], ['https://a.example/\u2028', 'space'], ['https://a.example/\u3164', 'space'], ['https://a.example/\u115fcb', 'space'], ['https://a.example/c\u034fb', 'space'], ['https://a.example/\ufe0f', 'space'],
      ['a.example/cb', 'not_absolute'], ['/callback', 'not_absolute'], ['', 'not_absolute'], ['https://', 'not_absolute'],
      ['https://a.example/cb#', 'fragment'], ['http://a.example/#x', 'fragment'],
      ['https://user@a.example/', 'credentials'], ['https://:pw@a.example/', 'credentials'], ['http://u:p@a.example/', 'credentials'],
      ['http://a.example/cb', 'scheme'], ['HTTP://LOCALHOST.example/', 'scheme'], ['javascript:alert(1)', 'scheme'], ['ftp://a.example/', 'scheme'], ['http://localhost.evil.example/', 'scheme'],
      ['HTTPS://A.EXAMPLE/cb', undefined], ['http://LOCALHOST:4001/cb', undefined],
    ];
    for (const [uri, fault] of faults) assert.equal(redirectUriFault(uri), fault, JSON.stringify(uri));
  });

  test('a URI as a message shows it: anything not drawn as U+FFFD (a plain space kept), cut after 120 characters with an ellipsis', () => {
    assert.equal(shownUri('https://a.example/x y\u2029z\u202e\u3164\u0085\u009b\tq'), 'https://a.example/x y\ufffdz\ufffd\ufffd\ufffd\ufffd\ufffdq');
    assert.equal(shownUri(`https://a.example/${'é'.repeat(200)}`), `https://a.example/${'é'.repeat(102)}…`);
    assert.equal(shownUri('https://a.example/ok'), 'https://a.example/ok');
  });

  test('each field names every refused URI (up to five), each with its rule', () => {
    const problems = checkClient({ ...base, redirectUris: ['https://ok.example/cb', 'http://first.example/', 'ftp://second.example/'], postLogoutRedirectUris: ['https://ok.example/bye#'],
      backchannelLogoutUri: 'back.example/logout' }, ['teacher']);
    assert.deepEqual(problems.map((p) => [p.field, p.code, p.uri]), [
      ['redirectUris', 'client.uri_invalid', { value: 'http://first.example/', fault: 'scheme' }],
      ['redirectUris', 'client.uri_invalid', { value: 'ftp://second.example/', fault: 'scheme' }],
      ['postLogoutRedirectUris', 'client.uri_invalid', { value: 'https://ok.example/bye#', fault: 'fragment' }],
      ['backchannelLogoutUri', 'client.uri_invalid', { value: 'back.example/logout', fault: 'not_absolute' }],
    ]);
    const many = checkClient({ ...base, redirectUris: Array.from({ length: 8 }, (_, i) => `http://a${i}.example/`) }, ['teacher']);
    assert.deepEqual(many.map((p) => p.uri?.value), ['http://a0.example/', 'http://a1.example/', 'http://a2.example/', 'http://a3.example/', 'http://a4.example/']);
  });

  test('a valid registration has no problems', () => {
    assert.deepEqual(codes({}), []);
  });

  test('each rule names its field', () => {
    assert.deepEqual(codes({ clientId: 'Bad Id' }), ['clientId:client.id_invalid']);
    assert.deepEqual(codes({ name: '  ' }), ['name:client.name_required']);
    assert.deepEqual(codes({ name: '\u202e\u2066\u200b ' }), ['name:client.name_required'], 'nothing but controls is no name');
    assert.equal(clientName(' Evil \u202eSchool\n  App\u2069 '), 'Evil School App', 'one line, no direction controls (the consent sentence shows it)');
    assert.deepEqual(codes({ redirectUris: [] }), ['redirectUris:client.redirect_required']);
    assert.deepEqual(codes({ postLogoutRedirectUris: ['http://evil.example/'] }), ['postLogoutRedirectUris:client.uri_invalid']);
    assert.deepEqual(codes({ roles: ['emperor' as never] }), ['roles:client.role_invalid']);
    assert.deepEqual(codes({ confidential: false, grantTypes: ['client_credentials'], redirectUris: [] }), ['grantTypes:client.public_needs_code']);
  });

  test('SCIM is for systems by client credentials, never for a person\'s sign-in', () => {
    assert.deepEqual(codes({ grantTypes: ['client_credentials'], redirectUris: [], scopes: ['scim'] }), []);
    assert.deepEqual(codes({ scopes: ['openid', 'scim'] }), ['scopes:client.scope_invalid']);
  });

  test('a third-party app (pairwise subjects) has its redirect URIs on one host', () => {
    assert.deepEqual(codes({ firstParty: false, redirectUris: ['https://a.example/cb', 'https://a.example/other'] }), []);
    assert.deepEqual(codes({ firstParty: false, redirectUris: ['https://a.example/cb', 'https://b.example/cb'] }), ['redirectUris:client.pairwise_one_host']);
  });
});
