// The Persian guides' own prose joins what Persian writing joins with a zero-width non-joiner
// (U+200C), as the console's texts do: the verb prefixes می/نمی (می‌شود), the plural ها/های
// (سامانه‌های) and the enclitics after a final ه (کرده‌اید, دقیقه‌ای). A space there breaks a
// word in two at the end of a line on a narrow phone, and a screen reader reads two words. The
// labels a guide quotes are the catalog's, and what it quotes in «» (an email's subject) is in
// the seeds' words: neither is judged here.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { guideTopics, type Line } from '../../src/guides/guide.ts';
import { guides } from '../../src/guides/guides.ts';

const PERSIAN = '\u0600-\u06FF';
const split = [
  // «می باشد» is the seeds' own (the registration rules, 001:74 and 001:83, which the guide quotes as the screen shows them).
  { name: 'the prefix می or نمی', pattern: new RegExp(`(?<![${PERSIAN}])ن?می (?!باشد|باشند)(?=[${PERSIAN}])`, 'u') },
  { name: 'the plural ها or های', pattern: new RegExp(`(?<=[${PERSIAN}]) (ها|های|هایی)(?![${PERSIAN}])`, 'u') },
  { name: 'an enclitic after ه', pattern: new RegExp(`(?<=[${PERSIAN}]ه) (ای|اید|ام|ایم|اند)(?![${PERSIAN}])`, 'u') },
];

test('the Persian guides join verb prefixes, plurals and enclitics with a ZWNJ, not a space', () => {
  const found: string[] = [];
  for (const topic of guideTopics) {
    const guide = guides.fa[topic];
    const lines: Line[] = [guide.intro, ...guide.before, ...guide.steps, ...guide.problems.flatMap((p) => [p.problem, p.fix]), guide.help];
    const texts = [guide.title, ...lines.flat().filter((part): part is string => typeof part === 'string')].map((text) => text.replace(/«[^»]*»/gu, '«»'));
    for (const text of texts) {
      for (const { name, pattern } of split) {
        const match = pattern.exec(text);
        if (match) found.push(`${topic}: ${name} in «${text.slice(Math.max(0, match.index - 15), match.index + 20)}»`);
      }
    }
  }
  assert.deepEqual(found, []);
});

test('the check itself finds a split word, and passes a joined one', () => {
  assert.ok(split[0]!.pattern.test('فرستاده می شود'));
  assert.ok(!split[0]!.pattern.test('فرستاده می\u200cشود'));
  assert.ok(!split[0]!.pattern.test('تمام می')); // «می» at the end of a line is no prefix
  assert.ok(!split[0]!.pattern.test('پیش ثبت نام می باشد'), 'the seeds\' words, quoted');
  assert.ok(split[1]!.pattern.test('سامانه های آموزش'));
  assert.ok(split[2]!.pattern.test('وارد کرده اید.'));
  assert.ok(!split[2]!.pattern.test('شده است.'));
});
