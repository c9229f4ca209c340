import { isCommonPassword } from './common-passwords.ts';
import { normalizeDigitString, toLatinDigits } from './digits.ts';
import { normalizeSecret } from './secret-text.ts';

export type PasswordPolicy = {
  minLength: number;
  maxLength: number;
  requireUpper: boolean;
  requireLower: boolean;
  requireDigit: boolean;
  requireSymbol: boolean;
};

export const defaultPasswordPolicy: PasswordPolicy = {
  minLength: 8,
  maxLength: 128,
  requireUpper: true,
  requireLower: true,
  requireDigit: true,
  requireSymbol: true,
};

/** An i18n key; the caller knows the policy, so it can add the limits to the message. */
export type PasswordProblem =
  | 'password.required'
  | 'password.too_short'
  | 'password.too_long'
  | 'password.needs_upper'
  | 'password.needs_lower'
  | 'password.needs_digit'
  | 'password.needs_symbol'
  | 'password.common'
  | 'password.contains_identity';

export type PasswordContext = { nationalId?: string; userCode?: string };

// Character classes, over Unicode so that Persian and Hebrew passwords are judged fairly:
// a digit is any decimal digit (\p{Nd}: ASCII, Persian, Arabic-Indic…); a symbol is any
// punctuation or symbol character (\p{P}, \p{S}). Letters without case (Persian, Hebrew)
// count toward neither upper nor lower; spaces, marks and other numbers toward nothing.
const UPPER = /\p{Lu}|\p{Lt}/u;
const LOWER = /\p{Ll}/u;
const DIGIT = /\p{Nd}/u;
const SYMBOL = /[\p{P}\p{S}]/u;

// An ID this short (a school-issued pupil number) would match by chance inside many
// passwords, so only an exact match counts.
const MIN_ID_INSIDE = 5;

/**
 * Every way the password breaks the policy, in a stable order; empty when it is acceptable.
 * The password is judged as it is hashed, normalized (secret-text.ts): length counts code
 * points after that, so "é" typed either way counts once.
 */
export function checkPassword(password: string, policy: PasswordPolicy, context: PasswordContext): PasswordProblem[] {
  if (password === '') return ['password.required'];
  // A code point takes at most two code units and NFC composes at most four code points
  // into one, so input over 8× the limit is too long in any form: refuse it before any work.
  if (password.length > policy.maxLength * 8) return ['password.too_long'];

  const pw = normalizeSecret(password);
  const length = codePointCount(pw);
  const problems: PasswordProblem[] = [];
  if (length < policy.minLength) problems.push('password.too_short');
  if (length > policy.maxLength) problems.push('password.too_long');
  if (policy.requireUpper && !UPPER.test(pw)) problems.push('password.needs_upper');
  if (policy.requireLower && !LOWER.test(pw)) problems.push('password.needs_lower');
  if (policy.requireDigit && !DIGIT.test(pw)) problems.push('password.needs_digit');
  if (policy.requireSymbol && !SYMBOL.test(pw)) problems.push('password.needs_symbol');
  if (isCommonPassword(pw)) problems.push('password.common');
  if (containsIdentity(pw, context)) problems.push('password.contains_identity');
  return problems;
}

// The national ID and user code are printed on school lists: a password built from them
// is known to everyone in the office.
function containsIdentity(password: string, context: PasswordContext): boolean {
  const pw = toLatinDigits(password).toLowerCase();
  const code = context.userCode === undefined ? '' : normalizeDigitString(context.userCode).toLowerCase();
  if (code !== '' && pw === code) return true;
  const id = context.nationalId === undefined ? '' : normalizeDigitString(context.nationalId).toLowerCase();
  if (id === '') return false;
  // People drop the leading zeros of padded IDs, so look for the significant part.
  const core = id.replace(/^0+(?=.)/, '');
  return core.length >= MIN_ID_INSIDE ? pw.includes(core) : pw === id || pw === core;
}

function codePointCount(s: string): number {
  let count = 0;
  for (const _ of s) count++;
  return count;
}
