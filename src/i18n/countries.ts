/**
 * Countries that issue passports (F15), from `i18n-iso-countries`: a maintained ISO 3166-1
 * list with names in Persian, Hebrew, Arabic and English. `Intl.DisplayNames` over every two-letter
 * pair named codes that are no country or no longer one (DY, HV, ZR, AN, FX, EU, EZ) and gave
 * some names twice. The one exception to ISO 3166-1 in the list is XK (Kosovo), the
 * user-assigned code under which Kosovo passports are widely recorded.
 *
 * The package's main entry loads all its 78 languages; its index loads none, and we register
 * the four we speak (the documented way for browsers).
 */
import { getNames, registerLocale } from 'i18n-iso-countries/index.js';
import ar from 'i18n-iso-countries/langs/ar.json' with { type: 'json' };
import en from 'i18n-iso-countries/langs/en.json' with { type: 'json' };
import fa from 'i18n-iso-countries/langs/fa.json' with { type: 'json' };
import he from 'i18n-iso-countries/langs/he.json' with { type: 'json' };
import type { Locale } from '../config.ts';

for (const data of [fa, he, ar, en]) registerLocale(data);

/** Each locale's names by code: one name per country (the list's official one). */
const names: Record<Locale, Readonly<Record<string, string>>> = {
  fa: getNames('fa', { select: 'official' }), he: getNames('he', { select: 'official' }), ar: getNames('ar', { select: 'official' }), en: getNames('en', { select: 'official' }),
};

/** The alpha-2 codes of the list: exactly what a passport's country may be. */
export const countryCodes: ReadonlySet<string> = new Set(Object.keys(names.en));

export const isCountryCode = (code: string) => countryCodes.has(code);

const options = new Map<Locale, { value: string; text: string }[]>();

/** The countries as select options, named and sorted in the page's language. */
export function countryOptions(locale: Locale): readonly { value: string; text: string }[] {
  let list = options.get(locale);
  if (list === undefined) {
    const collator = new Intl.Collator(locale);
    list = [...countryCodes].map((code) => ({ value: code, text: names[locale][code] ?? names.en[code]! }))
      .sort((a, b) => collator.compare(a.text, b.text));
    options.set(locale, list);
  }
  return list;
}
