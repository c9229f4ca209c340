import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { appointmentDefaults, isActiveOn, nextSchoolYear } from '../../src/domain/school-year.ts';
import type { OrgType } from '../../src/domain/school-year.ts';
import { toSolarHijri } from '../../src/domain/solar-hijri.ts';

const ORG_TYPES: OrgType[] = ['public', 'non_public', 'gifted', 'special', 'university', 'ministry', 'province', 'district'];
const DAY_MS = 86_400_000;
// Any day from 1930 to 2150, as an ISO date.
const isoDay = fc.integer({ min: -14_600, max: 65_700 }).map((n) => new Date(n * DAY_MS).toISOString().slice(0, 10));
const orgType = fc.constantFrom(...ORG_TYPES);

describe('appointmentDefaults, Iran', () => {
  test('during the school year: 1 Mehr 1404 to 31 Shahrivar 1405', () => {
    for (const today of ['2025-09-23', '2025-12-31', '2026-03-21', '2026-08-22']) {
      assert.deepEqual(appointmentDefaults('ir', 'public', today), { start: '2025-09-23', end: '2026-09-22' }, today);
    }
  });

  test('non-public schools end on 31 Ordibehesht', () => {
    assert.deepEqual(appointmentDefaults('ir', 'non_public', '2025-10-01'), { start: '2025-09-23', end: '2026-05-21' });
  });

  test('in Shahrivar the defaults already point at the coming year', () => {
    assert.deepEqual(appointmentDefaults('ir', 'public', '2025-08-22'), { start: '2024-09-22', end: '2025-09-22' });
    assert.deepEqual(appointmentDefaults('ir', 'public', '2025-08-23'), { start: '2025-09-23', end: '2026-09-22' });
  });

  test('always 1 Mehr to 31 Shahrivar (31 Ordibehesht for non-public) of the next year, covering today or the coming weeks', () => {
    fc.assert(
      fc.property(isoDay, orgType, (today, org) => {
        const { start, end } = appointmentDefaults('ir', org, today);
        const s = toSolarHijri(start);
        const e = toSolarHijri(end);
        assert.ok(start < end);
        assert.deepEqual([s.month, s.day], [7, 1]);
        assert.deepEqual([e.year, e.month, e.day], [s.year + 1, org === 'non_public' ? 2 : 6, 31]);
        const t = toSolarHijri(today);
        assert.equal(s.year, t.month >= 6 ? t.year : t.year - 1);
      }),
    );
  });
});

describe('appointmentDefaults, Israel', () => {
  test('1 September to 30 June; from July on, the coming year', () => {
    assert.deepEqual(appointmentDefaults('il', 'public', '2026-06-30'), { start: '2025-09-01', end: '2026-06-30' });
    assert.deepEqual(appointmentDefaults('il', 'public', '2026-07-01'), { start: '2026-09-01', end: '2027-06-30' });
    assert.deepEqual(appointmentDefaults('il', 'non_public', '2026-01-15'), { start: '2025-09-01', end: '2026-06-30' });
  });

  test('always starts on the 1 September at most two months ahead and ends the next 30 June', () => {
    fc.assert(
      fc.property(isoDay, orgType, (today, org) => {
        const { start, end } = appointmentDefaults('il', org, today);
        assert.match(start, /-09-01$/);
        assert.equal(end, `${Number(start.slice(0, 4)) + 1}-06-30`);
        assert.ok(start < end);
        const daysAhead = (Date.parse(start) - Date.parse(today)) / DAY_MS;
        assert.ok(daysAhead <= 62 && daysAhead > -365, `${today} → ${start}`);
      }),
    );
  });
});

describe('nextSchoolYear', () => {
  test('moves an Iranian appointment one Solar Hijri year on', () => {
    assert.deepEqual(nextSchoolYear('ir', '2025-09-23', '2026-09-22'), { start: '2026-09-23', end: '2027-09-22' });
    // 1 Mehr 1406 falls on 23 September 2027, 1 Mehr 1407 on 22 September 2028.
    assert.deepEqual(nextSchoolYear('ir', '2027-09-23', '2028-05-21'), { start: '2028-09-22', end: '2029-05-21' });
  });

  test('clamps leap days to the end of the month', () => {
    assert.deepEqual(nextSchoolYear('il', '2024-02-29', '2024-06-30'), { start: '2025-02-28', end: '2025-06-30' });
    assert.deepEqual(nextSchoolYear('ir', '2025-03-20', '2025-03-20'), { start: '2026-03-20', end: '2026-03-20' });
  });

  test('renewing the defaults gives the defaults of a year later', () => {
    fc.assert(
      fc.property(isoDay, orgType, fc.constantFrom('ir' as const, 'il' as const), (today, org, profile) => {
        const current = appointmentDefaults(profile, org, today);
        const next = nextSchoolYear(profile, current.start, current.end);
        const later = new Date(Date.parse(current.start) + 370 * DAY_MS).toISOString().slice(0, 10);
        assert.deepEqual(next, appointmentDefaults(profile, org, later));
      }),
    );
  });
});

describe('isActiveOn', () => {
  test('both ends are inclusive and a null end never expires', () => {
    assert.equal(isActiveOn('2025-09-23', '2026-09-22', '2025-09-23'), true);
    assert.equal(isActiveOn('2025-09-23', '2026-09-22', '2026-09-22'), true);
    assert.equal(isActiveOn('2025-09-23', '2026-09-22', '2026-09-23'), false);
    assert.equal(isActiveOn('2025-09-23', '2026-09-22', '2025-09-22'), false);
    assert.equal(isActiveOn('2025-09-23', null, '2099-01-01'), true);
  });
});
