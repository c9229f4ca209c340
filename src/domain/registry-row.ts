/**
 * One row of a civil-registry CSV file, checked and normalized. The file's columns:
 *
 *   national_id,first_name,last_name,birth_date,birth_certificate_serial,gender
 *
 * - national_id: the profile's national ID (8–10 digits in Iran, padded; up to 9 in Israel).
 * - first_name, last_name: required; stored normalized (Persian letter forms, spaces).
 * - birth_date: ISO `2005-09-06`, or Solar Hijri `1384/06/15` when the year is below 1700.
 * - birth_certificate_serial (optional column, optional value): 6 digits.
 * - gender (optional column, optional value): `female` or `male`.
 * Persian and Arabic-Indic digits are accepted in every field.
 */
import { normalizeDigitString, normalizeText } from './digits.ts';
import { parseGregorian, readDateParts } from './iso-date.ts';
import { duplicatedColumns } from './text.ts';
import type { IsoDate } from './iso-date.ts';
import { parseNationalId } from './national-id.ts';
import type { NationalIdError } from './national-id.ts';
import type { Profile } from './profile.ts';
import { parseSolarHijri } from './solar-hijri.ts';

export const REGISTRY_REQUIRED_COLUMNS = ['national_id', 'first_name', 'last_name', 'birth_date'] as const;
export const REGISTRY_OPTIONAL_COLUMNS = ['birth_certificate_serial', 'gender'] as const;
export type RegistryColumn = (typeof REGISTRY_REQUIRED_COLUMNS)[number] | (typeof REGISTRY_OPTIONAL_COLUMNS)[number];

export type RegistryRow = {
  nationalId: string;
  firstName: string;
  lastName: string;
  birthDate: IsoDate;
  /** Absent when the file gives none: the stored value, if any, is then kept. */
  serial: string | undefined;
  gender: 'female' | 'male' | undefined;
};

export type RegistryProblemCode =
  | NationalIdError | 'name.required' | 'name.too_long' | 'date.required' | 'date.invalid'
  | 'serial.invalid' | 'gender.invalid';
export type RegistryProblem = { field: RegistryColumn; code: RegistryProblemCode };

export type RegistryRowResult = { ok: true; value: RegistryRow } | { ok: false; problems: RegistryProblem[] };

/** Whatever csv-parse makes of a line: column name → raw text. */
export type RegistryRecord = Readonly<Record<string, string | undefined>>;

// Longer than any real name; bounds what a hostile file can make us store.
const MAX_NAME = 100;
// Below this a year can only be Solar Hijri (1700 SH is in 2321 AD; 1700 AD is far before any pupil).
const SOLAR_HIJRI_BEFORE = 1700;

export type HeaderCheck = { missing: string[]; unknown: string[]; duplicated: string[] };

/** Compares a header with the known columns (names already trimmed and lower-cased). */
export function checkRegistryHeader(columns: readonly string[]): HeaderCheck {
  const known: readonly string[] = [...REGISTRY_REQUIRED_COLUMNS, ...REGISTRY_OPTIONAL_COLUMNS];
  return {
    missing: REGISTRY_REQUIRED_COLUMNS.filter((column) => !columns.includes(column)),
    // Refused rather than ignored: a misspelt optional column would otherwise be dropped silently.
    unknown: columns.filter((column) => !known.includes(column)),
    duplicated: duplicatedColumns(columns),
  };
}

export function parseRegistryRow(record: RegistryRecord, profile: Profile): RegistryRowResult {
  const problems: RegistryProblem[] = [];
  const problem = (field: RegistryColumn, code: RegistryProblemCode) => {
    problems.push({ field, code });
  };

  const id = parseNationalId(record.national_id ?? '', profile);
  if (!id.ok) problem('national_id', id.code);
  const firstName = name(record.first_name, 'first_name', problem);
  const lastName = name(record.last_name, 'last_name', problem);

  const dateText = record.birth_date?.trim() ?? '';
  const date = dateText === '' ? undefined : parseBirthDate(dateText);
  if (dateText === '') problem('birth_date', 'date.required');
  else if (date === undefined) problem('birth_date', 'date.invalid');

  const serialText = normalizeDigitString(record.birth_certificate_serial ?? '');
  if (serialText !== '' && !/^[0-9]{6}$/.test(serialText)) problem('birth_certificate_serial', 'serial.invalid');

  const genderText = (record.gender ?? '').trim().toLowerCase();
  if (genderText !== '' && genderText !== 'female' && genderText !== 'male') problem('gender', 'gender.invalid');

  if (!id.ok || problems.length > 0 || date === undefined) return { ok: false, problems };
  return {
    ok: true,
    value: {
      nationalId: id.value,
      firstName,
      lastName,
      birthDate: date,
      serial: serialText === '' ? undefined : serialText,
      gender: genderText === 'female' || genderText === 'male' ? genderText : undefined,
    },
  };
}

function name(raw: string | undefined, field: 'first_name' | 'last_name', problem: (field: RegistryColumn, code: RegistryProblemCode) => void): string {
  const text = normalizeText(raw ?? '');
  if (text === '') problem(field, 'name.required');
  else if (text.length > MAX_NAME) problem(field, 'name.too_long');
  return text;
}

function parseBirthDate(text: string): IsoDate | undefined {
  const parts = readDateParts(text);
  if (parts === undefined) return undefined;
  const result = parts.year < SOLAR_HIJRI_BEFORE ? parseSolarHijri(text) : parseGregorian(text);
  return result.ok ? result.value : undefined;
}
