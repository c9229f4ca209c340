/**
 * A secret (password, recovery code, identification answer) means the same whatever keyboard,
 * phone or operating system typed it. NIST SP 800-63B (§5.1.1.2; rev. 4 §3.1.1.2) asks
 * verifiers to apply Unicode normalization (NFKC or NFKD) before hashing; Kelid's users add
 * keyboards that differ beyond what Unicode normalizes:
 *
 *   NFKC                      "Ä" typed as A + U+0308 (macOS, iOS) is U+00C4 (Windows);
 *                             full-width Latin from CJK input methods, Arabic presentation forms
 *   digits                    Persian ۱۲۳ (U+06F1…) and Arabic-Indic ١٢٣ (U+0661…) are 123:
 *                             Persian phone keyboards type them, desktops type ASCII
 *   Arabic letter forms       ي (U+064A) and ى (U+0649) are ی (U+06CC), ك (U+0643) is ک
 *                             (U+06A9): Windows' Arabic keyboard versus the Persian standard one;
 *                             ۀ typed as ه + hamza above (U+0647 U+0654) is ۀ (U+06C0), which
 *                             Unicode does not compose
 *   invisible marks           direction marks, zero-width spaces and BOMs that RTL keyboards and
 *                             copy-paste insert go; ZWNJ (Persian half-space) and ZWJ (emoji)
 *                             are typed on purpose and stay
 *   variation selectors       "❤" and "❤️" (U+FE0F) are one symbol, typed either way by emoji
 *                             keyboards
 *
 * Nothing else changes: case, spaces and every other character count, as NIST asks.
 */
import { toLatinDigits } from './digits.ts';

const INVISIBLE = /[[\p{Cf}\p{Cc}]--[\u200c\u200d\t]]/gv;
const VARIATION_SELECTORS = /[\ufe00-\ufe0f]/g;

export function normalizeSecret(secret: string): string {
  return toLatinDigits(secret.normalize('NFKC'))
    .replace(/[\u064a\u0649]/g, '\u06cc')
    .replace(/\u0643/g, '\u06a9')
    .replace(/\u0647\u0654/g, '\u06c0')
    .replace(INVISIBLE, '')
    .replace(VARIATION_SELECTORS, '');
}
