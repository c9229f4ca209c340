import * as jalaali from 'jalaali-js';
import { formatIsoDate, readDateParts, splitIsoDate } from './iso-date.ts';
import type { DateError, DateParts, IsoDate } from './iso-date.ts';
import { fail, ok } from './result.ts';
import type { Result } from './result.ts';

// The Solar Hijri (Jalaali) calendar used in Iran. jalaali-js implements the 33-year
// arithmetic rules that match the official calendar for the years Kelid handles.

// Matches the Gregorian range of iso-date.ts (1200 SH ≈ 1821, 1699 SH ≈ 2320).
const MIN_YEAR = 1200;
const MAX_YEAR = 1699;

export function toSolarHijri(iso: IsoDate): DateParts {
  const { year, month, day } = splitIsoDate(iso);
  const { jy, jm, jd } = jalaali.toJalaali(year, month, day);
  return { year: jy, month: jm, day: jd };
}

/** The IsoDate of a Solar Hijri day; an impossible day is a programmer error and throws. */
export function fromSolarHijri(year: number, month: number, day: number): IsoDate {
  if (!isValidSolarHijri({ year, month, day })) {
    throw new RangeError(`not a Solar Hijri date: ${year}/${month}/${day}`);
  }
  const { gy, gm, gd } = jalaali.toGregorian(year, month, day);
  return formatIsoDate({ year: gy, month: gm, day: gd });
}

/** Months 1–6 have 31 days, 7–11 have 30, Esfand 29 or 30 in a leap year. */
export function solarHijriMonthLength(year: number, month: number): number {
  return jalaali.jalaaliMonthLength(year, month);
}

/** Accepts `1404/07/01`, `۱۴۰۴/۰۷/۰۱`, `1404-7-1`. */
export function parseSolarHijri(input: string): Result<IsoDate, DateError> {
  const parts = readDateParts(input);
  if (!parts || !isValidSolarHijri(parts)) return fail('date.invalid');
  return ok(fromSolarHijri(parts.year, parts.month, parts.day));
}

function isValidSolarHijri({ year, month, day }: DateParts): boolean {
  // The range check comes first: jalaali-js throws outside its own supported years.
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) return false;
  if (!Number.isInteger(month) || month < 1 || month > 12) return false;
  return Number.isInteger(day) && day >= 1 && day <= solarHijriMonthLength(year, month);
}
