import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { ilCheckDigit, isValidNationalId, nationalIdCheckDigit, parseNationalId } from '../../src/domain/national-id.ts';

const VALID_IR = ['0499370899', '0076229645', '1583250689', '0012345679', '0034567895', '0023456787', '0067891233', '0045678911', '0056789122', '0011537027'];
const digitString = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: length, maxLength: length });
const NOISE = ['\u200b', '\u200c', '\u200e', '\u200f', '\u202b', '\u2067', '\ufeff', '\u061c', '\u00ad', ' ', '-', '\u2013', '\u2212', '\uff0d'];
const PERSIAN = '۰۱۲۳۴۵۶۷۸۹';

function irId(prefix: string): string {
  return prefix + nationalIdCheckDigit(prefix);
}

/** Every single-digit change of `id`: [position, new digit, changed id]. */
function singleDigitChanges(id: string): Array<[number, string]> {
  const changes: Array<[number, string]> = [];
  for (let i = 0; i < id.length; i++) {
    for (const d of '0123456789') if (d !== id[i]) changes.push([i, id.slice(0, i) + d + id.slice(i + 1)]);
  }
  return changes;
}

describe('Iranian national ID', () => {
  test('accepts the known valid codes', () => {
    for (const id of VALID_IR) assert.deepEqual(parseNationalId(id, 'ir'), { ok: true, value: id });
  });

  test('restores leading zeros dropped to 8 or 9 digits', () => {
    assert.deepEqual(parseNationalId('12345679', 'ir'), { ok: true, value: '0012345679' });
    assert.deepEqual(parseNationalId('499370899', 'ir'), { ok: true, value: '0499370899' });
  });

  test('reads Persian digits, spaces and dashes', () => {
    assert.deepEqual(parseNationalId('۰۴۹-۹۳۷۰۸۹-۹', 'ir'), { ok: true, value: '0499370899' });
  });

  test('says what is wrong: required, format or checksum', () => {
    assert.deepEqual(parseNationalId(' \u200f ', 'ir'), { ok: false, code: 'national_id.required' });
    assert.deepEqual(parseNationalId('1234567', 'ir'), { ok: false, code: 'national_id.format' });
    assert.deepEqual(parseNationalId('04993708990', 'ir'), { ok: false, code: 'national_id.format' });
    assert.deepEqual(parseNationalId('0499.370899', 'ir'), { ok: false, code: 'national_id.format' });
    assert.deepEqual(parseNationalId('0499370898', 'ir'), { ok: false, code: 'national_id.checksum' });
  });

  test('refuses ten equal digits although they pass the checksum', () => {
    for (const d of '0123456789') {
      const id = d.repeat(10);
      assert.equal(nationalIdCheckDigit(id.slice(0, 9)), Number(d));
      assert.deepEqual(parseNationalId(id, 'ir'), { ok: false, code: 'national_id.checksum' });
    }
  });

  test('refuses a zero serial (000000 after the first three digits)', () => {
    const id = irId('123000000');
    assert.deepEqual(parseNationalId(id, 'ir'), { ok: false, code: 'national_id.checksum' });
  });

  test('a prefix with its computed check digit is valid, unless it is one of the refused patterns', () => {
    fc.assert(
      fc.property(digitString(9), (prefix) => {
        const id = irId(prefix);
        const refused = /^(\d)\1{9}$/.test(id) || prefix.slice(3) === '000000';
        assert.equal(isValidNationalId(id, 'ir'), !refused);
      }),
    );
  });

  test('every single-digit change is caught unless the check digit is 1', () => {
    // Remainders 1 and 10 both give check digit 1, so a change that moves the remainder
    // between them goes unnoticed; with any other check digit the mod-11 weights 2..10
    // catch every single change.
    fc.assert(
      fc.property(digitString(9).filter((p) => p.slice(3) !== '000000'), (prefix) => {
        const id = irId(prefix);
        for (const [position, changed] of singleDigitChanges(id)) {
          if (isValidNationalId(changed, 'ir')) {
            assert.equal(id[9], '1');
            assert.notEqual(position, 9);
          }
        }
      }),
    );
  });

  test('the check-digit-1 blind spot is real: 1234567881 and 1134567881 are both valid', () => {
    assert.equal(isValidNationalId('1234567881', 'ir'), true);
    assert.equal(isValidNationalId('1134567881', 'ir'), true);
  });

  test('separators, invisibles and Persian digits never change the parsed value', () => {
    fc.assert(
      fc.property(fc.constantFrom(...VALID_IR), fc.array(fc.constantFrom(...NOISE), { maxLength: 30 }), fc.boolean(), (id, noise, persian) => {
        const shown = persian ? id.replace(/\d/g, (d) => PERSIAN[Number(d)] ?? d) : id;
        const noisy = [...shown].map((d, i) => (noise[i] ?? '') + d).join('') + noise.slice(10).join('');
        assert.deepEqual(parseNationalId(noisy, 'ir'), { ok: true, value: id });
      }),
    );
  });

  test('nationalIdCheckDigit refuses anything but nine ASCII digits', () => {
    assert.throws(() => nationalIdCheckDigit('12345678'), RangeError);
    assert.throws(() => nationalIdCheckDigit('۱۲۳۴۵۶۷۸۹'), RangeError);
  });
});

describe('Israeli ID', () => {
  test('accepts a valid ID and refuses its neighbour', () => {
    assert.deepEqual(parseNationalId('039337423', 'il'), { ok: true, value: '039337423' });
    assert.deepEqual(parseNationalId('039337422', 'il'), { ok: false, code: 'national_id.checksum' });
  });

  test('left-pads short IDs to nine digits', () => {
    assert.deepEqual(parseNationalId('39337423', 'il'), { ok: true, value: '039337423' });
    assert.deepEqual(parseNationalId('18', 'il'), { ok: true, value: '000000018' });
  });

  test('refuses all zeros, more than nine digits and non-digits', () => {
    assert.deepEqual(parseNationalId('0', 'il'), { ok: false, code: 'national_id.checksum' });
    assert.deepEqual(parseNationalId('0393374230', 'il'), { ok: false, code: 'national_id.format' });
    assert.deepEqual(parseNationalId('03933742a', 'il'), { ok: false, code: 'national_id.format' });
    assert.deepEqual(parseNationalId('', 'il'), { ok: false, code: 'national_id.required' });
  });

  test('a prefix with its computed check digit is valid and any single-digit change is caught', () => {
    fc.assert(
      fc.property(digitString(8).filter((p) => p !== '00000000'), (prefix) => {
        const id = prefix + ilCheckDigit(prefix);
        assert.equal(isValidNationalId(id, 'il'), true);
        for (const [, changed] of singleDigitChanges(id)) assert.equal(isValidNationalId(changed, 'il'), false);
      }),
    );
  });

  test('ilCheckDigit matches the known ID', () => {
    assert.equal(ilCheckDigit('03933742'), 3);
  });
});

test('parseNationalId never throws', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom('ir' as const, 'il' as const), (s, profile) => {
      const result = parseNationalId(s, profile);
      if (result.ok) assert.match(result.value, profile === 'ir' ? /^\d{10}$/ : /^\d{9}$/);
    }),
  );
});
