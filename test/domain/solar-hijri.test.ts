import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatIsoDate } from '../../src/domain/iso-date.ts';
import { fromSolarHijri, parseSolarHijri, solarHijriMonthLength, toSolarHijri } from '../../src/domain/solar-hijri.ts';

const DAY_MS = 86_400_000;
const isoOfEpochDay = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

test('known dates: Nowruz and 1 Mehr', () => {
  assert.deepEqual(toSolarHijri('2025-03-21'), { year: 1404, month: 1, day: 1 });
  assert.equal(fromSolarHijri(1404, 7, 1), '2025-09-23');
  assert.equal(fromSolarHijri(1403, 12, 30), '2025-03-20');
});

test('every day from 1300 to 1500 converts to the next day in order and back', () => {
  let epochDay = Date.parse(fromSolarHijri(1300, 1, 1)) / DAY_MS;
  for (let year = 1300; year <= 1500; year++) {
    for (let month = 1; month <= 12; month++) {
      for (let day = 1; day <= solarHijriMonthLength(year, month); day++) {
        const iso = fromSolarHijri(year, month, day);
        assert.equal(iso, isoOfEpochDay(epochDay));
        assert.deepEqual(toSolarHijri(iso), { year, month, day });
        epochDay++;
      }
    }
  }
});

test('month lengths: six of 31, five of 30, Esfand 29 or 30', () => {
  for (let year = 1300; year <= 1500; year++) {
    const lengths = Array.from({ length: 12 }, (_, i) => solarHijriMonthLength(year, i + 1));
    assert.deepEqual(lengths.slice(0, 11), [31, 31, 31, 31, 31, 31, 30, 30, 30, 30, 30]);
    assert.ok(lengths[11] === 29 || lengths[11] === 30);
  }
});

test('parseSolarHijri reads slashes, dashes, Persian digits and direction marks', () => {
  for (const input of ['1404/07/01', '۱۴۰۴/۰۷/۰۱', '1404-7-1', '\u200f۱۴۰۴/۷/۱\u200f']) {
    assert.deepEqual(parseSolarHijri(input), { ok: true, value: '2025-09-23' }, input);
  }
});

test('parseSolarHijri accepts exactly the valid days', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1300, max: 1500 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), (y, m, d) => {
      const valid = m >= 1 && m <= 12 && d >= 1 && d <= (m <= 6 ? 31 : m <= 11 ? 30 : solarHijriMonthLength(y, 12));
      const result = parseSolarHijri(`${y}/${m}/${d}`);
      assert.equal(result.ok, valid);
      if (result.ok) assert.deepEqual(toSolarHijri(result.value), { year: y, month: m, day: d });
    }),
  );
});

test('parseSolarHijri refuses leap day in a common year, junk and years out of range', () => {
  assert.equal(parseSolarHijri('1403/12/30').ok, true);
  for (const input of ['1404/12/30', '1404/07/31', '1404/7', '1404.07.01', '14040701', '01/07/1404', '9999/01/01', '1000/01/01']) {
    assert.deepEqual(parseSolarHijri(input), { ok: false, code: 'date.invalid' }, input);
  }
});

test('parseSolarHijri never throws', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (s) => void parseSolarHijri(s)));
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 9999 }), fc.nat(99), fc.nat(99), (y, m, d) => {
      const result = parseSolarHijri(`${String(y).padStart(4, '0')}/${m}/${d}`);
      if (result.ok) assert.match(result.value, /^\d{4}-\d{2}-\d{2}$/);
    }),
  );
});

test('fromSolarHijri throws on an impossible day', () => {
  assert.throws(() => fromSolarHijri(1404, 12, 30), RangeError);
  assert.throws(() => fromSolarHijri(1404, 13, 1), RangeError);
  assert.equal(formatIsoDate(toSolarHijri('2025-09-23')), '1404-07-01');
});
