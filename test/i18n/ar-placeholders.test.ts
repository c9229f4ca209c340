// The Arabic area catalogs and guides (issue 14) say what the English ones say: every key,
// with the same placeholders (a dropped {count} would show nothing; a misspelt one would show
// the braces), in Arabic letters only (the Persian ک and ی look alike and are a typo here), and
// with no Latin word left untranslated but the names of products, formats and fields that the
// pages show in Latin letters in every language.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { enGuides } from '../../src/guides/en.ts';
import { guideTopics, type Guide } from '../../src/guides/guide.ts';

/** Each area's folder and the suffix of its exports (enSessions, arSessions). */
const areas = {
  admin: 'Admin', announcements: 'Announcements', clients: 'Clients', federation: 'Federation', guides: 'GuidesText', imports: 'Imports',
  oneroster: 'OneRoster', scim: 'Scim', sessions: 'Sessions', 'set-password': 'SetPassword', support: 'Support',
} as const;

async function catalog(area: keyof typeof areas, locale: 'en' | 'ar'): Promise<Record<string, string>> {
  const module = await import(`../../src/i18n/${area}/${locale}.ts`) as Record<string, Record<string, string>>;
  const exported = module[`${locale}${areas[area]}`];
  assert.ok(exported, `src/i18n/${area}/${locale}.ts exports ${locale}${areas[area]}`);
  return exported;
}

/** The parameters a text names: `{name}`, and `{name, plural, …}` (its choices name the number `#`). */
const placeholders = (text: string) => [...new Set([...text.matchAll(/\{(\w+)(?:\}|,\s*plural,)/g)].map((m) => m[1]))].sort();

/** Letters of Persian (پ چ ژ گ ک ی, Persian digits) or Hebrew that have no place in Arabic text. */
const foreignLetters = /[\u067E\u0686\u0698\u06AF\u06A9\u06CC\u06F0-\u06F9\u0590-\u05FF]/;

/** Latin words the Arabic texts keep: products, formats, protocols, file and column names, examples. */
const keptLatin = new Set([
  'SCIM', 'OneRoster', 'CSV', 'XLSX', 'UTF-8', 'PNG', 'JPEG', 'PKCE', 'JWT', 'API', 'APIs', 'QR', 'SMS', 'Excel', 'Workbook',
  'Passkey', 'Caps', 'Lock', 'Google', 'Authenticator', 'FreeOTP', 'RLO', 'HTML', 'OpenID', 'MB', 'IP', 'http', 'https', 'localhost', 'Content-Type',
  'text', 'csv', 'multipart', 'xlsx', 'xls', 'ods', 'zip', 'REF', 'A', 'Z', 'a', 'z',
  'national_id', 'role', 'start', 'end', 'child_national_id', 'email', 'scim',
  'manifest.csv', 'orgs.csv', 'users.csv', 'roles.csv', 'enrollments.csv', 'academicSessions.csv', 'sourcedId', 'parentSourcedId', 'orgSourcedIds',
  'identifier', 'userIds', 'national', 'state', 'district', 'local', 'school', 'name', 'example.com', 'agentSourcedIds',
  // OneRoster's role values, as a users.csv holds them.
  'student', 'teacher', 'parent', 'guardian', 'aide', 'proctor', 'counselor', 'principal', 'administrator', 'siteAdministrator', 'districtAdministrator',
  // academicSessions.csv's type of the row that gives the school year.
  'schoolYear',
]);
const latinWords = (text: string) => (text.replace(/\{\w+\}|\{\w+,\s*plural,|\b(?:zero|one|two|few|many|other)\s*(?=\{)|=\d+\s*(?=\{)/g, '').match(/[A-Za-z][A-Za-z0-9_.\-]*[A-Za-z0-9]|[A-Za-z]/g) ?? []);

function checkText(where: string, text: string): void {
  assert.doesNotMatch(text, foreignLetters, `${where}: a Persian or Hebrew letter in «${text}»`);
  const left = latinWords(text).filter((word) => !keptLatin.has(word));
  assert.deepEqual(left, [], `${where}: Latin words left in «${text}»`);
}

describe('the Arabic area catalogs', () => {
  for (const area of Object.keys(areas) as (keyof typeof areas)[]) {
    test(`${area}: every English key, with the same placeholders, in Arabic letters`, async () => {
      const en = await catalog(area, 'en');
      const ar = await catalog(area, 'ar');
      assert.deepEqual(Object.keys(ar).sort(), Object.keys(en).sort());
      for (const [key, text] of Object.entries(ar)) {
        assert.deepEqual(placeholders(text), placeholders(en[key] ?? ''), `${area} ${key}`);
        checkText(`${area} ${key}`, text);
      }
    });
  }
});

/** A guide's plain text, and the keys it quotes, in reading order. */
const parts = (guide: Guide) => [guide.intro, ...guide.before, ...guide.steps, ...guide.problems.flatMap((p) => [p.problem, p.fix]), guide.help];

describe('the Arabic guides', () => {
  test('every topic, in Arabic letters, quoting the same labels as the English guide in the same places', async () => {
    const { arGuides } = await import('../../src/guides/ar.ts') as { arGuides: Record<string, Guide> };
    assert.deepEqual(Object.keys(arGuides).sort(), [...guideTopics].sort());
    for (const topic of guideTopics) {
      const ar = arGuides[topic];
      assert.ok(ar, topic);
      const en = enGuides[topic];
      checkText(`${topic} title`, ar.title);
      assert.equal(ar.before.length, en.before.length, `${topic}: before`);
      assert.equal(ar.steps.length, en.steps.length, `${topic}: steps`);
      assert.equal(ar.problems.length, en.problems.length, `${topic}: problems`);
      const arLines = parts(ar);
      const enLines = parts(en);
      arLines.forEach((line, i) => {
        const labels = (l: typeof line) => l.flatMap((part) => (typeof part === 'string' ? [] : [part.label])).sort();
        assert.deepEqual(labels(line), labels(enLines[i] ?? []), `${topic}: line ${i} quotes the English line's labels`);
        for (const part of line) if (typeof part === 'string') checkText(`${topic} line ${i}`, part);
      });
    }
  });
});
