/**
 * Numbers and dates per locale. Each locale has one date format, the same wherever a date is
 * shown (tables, the home page, activity) or typed (forms, with their hints), so what a page
 * shows can be typed back:
 *   fa  Solar Hijri, year first, Persian digits  ۱۴۰۴/۰۷/۰۱   (as Iranian forms write it)
 *   he  Gregorian, day first, dots                23.09.2025   (the Israeli convention)
 *   ar  as the profile decides (docs/decisions.md, Arabic digits and calendar): in the ir
 *       profile Solar Hijri, year first, as fa (١٤٠٤/٠٧/٠١); in the il profile Gregorian, day
 *       first with slashes (23/09/2025); in Arabic-Indic or Latin digits, as the person chooses
 *   en  ISO 8601                                  2025-09-23   (no reader takes it for a US
 *       month-first date, and it is what the English pages have always taken)
 * The strings are built here rather than by an ICU pattern, which may change between versions
 * and would then no longer match the parser. Typed digits are read in any of the three sets.
 */
import type { Locale, Profile } from '../config.ts';
import { parseGregorian, parseGregorianDayFirst, splitIsoDate, type DateError, type IsoDate } from '../domain/iso-date.ts';
import type { Result } from '../domain/result.ts';
import { parseSolarHijri, toSolarHijri } from '../domain/solar-hijri.ts';

/** The digits an Arabic page shows, by their CLDR numbering-system names: Arabic-Indic (٠١٢) or Latin (012). */
export type ArabicDigits = 'arab' | 'latn';
export const arabicDigitChoices = ['arab', 'latn'] as const satisfies readonly ArabicDigits[];
export const parseArabicDigits = (value: unknown): ArabicDigits | undefined => arabicDigitChoices.find((choice) => choice === value);

/** The calendar of Arabic dates: Iran's civil Solar Hijri, or the Gregorian of Israel's schools. */
type ArabicCalendar = 'persian' | 'gregory';

/**
 * How numbers and dates are written: fa, he and en each have one way (their locale's name);
 * Arabic has four, `ar-<digits>-<calendar>`. A value of this type goes wherever something is
 * formatted, made once per request (formattingFor) and passed explicitly: a bare `'ar'` is
 * not one, so a place that forgot the person's choice is a type error.
 */
export type Formatting = Exclude<Locale, 'ar'> | `ar-${ArabicDigits}-${ArabicCalendar}`;

/** The digits an Arabic page shows when the person has not chosen: Arabic-Indic in Iran, Latin in Israel (decisions.md). */
export const defaultArabicDigits = (profile: Profile): ArabicDigits => (profile === 'ir' ? 'arab' : 'latn');

/** The formatting of `locale` in `profile`'s deployment; `digits` (Arabic only) the person's choice, else the profile's default. */
export function formattingFor(locale: Locale, profile: Profile, digits?: ArabicDigits): Formatting {
  if (locale !== 'ar') return locale;
  return `ar-${digits ?? defaultArabicDigits(profile)}-${profile === 'ir' ? 'persian' : 'gregory'}`;
}

/** The locale a formatting belongs to (its catalog, its direction). */
export const localeOf = (formatting: Formatting): Locale => (formatting.startsWith('ar-') ? 'ar' : (formatting as Locale));

/** The digits an Arabic formatting shows; undefined for the other locales, which have no choice. */
export const arabicDigitsOf = (formatting: Formatting): ArabicDigits | undefined =>
  (formatting.startsWith('ar-') ? (formatting.startsWith('ar-arab-') ? 'arab' : 'latn') : undefined);

type Digits = 'arabext' | 'arab' | 'latn';
const digitsOf = (formatting: Formatting): Digits =>
  formatting === 'fa' ? 'arabext' : formatting.startsWith('ar-arab-') ? 'arab' : 'latn';
type DateStyle = 'solar-hijri' | 'day-first-dots' | 'day-first-slashes' | 'iso';
const dateStyleOf = (formatting: Formatting): DateStyle => {
  if (formatting === 'fa' || formatting.endsWith('-persian')) return 'solar-hijri';
  if (formatting === 'he') return 'day-first-dots';
  return formatting === 'en' ? 'iso' : 'day-first-slashes';
};

const two = (n: number) => String(n).padStart(2, '0');

/** A civil date 'YYYY-MM-DD' in the formatting's one format (no time zone shift). */
export function formatDate(iso: IsoDate, formatting: Formatting): string {
  const style = dateStyleOf(formatting);
  if (style === 'solar-hijri') {
    const { year, month, day } = toSolarHijri(iso);
    return localizeDigits(`${year}/${two(month)}/${two(day)}`, formatting);
  }
  if (style === 'iso') return iso;
  const { year, month, day } = splitIsoDate(iso);
  return localizeDigits(style === 'day-first-dots' ? `${two(day)}.${two(month)}.${year}` : `${two(day)}/${two(month)}/${year}`, formatting);
}

/** A date typed in the formatting's calendar and order (what formatDate shows), in any digits; day-first and en also take ISO. */
export function parseDate(input: string, formatting: Formatting): Result<IsoDate, DateError> {
  const style = dateStyleOf(formatting);
  if (style === 'solar-hijri') return parseSolarHijri(input);
  return style === 'iso' ? parseGregorian(input) : parseGregorianDayFirst(input);
}

/** The example in the hints of date fields: a day after the 12th, so day and month cannot be mistaken. */
export const dateExample = (formatting: Formatting, iso: IsoDate = '2025-09-23') => formatDate(iso, formatting);

const clockFormats = new Map<string, Intl.DateTimeFormat>();

/** An instant as the formatting's date and a 24-hour time in `timeZone` (activity, audit). */
export function formatDateTime(at: Date, formatting: Formatting, timeZone: string): string {
  let format = clockFormats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    clockFormats.set(timeZone, format);
  }
  const part = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  return `${formatDate(`${part.year}-${part.month}-${part.day}`, formatting)} ${localizeDigits(`${part.hour}:${part.minute}`, formatting)}`;
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** An instant's 24-hour clock time in `timeZone`, in the formatting's digits ("14:05", "۱۴:۰۵", "١٤:٠٥"): when a code stops working. */
export function formatClock(at: Date, formatting: Formatting, timeZone: string): string {
  let format = timeFormats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    timeFormats.set(timeZone, format);
  }
  const part = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  return localizeDigits(`${part.hour}:${part.minute}`, formatting);
}

const longFormats = new Map<Formatting, Intl.DateTimeFormat>();
const intlCalendar: Record<DateStyle, string> = { 'solar-hijri': 'persian', 'day-first-dots': 'gregory', 'day-first-slashes': 'gregory', iso: 'gregory' };
const intlLanguage: Record<Locale, string> = { fa: 'fa-IR', he: 'he-IL', ar: 'ar', en: 'en-GB' };

/**
 * A date in words ("29 Azar 1404", "20 December 2025", "٢٠ ديسمبر ٢٠٢٥") for the prose of a
 * message (the reminder's deadline), in the formatting's calendar and digits; pages use
 * formatDate. `dateStyle: 'long'`: ICU's `full` style for Persian puts the year first.
 */
export function formatDateLong(iso: IsoDate, formatting: Formatting): string {
  let format = longFormats.get(formatting);
  if (format === undefined) {
    const tag = `${intlLanguage[localeOf(formatting)]}-u-ca-${intlCalendar[dateStyleOf(formatting)]}-nu-${digitsOf(formatting)}`;
    format = new Intl.DateTimeFormat(tag, { dateStyle: 'long', timeZone: 'UTC' });
    longFormats.set(formatting, format);
  }
  return format.format(new Date(`${iso}T12:00:00Z`));
}

const zeroOf: Record<Digits, number> = { arabext: 0x06f0, arab: 0x0660, latn: 0x30 };

/** Latin digits in a string → the formatting's digits (national IDs, codes, counts shown in fa, or in ar when chosen). */
export function localizeDigits(text: string, formatting: Formatting): string {
  const digits = digitsOf(formatting);
  if (digits === 'latn') return text;
  return text.replace(/[0-9]/g, (digit) => String.fromCharCode(zeroOf[digits] + Number(digit)));
}

/** A short list with the locale's comma (Persian's and Arabic's is ،): "Student, Mother" · "دانش آموز، مادر". */
/** A whole number with the locale's digits and its thousands separator (۴٬۱۲۷, 4,127). */
export const formatCount = (n: number, formatting: Formatting): string =>
  new Intl.NumberFormat(`${localeOf(formatting)}-u-nu-${digitsOf(formatting)}`, { maximumFractionDigits: 0 }).format(n);

/** What separates the items of a list in running text: the Arabic comma in Persian and Arabic. */
export const listSeparator = (locale: Locale): string => (locale === 'fa' || locale === 'ar' ? '، ' : ', ');
export const formatList = (items: readonly string[], locale: Locale): string => items.join(listSeparator(locale));
