// The countries a passport may come from (F15): one maintained ISO 3166-1 list, named in the
// page's language, and validation that takes exactly its codes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePassport } from '../../src/flows/registration/machine.ts';
import { countryCodes, countryOptions } from '../../src/i18n/countries.ts';
import { locales } from '../../src/i18n/catalogs.ts';

const everyPair = Array.from({ length: 26 * 26 }, (_, i) => String.fromCharCode(65 + Math.floor(i / 26), 65 + (i % 26)));

test('the list has the ISO 3166-1 countries and none of the codes that are no country or no longer one', () => {
  assert.ok(countryCodes.size >= 249, `${countryCodes.size} codes`);
  for (const code of ['IR', 'IL', 'AF', 'IQ', 'DE', 'SS', 'CW', 'SX', 'BQ', 'PS']) assert.ok(countryCodes.has(code), code);
  for (const code of ['DY', 'HV', 'ZR', 'AN', 'FX', 'EU', 'EZ', 'UN', 'QO', 'ZZ', 'CS', 'YU', 'SU', 'TP', 'BU']) assert.ok(!countryCodes.has(code), code);
});

test('every language names every country once, sorted in that language', () => {
  for (const locale of locales) {
    const options = countryOptions(locale);
    assert.deepEqual(new Set(options.map((o) => o.value)), countryCodes, locale);
    assert.equal(new Set(options.map((o) => o.text)).size, options.length, `${locale}: no name twice`);
    const collator = new Intl.Collator(locale);
    assert.ok(options.every((o, i) => i === 0 || collator.compare(options[i - 1]!.text, o.text) <= 0), `${locale}: sorted`);
  }
  const afghanistan = (locale: 'fa' | 'he' | 'en') => countryOptions(locale).find((o) => o.value === 'AF')?.text;
  assert.deepEqual([afghanistan('en'), afghanistan('fa'), afghanistan('he')], ['Afghanistan', 'افغانستان', 'אפגניסטן']);
});

test('a passport country is accepted exactly when it is a code of the list, in either case', () => {
  for (const code of everyPair) {
    for (const typed of [code, code.toLowerCase()]) {
      const result = parsePassport('P1234567', typed);
      assert.equal(result.ok, countryCodes.has(code), typed);
      if (!result.ok) assert.equal(result.code, 'passport.country_invalid');
    }
  }
});
