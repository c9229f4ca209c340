/** The catalogs and the translator: a key and its parameters → text in one locale. */
import type { Locale } from '../config.ts';
import { enAdmin } from './admin/en.ts';
import { faAdmin, type AdminKey } from './admin/fa.ts';
import { heAdmin } from './admin/he.ts';
import { en } from './en.ts';
import { fa, type MessageKey } from './fa.ts';
import { localizeDigits } from './format.ts';
import { he } from './he.ts';

/** Every locale has every key of the base catalog and of the console's (a missing one is a type error). */
export type Catalog = Record<MessageKey | AdminKey, string>;
export const catalogs: Record<Locale, Catalog> = { fa: { ...fa, ...faAdmin }, he: { ...he, ...heAdmin }, en: { ...en, ...enAdmin } };
export const locales = ['fa', 'he', 'en'] as const satisfies readonly Locale[];
export const direction = (locale: Locale): 'rtl' | 'ltr' => (locale === 'en' ? 'ltr' : 'rtl');

export type Translate = (key: string, params?: Record<string, string | number>) => string;

export function translator(locale: Locale): Translate {
  const catalog: Record<string, string> = catalogs[locale];
  return (key, params) => {
    // An unknown key (an error code from a library, say) shows the generic text, never the key itself.
    const text = catalog[key] ?? catalog['error.field_invalid'] ?? key;
    if (params === undefined) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params[name];
      if (value === undefined) return whole;
      return typeof value === 'number' ? localizeDigits(String(value), locale) : value;
    });
  };
}
export const isMessageKey = (key: string) => Object.hasOwn(catalogs.fa, key);
export function parseLocale(value: unknown): Locale | undefined {
  return locales.find((locale) => locale === value);
}
