// Arabic: digits by the person's choice, the calendar by the profile, and what is shown can be typed back in any digits.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { translator } from '../../src/i18n/catalogs.ts';
import {
  dateExample, formatClock, formatDate, formatDateLong, formatDateTime, formattingFor, localeOf, localizeDigits, parseDate,
} from '../../src/i18n/format.ts';

const arIrArab = formattingFor('ar', 'ir', 'arab');
const arIrLatn = formattingFor('ar', 'ir', 'latn');
const arIlArab = formattingFor('ar', 'il', 'arab');
const arIlLatn = formattingFor('ar', 'il', 'latn');

test('the profile sets the calendar and the default digits; the other locales are one formatting each', () => {
  assert.equal(formattingFor('ar', 'ir'), arIrArab, 'Iran: Arabic-Indic digits unless chosen otherwise');
  assert.equal(formattingFor('ar', 'il'), arIlLatn, 'Israel: Latin digits unless chosen otherwise');
  assert.equal(formattingFor('fa', 'il', 'latn'), 'fa', 'a digit choice is Arabic only');
  assert.equal(formattingFor('he', 'ir'), 'he');
  for (const f of [arIrArab, arIrLatn, arIlArab, arIlLatn]) assert.equal(localeOf(f), 'ar');
});

test('ir: Solar Hijri, year first, as Persian, in the chosen digits', () => {
  assert.equal(formatDate('2025-09-23', arIrArab), '١٤٠٤/٠٧/٠١');
  assert.equal(formatDate('2025-09-23', arIrLatn), '1404/07/01');
  assert.equal(dateExample(arIrArab), '١٤٠٤/٠٧/٠١');
});

test('il: Gregorian, day first, in the chosen digits', () => {
  assert.equal(formatDate('2025-09-23', arIlLatn), '23/09/2025');
  assert.equal(formatDate('2025-09-23', arIlArab), '٢٣/٠٩/٢٠٢٥');
});

test('a typed date is read in Arabic-Indic, Persian or Latin digits, whatever the choice', () => {
  for (const f of [arIrArab, arIrLatn]) {
    for (const typed of ['١٤٠٤/٠٧/٠١', '۱۴۰۴/۰۷/۰۱', '1404/07/01', '1404/7/1']) assert.deepEqual(parseDate(typed, f), { ok: true, value: '2025-09-23' }, typed);
  }
  for (const f of [arIlArab, arIlLatn]) {
    for (const typed of ['٢٣/٠٩/٢٠٢٥', '۲۳/۰۹/۲۰۲۵', '23/09/2025', '23.09.2025', '2025-09-23']) assert.deepEqual(parseDate(typed, f), { ok: true, value: '2025-09-23' }, typed);
  }
  assert.deepEqual(parseDate('٣١/٠٢/٢٠٢٥', arIlArab), { ok: false, code: 'date.invalid' }, 'no 31 February');
});

test('clock, date and time, long dates and numbers follow the choice', () => {
  const at = new Date('2026-08-31T22:30:00Z');
  assert.equal(formatClock(at, arIrArab, 'Asia/Tehran'), '٠٢:٠٠');
  assert.equal(formatClock(at, arIlLatn, 'Asia/Jerusalem'), '01:30');
  assert.equal(formatDateTime(at, arIlArab, 'Asia/Jerusalem'), '٠١/٠٩/٢٠٢٦ ٠١:٣٠');
  assert.equal(formatDateTime(at, arIrLatn, 'Asia/Tehran'), '1405/06/10 02:00');
  assert.match(formatDateLong('2025-12-20', arIrArab), /^٢٩ آذر ١٤٠٤/);
  assert.match(formatDateLong('2025-12-20', arIlLatn), /^20 ديسمبر 2025/);
  assert.equal(localizeDigits('0123456789', arIrArab), '٠١٢٣٤٥٦٧٨٩');
  assert.equal(localizeDigits('0123456789', arIlLatn), '0123456789');
  assert.equal(localizeDigits('0123456789', 'fa'), '۰۱۲۳۴۵۶۷۸۹');
  assert.equal(translator(arIrArab)('password.policy', { min: 12 }).includes('١٢'), true);
  assert.equal(translator(arIlLatn)('password.policy', { min: 12 }).includes('12'), true);
});
