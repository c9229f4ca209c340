/**
 * Text that can be stored: well-formed Unicode (no lone UTF-16 surrogates, which PostgreSQL's
 * JSON refuses and UTF-8 cannot carry) and no NUL (which PostgreSQL's text refuses). Input is
 * checked against these rules at the edge (src/http/plugins/input-text.ts); values the app
 * shortens itself go through `clip`, so a cut never makes a well-formed string malformed.
 */

/** Why a string cannot be stored, or undefined when it can. */
export function textProblem(value: string): 'text.malformed' | 'text.nul' | undefined {
  if (!value.isWellFormed()) return 'text.malformed';
  if (value.includes('\u0000')) return 'text.nul';
  return undefined;
}

/**
 * The first `max` UTF-16 units of `value`, one fewer when the cut would split a surrogate
 * pair (an emoji, a rare CJK character): `'…😀'.slice(0, n)` can leave half of it behind.
 */
export function clip(value: string, max: number): string {
  if (value.length <= max) return value;
  const last = value.charCodeAt(max - 1);
  return value.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

/**
 * For values taken from headers and logged or stored as they are (the User-Agent): lone
 * surrogates become U+FFFD, control characters go, at most `max` units. Never refuses: a
 * header is evidence, not input a person can correct.
 */
export function storableHeader(value: string | null | undefined, max: number): string | null {
  if (value === null || value === undefined) return null;
  return clip(value.toWellFormed().replace(/\p{Cc}/gu, ''), max);
}

/**
 * Text taken from a file and quoted back in a message (a column's name, a zip entry's): at most
 * `max` UTF-16 units, cut by `clip` (never half an emoji: a lone surrogate would be refused
 * where the message is stored) and then ending in "…", so a reader knows there was more;
 * control and format characters (NUL, the direction overrides that could turn the message
 * around) and line and paragraph separators (U+2028, U+2029: a line break inside the quote)
 * shown as U+FFFD; ZWNJ, a letter's part in Persian (نام‌خانوادگی), kept as the free-text rules keep it.
 */
export function quotable(value: string, max: number): string {
  const shown = value.length > max ? `${clip(value, max - 1)}…` : value;
  return shown.replace(/(?!\u200c)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '\ufffd');
}

/**
 * Someone else's text (a provider's refusal) as it may go to the logs: email addresses become
 * `[email]`, and runs of six digits or more (in any script, with the spaces, dashes, dots,
 * slashes, brackets and `+` that numbers are written with) `[number]`: a mobile, a national ID,
 * a code that was in the message; `%40` and `%2B` are read as `@` and `+` first (a quoted form
 * body). Shorter numbers (an HTTP status, a provider's error code) stay.
 */
export function withoutPersonalData(text: string): string {
  return text
    .replace(/%40/gi, '@').replace(/%2B/gi, '+')
    .replace(/[^\s<>"'(),;:&=?]+@[^\s<>"'(),;:&=?]+/gu, '[email]')
    .replace(/\+?\p{Nd}(?:[\s\-().\/]*\p{Nd}){5,}/gu, '[number]');
}

/**
 * Every line end a CSV record may end at, in any mix within one file (csv-parse otherwise takes
 * the first one it meets for the whole file: a file pasted together from two sources, CRLF then
 * LF, lost rows into a cell or dropped them, silently). CRLF first, so that it is one end, not two.
 */
export const RECORD_DELIMITERS = ['\r\n', '\n', '\r'];

/** The column names a CSV header line holds more than once, each once, in the order they first repeat. */
export function duplicatedColumns(columns: readonly string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const column of columns) (seen.has(column) ? twice : seen).add(column);
  return [...twice];
}
