import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatIsoDate, parseGregorian, parseGregorianDayFirst, parseIsoInstant, splitIsoDate } from '../../src/domain/iso-date.ts';

test('parseGregorian reads year-first dates with dashes or slashes in any digit script', () => {
  for (const input of ['2025-09-23', '2025/09/23', '2025/9/23', '۲۰۲۵/۰۹/۲۳', ' 2025 - 9 - 23 ']) {
    assert.deepEqual(parseGregorian(input), { ok: true, value: '2025-09-23' }, input);
  }
});

test('parseGregorian refuses impossible days, mixed separators and day-first order', () => {
  for (const input of ['2025-02-29', '2025-13-01', '2025-04-31', '2025-00-10', '2025-01-00', '2025/09-23', '23/09/2025', '', '1799-12-31']) {
    assert.deepEqual(parseGregorian(input), { ok: false, code: 'date.invalid' }, input);
  }
  assert.equal(parseGregorian('2024-02-29').ok, true);
  assert.equal(parseGregorian('1900-02-29').ok, false);
  assert.equal(parseGregorian('2000-02-29').ok, true);
});

test('parseGregorian accepts exactly the days the JavaScript calendar has', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1800, max: 2299 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), (y, m, d) => {
      const utc = new Date(Date.UTC(y, m - 1, d));
      const real = m >= 1 && m <= 12 && d >= 1 && utc.getUTCMonth() === m - 1 && utc.getUTCDate() === d;
      assert.equal(parseGregorian(`${y}/${m}/${d}`).ok, real);
    }),
  );
});

test('splitIsoDate and formatIsoDate are inverse; splitIsoDate throws on a non-date', () => {
  assert.deepEqual(splitIsoDate(formatIsoDate({ year: 2025, month: 9, day: 1 })), { year: 2025, month: 9, day: 1 });
  assert.throws(() => splitIsoDate('2025-9-1'), RangeError);
  assert.throws(() => splitIsoDate('2025-02-30'), RangeError);
});

test('parseGregorianDayFirst reads the Israeli day-first order and still year-first ISO, never a mix', () => {
  for (const input of ['23.09.2025', '23.9.2025', '23/09/2025', '23-09-2025', '۲۳.۰۹.۲۰۲۵', '2025-09-23', '2025/9/23']) {
    assert.deepEqual(parseGregorianDayFirst(input), { ok: true, value: '2025-09-23' }, input);
  }
  for (const input of ['29.02.2025', '09.23.2025', '23.09/2025', '23.09.25', '2025.09.23x', '']) {
    assert.deepEqual(parseGregorianDayFirst(input), { ok: false, code: 'date.invalid' }, input);
  }
});

test('parseIsoInstant reads RFC 3339 instants and days, real ones in years 1 to 9999 at UTC, nothing else', () => {
  const read = (value: string) => parseIsoInstant(value)?.toISOString();
  assert.equal(read('2026-03-21T08:00:00Z'), '2026-03-21T08:00:00.000Z');
  assert.equal(read('2026-03-21t08:00:00.5z'), '2026-03-21T08:00:00.500Z');
  assert.equal(read('2026-03-21T11:30:00+03:30'), '2026-03-21T08:00:00.000Z');
  assert.equal(read('2026-03-21T00:00:00.123456789-05:00'), '2026-03-21T05:00:00.123Z');
  assert.equal(read('2026-03-21'), '2026-03-21T00:00:00.000Z');
  assert.equal(read('0001-01-01T00:00:00Z'), '0001-01-01T00:00:00.000Z');
  assert.equal(read('0050-06-15'), '0050-06-15T00:00:00.000Z', 'no two-digit year read as 19xx');
  assert.equal(read('9999-12-31T23:59:59Z'), '9999-12-31T23:59:59.000Z');
  for (const bad of ['0000-01-01T00:00:00Z', '0000-06-15', '0001-01-01T00:00:00+14:00', '9999-12-31T23:00:00-05:00', '2026-02-30T00:00:00Z', '2026-02-29',
    '2026-13-01', '2026-01-01 junk', '2026-01-01 08:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T08:60:00Z', '2026-01-01T08:00:60Z', '2026-01-01T08:00:00+14:60',
    '2026-01-01T08:00:00', '2026-01-01T08:00Z', '+002026-01-01T00:00:00Z', '۲۰۲۶-۰۱-۰۱', 'yesterday', '', '2026-1-1', '2026-01-01T08:00:00.Z']) {
    assert.equal(parseIsoInstant(bad), undefined, bad);
  }
  assert.equal(read('2024-02-29T12:00:00Z'), '2024-02-29T12:00:00.000Z', 'a leap day');
});
