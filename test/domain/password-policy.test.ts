import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { checkPassword, defaultPasswordPolicy } from '../../src/domain/password-policy.ts';
import type { PasswordPolicy } from '../../src/domain/password-policy.ts';
import { normalizeSecret } from '../../src/domain/secret-text.ts';

const codes = (pw: string, policy: PasswordPolicy = defaultPasswordPolicy, context = {}) =>
  checkPassword(pw, policy, context);

const lenient: PasswordPolicy = { minLength: 1, maxLength: 64, requireUpper: false, requireLower: false, requireDigit: false, requireSymbol: false };

describe('checkPassword', () => {
  test('a password meeting every rule has no problems', () => {
    assert.deepEqual(codes('Mehr-1404-Kelid'), []);
  });

  test('an empty password is only required', () => {
    assert.deepEqual(codes(''), ['password.required']);
  });

  test('too short and too long follow the policy limits', () => {
    assert.deepEqual(codes('Ab1!'), ['password.too_short']);
    assert.deepEqual(codes('Ab1!', { ...defaultPasswordPolicy, minLength: 4 }), []);
    assert.deepEqual(codes(`Ab1!${'x'.repeat(125)}`), ['password.too_long']);
    assert.deepEqual(codes(`Ab1!${'x'.repeat(124)}`), []);
  });

  test('length counts code points after NFC', () => {
    const policy = { ...lenient, minLength: 4, maxLength: 4 };
    assert.deepEqual(codes('e\u0301e\u0301e\u0301e\u0301', policy), []);
    assert.deepEqual(codes('😀😀😀😀', policy), []);
    assert.deepEqual(codes('😀😀😀', policy), ['password.too_short']);
  });

  test('each missing character class is named', () => {
    assert.deepEqual(codes('mehrkelid'), ['password.needs_upper', 'password.needs_digit', 'password.needs_symbol']);
    assert.deepEqual(codes('MEHR-1404!'), ['password.needs_lower']);
  });

  test('letters of any script with case count; Persian digits count as digits', () => {
    assert.deepEqual(codes('Ωmega-ωμέγα۱'), []);
    assert.deepEqual(codes('کلید-مهر-Xy۱۴۰۴'), []);
  });

  test('caseless Persian letters count as neither upper nor lower, and spaces are not symbols', () => {
    assert.deepEqual(codes('کلید مهر ۱۴۰۴'), ['password.needs_upper', 'password.needs_lower', 'password.needs_symbol']);
  });

  test('common passwords are refused, P@ssw0rd included', () => {
    assert.deepEqual(codes('P@ssw0rd'), ['password.common']);
    assert.ok(codes('123456').includes('password.common'));
    assert.ok(codes('password').includes('password.common'));
  });

  test('a password containing the national ID is refused, even without its leading zeros or in Persian digits', () => {
    const context = { nationalId: '0012345679' };
    assert.deepEqual(codes('Ab!0012345679', defaultPasswordPolicy, context), ['password.contains_identity']);
    assert.deepEqual(codes('Ab!12345679x', defaultPasswordPolicy, context), ['password.contains_identity']);
    assert.deepEqual(codes('Ab!۱۲۳۴۵۶۷۹x', defaultPasswordPolicy, context), ['password.contains_identity']);
    assert.deepEqual(codes('Ab!1234567x', defaultPasswordPolicy, context), []);
  });

  test('a short school-issued number only counts when it is the whole password', () => {
    const context = { nationalId: '0042' };
    assert.deepEqual(codes('42', lenient, context), ['password.contains_identity']);
    assert.deepEqual(codes('Mehr-42-Kelid', defaultPasswordPolicy, context), []);
  });

  test('a password equal to the user code, in any case, is refused; containing it is not', () => {
    const context = { userCode: 'Teh-Ab12x' };
    assert.deepEqual(codes('tehab12x', lenient, context), ['password.contains_identity']);
    assert.deepEqual(codes('TEHAB۱۲X', lenient, context), ['password.contains_identity']);
    assert.deepEqual(codes('TehAb12x!more', lenient, context), []);
  });

  test('a huge password is refused as too long without other work', () => {
    assert.deepEqual(codes('a'.repeat(5_000_000)), ['password.too_long']);
  });

  test('never throws and reports each problem at most once', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ maxLength: 12 }), (pw, id) => {
        const found = codes(pw, defaultPasswordPolicy, { nationalId: id, userCode: id });
        assert.equal(new Set(found).size, found.length);
        if (pw === '') return assert.deepEqual(found, ['password.required']);
        assert.equal(found.includes('password.required'), false);
        // Judged as hashed: invisible marks and the like do not count toward the length.
        assert.equal(found.includes('password.too_short'), [...normalizeSecret(pw)].length < 8);
      }),
    );
  });

  test('with no requirements, any non-empty uncommon string within the limits passes', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 64, unit: 'grapheme' }), (pw) => {
        const found = codes(pw, lenient).filter((c) => c !== 'password.common' && c !== 'password.too_long');
        assert.deepEqual(found, []);
      }),
    );
  });
});
