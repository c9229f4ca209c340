// The translator's plurals (src/i18n/catalogs.ts): `{n, plural, …}` chosen by the number's CLDR
// category in each locale, `#` the number in the locale's digits; every plural in the catalogs
// has an `other` and names only categories its locale has.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { catalogs, locales, translator, type TextKey } from '../../src/i18n/catalogs.ts';
import { formattingFor } from '../../src/i18n/format.ts';

const t = (locale: 'fa' | 'he' | 'ar' | 'en', key: TextKey, params: Record<string, string | number>) => translator(formattingFor(locale, locale === 'he' ? 'il' : 'ir'))(key, params);

test('English, Hebrew and Arabic say one second, two, a few and many as their grammar does; Persian needs no plural', () => {
  assert.equal(t('en', 'error.busy', { seconds: 1 }), 'The system is busy right now. Please try again in 1 second.');
  assert.equal(t('en', 'error.busy', { seconds: 5 }), 'The system is busy right now. Please try again in 5 seconds.');
  assert.equal(t('en', 'error.busy', { seconds: 0 }), 'The system is busy right now. Please try again in 0 seconds.');
  assert.equal(t('he', 'error.busy', { seconds: 1 }), 'המערכת עמוסה כרגע. נסו שוב בעוד שנייה אחת.');
  assert.equal(t('he', 'error.busy', { seconds: 30 }), 'המערכת עמוסה כרגע. נסו שוב בעוד 30 שניות.');
  assert.equal(t('he', 'sign_in.locked', { minutes: 1 }), 'בשל ניסיונות כושלים חוזרים, הכניסה לחשבון זה חסומה לדקה אחת.');
  assert.equal(t('he', 'sign_in.locked', { minutes: 15 }), 'בשל ניסיונות כושלים חוזרים, הכניסה לחשבון זה חסומה ל-15 דקות.');
  const ar = (seconds: number) => t('ar', 'error.busy', { seconds }).replace('النظام مشغول الآن. يرجى المحاولة مرة أخرى بعد ', '');
  assert.deepEqual([1, 2, 3, 10, 11, 100].map(ar), ['ثانية واحدة.', 'ثانيتين.', '٣ ثوانٍ.', '١٠ ثوانٍ.', '١١ ثانية.', '١٠٠ ثانية.']);
  assert.equal(t('fa', 'error.busy', { seconds: 1 }), 'سامانه در حال حاضر شلوغ است. لطفاً ۱ ثانیه دیگر دوباره تلاش کنید.');
  // Counts too, with the other parameters of the text.
  assert.equal(t('en', 'admin.first_rows', { shown: 1, count: 1 }), 'The first 1 of 1 row are shown; "for all" includes every one.');
  assert.equal(t('en', 'imports.job_running', { done: 2, total: 1 }), 'Importing: 2 of 1 row checked.');
});

test('a value that is no number takes `other`; a missing one leaves the text as it is', () => {
  assert.equal(t('en', 'error.busy', { seconds: 'a few' }), 'The system is busy right now. Please try again in a few seconds.');
  assert.match(t('en', 'error.busy', {}), /\{seconds, plural,/);
});

test('the countdown\'s text is no plural: the page\'s script fills its {seconds} each second (countdown.js)', () => {
  for (const locale of locales) assert.match(catalogs[locale]['flow.available_in'], /\{seconds\}/, locale);
});

test('every plural in every catalog has `other`, and only categories (or =N) its locale has', () => {
  const choice = /(=\d+|zero|one|two|few|many|other)\s*\{/g;
  for (const locale of locales) {
    const categories = new Set<string>(new Intl.PluralRules(locale).resolvedOptions().pluralCategories);
    for (const [key, text] of Object.entries(catalogs[locale])) {
      for (const plural of text.matchAll(/\{(\w+),\s*plural,((?:[^{}]|\{(?:[^{}]|\{\w+\})*\})*)\}/g)) {
        const chosen = [...plural[2]!.matchAll(choice)].map((m) => m[1]!);
        assert.ok(chosen.includes('other'), `${locale} ${key}: no other`);
        for (const name of chosen) assert.ok(name.startsWith('=') || categories.has(name), `${locale} ${key}: ${name} is no plural category of ${locale}`);
        // Every number shows: the translator leaves no plural syntax behind.
        for (const n of [0, 1, 2, 3, 11, 100, 1.5]) assert.doesNotMatch(translator(formattingFor(locale, 'ir'))(key as TextKey, { [plural[1]!]: n, shown: 1, count: 1, total: 1, done: 1, scope: 'x', email: 'x', example: 'x' }), /plural,|\{\w+\}/, `${locale} ${key} ${n}`);
      }
    }
  }
});
