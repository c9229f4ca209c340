import { normalizeDigitString } from './digits.ts';
import type { Profile } from './profile.ts';
import { fail, ok } from './result.ts';
import type { Result } from './result.ts';

export type NationalIdError = 'national_id.required' | 'national_id.format' | 'national_id.checksum';

/**
 * Reads a national ID as people type it (Persian digits, spaces, dashes, dropped leading
 * zeros) and returns its canonical form: 10 digits in Iran, 9 in Israel.
 */
export function parseNationalId(input: string, profile: Profile): Result<string, NationalIdError> {
  const digits = normalizeDigitString(input);
  if (digits === '') return fail('national_id.required');
  if (!/^[0-9]+$/.test(digits)) return fail('national_id.format');
  return profile === 'ir' ? parseIranian(digits) : parseIsraeli(digits);
}

export function isValidNationalId(input: string, profile: Profile): boolean {
  return parseNationalId(input, profile).ok;
}

// Iranian codes lose leading zeros in spreadsheets, so 8 and 9 digits are accepted and padded.
function parseIranian(digits: string): Result<string, NationalIdError> {
  if (digits.length < 8 || digits.length > 10) return fail('national_id.format');
  const id = digits.padStart(10, '0');
  // Ten equal digits pass the checksum but are never issued; neither is a zero serial.
  if (/^(\d)\1{9}$/.test(id) || id.slice(3, 9) === '000000') return fail('national_id.checksum');
  if (nationalIdCheckDigit(id.slice(0, 9)) !== Number(id[9])) return fail('national_id.checksum');
  return ok(id);
}

function parseIsraeli(digits: string): Result<string, NationalIdError> {
  if (digits.length > 9) return fail('national_id.format');
  const id = digits.padStart(9, '0');
  if (id === '000000000') return fail('national_id.checksum');
  if (luhnSum(id) % 10 !== 0) return fail('national_id.checksum');
  return ok(id);
}

/** The Iranian check digit for the first nine digits: Σ d[i]·(10−i) mod 11, r < 2 ? r : 11 − r. */
export function nationalIdCheckDigit(first9: string): number {
  assertDigits(first9, 9);
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(first9[i]) * (10 - i);
  const r = sum % 11;
  return r < 2 ? r : 11 - r;
}

/** The Israeli check digit that makes `first8 + digit` pass the weighted 1,2,1,2… sum. */
export function ilCheckDigit(first8: string): number {
  assertDigits(first8, 8);
  return (10 - (luhnSum(first8 + '0') % 10)) % 10;
}

// Weights 1,2,1,2… from the left, summing the digits of each product (the Luhn scheme).
function luhnSum(id: string): number {
  let sum = 0;
  for (let i = 0; i < id.length; i++) {
    const product = Number(id[i]) * (i % 2 === 0 ? 1 : 2);
    sum += product > 9 ? product - 9 : product;
  }
  return sum;
}

// Programmer error (generators pass fixed-length prefixes), so it throws instead of returning a code.
function assertDigits(s: string, length: number): void {
  if (s.length !== length || !/^[0-9]+$/.test(s)) {
    throw new RangeError(`expected ${length} ASCII digits, got ${JSON.stringify(s)}`);
  }
}
