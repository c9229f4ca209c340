// Which requests to the provider are forms to answer by GET, and the address they get (src/federation/form-post.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formAsGet, isEndpointForm } from '../../src/federation/form-post.ts';

describe('forms posted to the provider', () => {
  test('a form to the authorization or end-session endpoint, whatever the media type\'s case and parameters', () => {
    for (const [path, type] of [
      ['/auth', 'application/x-www-form-urlencoded'],
      ['/auth?ui_locales=he', 'Application/X-WWW-Form-Urlencoded; charset=UTF-8'],
      ['/session/end', 'application/x-www-form-urlencoded;charset=utf-8'],
    ] as const) assert.ok(isEndpointForm('POST', path, type), `${path} ${type}`);
  });

  test('anything else is the provider\'s to answer as it is', () => {
    for (const [method, path, type] of [
      ['GET', '/auth', 'application/x-www-form-urlencoded'],
      ['POST', '/auth', 'application/json'],
      ['POST', '/auth', 'multipart/form-data; boundary=x'],
      ['POST', '/auth', undefined],
      ['POST', '/auth/abc', 'application/x-www-form-urlencoded'],
      ['POST', '/token', 'application/x-www-form-urlencoded'],
      ['POST', '/session/end/confirm', 'application/x-www-form-urlencoded'],
      ['POST', '/Auth', 'application/x-www-form-urlencoded'],
    ] as const) assert.equal(isEndpointForm(method, path, type), false, `${method} ${path} ${type}`);
  });

  test('the address: the form\'s parameters after the address\'s own, their text as sent', () => {
    const redirect = 'https://library.example.ir/callback?x=1&y=آ';
    const form = new URLSearchParams({ client_id: 'school-library', redirect_uri: redirect, scope: 'openid profile', state: 'a+b/c' }).toString();
    const address = new URL(formAsGet('/auth?ui_locales=fa', Buffer.from(form))!, 'http://kelid');
    assert.equal(address.pathname, '/oidc/auth');
    assert.deepEqual([...address.searchParams], [['ui_locales', 'fa'], ['client_id', 'school-library'], ['redirect_uri', redirect], ['scope', 'openid profile'], ['state', 'a+b/c']]);
    assert.deepEqual(new URL(formAsGet('/auth?state=1', Buffer.from('state=2'))!, 'http://kelid').searchParams.getAll('state'), ['1', '2'], 'given twice: the provider refuses it');
    assert.equal(formAsGet('/session/end', Buffer.from('')), '/oidc/session/end');
  });

  test('a form that is not UTF-8, or too long an address once its text is escaped, is no address', () => {
    assert.equal(formAsGet('/auth', Buffer.from([0x73, 0x74, 0x61, 0x74, 0x65, 0x3d, 0xff, 0xfe])), undefined, 'state=\\xff\\xfe');
    assert.equal(formAsGet('/auth', Buffer.from(`state=${'ب'.repeat(3_000)}`)), undefined, '6 KB of Persian is 18 KB escaped');
    assert.ok(formAsGet('/auth', Buffer.from(`state=${'ب'.repeat(2_000)}`)));
  });
});
