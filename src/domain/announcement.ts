/**
 * Announcements (F30), pure: their title and text as plain text, the days they show, and the
 * text cut into words and links for display. Nothing here builds HTML: views escape every
 * piece (views/html.ts), so a `<script>` typed in an announcement is shown as those characters.
 *
 * - Bidi embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069) are refused,
 *   not removed: they reorder what a reader sees (a link that reads one way and goes another,
 *   "Trojan Source"), and a publisher who typed one should see that it was refused rather than
 *   have the text change silently. Other invisibles (zero-width characters, LRM/RLM, controls
 *   but newline) are removed, as everywhere in Kelid (domain/digits.ts); ZWNJ stays, Persian
 *   words need it.
 * - The text keeps its lines (at most one empty line in a row); the title is one line.
 * - Only `http:` and `https:` URLs written out in full become links.
 */
import { stripInvisibles, toLatinDigits } from './digits.ts';
import { formatIsoDate, isIsoDate, splitIsoDate, type IsoDate } from './iso-date.ts';
import { fail, ok, type Result } from './result.ts';

export const TITLE_MAX = 200;
export const TEXT_MAX = 4000;
/** An announcement with no end date shows for this many days, its first included. */
export const DEFAULT_DAYS = 30;
/** The longest an announcement may show: a school year, so nothing stays up forever by mistake. */
export const MAX_DAYS = 366;

export type AnnouncementError =
  | 'announcement.bidi_control' | 'announcement.title_required' | 'announcement.title_too_long'
  | 'announcement.text_required' | 'announcement.text_too_long'
  | 'announcement.date_invalid' | 'announcement.ends_before_start' | 'announcement.too_long_period' | 'announcement.ends_in_past';

const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/;
// Invisibles as digits.ts removes them, but ZWNJ (and newline and tab) kept.
const INVISIBLES_BUT_ZWNJ = /[[\p{Cf}\p{Cc}]--[\n\t\u200c]]/gv;

function cleaned(value: string): string {
  return value.normalize('NFC').replace(/\r\n?/g, '\n').replace(INVISIBLES_BUT_ZWNJ, '');
}

/** The title as stored: one line, spaces collapsed, 1–TITLE_MAX characters; bidi controls refused. */
export function normalizeTitle(value: string): Result<string, AnnouncementError> {
  if (BIDI_CONTROLS.test(value)) return fail('announcement.bidi_control');
  const title = cleaned(value).replace(/\s+/g, ' ').trim();
  if (title === '') return fail('announcement.title_required');
  if ([...title].length > TITLE_MAX) return fail('announcement.title_too_long');
  return ok(title);
}

/**
 * The text as stored: lines kept (spaces and tabs inside a line collapsed, trailing ones
 * dropped, at most one empty line in a row), 1–TEXT_MAX characters; bidi controls refused.
 */
export function normalizeText(value: string): Result<string, AnnouncementError> {
  if (BIDI_CONTROLS.test(value)) return fail('announcement.bidi_control');
  const text = cleaned(value).split('\n').map((line) => line.replace(/[^\S\n]+/g, ' ').trim()).join('\n')
    .replace(/\n{3,}/g, '\n\n').trim();
  if (text === '') return fail('announcement.text_required');
  if ([...text].length > TEXT_MAX) return fail('announcement.text_too_long');
  return ok(text);
}

/** A date of the API (`YYYY-MM-DD`, Persian or Arabic digits taken), or undefined for an empty one. */
export function parseApiDate(value: string | undefined): Result<IsoDate | undefined, AnnouncementError> {
  if (value === undefined) return ok(undefined);
  const text = toLatinDigits(stripInvisibles(value)).trim();
  if (text === '') return ok(undefined);
  return isIsoDate(text) ? ok(text) : fail('announcement.date_invalid');
}

/**
 * The days an announcement shows: from `startsOn` (default today) to `endsOn` (default
 * DEFAULT_DAYS days in all), at most MAX_DAYS days, not ending before today. A start in
 * the past is allowed (an edit keeps its start).
 */
export function showingPeriod(
  input: { startsOn: IsoDate | undefined; endsOn: IsoDate | undefined }, today: IsoDate,
): Result<{ startsOn: IsoDate; endsOn: IsoDate }, AnnouncementError> {
  const startsOn = input.startsOn ?? today;
  const endsOn = input.endsOn ?? addDays(startsOn, DEFAULT_DAYS - 1);
  if (endsOn < startsOn) return fail('announcement.ends_before_start');
  if (endsOn < today) return fail('announcement.ends_in_past');
  if (endsOn > addDays(startsOn, MAX_DAYS - 1)) return fail('announcement.too_long_period');
  return ok({ startsOn, endsOn });
}

/** The civil day `days` after `iso` (calendar arithmetic on UTC noon: no time zone can shift it). */
export function addDays(iso: IsoDate, days: number): IsoDate {
  const { year, month, day } = splitIsoDate(iso);
  const at = new Date(Date.UTC(year, month - 1, day + days, 12));
  return formatIsoDate({ year: at.getUTCFullYear(), month: at.getUTCMonth() + 1, day: at.getUTCDate() });
}

export type TextPiece = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string } | { kind: 'break' };

// A URL ends at whitespace or at a character that cannot be in one unescaped; punctuation
// right after it (a full stop, a closing bracket, Persian comma) belongs to the sentence.
const URL_CANDIDATE = /https?:\/\/[^\s<>"'`]+/giu;
const TRAILING = /[.,;:!?)\]}»،؛؟'"]+$/u;

/**
 * The text in pieces for display: plain text, links (`http:`/`https:` only, as the URL
 * parser reads them) and line breaks. The view escapes every piece; `href` is the parsed
 * URL, so what the link shows and where it goes are the same address.
 */
export function textPieces(text: string): TextPiece[] {
  const pieces: TextPiece[] = [];
  text.split('\n').forEach((line, index) => {
    if (index > 0) pieces.push({ kind: 'break' });
    let last = 0;
    for (const match of line.matchAll(URL_CANDIDATE)) {
      const written = match[0].replace(TRAILING, '');
      const href = safeHref(written);
      if (href === undefined) continue;
      if (match.index > last) pieces.push({ kind: 'text', text: line.slice(last, match.index) });
      pieces.push({ kind: 'link', text: written, href });
      last = match.index + written.length;
    }
    if (last < line.length) pieces.push({ kind: 'text', text: line.slice(last) });
  });
  return pieces;
}

function safeHref(written: string): string | undefined {
  if (!URL.canParse(written)) return undefined;
  const url = new URL(written);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  // No credentials in a link shown to everyone (`https://ministry.ir@evil.example/`).
  if (url.username !== '' || url.password !== '') return undefined;
  return url.href;
}
