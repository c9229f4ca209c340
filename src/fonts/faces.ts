/**
 * Which web font each locale's pages load, and which characters its subset holds (issue 14).
 *
 * A locale's subset is computed, never hand-listed: every character its catalogs and guides use,
 * with the letters, marks and digits of its script that names and typed input may hold, kept to
 * the blocks the face is for (Latin comes from the system font, so the Persian page downloads
 * no Latin glyph). `npm run fonts` (fonts/build.ts) cuts the subsets from these rules and
 * commits them with a manifest; test/fonts/subsets.test.ts fails when a catalog gains a
 * character the committed subset lacks. Pure: no I/O.
 */
import type { Locale } from '../config.ts';
import { catalogs } from '../i18n/catalogs.ts';
import { guides } from '../guides/guides.ts';

/** An inclusive range of Unicode code points. */
export type CodeRange = readonly [number, number];

/** One font file cut for a locale. `weight` is a CSS font-weight (a range for a variable font). */
export type FaceFile = { file: string; weight: string; source: { package: string; path: string }; variableWeight?: { min: number; max: number } };

/** A locale's face: its family name in the stylesheet, its files, and the script it draws. */
export type LocaleFace = {
  family: string;
  files: readonly FaceFile[];
  /** The blocks this face is for: what the subset may hold (a catalog's Latin or foreign-script word is left to other fonts). */
  blocks: readonly CodeRange[];
  /** The script's letters, marks and digits that names and typed input may use, whether or not a catalog does. */
  letters: readonly CodeRange[];
};

const arabicBlocks: readonly CodeRange[] = [[0x0600, 0x06ff], [0x200c, 0x200f], [0xfb50, 0xfdff], [0xfe70, 0xfeff]];
const arabicBase: readonly CodeRange[] = [[0x060c, 0x060c], [0x061b, 0x061b], [0x061f, 0x064a], [0x0660, 0x066c], [0x200c, 0x200d]];
/** Persian: the Arabic base letters and Arabic-Indic digits, with پ چ ژ ک گ ی ۀ, hamza above, Persian digits. */
const persianLetters: readonly CodeRange[] = [...arabicBase, [0x0654, 0x0654], [0x067e, 0x067e], [0x0686, 0x0686], [0x0698, 0x0698], [0x06a9, 0x06a9], [0x06af, 0x06af], [0x06c0, 0x06c0], [0x06cc, 0x06cc], [0x06f0, 0x06f9]];
/** Arabic: the base letters, the vowel marks people type in names, dagger alif. */
export const arabicLetters: readonly CodeRange[] = [...arabicBase, [0x064b, 0x0655], [0x0670, 0x0670]];

const vazirmatn = (locale: string): FaceFile => ({
  // One variable file pinned to 400–700 is lighter than the two static weights (docs/decisions.md, Fonts).
  file: `${locale}.woff2`, weight: '400 700', source: { package: 'vazirmatn', path: 'fonts/variable/Vazirmatn[wght].ttf' }, variableWeight: { min: 400, max: 700 },
});
const notoHebrew = (weight: 400 | 700): FaceFile => ({
  file: `he-${weight}.woff2`, weight: String(weight), source: { package: '@fontsource/noto-sans-hebrew', path: `files/noto-sans-hebrew-hebrew-${weight}-normal.woff2` },
});

/** The face each locale loads; null: the system font (English). A new locale is one line. */
export const localeFaces: Record<Locale, LocaleFace | null> = {
  fa: { family: 'Kelid fa', files: [vazirmatn('fa')], blocks: arabicBlocks, letters: persianLetters },
  he: { family: 'Kelid he', files: [notoHebrew(400), notoHebrew(700)], blocks: [[0x0590, 0x05ff], [0x200c, 0x200f], [0x20aa, 0x20aa], [0xfb1d, 0xfb4f]], letters: [[0x05b0, 0x05c7], [0x05d0, 0x05ea], [0x05f3, 0x05f4], [0x20aa, 0x20aa]] },
  en: null,
  ar: { family: 'Kelid ar', files: [vazirmatn('ar')], blocks: arabicBlocks, letters: arabicLetters },
};

const inRanges = (point: number, ranges: readonly CodeRange[]) => ranges.some(([from, to]) => point >= from && point <= to);

function textsOf(value: unknown, into: Set<number>): void {
  if (typeof value === 'string') for (const char of value) into.add(char.codePointAt(0)!);
  else if (value && typeof value === 'object') for (const inner of Object.values(value)) textsOf(inner, into);
}

/** Assigned code points only: a `letters` range may span a gap in its block. */
const assigned = /^\P{Cn}$/u;

/**
 * The code points `locale`'s subset must hold, ascending: the catalogs' and guides' characters
 * with the script's letters, kept to the face's blocks. Empty for a locale on the system font.
 */
export function subsetCodePoints(locale: Locale): number[] {
  const face = localeFaces[locale];
  if (!face) return [];
  const points = new Set<number>();
  textsOf(catalogs[locale], points);
  textsOf(guides[locale], points);
  for (const [from, to] of face.letters) for (let point = from; point <= to; point++) if (assigned.test(String.fromCodePoint(point))) points.add(point);
  return [...points].filter((point) => inRanges(point, face.blocks)).sort((a, b) => a - b);
}

/** Code points as a CSS unicode-range value: `U+621-63A, U+6CC` (consecutive points joined). */
export function unicodeRange(points: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < points.length; i++) {
    const from = points[i]!;
    while (i + 1 < points.length && points[i + 1] === points[i]! + 1) i++;
    const to = points[i]!;
    parts.push(from === to ? `U+${from.toString(16)}` : `U+${from.toString(16)}-${to.toString(16)}`);
  }
  return parts.join(', ');
}
