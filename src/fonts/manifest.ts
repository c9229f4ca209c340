/** The committed font subsets' manifest (src/http/assets/fonts/fonts.json, written by `npm run fonts`). */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const fontsDir = path.join(import.meta.dirname, '..', 'http', 'assets', 'fonts');

/** Per locale with a web font: its family and files; each file's CSS weight, unicode-range (the code points it was cut for) and SHA-256 (hex). */
export type FontManifest = Partial<Record<string, { family: string; files: { file: string; weight: string; unicodeRange: string; sha256: string }[] }>>;

/** Reads fonts.json (synchronously: once, when the asset table is built at start). */
export function readFontManifest(): FontManifest {
  return JSON.parse(readFileSync(path.join(fontsDir, 'fonts.json'), 'utf8')) as FontManifest;
}
