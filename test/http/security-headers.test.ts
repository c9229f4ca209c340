// The security headers' setter (src/http/plugins/security-headers.ts) sets on every answer
// exactly what helmet itself sets with Kelid's policy: compared on real node:http answers, with
// HTTPS and without, and on an answer that already holds other headers.
import assert from 'node:assert/strict';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { test } from 'node:test';
import { helmetFor, securityHeaders, type HeaderSetter } from '../../src/http/plugins/security-headers.ts';

function answerOf(setter: HeaderSetter, before: Record<string, string> = {}, sent: { url?: string; headers?: Record<string, string> } = {}) {
  const request = new IncomingMessage(new Socket());
  request.url = sent.url ?? '/';
  Object.assign(request.headers, sent.headers ?? {});
  const response = new ServerResponse(request);
  for (const [name, value] of Object.entries(before)) response.setHeader(name, value);
  let called = 0;
  setter(request, response, (error) => {
    assert.equal(error, undefined);
    called++;
  });
  assert.equal(called, 1, 'next() once');
  return response.getHeaders();
}

for (const https of [false, true]) {
  test(`the same headers as helmet's (https: ${https})`, () => {
    const ours = answerOf(securityHeaders({ https }));
    assert.deepEqual(ours, answerOf(helmetFor({ https })));
    assert.match(String(ours['content-security-policy']), /frame-ancestors 'none'/);
    assert.equal(ours['strict-transport-security'] !== undefined, https);
    // Each answer gets its own copy: a second answer is the same, whatever the first became.
    const setter = securityHeaders({ https });
    assert.deepEqual(answerOf(setter), answerOf(setter));
    // Whatever the request (another path, a proxy's headers, a browser's), helmet's headers are these.
    for (const sent of [
      { url: '/oidc/token?x=1', headers: { 'x-forwarded-proto': 'https', host: 'evil.example' } },
      { url: '/sign-in', headers: { 'user-agent': 'Mozilla/5.0', accept: 'text/html', 'sec-fetch-dest': 'iframe' } },
    ]) assert.deepEqual(answerOf(setter, {}, sent), answerOf(helmetFor({ https }), {}, sent), sent.url);
  });
}

test('headers an answer already holds: the policy\'s replace them as helmet\'s do, others stay', () => {
  const before = { 'x-powered-by': 'Express', 'x-frame-options': 'ALLOWALL', 'x-request-id': 'r-1' };
  const ours = answerOf(securityHeaders({ https: false }), before);
  assert.deepEqual(ours, answerOf(helmetFor({ https: false }), before));
  assert.equal(ours['x-powered-by'], undefined);
  assert.equal(ours['x-frame-options'], 'DENY');
  assert.equal(ours['x-request-id'], 'r-1');
});
