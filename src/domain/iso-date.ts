import { stripInvisibles, toLatinDigits } from './digits.ts';
import { fail, ok } from './result.ts';
import type { Result } from './result.ts';

/**
 * A calendar day as `YYYY-MM-DD` (Gregorian). Plain strings keep the domain free of time
 * zones and clocks, sort correctly as text, and go to and from the database unchanged.
 */
export type IsoDate = string;

export type DateParts = { year: number; month: number; day: number };

export type DateError = 'date.invalid';

// Dates Kelid handles (births, appointments) fall well inside this range; four-digit years
// also keep IsoDate strings sortable as text.
const MIN_YEAR = 1800;
const MAX_YEAR = 2299;

export function formatIsoDate({ year, month, day }: DateParts): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Whether `value` is an IsoDate exactly as the database stores one: `YYYY-MM-DD`, a real day
 * of the Gregorian calendar, in Kelid's years. For values from outside that a pattern alone
 * checked (`2026-02-30` matches `\d{4}-\d{2}-\d{2}`, and PostgreSQL refuses it: a 500).
 */
export function isIsoDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return match !== null && checkedGregorian({ year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) }).ok;
}

/** The parts of a valid IsoDate; anything else is a programmer error and throws. */
export function splitIsoDate(iso: IsoDate): DateParts {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const parts = match && { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  if (!parts || !isValidGregorian(parts)) throw new RangeError(`not an ISO date: ${JSON.stringify(iso)}`);
  return parts;
}

export function gregorianMonthLength(year: number, month: number): number {
  if (month === 2) return isGregorianLeap(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function isGregorianLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function isValidGregorian({ year, month, day }: DateParts): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= gregorianMonthLength(year, month);
}

/**
 * Splits typed `Y/M/D` or `Y-M-D` (any digit script, one- or two-digit month and day) into
 * numbers; the caller checks them against its calendar.
 */
export function readDateParts(input: string): DateParts | undefined {
  const text = toLatinDigits(stripInvisibles(input)).replace(/\s+/g, '');
  const match = /^(\d{4})([/-])(\d{1,2})\2(\d{1,2})$/.exec(text);
  if (!match) return undefined;
  return { year: Number(match[1]), month: Number(match[3]), day: Number(match[4]) };
}

/** Accepts `2025-09-23` and `2025/9/23`; always year first, the order ISO and Persian share. */
export function parseGregorian(input: string): Result<IsoDate, DateError> {
  return checkedGregorian(readDateParts(input));
}

/**
 * Accepts the Israeli day-first `23.09.2025` (also with `/` or `-`, one- or two-digit day and
 * month) and, as parseGregorian, year-first ISO: a four-digit year at either end tells the
 * two orders apart, so nothing typed can be read both ways.
 */
export function parseGregorianDayFirst(input: string): Result<IsoDate, DateError> {
  const text = toLatinDigits(stripInvisibles(input)).replace(/\s+/g, '');
  const match = /^(\d{1,2})([./-])(\d{1,2})\2(\d{4})$/.exec(text);
  return checkedGregorian(match ? { year: Number(match[4]), month: Number(match[3]), day: Number(match[1]) } : readDateParts(input));
}

function checkedGregorian(parts: DateParts | undefined): Result<IsoDate, DateError> {
  if (!parts || parts.year < MIN_YEAR || parts.year > MAX_YEAR || !isValidGregorian(parts)) {
    return fail('date.invalid');
  }
  return ok(formatIsoDate(parts));
}
