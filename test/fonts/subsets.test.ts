// The committed font subsets (npm run fonts) cannot go stale: every character a locale's
// catalogs and guides use, in the face's script, is in the subset cut for it, and the files are
// the ones the manifest describes.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { localeFaces, subsetCodePoints, unicodeRange } from '../../src/fonts/faces.ts';
import { fontsDir, readFontManifest } from '../../src/fonts/manifest.ts';
import { locales } from '../../src/i18n/catalogs.ts';

/** `U+621-63a, U+6cc` → the code points it names. */
function pointsOf(range: string): Set<number> {
  const points = new Set<number>();
  for (const part of range.split(',')) {
    const [from, to = from] = part.trim().replace(/^U\+/, '').split('-').map((hex) => parseInt(hex, 16));
    for (let point = from!; point <= to!; point++) points.add(point);
  }
  return points;
}

test('each locale with a face has committed subsets holding every character its texts use; npm run fonts after a change', () => {
  const manifest = readFontManifest();
  for (const locale of locales) {
    const face = localeFaces[locale];
    if (!face) {
      assert.equal(manifest[locale], undefined, `${locale} uses the system font`);
      continue;
    }
    const committed = manifest[locale];
    assert.ok(committed, `${locale}: no subset committed: run npm run fonts`);
    assert.deepEqual(committed.files.map((file) => file.file), face.files.map((file) => file.file));
    const needed = subsetCodePoints(locale);
    for (const file of committed.files) {
      const has = pointsOf(file.unicodeRange);
      const missing = needed.filter((point) => !has.has(point)).map((point) => String.fromCodePoint(point));
      assert.deepEqual(missing, [], `${locale}/${file.file} lacks characters the texts use: run npm run fonts`);
      const bytes = readFileSync(path.join(fontsDir, file.file));
      assert.equal(createHash('sha256').update(bytes).digest('hex'), file.sha256, `${file.file} is not the file npm run fonts wrote`);
      assert.equal(bytes.subarray(0, 4).toString('latin1'), 'wOF2');
    }
  }
});

test('the Persian subset holds what a name may be typed with, and no Latin; the Hebrew one no Arabic', () => {
  const fa = new Set(subsetCodePoints('fa'));
  for (const char of 'پچژکگیۀءأؤإئة۰۹٠٩\u200c') assert.ok(fa.has(char.codePointAt(0)!), char);
  assert.ok(![...fa].some((point) => point < 0x0600), 'Latin comes from the system font');
  const he = new Set(subsetCodePoints('he'));
  for (const char of 'אבגדהוזחטיךכלםמןנסעףפץצקרשת') assert.ok(he.has(char.codePointAt(0)!), char);
  assert.ok(![...he].some((point) => point >= 0x0600 && point <= 0x06ff), 'the Hebrew page never needs the Persian letters of its language menu');
});

test('unicode-range joins consecutive points', () => {
  assert.equal(unicodeRange([0x621, 0x622, 0x623, 0x6cc, 0x6f0, 0x6f1]), 'U+621-623, U+6cc, U+6f0-6f1');
  assert.equal(unicodeRange([]), '');
});
