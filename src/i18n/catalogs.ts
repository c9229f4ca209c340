/** The catalogs and the translator: a key and its parameters → text in one locale. */
import type { Locale } from '../config.ts';
import { arAdmin } from './admin/ar.ts';
import { enAdmin } from './admin/en.ts';
import { arAnnouncements } from './announcements/ar.ts';
import { enAnnouncements } from './announcements/en.ts';
import { faAnnouncements, type AnnouncementsKey } from './announcements/fa.ts';
import { heAnnouncements } from './announcements/he.ts';
import { faAdmin, type AdminKey } from './admin/fa.ts';
import { heAdmin } from './admin/he.ts';
import { ar } from './ar.ts';
import { en } from './en.ts';
import { fa, type MessageKey } from './fa.ts';
import { localeOf, localizeDigits, type Formatting } from './format.ts';
import { he } from './he.ts';
import { arOneRoster } from './oneroster/ar.ts';
import { enOneRoster } from './oneroster/en.ts';
import { faOneRoster, type OneRosterKey } from './oneroster/fa.ts';
import { heOneRoster } from './oneroster/he.ts';
import { arClients } from './clients/ar.ts';
import { enClients } from './clients/en.ts';
import { faClients, type ClientsKey } from './clients/fa.ts';
import { heClients } from './clients/he.ts';
import { arFederation } from './federation/ar.ts';
import { enFederation } from './federation/en.ts';
import { faFederation, type FederationKey } from './federation/fa.ts';
import { heFederation } from './federation/he.ts';
import { arGuidesText } from './guides/ar.ts';
import { enGuidesText } from './guides/en.ts';
import { faGuidesText, type GuidesTextKey } from './guides/fa.ts';
import { heGuidesText } from './guides/he.ts';
import { arImports } from './imports/ar.ts';
import { enImports } from './imports/en.ts';
import { faImports, type ImportsKey } from './imports/fa.ts';
import { heImports } from './imports/he.ts';
import { arSessions } from './sessions/ar.ts';
import { enSessions } from './sessions/en.ts';
import { faSessions, type SessionsKey } from './sessions/fa.ts';
import { heSessions } from './sessions/he.ts';
import { arSetPassword } from './set-password/ar.ts';
import { enSetPassword } from './set-password/en.ts';
import { faSetPassword, type SetPasswordKey } from './set-password/fa.ts';
import { heSetPassword } from './set-password/he.ts';
import { arSupport } from './support/ar.ts';
import { enSupport } from './support/en.ts';
import { faSupport, type SupportKey } from './support/fa.ts';
import { heSupport } from './support/he.ts';
import { arScim } from './scim/ar.ts';
import { enScim } from './scim/en.ts';
import { faScim, type ScimKey } from './scim/fa.ts';
import { heScim } from './scim/he.ts';
import { enAccessibility } from './accessibility/en.ts';
import { faAccessibility, type AccessibilityKey } from './accessibility/fa.ts';
import { heAccessibility } from './accessibility/he.ts';
import { arAccessibility } from './accessibility/ar.ts';
import { pluralCategory } from './plural.ts';

/**
 * Every text's key: the base catalog's and the console's. Every locale has every key (a missing
 * one is a type error), and every place that passes a key takes this type (a misspelt one is).
 */
export type TextKey = MessageKey | AdminKey | ClientsKey | FederationKey | SessionsKey | SetPasswordKey | AnnouncementsKey | GuidesTextKey | SupportKey | ScimKey | OneRosterKey | ImportsKey | AccessibilityKey;
export type Catalog = Record<TextKey, string>;
export const catalogs: Record<Locale, Catalog> = {
  fa: { ...fa, ...faAdmin, ...faClients, ...faFederation, ...faSessions, ...faSetPassword, ...faAnnouncements, ...faGuidesText, ...faSupport, ...faScim, ...faOneRoster, ...faImports, ...faAccessibility },
  he: { ...he, ...heAdmin, ...heClients, ...heFederation, ...heSessions, ...heSetPassword, ...heAnnouncements, ...heGuidesText, ...heSupport, ...heScim, ...heOneRoster, ...heImports, ...heAccessibility },
  ar: { ...ar, ...arAdmin, ...arClients, ...arFederation, ...arSessions, ...arSetPassword, ...arAnnouncements, ...arGuidesText, ...arSupport, ...arScim, ...arOneRoster, ...arImports, ...arAccessibility },
  en: { ...en, ...enAdmin, ...enClients, ...enFederation, ...enSessions, ...enSetPassword, ...enAnnouncements, ...enGuidesText, ...enSupport, ...enScim, ...enOneRoster, ...enImports, ...enAccessibility },
};
export { locales, parseLocale } from '../config.ts';
export const direction = (locale: Locale): 'rtl' | 'ltr' => (locale === 'en' ? 'ltr' : 'rtl');

export type Translate = (key: TextKey, params?: Record<string, string | number>) => string;

// ICU MessageFormat's plural, the part of it the catalogs use: `{seconds, plural, one {# second}
// other {# seconds}}`, each choice an exact `=N` or a CLDR category (zero one two few many other),
// its text plain or with `{name}` placeholders, `#` the number.
const PLURAL = /\{(\w+),\s*plural,((?:\s*(?:=\d+|zero|one|two|few|many|other)\s*\{(?:[^{}]|\{\w+\})*\})+)\s*\}/g;
const CHOICE = /(=\d+|zero|one|two|few|many|other)\s*\{((?:[^{}]|\{\w+\})*)\}/g;

/**
 * The translator of `formatting`'s locale: `{name}` is the parameter, numbers written in the
 * locale's digits; `{name, plural, …}` chooses the text by the number's plural category in the
 * locale (Intl.PluralRules: English one/other, Hebrew one/two/other, Arabic zero/one/two/few/
 * many/other), an exact `=N` first, `other` when nothing else fits or the value is no number.
 */
// The direction controls: embeddings, overrides, isolates (UAX #9 §2.1–2.5) and the implicit
// marks (LRM, RLM, ALM), which can move the numbers and punctuation beside them.
const DIRECTION_CONTROL = /[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/;
const DIRECTION_CONTROLS = new RegExp(DIRECTION_CONTROL.source, 'g');

/**
 * A parameter as a sentence shows it. Names are stored without direction controls
 * (domain/digits.ts normalizeLine, normalizeText), but one that has them (typed before, or by
 * a way that missed the rule) must not reorder the sentence around it: its controls are
 * dropped and it is isolated (FSI … PDI), so it reads as itself. Any other text is unchanged.
 */
function isolated(value: string): string {
  return DIRECTION_CONTROL.test(value) ? `\u2068${value.replace(DIRECTION_CONTROLS, '')}\u2069` : value;
}

export function translator(formatting: Formatting): Translate {
  const locale = localeOf(formatting);
  // Read as a plain record: keys are typed, but a caller outside the type checker can still pass an unknown one.
  const catalog: Record<string, string | undefined> = catalogs[locale];
  const written = (value: string | number) => (typeof value === 'number' ? localizeDigits(String(value), formatting) : isolated(value));
  return (key, params) => {
    // An unknown key shows the generic text, never the key itself.
    const text = catalog[key] ?? catalog['error.field_invalid'] ?? key;
    if (params === undefined) return text;
    return text
      .replace(PLURAL, (whole, name: string, choices: string) => {
        const value = params[name];
        if (value === undefined) return whole;
        const n = typeof value === 'number' ? value : Number(value);
        const options = new Map([...choices.matchAll(CHOICE)].map((m) => [m[1]!, m[2]!] as const));
        const chosen = options.get(`=${n}`) ?? (Number.isFinite(n) ? options.get(pluralCategory(locale, n)) : undefined) ?? options.get('other') ?? '';
        return chosen.replace(/#/g, written(value));
      })
      .replace(/\{(\w+)\}/g, (whole, name: string) => {
        const value = params[name];
        return value === undefined ? whole : written(value);
      });
  };
}
/** For keys made at run time (an audit event's label): is this string a key of the catalogs? */
export const isMessageKey = (key: string): key is TextKey => Object.hasOwn(catalogs.fa, key);
