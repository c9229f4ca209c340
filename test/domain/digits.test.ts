import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { normalizeDigitString, normalizeLine, normalizeText, stripInvisibles, toLatinDigits } from '../../src/domain/digits.ts';

const PERSIAN = '۰۱۲۳۴۵۶۷۸۹';
const ARABIC = '٠١٢٣٤٥٦٧٨٩';
const FULL_WIDTH = '０１２３４５６７８９';
const INVISIBLE = ['\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u202a', '\u202e', '\u2066', '\u2069', '\ufeff', '\u061c', '\u00ad', '\u0000', '\u0007'];
const DASHES = ['-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212', '\ufe58', '\ufe63', '\uff0d'];

const latinDigits = fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 20 });
const toScript = (s: string, script: string) => s.replace(/[0-9]/g, (d) => script[Number(d)] ?? d);

describe('toLatinDigits', () => {
  test('Persian and Arabic-Indic digits become ASCII, other text is untouched', () => {
    assert.equal(toLatinDigits('۰۹۱۲ ٤٥٦ abc'), '0912 456 abc');
    assert.equal(toLatinDigits('００１２３４５６７９ ۹:٩/９'), '0012345679 9:9/9', 'full-width digits too');
    assert.equal(toLatinDigits('\uff0f\uff1a\u06ef\u066a'), '\uff0f\uff1a\u06ef\u066a', 'their neighbours are no digits');
  });

  test('a digit string in any script reads the same as in Latin', () => {
    fc.assert(
      fc.property(latinDigits, fc.constantFrom(PERSIAN, ARABIC, FULL_WIDTH), (digits, script) => {
        assert.equal(toLatinDigits(toScript(digits, script)), digits);
        assert.equal(normalizeDigitString(toScript(digits, script)), normalizeDigitString(digits));
      }),
    );
  });
});

describe('stripInvisibles', () => {
  test('removes format and control characters but keeps newlines and tabs', () => {
    assert.equal(stripInvisibles(`a${INVISIBLE.join('')}b\n\tc`), 'ab\n\tc');
  });

  test('normalizeLine makes one line of multi-line input', () => {
    assert.equal(normalizeLine('  Sara \n\t Levi\u200f '), 'Sara Levi');
  });
});

describe('normalizeText', () => {
  test('Arabic yeh, alef maksura and kaf become their Persian forms', () => {
    assert.equal(normalizeText('علي مصطفى كريمي'), 'علی مصطفی کریمی');
  });

  test('keeps a single ZWNJ inside a word and drops it at word edges', () => {
    assert.equal(normalizeText('\u200cمی\u200c\u200cروم\u200c  \u200c خانه\u200c'), 'می\u200cروم خانه');
  });

  test('collapses whitespace and removes direction marks', () => {
    assert.equal(normalizeText('  \u202bRina\u202c \u00a0  Cohen\n'), 'Rina Cohen');
  });

  test('composes to NFC', () => {
    assert.equal(normalizeText('Jose\u0301'), 'José');
  });

  test('is idempotent and never leaves edge or doubled spaces', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'ی', 'ي', ' ', '\n', '\u200c', '\u200f', 'ك') }), (s) => {
        const once = normalizeText(s);
        assert.equal(normalizeText(once), once);
        assert.doesNotMatch(once, /^\s|\s$|\s\s|\u200c\u200c|^\u200c|\u200c$|\s\u200c|\u200c\s|[يكى]/);
      }),
    );
  });
});

describe('normalizeDigitString', () => {
  test('drops spaces, every dash form and invisibles but keeps other characters', () => {
    assert.equal(normalizeDigitString(`۰۴۹ ${DASHES.join('')}\u200e93.70/899`), '04993.70/899');
  });

  test('inserting separators anywhere does not change the result', () => {
    const noise = fc.array(fc.constantFrom(...INVISIBLE, ...DASHES, ' ', '\t', '\u00a0'), { maxLength: 4 });
    fc.assert(
      fc.property(latinDigits, fc.array(noise, { maxLength: 21 }), (digits, inserts) => {
        const noisy = [...digits].map((d, i) => (inserts[i] ?? []).join('') + d).join('') + (inserts[20] ?? []).join('');
        assert.equal(normalizeDigitString(noisy), digits);
      }),
    );
  });
});
