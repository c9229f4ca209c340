/**
 * A support request's input rules (F29), pure: the fixed categories, the length limits, the
 * normalization of free text, the page the person came from (a same-origin path, never a
 * URL), the screenshot recognized by its magic bytes, and the contact of someone signed out.
 */
import { parseEmail } from './email.ts';
import { parseMobile } from './phone.ts';
import type { Profile } from './profile.ts';
import { fail, ok, type Result } from './result.ts';

export const supportCategories = ['sign_in', 'registration', 'roles', 'other'] as const;
export type SupportCategory = (typeof supportCategories)[number];

/** Limits, in UTF-16 units (as PostgreSQL's length() counts them, near enough) and bytes. */
export const SUPPORT_LIMITS = { subject: 200, text: 5000, from: 512, screenshotBytes: 1024 * 1024 } as const;

export type SupportFieldError = {
  field: 'category' | 'subject' | 'text' | 'from' | 'screenshot' | 'contact';
  code:
    | 'support.category_invalid' | 'support.subject_required' | 'support.subject_too_long' | 'support.text_required' | 'support.text_too_long'
    | 'support.from_invalid' | 'support.screenshot_type' | 'support.screenshot_too_large' | 'support.contact_required' | 'support.contact_invalid';
};

// Invisible format and control characters: direction overrides (U+202A–202E, U+2066–2069)
// would reorder what an administrator reads; zero-width characters hide text. ZWNJ (U+200C)
// is part of Persian spelling and stays; newlines and tabs are the text's own layout.
const HIDDEN = /[[\p{Cf}\p{Cc}]--[\n\t\u200c]]/gv;

/** Free text as stored: NFC, `\r\n` as `\n`, no hidden characters, at most two blank lines in a row, trimmed. */
export function normalizeMessage(value: string): string {
  return value.normalize('NFC').replace(/\r\n?/g, '\n').replace(HIDDEN, '').replace(/\n{3,}/g, '\n\n').trim();
}

/** A subject: one line. */
export const normalizeSubject = (value: string): string => normalizeMessage(value).replace(/\s+/g, ' ');

export const isSupportCategory = (value: unknown): value is SupportCategory =>
  typeof value === 'string' && (supportCategories as readonly string[]).includes(value);

/**
 * The page a request was asked from, for the administrator's context: a path on this site
 * (`/register/…?x=1`), or null when none was given. An absolute URL, a scheme-relative
 * `//host`, a backslash (which browsers read as a slash), a control character or an overlong
 * path is refused: it is shown as a link in the console, which must never lead elsewhere.
 */
export function parseFromPath(input: string | undefined): Result<string | null, 'support.from_invalid'> {
  if (input === undefined || input.trim() === '') return ok(null);
  const value = input.trim();
  if (value.length > SUPPORT_LIMITS.from || !value.startsWith('/') || value.startsWith('//')) return fail('support.from_invalid');
  if (/[\\\p{Cc}\p{Cf}\s]/u.test(value)) return fail('support.from_invalid');
  const base = 'http://kelid.invalid';
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return fail('support.from_invalid');
  }
  // A path the parser normalized into `//host…` (from `/.//host`) is another site's address once used as a link.
  if (url.origin !== base || url.pathname.startsWith('//')) return fail('support.from_invalid');
  return ok(`${url.pathname}${url.search}`);
}

/** The screenshot's type by its first bytes (PNG's 8-byte signature, JPEG's SOI marker), or undefined for anything else. */
export function screenshotType(bytes: Uint8Array): 'image/png' | 'image/jpeg' | undefined {
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= png.length && png.every((b, i) => bytes[i] === b)) return 'image/png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  return undefined;
}

/** A signed-out person's contact: an email (it has an `@`) or a mobile of the profile's country. */
export function parseContact(input: string, profile: Profile): Result<{ channel: 'sms' | 'email'; to: string }, 'support.contact_required' | 'support.contact_invalid'> {
  if (input.trim() === '') return fail('support.contact_required');
  if (input.includes('@')) {
    const email = parseEmail(input);
    return email.ok ? ok({ channel: 'email', to: email.value }) : fail('support.contact_invalid');
  }
  const mobile = parseMobile(input, profile);
  return mobile.ok ? ok({ channel: 'sms', to: mobile.value }) : fail('support.contact_invalid');
}

export type SupportInput = { category: SupportCategory; subject: string; text: string; from: string | null };

/** Checks and normalizes a request's fields; answers every field's first error. */
export function parseSupportInput(raw: { category: string; subject: string; text: string; from?: string | undefined }): { ok: true; value: SupportInput } | { ok: false; errors: SupportFieldError[] } {
  const errors: SupportFieldError[] = [];
  if (!isSupportCategory(raw.category)) errors.push({ field: 'category', code: 'support.category_invalid' });
  const subject = normalizeSubject(raw.subject);
  if (subject === '') errors.push({ field: 'subject', code: 'support.subject_required' });
  else if (subject.length > SUPPORT_LIMITS.subject) errors.push({ field: 'subject', code: 'support.subject_too_long' });
  const text = normalizeMessage(raw.text);
  if (text === '') errors.push({ field: 'text', code: 'support.text_required' });
  else if (text.length > SUPPORT_LIMITS.text) errors.push({ field: 'text', code: 'support.text_too_long' });
  const from = parseFromPath(raw.from);
  if (!from.ok) errors.push({ field: 'from', code: from.code });
  if (errors.length > 0 || !from.ok) return { ok: false, errors };
  return ok({ category: raw.category as SupportCategory, subject, text, from: from.value });
}

/** A reply's text: the same rules as a request's. */
export function parseReplyText(raw: string): Result<string, 'support.text_required' | 'support.text_too_long'> {
  const text = normalizeMessage(raw);
  if (text === '') return fail('support.text_required');
  if (text.length > SUPPORT_LIMITS.text) return fail('support.text_too_long');
  return ok(text);
}
