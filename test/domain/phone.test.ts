import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { formatMobileNational, maskMobile, parseMobile } from '../../src/domain/phone.ts';

describe('parseMobile, Iran', () => {
  test('every usual way of writing a mobile gives the same E.164 number', () => {
    for (const input of ['09121234567', '9121234567', '+989121234567', '00989121234567', '۰۹۱۲ ۱۲۳ ۴۵۶۷', '0912-123-4567', '\u200e+98 912 123 4567']) {
      assert.deepEqual(parseMobile(input, 'ir'), { ok: true, value: '+989121234567' }, input);
    }
  });

  test('refuses landlines, foreign numbers, extensions and numbers inside text', () => {
    for (const input of ['02188776655', '+982188776655', '+14155552671', '+972502345678', '09121234567 ext 5', 'call 09121234567', '0912123456']) {
      assert.deepEqual(parseMobile(input, 'ir'), { ok: false, code: 'mobile.invalid' }, input);
    }
  });

  test('empty input is required, not invalid', () => {
    assert.deepEqual(parseMobile(' \u200f - ', 'ir'), { ok: false, code: 'mobile.required' });
  });
});

describe('parseMobile, Israel', () => {
  test('national and international forms give the same E.164 number', () => {
    // 050-1234567 is not an allocated range in libphonenumber's metadata (050-1… is not
    // issued), so the examples use 050-2345678.
    for (const input of ['050-2345678', '0502345678', '+972502345678', '+972-50-234-5678']) {
      assert.deepEqual(parseMobile(input, 'il'), { ok: true, value: '+972502345678' }, input);
    }
  });

  test('refuses landlines and unallocated ranges', () => {
    assert.deepEqual(parseMobile('02-6251111', 'il'), { ok: false, code: 'mobile.invalid' });
    assert.deepEqual(parseMobile('050-1234567', 'il'), { ok: false, code: 'mobile.invalid' });
  });
});

test('parseMobile never throws and only returns E.164 numbers of the profile', () => {
  const profiles = fc.constantFrom('ir' as const, 'il' as const);
  const phoneish = fc.string({ unit: fc.constantFrom(...'+0123456789 -()۰۹٤', '\u200f', 'x'), maxLength: 20 });
  fc.assert(
    fc.property(fc.oneof(fc.string({ unit: 'binary' }), phoneish), profiles, (s, profile) => {
      const result = parseMobile(s, profile);
      if (result.ok) assert.match(result.value, profile === 'ir' ? /^\+989\d{9}$/ : /^\+9725\d{8}$/);
    }),
    { numRuns: 2000 },
  );
});

test('formatMobileNational shows the number as people write it at home', () => {
  assert.equal(formatMobileNational('+989121234567'), '0912 123 4567');
  assert.equal(formatMobileNational('+972502345678'), '050-234-5678');
  assert.equal(formatMobileNational('not a number'), 'not a number');
});

test('maskMobile hides three digits before the last four', () => {
  assert.equal(maskMobile('+989121234567'), '0912***4567');
  assert.equal(maskMobile('+972502345678'), '050***5678');
});
