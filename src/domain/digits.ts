// Text arrives from Persian, Arabic and Hebrew keyboards, mobile apps and spreadsheets
// pasted by schools. These helpers make equal-looking input equal before validation.

const ZWNJ = '\u200c';

/** The zero of each run of ten digits read as ASCII: Persian, Arabic-Indic, full-width (a phone's or a CJK keyboard's). */
const DIGIT_ZEROS = [0x06f0, 0x0660, 0xff10];

/** Persian (U+06F0–9), Arabic-Indic (U+0660–9) and full-width (U+FF10–9) digits become ASCII `0`–`9`. */
export function toLatinDigits(s: string): string {
  return s.replace(/[\u06f0-\u06f9\u0660-\u0669\uff10-\uff19]/g, (d) => {
    const code = d.charCodeAt(0);
    return String(code - DIGIT_ZEROS.find((zero) => code >= zero && code <= zero + 9)!);
  });
}

// \p{Cf} holds every invisible format character we care about: zero-width characters and
// direction marks (U+200B–200F, U+202A–202E, U+2066–2069), U+FEFF, U+061C, the soft hyphen
// U+00AD, word joiners. They are invisible, so a value containing them could spoof another.
// Control characters (\p{Cc}) go too, except \n and \t, which multi-line text needs.
const INVISIBLES = /[[\p{Cf}\p{Cc}]--[\n\t]]/gv;
const INVISIBLES_BUT_ZWNJ = /[[\p{Cf}\p{Cc}]--[\n\t\u200c]]/gv;

/** Removes invisible format characters and control characters other than `\n` and `\t`. */
export function stripInvisibles(s: string): string {
  return s.replace(INVISIBLES, '');
}

/** For single-line fields: invisibles removed, any whitespace run (newlines too) becomes one space, trimmed. */
export function normalizeLine(s: string): string {
  return stripInvisibles(s.normalize('NFC')).replace(/\s+/g, ' ').trim();
}

/**
 * For names. Arabic-keyboard letters become their Persian forms so that `علي` and `علی` are
 * the same name. ZWNJ (U+200C) separates parts of Persian words (`می‌روم`) and stays, but
 * only one at a time and never beside a space or at the edges, where it shows nothing.
 */
export function normalizeText(s: string): string {
  return s
    .normalize('NFC')
    .replace(INVISIBLES_BUT_ZWNJ, '')
    .replace(/[\u064a\u0649]/g, '\u06cc')
    .replace(/\u0643/g, '\u06a9')
    .replace(/\u200c+/g, ZWNJ)
    .replace(/(?<=^|\s)\u200c|\u200c(?=\s|$)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * What two names written by people compare by (a role's name in a spreadsheet, a person's name
 * against the registry): normalizeText, lower case, and no spaces or ZWNJs at all. Persian
 * writes the parts of one word apart with a ZWNJ (دانش‌آموز, as its keyboard types it), a
 * space (دانش آموز) or nothing (دانشآموز): all three are the same word.
 */
export function nameKey(s: string): string {
  return normalizeText(s).toLowerCase().replace(/[\s\u200c]+/g, '');
}

// \p{Pd} covers U+2010–2015, U+FE58, U+FE63 and U+FF0D; the minus sign U+2212 is a math
// symbol (Sm), added because spreadsheets produce it.
const SEPARATORS = /[\s\p{Pd}\u2212]/gu;

/**
 * For national IDs, codes and phone numbers before validation: Latin digits, no invisibles,
 * no spaces, no dashes. Anything else is left for the validator to refuse.
 */
export function normalizeDigitString(s: string): string {
  return stripInvisibles(toLatinDigits(s)).replace(SEPARATORS, '');
}
