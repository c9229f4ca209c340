import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { clientSecretChecker, hashClientSecret } from '../../src/federation/client-secrets.ts';

const key = randomBytes(32);
const newSecret = () => randomBytes(32).toString('base64url');

test('the checker accepts a secret only under the HMAC it matches, the first time and every time after', () => {
  const matches = clientSecretChecker(key);
  const secret = newSecret();
  const stored = hashClientSecret(key, secret);
  assert.equal(matches(stored, secret), true);
  assert.equal(matches(stored, secret), true, 'the remembered secret');
  assert.equal(matches(stored, `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`), false, 'one character off');
  assert.equal(matches(stored, secret.slice(0, -1)), false, 'one character short');
  assert.equal(matches(stored, `${secret}x`), false, 'one character long');
  assert.equal(matches(stored, ''), false);
  // Not a string (the checker is exported; upstream hands over what the request held).
  for (const odd of [[secret], Buffer.from(secret), undefined, null, 42]) assert.equal(matches(stored, odd as unknown as string), false, String(odd));
  // Text that is not valid UTF-16 is hashed as before (a lone surrogate as U+FFFD): no secret of ours.
  assert.equal(matches(stored, `${secret.slice(0, -1)}\ud800`), false);
  // The same key with another secret: the remembered one does not stand in for it.
  const other = newSecret();
  assert.equal(matches(hashClientSecret(key, other), secret), false);
  assert.equal(matches(hashClientSecret(key, other), other), true);
});

test('a rotated secret stops working at once, though it matched a moment before', () => {
  const matches = clientSecretChecker(key);
  const old = newSecret();
  assert.equal(matches(hashClientSecret(key, old), old), true);
  const rotated = newSecret();
  const stored = hashClientSecret(key, rotated);
  assert.equal(matches(stored, old), false);
  assert.equal(matches(stored, rotated), true);
  assert.equal(matches(stored, old), false, 'still refused once the new one is remembered');
});

test('with more apps than it keeps, the memory starts over and every app is still checked by its HMAC', () => {
  const matches = clientSecretChecker(key);
  const secrets = Array.from({ length: 2_500 }, newSecret);
  for (const secret of secrets) assert.equal(matches(hashClientSecret(key, secret), secret), true);
  // After the memory started over, every app is still checked by its HMAC.
  for (const secret of secrets.slice(0, 50)) {
    assert.equal(matches(hashClientSecret(key, secret), secret), true);
    assert.equal(matches(hashClientSecret(key, secret), newSecret()), false);
  }
  // A checker with another key (another deployment's secret) accepts none of them.
  const elsewhere = clientSecretChecker(randomBytes(32));
  assert.equal(elsewhere(hashClientSecret(key, secrets[0]!), secrets[0]!), false);
});
