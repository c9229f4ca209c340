/** Dates in admin forms: typed and shown in Solar Hijri on Persian pages, ISO otherwise. */
import type { Locale } from '../../config.ts';
import { parseGregorian } from '../../domain/iso-date.ts';
import { parseSolarHijri, toSolarHijri } from '../../domain/solar-hijri.ts';
import { localizeDigits } from '../../i18n/format.ts';

/** A date as typed in the form: Solar Hijri in Persian, Gregorian otherwise. */
export function parseDateInput(input: string, locale: Locale) {
  return locale === 'fa' ? parseSolarHijri(input) : parseGregorian(input);
}
export function dateInputValue(iso: string, locale: Locale): string {
  if (locale !== 'fa') return iso;
  const { year, month, day } = toSolarHijri(iso);
  return localizeDigits(`${year}/${String(month).padStart(2, '0')}/${String(day).padStart(2, '0')}`, locale);
}
