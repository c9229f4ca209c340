// What a person types into a secret means the same on every keyboard (issue 9, fault 2;
// NIST SP 800-63B: normalize before hashing), and nothing else about it changes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { normalizeSecret } from '../../src/domain/secret-text.ts';

describe('normalizeSecret', () => {
  test('canonically and compatibly equal strings are one secret (NFKC)', () => {
    assert.equal(normalizeSecret('A\u0308bc'), normalizeSecret('\u00c4bc'));
    assert.equal(normalizeSecret('e\u0301'), '\u00e9');
    assert.equal(normalizeSecret('ＫＥＬＩＤ１２'), 'KELID12', 'full-width Latin from CJK input methods');
    assert.equal(normalizeSecret('\ufeb3\ufefc\ufee1'), 'سلام', 'Arabic presentation forms');
    assert.equal(normalizeSecret('\u0647\u0654'), '\u06c0', 'heh + hamza above is ۀ');
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => normalizeSecret(s.normalize('NFD')) === normalizeSecret(s.normalize('NFC'))));
  });

  test('Persian and Arabic-Indic digits are Latin digits; Arabic-keyboard yeh and kaf are Persian letters', () => {
    assert.equal(normalizeSecret('Kelid-۱۴۰۴'), 'Kelid-1404');
    assert.equal(normalizeSecret('Kelid-١٤٠٤'), 'Kelid-1404');
    assert.equal(normalizeSecret('علي-كتاب'), 'علی-کتاب');
    assert.equal(normalizeSecret('مصطفى'), 'مصطفی');
  });

  test('invisible marks that keyboards and copy-paste add are dropped; ZWNJ and ZWJ are kept', () => {
    assert.equal(normalizeSecret('\u200fرمز\u200e-12\u202b\u200b\ufeff'), 'رمز-12');
    assert.equal(normalizeSecret('می\u200cروم'), 'می\u200cروم');
    assert.equal(normalizeSecret('👩\u200d💻'), '👩\u200d💻');
    assert.equal(normalizeSecret('I❤️Kelid'), normalizeSecret('I❤Kelid'), 'emoji variation selectors');
  });

  test('case, spaces and every other character still count', () => {
    assert.notEqual(normalizeSecret('Kelid'), normalizeSecret('kelid'));
    assert.notEqual(normalizeSecret('a b'), normalizeSecret('ab'));
    assert.notEqual(normalizeSecret(' ab'), normalizeSecret('ab'));
    assert.notEqual(normalizeSecret('שלום'), normalizeSecret('שלומ'));
  });

  test('normalizing twice changes nothing more', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => normalizeSecret(normalizeSecret(s)) === normalizeSecret(s)));
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => normalizeSecret(normalizeSecret(s)) === normalizeSecret(s)));
  });
});
