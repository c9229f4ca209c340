// A text's parameters (src/i18n/catalogs.ts translator): a name carrying direction controls
// (U+202E and the like) is isolated with them dropped, so it cannot reorder the sentence around
// it; every other parameter is written as it is (found by the attacker review: an app named
// "Evil \u202eSchool App" reversed the rest of the consent sentence).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { translator } from '../../src/i18n/catalogs.ts';

const fa = translator('fa');
const en = translator('en');

test('a parameter with direction controls is isolated (FSI … PDI) and loses them; the sentence around it is unchanged', () => {
  const plain = fa('oidc.consent_lead', { app: 'Evil School App' });
  assert.equal(plain, 'سامانه «Evil School App» می‌خواهد این اطلاعات شما را ببیند:');
  assert.equal(fa('oidc.consent_lead', { app: 'Evil \u202eSchool App' }), plain.replace('Evil School App', '\u2068Evil School App\u2069'));
  // Closing the isolate early (a PDI first), every embedding and override, isolates of its own: all dropped.
  for (const hostile of ['\u2069\u202eppA', '\u202a\u202b\u202c\u202d\u202eppA', '\u2066\u2067\u2068ppA\u2069\u2069', '\u200fppA\u200e', '\u061cppA']) {
    assert.equal(en('sign_in.for_app', { app: hostile }), 'Sign in to continue to “\u2068ppA\u2069”.', JSON.stringify(hostile));
  }
});

test('names in Persian, Hebrew or with a ZWNJ, and numbers, are written as they are', () => {
  assert.equal(fa('oidc.consent_lead', { app: 'ثبت‌نام آزمون' }), 'سامانه «ثبت‌نام آزمون» می‌خواهد این اطلاعات شما را ببیند:');
  assert.equal(translator('he')('oidc.consent_lead', { app: 'רישום לבחינות' }), 'המערכת "רישום לבחינות" מבקשת לראות את הפרטים האלה שלכם:');
  assert.equal(en('error.busy', { seconds: 5 }), 'The system is busy right now. Please try again in 5 seconds.');
});
