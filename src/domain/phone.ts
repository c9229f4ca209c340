import { createRequire } from 'node:module';
import type { CountryCode } from 'libphonenumber-js/max';
import { normalizeDigitString } from './digits.ts';
import type { Profile } from './profile.ts';
import { fail, ok } from './result.ts';
import type { Result } from './result.ts';

export type MobileError = 'mobile.required' | 'mobile.invalid';

const COUNTRY: Record<Profile, CountryCode> = { ir: 'IR', il: 'IL' };

type PhoneLibrary = typeof import('libphonenumber-js/max');
let library: PhoneLibrary | undefined;
/**
 * libphonenumber with its `max` metadata, loaded at the first number read rather than at start
 * (~2.3 MB of heap and its code): a process that only signs people in never needs it.
 */
const phones = (): PhoneLibrary => (library ??= createRequire(import.meta.url)('libphonenumber-js/max') as PhoneLibrary);

// Longer input is never a phone number; refusing it early bounds the work done on it.
const MAX_INPUT = 32;

/**
 * Reads a mobile number in any usual national or international form and returns it as E.164.
 * Only mobiles of the profile's own country pass: codes are sent by SMS through a national
 * provider, and a landline cannot receive them. The `max` metadata is needed to tell
 * mobiles from landlines.
 */
export function parseMobile(input: string, profile: Profile): Result<string, MobileError> {
  const text = normalizeDigitString(input);
  if (text === '') return fail('mobile.required');
  if (text.length > MAX_INPUT) return fail('mobile.invalid');
  const country = COUNTRY[profile];
  // extract: false refuses numbers buried in other text ("call 0912…").
  const number = phones().parsePhoneNumberFromString(text, { defaultCountry: country, extract: false });
  if (number === undefined || number.ext !== undefined) return fail('mobile.invalid');
  if (number.country !== country || !number.isValid()) return fail('mobile.invalid');
  if (number.getType() !== 'MOBILE') return fail('mobile.invalid');
  return ok(number.number);
}

/** `+989121234567` → `0912 123 4567`; input that is not a phone number is returned unchanged. */
export function formatMobileNational(e164: string): string {
  return phones().parsePhoneNumberFromString(e164)?.formatNational() ?? e164;
}

/**
 * Hides three digits before the last four: `+989121234567` → `0912***4567`, enough for the
 * owner to recognise their number in a message without showing it to others.
 */
export function maskMobile(e164: string): string {
  const national = formatMobileNational(e164).replace(/[^0-9]/g, '');
  if (national.length < 8) return '*'.repeat(national.length);
  return national.slice(0, -7) + '***' + national.slice(-4);
}
