/**
 * `npm run fonts`: cuts each locale's font subset (fonts/faces.ts) with subset-font (HarfBuzz,
 * which keeps the GSUB/GPOS features of the kept glyphs, so Arabic letters still join), and
 * writes them to src/http/assets/fonts/ with fonts.json: per file its weight, the code points it
 * was cut for and its SHA-256. The output is committed; run this after changing a catalog's
 * script characters (test/fonts/subsets.test.ts says when).
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import subsetFont from 'subset-font';
import { locales } from '../i18n/catalogs.ts';
import { fontsDir, type FontManifest } from './manifest.ts';
import { localeFaces, subsetCodePoints, unicodeRange } from './faces.ts';

const require = createRequire(import.meta.url);
const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));

const manifest: FontManifest = {};
for (const locale of locales) {
  const face = localeFaces[locale];
  if (!face) continue;
  const points = subsetCodePoints(locale);
  const text = String.fromCodePoint(...points);
  manifest[locale] = { family: face.family, files: [] };
  for (const file of face.files) {
    const source = await readFile(path.join(packageDir(file.source.package), file.source.path));
    const subset = await subsetFont(source, text, {
      targetFormat: 'woff2',
      ...(file.variableWeight ? { variationAxes: { wght: file.variableWeight } } : {}),
    });
    await writeFile(path.join(fontsDir, file.file), subset);
    manifest[locale].files.push({ file: file.file, weight: file.weight, unicodeRange: unicodeRange(points), sha256: createHash('sha256').update(subset).digest('hex') });
    console.log(`${file.file}: ${points.length} code points, ${source.length} → ${subset.length} bytes`);
  }
}
await writeFile(path.join(fontsDir, 'fonts.json'), `${JSON.stringify(manifest, null, 2)}\n`);
