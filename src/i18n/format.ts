/**
 * Numbers and dates per locale: Persian digits and the Solar Hijri calendar in `fa`,
 * Gregorian dates in `he` (the Hebrew calendar on request) and `en`.
 */
import type { Locale } from '../config.ts';

const intlLocale: Record<Locale, string> = {
  fa: 'fa-IR-u-ca-persian-nu-arabext',
  he: 'he-IL-u-ca-gregory',
  en: 'en-GB-u-ca-gregory',
};

const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(locale: Locale, style: 'long' | 'short', timeZone: string): Intl.DateTimeFormat {
  const key = `${locale}|${style}|${timeZone}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(intlLocale[locale], style === 'long'
      ? { dateStyle: 'long', timeZone }
      : { year: 'numeric', month: '2-digit', day: '2-digit', timeZone });
    dateFormats.set(key, format);
  }
  return format;
}

/** A civil date 'YYYY-MM-DD' (no time zone shift). */
export function formatDate(iso: string, locale: Locale, style: 'long' | 'short' = 'short'): string {
  return dateFormat(locale, style, 'UTC').format(new Date(`${iso}T12:00:00Z`));
}



/** Latin digits in a string → the locale's digits (national IDs, codes shown in fa). */
export function localizeDigits(text: string, locale: Locale): string {
  if (locale !== 'fa') return text;
  return text.replace(/[0-9]/g, (digit) => String.fromCharCode(0x06f0 + Number(digit)));
}
