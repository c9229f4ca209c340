// Every catalog of the example apps says everything in all three languages. (A missing key
// is already a type error; this also catches an empty text and a nested key missing at run time.)
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { texts as exam } from '../../examples/exam-registration/texts.ts';
import { texts as parents } from '../../examples/parents-portal/texts.ts';
import { texts as payslips } from '../../examples/payslips/texts.ts';
import { locales } from '../../examples/shared/locale.ts';
import { commonTexts } from '../../examples/shared/texts.ts';

/** Every leaf as `path: text`; a function is called with a sample argument. */
function leaves(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (typeof value === 'function') return [[path, String((value as (arg: string) => unknown)('X'))]];
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([key, inner]) => leaves(inner, path ? `${path}.${key}` : key));
  return [[path, '']];
}

const catalogs = { common: commonTexts, 'exam-registration': exam, 'parents-portal': parents, payslips };

describe('example app texts', () => {
  for (const [name, catalog] of Object.entries(catalogs)) {
    test(`${name}: fa, he and en have the same keys, none empty`, () => {
      const keys = (locale: (typeof locales)[number]) => leaves(catalog[locale]).map(([path]) => path).sort();
      for (const locale of locales) {
        assert.deepEqual(keys(locale), keys('fa'), locale);
        for (const [path, text] of leaves(catalog[locale])) assert.ok(text.trim().length > 0, `${locale} ${path}`);
      }
    });
  }

  test('the seeds\' wording is used where they give it', () => {
    assert.equal(exam.fa.exams.sampad7, 'سمپاد هفتم');
    assert.equal(exam.fa.exams.sampad10, 'سمپاد دهم');
    assert.equal(exam.fa.gateway, 'درگاه ورود به آزمونهای وزارت آموزش و پرورش');
    assert.equal(parents.he.appName, 'פורטל הורים');
    assert.equal(parents.he.childrenTitle, 'מידע על ילדיך');
    assert.equal(parents.he.exams, 'מועדי וציוני בחינות בגרות');
    assert.equal(parents.he.decisions, 'החלטות וועדות החינוך המיוחד');
    assert.equal(payslips.fa.appName, 'فیش حقوقی');
  });
});
