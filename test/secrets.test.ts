// hmacSha256 (src/secrets.ts): every HMAC of Kelid, its raw keys kept as KeyObjects. The answer
// must be createHmac's for any key and text, however the keys' Buffers share memory.
import assert from 'node:assert/strict';
import { createHmac, createSecretKey, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { deriveKeys, hmacHex, hmacSha256 } from '../src/secrets.ts';

const reference = (key: Buffer, value: string) => createHmac('sha256', key).update(value).digest();

test('equals createHmac for any key and text, Buffers, KeyObjects and the derived keys alike', () => {
  fc.assert(fc.property(fc.uint8Array({ minLength: 0, maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 200 }), (bytes, value) => {
    const key = Buffer.from(bytes);
    assert.ok(hmacSha256(key, value).equals(reference(key, value)));
    // Again (the cached KeyObject), and as a KeyObject given by the caller.
    assert.ok(hmacSha256(key, value).equals(reference(key, value)));
    assert.ok(hmacSha256(createSecretKey(key), value).equals(reference(key, value)));
  }));
  const keys = deriveKeys('a-secret-of-enough-length-for-the-test-0123456789');
  assert.equal(hmacHex(keys.personalData, 'AB1234'), reference(keys.personalData, 'AB1234').toString('hex'));
});

test('keys that share one ArrayBuffer (Node\'s pool, subarrays) are told apart', () => {
  const pool = randomBytes(64);
  const [a, b] = [pool.subarray(0, 32), pool.subarray(32, 64)];
  const small = [Buffer.from('k1'), Buffer.from('k2')]; // both from Node's shared 8 KB pool
  for (let round = 0; round < 3; round++) {
    for (const key of [a, b, ...small]) assert.ok(hmacSha256(key, `v${round}`).equals(reference(key, `v${round}`)));
  }
  assert.ok(!hmacSha256(a, 'x').equals(hmacSha256(b, 'x')));
});
