/**
 * Numbers and dates per locale. Each locale has one date format, the same wherever a date is
 * shown (tables, the home page, activity) or typed (forms, with their hints), so what a page
 * shows can be typed back:
 *   fa  Solar Hijri, year first, Persian digits  ۱۴۰۴/۰۷/۰۱   (as Iranian forms write it)
 *   he  Gregorian, day first, dots                23.09.2025   (the Israeli convention)
 *   en  ISO 8601                                  2025-09-23   (no reader takes it for a US
 *       month-first date, and it is what the English pages have always taken)
 * The strings are built here rather than by an ICU pattern, which may change between versions
 * and would then no longer match the parser.
 */
import type { Locale } from '../config.ts';
import { parseGregorian, parseGregorianDayFirst, splitIsoDate, type DateError, type IsoDate } from '../domain/iso-date.ts';
import type { Result } from '../domain/result.ts';
import { parseSolarHijri, toSolarHijri } from '../domain/solar-hijri.ts';

const two = (n: number) => String(n).padStart(2, '0');

/** A civil date 'YYYY-MM-DD' in the locale's one format (no time zone shift). */
export function formatDate(iso: IsoDate, locale: Locale): string {
  if (locale === 'fa') {
    const { year, month, day } = toSolarHijri(iso);
    return localizeDigits(`${year}/${two(month)}/${two(day)}`, locale);
  }
  if (locale === 'he') {
    const { year, month, day } = splitIsoDate(iso);
    return `${two(day)}.${two(month)}.${year}`;
  }
  return iso;
}

/** A date typed in the locale's format (what formatDate shows); he and en also take ISO. */
export function parseDate(input: string, locale: Locale): Result<IsoDate, DateError> {
  if (locale === 'fa') return parseSolarHijri(input);
  return locale === 'he' ? parseGregorianDayFirst(input) : parseGregorian(input);
}

/** The example in the hints of date fields: a day after the 12th, so day and month cannot be mistaken. */
export const dateExample = (locale: Locale, iso: IsoDate = '2025-09-23') => formatDate(iso, locale);

const clockFormats = new Map<string, Intl.DateTimeFormat>();

/** An instant as the locale's date and a 24-hour time in `timeZone` (activity, audit). */
export function formatDateTime(at: Date, locale: Locale, timeZone: string): string {
  let format = clockFormats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    clockFormats.set(timeZone, format);
  }
  const part = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  return `${formatDate(`${part.year}-${part.month}-${part.day}`, locale)} ${localizeDigits(`${part.hour}:${part.minute}`, locale)}`;
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** An instant's 24-hour clock time in `timeZone`, in the locale's digits ("14:05", "۱۴:۰۵"): when a code stops working. */
export function formatClock(at: Date, locale: Locale, timeZone: string): string {
  let format = timeFormats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    timeFormats.set(timeZone, format);
  }
  const part = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  return localizeDigits(`${part.hour}:${part.minute}`, locale);
}

const longFormats = new Map<Locale, Intl.DateTimeFormat>();
const longLocale: Record<Locale, string> = { fa: 'fa-IR-u-ca-persian-nu-arabext', he: 'he-IL-u-ca-gregory', en: 'en-GB-u-ca-gregory' };

/**
 * A date in words ("29 Azar 1404", "20 December 2025") for the prose of a message (the
 * reminder's deadline); pages use formatDate. `dateStyle: 'long'`: ICU's `full` style for
 * Persian puts the year first.
 */
export function formatDateLong(iso: IsoDate, locale: Locale): string {
  let format = longFormats.get(locale);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(longLocale[locale], { dateStyle: 'long', timeZone: 'UTC' });
    longFormats.set(locale, format);
  }
  return format.format(new Date(`${iso}T12:00:00Z`));
}

/** Latin digits in a string → the locale's digits (national IDs, codes shown in fa). */
export function localizeDigits(text: string, locale: Locale): string {
  if (locale !== 'fa') return text;
  return text.replace(/[0-9]/g, (digit) => String.fromCharCode(0x06f0 + Number(digit)));
}

/** A short list with the locale's comma (Persian's is ،): "Student, Mother" · "دانش آموز، مادر". */
export const formatList = (items: readonly string[], locale: Locale): string => items.join(locale === 'fa' ? '، ' : ', ');
