/**
 * The three languages and how a request picks one: `?lang=` (remembered in a cookie), then
 * that cookie, then the signed-in person's `locale` claim, then Accept-Language, then Persian.
 */
export const locales = ['fa', 'he', 'en'] as const;
export type Locale = (typeof locales)[number];

export const direction = (locale: Locale): 'rtl' | 'ltr' => (locale === 'en' ? 'ltr' : 'rtl');

/** 'fa', 'he-IL', 'EN' → a Locale; anything else → undefined. */
export function parseLocale(value: unknown): Locale | undefined {
  if (typeof value !== 'string') return undefined;
  const base = value.trim().toLowerCase().split(/[-_]/)[0];
  return locales.find((locale) => locale === base);
}

/** The best of our locales in an Accept-Language header, by its q-values. */
export function negotiate(header: string | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranked = header.split(',').slice(0, 20).map((part) => {
    const [tag = '', ...params] = part.split(';').map((piece) => piece.trim());
    const q = params.find((param) => param.startsWith('q='));
    return { tag, q: q === undefined ? 1 : Number(q.slice(2)) || 0 };
  }).filter((entry) => entry.q > 0).sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    const found = parseLocale(tag);
    if (found) return found;
  }
  return undefined;
}

export type LocaleSources = { query?: unknown; cookie?: unknown; claim?: unknown; acceptLanguage?: string | undefined };

export function chooseLocale(sources: LocaleSources): Locale {
  return parseLocale(sources.query) ?? parseLocale(sources.cookie) ?? parseLocale(sources.claim)
    ?? negotiate(sources.acceptLanguage) ?? 'fa';
}
