/**
 * The CLDR plural category of a cardinal number in a locale (Intl.PluralRules): English and
 * Persian one/other, Hebrew one/two/other, Arabic zero/one/two/few/many/other. What the
 * catalogs' `{n, plural, …}` choose by, and what texts written as code (the notification
 * templates) choose their words by. One PluralRules per locale, made at its first use.
 */
const rules = new Map<string, Intl.PluralRules>();

export function pluralCategory(locale: string, n: number): Intl.LDMLPluralRule {
  let forLocale = rules.get(locale);
  if (forLocale === undefined) rules.set(locale, (forLocale = new Intl.PluralRules(locale)));
  return forLocale.select(n);
}
