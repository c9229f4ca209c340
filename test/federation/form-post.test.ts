// Which requests to the provider are forms to answer by GET, and the address they get (src/federation/form-post.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formAsGet, isEndpointForm, sealedForm } from '../../src/federation/form-post.ts';

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

  const key = Buffer.alloc(32, 7);
  const now = new Date('2026-12-03T10:00:00Z');
  const later = (ms: number) => new Date(now.getTime() + ms);
  const opened = (address: string | undefined, at = now) => sealedForm(key, 'GET', address!.slice('/oidc'.length), at);

  test('the address holds none of the form: it is sealed, and opens to the form\'s parameters after the address\'s own, their text as sent', () => {
    const redirect = 'https://library.example.ir/callback?x=1&y=آ';
    const hint = 'eyJhbGciOiJFUzI1NiJ9.eyJuYXRpb25hbF9pZCI6IjAwNDU2Nzg5MTEifQ.sig';
    const form = new URLSearchParams({ client_id: 'school-library', redirect_uri: redirect, scope: 'openid profile', state: 'a+b/c', id_token_hint: hint }).toString();
    const address = formAsGet(key, '/auth?ui_locales=fa', Buffer.from(form), now)!;
    assert.match(address, /^\/oidc\/auth\?kelid_form=[A-Za-z0-9_.-]+$/);
    for (const part of ['school-library', 'eyJ', 'library.example', 'ui_locales']) assert.ok(!address.includes(part), `${part} is not in the address`);
    const path = opened(address);
    assert.ok(typeof path === 'string' && path.startsWith('/auth?'), String(path));
    assert.deepEqual([...new URL(path, 'http://provider').searchParams], [['ui_locales', 'fa'], ['client_id', 'school-library'], ['redirect_uri', redirect], ['scope', 'openid profile'], ['state', 'a+b/c'], ['id_token_hint', hint], ['kelid_posted', '1']], 'marked as posted: its login_hint is not passed on in an address');
    assert.deepEqual(new URL(opened(formAsGet(key, '/auth?state=1', Buffer.from('state=2'), now))!, 'http://provider').searchParams.getAll('state'), ['1', '2'], 'given twice: the provider refuses it');
    assert.equal(opened(formAsGet(key, '/session/end', Buffer.from(''), now)), '/session/end');
  });

  test('a seal opens at its own endpoint for two minutes, and nothing else opens', () => {
    const address = formAsGet(key, '/session/end', Buffer.from('id_token_hint=x&state=s'), now)!;
    assert.equal(opened(address, later(119_000)), '/session/end?id_token_hint=x&state=s');
    assert.equal(opened(address, later(120_000)), 'refused', 'run out');
    const sealed = address.slice(address.indexOf('=') + 1);
    assert.equal(sealedForm(key, 'GET', `/auth?kelid_form=${sealed}`, now), 'refused', 'made for the other endpoint');
    assert.equal(sealedForm(Buffer.alloc(32, 8), 'GET', `/session/end?kelid_form=${sealed}`, now), 'refused', 'another key');
    assert.equal(sealedForm(key, 'GET', `/session/end?kelid_form=${sealed}&state=t`, now), 'refused', 'with a parameter of its own');
    for (const junk of ['', 'x', 'a.b.c', `${sealed.slice(0, -2)}AA`]) assert.equal(sealedForm(key, 'GET', `/session/end?kelid_form=${junk}`, now), 'refused', junk);
    // Anything else is the provider's, as it is.
    assert.equal(sealedForm(key, 'POST', `/session/end?kelid_form=${sealed}`, now), undefined);
    assert.equal(sealedForm(key, 'GET', `/token?kelid_form=${sealed}`, now), undefined);
    assert.equal(sealedForm(key, 'GET', '/auth?client_id=x&kelid_form=y', now), undefined);
    assert.equal(sealedForm(key, 'GET', '/auth', now), undefined);
  });

  test('a form that is not UTF-8, or too long an address, is no address', () => {
    assert.equal(formAsGet(key, '/auth', Buffer.from([0x73, 0x74, 0x61, 0x74, 0x65, 0x3d, 0xff, 0xfe]), now), undefined, 'state=\\xff\\xfe');
    assert.equal(formAsGet(key, '/auth', Buffer.from(`state=${'x'.repeat(13_000)}`), now), undefined);
    assert.ok(formAsGet(key, '/auth', Buffer.from(`state=${'ب'.repeat(3_000)}`), now), 'Persian sealed as text, not escaped');
  });
});
