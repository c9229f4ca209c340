// The walk's bookkeeping without a browser: a path matched back to its route as Fastify's
// router would, made-up ids for routes the walk has no example of, answers sorted by what they are.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addressFor, patternOf, sortAnswer } from './route-examples.ts';

const patterns = ['/assets/*', '/assets/webauthn/*', '/admin/users', '/admin/users/:id', '/admin/users/:id/reset', '/captcha/:id.svg', '/admin/users.csv'];

test('a path is matched to its route: fixed paths first, then the longest fixed beginning', () => {
  assert.equal(patternOf('/admin/users', patterns), '/admin/users');
  assert.equal(patternOf('/admin/users.csv', patterns), '/admin/users.csv');
  assert.equal(patternOf('/admin/users/42', patterns), '/admin/users/:id');
  assert.equal(patternOf('/admin/users/42/reset', patterns), '/admin/users/:id/reset');
  assert.equal(patternOf('/assets/webauthn/index.js', patterns), '/assets/webauthn/*');
  assert.equal(patternOf('/assets/site.css', patterns), '/assets/*');
  assert.equal(patternOf('/captcha/abc.svg', patterns), '/captcha/:id.svg');
  assert.equal(patternOf('/nowhere', patterns), undefined);
});

test('an example wins; a route with parameters and no example gets a made-up id', () => {
  const examples = new Map([['/admin/users/:id', '/admin/users/7']]);
  assert.deepEqual(addressFor('/admin/users/:id', examples), { url: '/admin/users/7', madeUp: false });
  assert.deepEqual(addressFor('/admin/users', examples), { url: '/admin/users', madeUp: false });
  assert.deepEqual(addressFor('/admin/users/:id/reset', examples), { url: '/admin/users/00000000-0000-4000-8000-000000000000/reset', madeUp: true });
  assert.equal(patternOf(addressFor('/captcha/:id.svg', examples).url, patterns), '/captcha/:id.svg');
});

test('answers are sorted by status and content type, never by path', () => {
  assert.deepEqual(sortAnswer(200, 'text/html; charset=utf-8', undefined), { kind: 'page' });
  assert.deepEqual(sortAnswer(200, 'application/json', undefined), { kind: 'not html', contentType: 'application/json' });
  assert.deepEqual(sortAnswer(404, 'application/scim+json', undefined), { kind: 'not html', contentType: 'application/scim+json' });
  assert.deepEqual(sortAnswer(303, 'text/html', '/sign-in'), { kind: 'redirect', location: '/sign-in' });
  assert.deepEqual(sortAnswer(403, 'text/html; charset=utf-8', undefined), { kind: 'refused', status: 403 });
});
