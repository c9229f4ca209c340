// The example apps' shared pieces that need no server: escaping, the language choice, the
// claims reader, dates and money in each language.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { actingIn, personFromClaims } from '../../examples/shared/claims.ts';
import { formatDate, formatMoney, formatMonth } from '../../examples/shared/format.ts';
import { html } from '../../examples/shared/html.ts';
import { languageLink, layout } from '../../examples/shared/layout.ts';
import { commonTexts } from '../../examples/shared/texts.ts';
import { chooseLocale, negotiate } from '../../examples/shared/locale.ts';

describe('html', () => {
  test('values are escaped as text; nested templates stay markup', () => {
    const name = '<img src=x onerror=alert(1)>"\'&';
    assert.equal(html`<p title="${name}">${name}</p>`.value,
      '<p title="&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;">&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;</p>');
    assert.equal(html`<ul>${['a<', 'b'].map((item) => html`<li>${item}</li>`)}</ul>`.value, '<ul><li>a&lt;</li><li>b</li></ul>');
    assert.equal(html`${null}${undefined}${false}${0}`.value, '0');
  });
});

describe('language', () => {
  test('?lang, then the cookie, then the locale claim, then Accept-Language, then Persian', () => {
    assert.equal(chooseLocale({ query: 'en', cookie: 'he', claim: 'fa', acceptLanguage: 'he' }), 'en');
    assert.equal(chooseLocale({ query: 'xx', cookie: 'he', claim: 'en' }), 'he');
    assert.equal(chooseLocale({ claim: 'he-IL', acceptLanguage: 'en' }), 'he');
    assert.equal(chooseLocale({ acceptLanguage: 'de-DE,en;q=0.8,fa;q=0.9' }), 'fa');
    assert.equal(chooseLocale({ acceptLanguage: 'de-DE' }), 'fa');
    assert.equal(chooseLocale({}), 'fa');
    assert.equal(negotiate('en;q=0, he;q=0.1'), 'he');
  });

  test('language links keep the path and query, set lang, and cannot lead off the site', () => {
    assert.equal(languageLink('/children/1?lang=fa&x=1', 'he'), '/children/1?lang=he&x=1');
    assert.equal(languageLink('//evil.example/x', 'en'), '/evil.example/x?lang=en');
  });

  test('the window title names the page, then the app; a page titled as the app (its landing page) names it once', () => {
    const frame = { locale: 'fa' as const, common: commonTexts.fa, appName: 'فیش حقوقی', path: '/', person: null };
    assert.match(String(layout({ ...frame, title: 'فیش حقوقی' }, html``)), /<title>فیش حقوقی<\/title>/);
    assert.match(String(layout({ ...frame, title: 'خطا' }, html``)), /<title>خطا · فیش حقوقی<\/title>/);
  });
});

describe('claims', () => {
  test('the contract\'s shapes are read; malformed entries are dropped, not trusted', () => {
    const person = personFromClaims({
      sub: 's1', given_name: 'علی', family_name: 'محمدی', national_id: '0045678911', locale: 'fa',
      roles: [{ role: 'student', organization: 'School A', organization_type: 'public' }, { role: 'student' }, 'junk', null],
      acting_as: { role: 'student', organization: 'School A' },
      children: [{ national_id: '0045678911', given_name: 'x', family_name: 'y', grade: 6 }, { national_id: '0076229645', grade: 13 }, { given_name: 'no id' }],
    });
    assert.equal(person.roles.length, 1);
    assert.equal(person.roles[0]?.district, null);
    assert.deepEqual(person.children.map((child) => [child.national_id, child.grade, child.school]), [['0045678911', 6, null], ['0076229645', null, null]]);
    assert.deepEqual([actingIn(person, ['student'])?.role, actingIn(person, ['student'])?.organization], ['student', 'School A']);
    assert.equal(actingIn(person, ['teacher']), null);
    assert.throws(() => personFromClaims({ given_name: 'no sub' }));
  });

  test('acting_as for another app\'s role falls back to a matching appointment', () => {
    const person = personFromClaims({
      sub: 's2',
      roles: [{ role: 'mother', organization: 'School B' }, { role: 'teacher', organization: 'School A' }],
      acting_as: { role: 'mother', organization: 'School B' },
    });
    assert.deepEqual([actingIn(person, ['teacher', 'staff'])?.role, actingIn(person, ['teacher', 'staff'])?.organization], ['teacher', 'School A']);
  });

  test('a student\'s grade comes from the appointment acted as, matched by organization id (names repeat)', () => {
    const person = personFromClaims({
      sub: 's3',
      roles: [
        { role: 'student', organization: 'دبستان شهید بهشتی', organization_id: 'o-1', grade: 5 },
        { role: 'student', organization: 'دبستان شهید بهشتی', organization_id: 'o-2', grade: 6 },
        { role: 'student', organization: 'Other', organization_id: 'o-3', grade: '13' },
      ],
      acting_as: { role: 'student', organization: 'دبستان شهید بهشتی', organization_id: 'o-2' },
    });
    assert.equal(actingIn(person, ['student'])?.grade, 6);
    assert.deepEqual(person.roles.map((role) => role.grade), [5, 6, null], 'a grade outside 1–12 is no grade');
    const noActing = personFromClaims({ sub: 's4', roles: [{ role: 'student', organization: 'X', grade: '9' }] });
    assert.equal(actingIn(noActing, ['student'])?.grade, 9);
  });
});

describe('dates and money', () => {
  test('Persian in the Solar Hijri calendar with Persian digits; Hebrew and English in the Gregorian', () => {
    assert.equal(formatDate('2025-10-20', 'fa'), '۲۸ مهر ۱۴۰۴');
    assert.match(formatDate('2025-10-20', 'he'), /20 באוקטובר 2025/);
    assert.equal(formatDate('2025-10-20', 'en'), '20 October 2025');
    assert.equal(formatMonth('2025-10-20', 'fa', 'persian'), 'مهر ۱۴۰۴');
    assert.equal(formatMonth('2025-10-20', 'en', 'gregory'), 'October 2025');
  });

  test('money in the reader\'s format', () => {
    assert.equal(formatMoney(251_230_000, 'IRR', 'fa'), '۲۵۱٬۲۳۰٬۰۰۰ ریال', 'the unit after the amount, no direction mark');
    assert.equal(formatMoney(-1_500_000, 'IRR', 'fa'), '−۱٬۵۰۰٬۰۰۰ ریال', 'a deduction keeps its sign');
    assert.match(formatMoney(15_817.26, 'ILS', 'he'), /15,817\.26/);
    assert.match(formatMoney(15_817.26, 'ILS', 'he'), /₪/);
  });
});
