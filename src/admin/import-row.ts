/**
 * One row of a school's user file (pure): `national_id, role[, start, end, child_national_id, email]`.
 * Roles by code (`teacher`) or by their Persian or Hebrew name (معلم, מורה); dates Gregorian
 * `YYYY-MM-DD` or Solar Hijri `YYYY/MM/DD` (a year before 1700 is Solar Hijri); Persian
 * digits and invisible marks are normalized. Empty dates take the school-year defaults.
 */
import type { Role } from '../db/schema.ts';
import { nameKey, stripInvisibles, toLatinDigits } from '../domain/digits.ts';
import { parseEmail } from '../domain/email.ts';
import { parseGregorian } from '../domain/iso-date.ts';
import { parseNationalId, type NationalIdError } from '../domain/national-id.ts';
import type { Profile } from '../domain/profile.ts';
import { parseSolarHijri } from '../domain/solar-hijri.ts';
import { duplicatedColumns, quotable } from '../domain/text.ts';

export const IMPORT_COLUMNS = ['national_id', 'role'] as const;
export const IMPORT_OPTIONAL_COLUMNS = ['start', 'end', 'child_national_id', 'email'] as const;

/** `email`: where set-password links go (F19), for a person with no address on record yet. */
export type ImportRow = { nationalId: string; role: Role; start?: string; end?: string; childNationalId?: string; email?: string };

/** What is wrong with a row on its own (a catalog code each); import.ts adds what needs the scope and the database. */
export type ImportRowProblem = NationalIdError | 'import.role_unknown' | 'import.start_invalid' | 'import.end_invalid' | 'import.child_invalid' | 'import.email_invalid';

export function checkImportHeader(columns: readonly string[]): { missing: string[]; unknown: string[] } {
  const known = new Set<string>([...IMPORT_COLUMNS, ...IMPORT_OPTIONAL_COLUMNS]);
  return { missing: IMPORT_COLUMNS.filter((c) => !columns.includes(c)), unknown: columns.filter((c) => !known.has(c)) };
}

/**
 * Why a header line is refused, as a catalog code and its parameters, or undefined when it is
 * good: a OneRoster file (a `sourcedId` column) uploaded alone; the columns it names that are
 * none of ours, quoted (a file saved with semicolons shows `national_id;role` whole; at most 200
 * characters, `quotable`); a column named twice (which cell is meant? the last one used to win,
 * silently); else the generic list of the columns expected.
 */
export function headerRefusal(columns: readonly string[]): { code: 'import.bad_header' | 'import.bad_header_unknown' | 'import.bad_header_duplicate' | 'import.oneroster_file'; params: Record<string, string> } | undefined {
  const { missing, unknown } = checkImportHeader(columns);
  const twice = duplicatedColumns(columns.filter((c) => c !== ''));
  if (missing.length === 0 && unknown.length === 0 && twice.length === 0) return undefined;
  // One file of a OneRoster export (its users.csv, orgs.csv…), uploaded alone: the whole zip is what imports.
  if (columns.some((c) => c.toLowerCase() === 'sourcedid')) return { code: 'import.oneroster_file', params: {} };
  const named = unknown.filter((c) => c !== '' && c !== '\u0000');
  if (named.length === 0 && missing.length === 0 && twice.length > 0) return { code: 'import.bad_header_duplicate', params: { columns: quotable(twice.map((c) => `«${c}»`).join(', '), 200) } };
  if (named.length === 0) return { code: 'import.bad_header', params: {} };
  return { code: 'import.bad_header_unknown', params: { unknown: quotable(named.map((c) => `«${c}»`).join(', '), 200) } };
}

/**
 * A date cell: '' (default), Gregorian or Solar Hijri, year first, `/` or any dash between the
 * parts (normalizeDigitString would drop the dashes: `2025-10-01` would read as one number).
 */
export function parseImportDate(cell: string): { ok: true; value: string | undefined } | { ok: false } {
  const text = stripInvisibles(toLatinDigits(cell)).replace(/\s+/g, '').replace(/[\p{Pd}\u2212/]/gu, '-');
  if (text === '') return { ok: true, value: undefined };
  const year = Number(text.split('-')[0]);
  const parsed = year < 1700 ? parseSolarHijri(text.replace(/-/g, '/')) : parseGregorian(text);
  return parsed.ok ? { ok: true, value: parsed.value } : { ok: false };
}

export function parseImportRow(record: Record<string, string | undefined>, profile: Profile, roleNames: ReadonlyMap<string, Role>): { ok: true; row: ImportRow } | { ok: false; problems: ImportRowProblem[]; nationalId?: string } {
  const problems: ImportRowProblem[] = [];
  const nationalId = parseNationalId(record.national_id ?? '', profile);
  if (!nationalId.ok) problems.push(nationalId.code);
  const role = roleNames.get(nameKey(record.role ?? ''));
  if (!role) problems.push('import.role_unknown');
  const start = parseImportDate(record.start ?? '');
  if (!start.ok) problems.push('import.start_invalid');
  const end = parseImportDate(record.end ?? '');
  if (!end.ok) problems.push('import.end_invalid');
  let child: string | undefined;
  if ((record.child_national_id ?? '').trim() !== '') {
    const parsed = parseNationalId(record.child_national_id ?? '', profile);
    if (parsed.ok) child = parsed.value; else problems.push('import.child_invalid');
  }
  let email: string | undefined;
  if ((record.email ?? '').trim() !== '') {
    const parsed = parseEmail(record.email ?? '');
    if (parsed.ok) email = parsed.value; else problems.push('import.email_invalid');
  }
  // A row refused for another cell still shows its national ID as read (Latin digits, as accepted rows do).
  if (!nationalId.ok || !role || !start.ok || !end.ok || problems.length > 0) return { ok: false, problems, ...(nationalId.ok ? { nationalId: nationalId.value } : {}) };
  return {
    ok: true,
    row: {
      nationalId: nationalId.value, role, ...(start.value ? { start: start.value } : {}), ...(end.value ? { end: end.value } : {}),
      ...(child ? { childNationalId: child } : {}), ...(email ? { email } : {}),
    },
  };
}
