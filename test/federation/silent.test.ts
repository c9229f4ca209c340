// Which authorization requests go through Kelid's interaction marked silent (src/federation/silent.ts):
// a GET at /auth whose prompt is exactly `none`, nothing else.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SILENT_PARAM, silentAuthorization } from '../../src/federation/silent.ts';

describe('silentAuthorization', () => {
  test('prompt=none at /auth: prompt taken out, the mark put in, every other parameter as it was', () => {
    const redirect = 'http://localhost:4001/callback?x=a b&y=آ';
    const path = `/auth?client_id=exam-registration&prompt=none&redirect_uri=${encodeURIComponent(redirect)}&scope=openid%20profile&state=s%2B1`;
    const silent = new URL(silentAuthorization('GET', path)!, 'http://x');
    assert.equal(silent.pathname, '/auth');
    assert.equal(silent.searchParams.get('prompt'), null);
    assert.equal(silent.searchParams.get(SILENT_PARAM), '1');
    assert.deepEqual([silent.searchParams.get('redirect_uri'), silent.searchParams.get('scope'), silent.searchParams.get('state'), silent.searchParams.get('client_id')],
      [redirect, 'openid profile', 's+1', 'exam-registration']);
  });

  test('a mark the app sent is set to 1, once', () => {
    const silent = new URL(silentAuthorization('GET', `/auth?prompt=none&${SILENT_PARAM}=0&${SILENT_PARAM}=x`)!, 'http://x');
    assert.deepEqual(silent.searchParams.getAll(SILENT_PARAM), ['1']);
  });

  test('anything else is left to the provider', () => {
    for (const [method, path] of [
      ['GET', '/auth?client_id=a'],
      ['GET', '/auth?prompt=login'],
      ['GET', '/auth?prompt=none%20login'],
      ['GET', '/auth?prompt=none&prompt=none'],
      ['GET', '/auth?prompt=NONE'],
      ['POST', '/auth?prompt=none'],
      ['GET', '/auth/abc?prompt=none'],
      ['GET', '/token?prompt=none'],
      ['GET', '/session/end?prompt=none'],
      ['GET', '/auth?prompt=none&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3Aabc'],
      ['GET', '/auth?prompt=none&request=eyJ.eyJ.sig'],
    ] as const) assert.equal(silentAuthorization(method, path), undefined, `${method} ${path}`);
  });
});
