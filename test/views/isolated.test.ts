// A catalog sentence with values drawn each in its own direction (views/components/isolated.ts):
// an organization's Persian name beside a date on an English page, a mobile number on a Persian one.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { translator } from '../../src/i18n/catalogs.ts';
import { isolated } from '../../src/views/components/isolated.ts';

describe('isolated values in a sentence', () => {
  test('each value in its own <bdi>, escaped, in the catalog\'s order', () => {
    const en = isolated(translator('en'), 'support.reply_from', { organization: 'دبستان <b>', date: '2026-12-01 03:38' }).toString();
    assert.equal(en, 'Answer from <bdi>دبستان &lt;b&gt;</bdi>, <bdi>2026-12-01 03:38</bdi>');
  });

  test('a contact is drawn left to right, so a Persian page keeps the plus of «+98…» in front', () => {
    const fa = isolated(translator('fa'), 'support.anonymous', { contact: '+989120001122' }, ['contact']).toString();
    assert.equal(fa, 'بدون ورود (<bdi dir="ltr">+989120001122</bdi>)');
  });
});
