import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { parseEmail } from '../../src/domain/email.ts';

describe('parseEmail', () => {
  test('trims, strips invisibles and lowercases the whole address', () => {
    assert.deepEqual(parseEmail('  \u200fAli.Rezaei+School@Medu.IR\u200e '), { ok: true, value: 'ali.rezaei+school@medu.ir' });
  });

  test('turns Persian digits into ASCII', () => {
    assert.deepEqual(parseEmail('user۱۲@example.com'), { ok: true, value: 'user12@example.com' });
  });

  test('empty input is required', () => {
    assert.deepEqual(parseEmail(' \u200b '), { ok: false, code: 'email.required' });
  });

  test('refuses malformed addresses', () => {
    const bad = ['plain', 'a@b', 'a b@c.com', 'a@b c.com', 'a@@b.com', 'a@b@c.com', '@b.com', 'a@.com', 'a@b.com.', 'a@-b.com',
      'a@b-.com', '.a@b.com', 'a.@b.com', 'a..b@c.com', 'a@b..com', 'علی@example.com', 'a@bücher.de', '"a"@b.com'];
    for (const input of bad) assert.deepEqual(parseEmail(input), { ok: false, code: 'email.invalid' }, input);
  });

  test('enforces the RFC 5321 lengths', () => {
    const domain = `${'d'.repeat(60)}.${'e'.repeat(60)}.${'f'.repeat(60)}.${'g'.repeat(50)}.com`;
    assert.equal(parseEmail(`${'a'.repeat(64)}@example.com`).ok, true);
    assert.equal(parseEmail(`${'a'.repeat(65)}@example.com`).ok, false);
    assert.equal(parseEmail(`${'a'.repeat(254 - domain.length - 1)}@${domain}`).ok, true);
    assert.equal(parseEmail(`${'a'.repeat(255 - domain.length - 1)}@${domain}`).ok, false);
  });

  test('never throws, and what it accepts is lowercase with one @ and no spaces', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.emailAddress()), (s) => {
        const result = parseEmail(s);
        if (!result.ok) return;
        assert.equal(result.value, result.value.toLowerCase());
        assert.equal(result.value.split('@').length, 2);
        assert.doesNotMatch(result.value, /\s/);
        assert.ok(result.value.length <= 254);
      }),
    );
  });

  test('accepts generated addresses with short local parts', () => {
    const address = fc.emailAddress().filter((a) => a.length <= 254 && (a.split('@')[0] ?? '').length <= 64);
    fc.assert(fc.property(address, (a) => assert.deepEqual(parseEmail(a.toUpperCase()), { ok: true, value: a.toLowerCase() })));
  });
});
