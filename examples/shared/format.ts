/**
 * Numbers, money and dates in the reader's language with Intl: Persian digits and the Solar
 * Hijri calendar in fa, the Gregorian calendar in he and en (as Kelid's pages do).
 * Dates travel as ISO 'YYYY-MM-DD' strings and are formatted at noon UTC, so no time zone
 * moves them to another day.
 */
import type { Locale } from './locale.ts';

export type Calendar = 'persian' | 'gregory';

const numberTags: Record<Locale, string> = { fa: 'fa-IR', he: 'he-IL', en: 'en-GB' };
export const readerCalendar: Record<Locale, Calendar> = { fa: 'persian', he: 'gregory', en: 'gregory' };

const dateTag = (locale: Locale, calendar: Calendar) => `${numberTags[locale]}-u-ca-${calendar}`;
const noon = (iso: string) => new Date(`${iso}T12:00:00Z`);

/** "۲۸ مهر ۱۴۰۴", "20 באוקטובר 2025", "20 October 2025". */
export function formatDate(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(dateTag(locale, readerCalendar[locale]), { dateStyle: 'long', timeZone: 'UTC' }).format(noon(iso));
}

/** A moment as the locale's date and time in a time zone ("۲۸ مهر ۱۴۰۴، ۱۴:۰۵"). */
export function formatDateTime(at: Date, locale: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(dateTag(locale, readerCalendar[locale]), { dateStyle: 'long', timeStyle: 'short', timeZone, hourCycle: 'h23' }).format(at);
}

/** The civil date ('YYYY-MM-DD') of a moment in a time zone: "today" where the school is. */
export function isoDateIn(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone }).format(at);
}

/** A date `days` after an ISO date (negative: before). */
export function addDays(iso: string, days: number): string {
  return new Date(noon(iso).getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The month a date falls in, in a given calendar, month first ("مهر ۱۴۰۴", "Mehr 1404",
 * "October 2025"): built from parts because ICU puts the year first in Persian.
 */
export function formatMonth(iso: string, locale: Locale, calendar: Calendar): string {
  const parts = new Intl.DateTimeFormat(dateTag(locale, calendar), { year: 'numeric', month: 'long', timeZone: 'UTC' }).formatToParts(noon(iso));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('month')} ${part('year')}`;
}

/** Year, month and day of a date in a calendar, as numbers (Latin digits). */
export function calendarParts(iso: string, calendar: Calendar): { year: number; month: number; day: number } {
  const parts = new Intl.DateTimeFormat(`en-u-ca-${calendar}`, { year: 'numeric', month: 'numeric', day: 'numeric', timeZone: 'UTC' }).formatToParts(noon(iso));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: part('year'), month: part('month'), day: part('day') };
}

export function formatNumber(value: number, locale: Locale): string {
  return new Intl.NumberFormat(numberTags[locale], { maximumFractionDigits: 2 }).format(value);
}

/** An amount in the currency's main unit (rials, shekels), with the currency's own decimals. */
export function formatMoney(amount: number, currency: string, locale: Locale): string {
  const format = new Intl.NumberFormat(numberTags[locale], { style: 'currency', currency });
  if (locale !== 'fa') return format.format(amount);
  // A Persian payslip writes the unit after the amount (۳۲۵٬۲۳۰٬۰۰۰ ریال); ICU's fa pattern puts it
  // first, behind a left-to-right mark. The number's own parts (sign, digits, separators) in order, then the unit.
  const parts = format.formatToParts(amount);
  const unit = parts.find((part) => part.type === 'currency')?.value ?? currency;
  return `${parts.filter((part) => part.type !== 'currency' && part.type !== 'literal').map((part) => part.value).join('')} ${unit}`;
}

/** Identifiers (national IDs, codes) keep their digits' order; only the digit shapes change. */
export function localizeDigits(text: string, locale: Locale): string {
  if (locale !== 'fa') return text;
  return text.replace(/[0-9]/g, (digit) => String.fromCharCode(0x06f0 + Number(digit)));
}
