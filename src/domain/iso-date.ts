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

/**
 * An instant as RFC 3339 writes one (SCIM's xsd:dateTime, RFC 7643 §2.3.5):
 * `YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)`, or a day alone (`YYYY-MM-DD`, its midnight UTC); a
 * real day and time (not `2026-02-30`, `24:00` or a `+14:60` offset), in years 1–9999 once at
 * UTC (PostgreSQL has no year 0, and refused one with a 500). Undefined for anything else, such
 * as text after it or a space for the `T`.
 */
export function parseIsoInstant(value: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(?:([Zz])|([+-])(\d{2}):(\d{2})))?$/.exec(value);
  if (!match) return undefined;
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', zulu, sign, offsetHours = '0', offsetMinutes = '0'] = match;
  const parts = { year: Number(year), month: Number(month), day: Number(day) };
  if (!isValidGregorian(parts) || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return undefined;
  if (Number(offsetHours) > 23 || Number(offsetMinutes) > 59) return undefined;
  const offset = zulu !== undefined || sign === undefined ? 0 : (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes));
  const at = new Date(0);
  at.setUTCFullYear(parts.year, parts.month - 1, parts.day);
  at.setUTCHours(Number(hour), Number(minute) - offset, Number(second), Math.floor(Number(`0${fraction || '.0'}`) * 1000));
  const utcYear = at.getUTCFullYear();
  return utcYear >= 1 && utcYear <= 9999 ? at : undefined;
}
