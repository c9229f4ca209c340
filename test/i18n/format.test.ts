// One date format per locale, the same shown and typed: what a page shows can be typed back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { arabicDigitChoices, formatDate, formatDateTime, formattingFor, parseDate } from '../../src/i18n/format.ts';
import { locales } from '../../src/i18n/catalogs.ts';
import { formatIsoDate } from '../../src/domain/iso-date.ts';

test('Persian shows Solar Hijri year first in Persian digits, Hebrew DD.MM.YYYY, English ISO', () => {
  assert.equal(formatDate('2026-09-01', 'fa'), '۱۴۰۵/۰۶/۱۰');
  assert.equal(formatDate('2026-09-01', 'he'), '01.09.2026');
  assert.equal(formatDate('2026-09-01', 'en'), '2026-09-01');
});

// Every way a page writes dates: each locale in each profile, Arabic with each choice of digits.
const everyFormatting = [...new Set(locales.flatMap((locale) => (['ir', 'il'] as const).flatMap((profile) =>
  arabicDigitChoices.map((digits) => formattingFor(locale, profile, digits)))))];

test('every locale, in both profiles and with either digits, reads back exactly what it shows, for any day', () => {
  assert.equal(everyFormatting.length, 7);
  fc.assert(fc.property(fc.date({ min: new Date('1900-01-01'), max: new Date('2199-12-31'), noInvalidDate: true }), fc.constantFrom(...everyFormatting), (day, formatting) => {
    const iso = formatIsoDate({ year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() });
    assert.deepEqual(parseDate(formatDate(iso, formatting), formatting), { ok: true, value: iso });
  }));
});

test('Hebrew also takes ISO and day-first with slashes; English keeps ISO and refuses day-first', () => {
  for (const input of ['23.09.2025', '23/9/2025', '2025-09-23', ' 23 . 09 . 2025 ']) assert.deepEqual(parseDate(input, 'he'), { ok: true, value: '2025-09-23' }, input);
  assert.deepEqual(parseDate('31.02.2025', 'he'), { ok: false, code: 'date.invalid' });
  assert.deepEqual(parseDate('2025/09/23', 'en'), { ok: true, value: '2025-09-23' });
  assert.deepEqual(parseDate('23.09.2025', 'en'), { ok: false, code: 'date.invalid' }, 'English shows year first and takes year first only');
  assert.deepEqual(parseDate('۱۴۰۴/۰۷/۰۱', 'fa'), { ok: true, value: '2025-09-23' });
});

test('a time of day comes after the date in the locale format, on the clock of the time zone', () => {
  const at = new Date('2026-08-31T22:30:00Z');
  assert.equal(formatDateTime(at, 'he', 'Asia/Jerusalem'), '01.09.2026 01:30');
  assert.equal(formatDateTime(at, 'en', 'Asia/Jerusalem'), '2026-09-01 01:30');
  assert.equal(formatDateTime(at, 'fa', 'Asia/Tehran'), '۱۴۰۵/۰۶/۱۰ ۰۲:۰۰');
});
