import { stripInvisibles, toLatinDigits } from './digits.ts';
import { fail, ok } from './result.ts';
import type { Result } from './result.ts';

export type EmailError = 'email.required' | 'email.invalid';

// RFC 5321 limits: a path holds at most 254 characters, a local part 64.
const MAX_LENGTH = 254;
const MAX_LOCAL = 64;

// The HTML spec's "valid e-mail address" (a willful violation of RFC 5322 that matches
// what people actually use), with a dot required in the domain: intranet hosts receive no
// mail from us. https://html.spec.whatwg.org/multipage/input.html#valid-e-mail-address
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const EMAIL = new RegExp(`^[a-z0-9.!#$%&'*+/=?^_\`{|}~-]+@${LABEL}(?:\\.${LABEL})+$`);

/**
 * Returns the address lowercased as a whole. Local parts are case-sensitive in theory, but
 * no provider we send to treats them so, and one account per address needs one spelling.
 */
export function parseEmail(input: string): Result<string, EmailError> {
  // Persian keyboards type Persian digits; addresses only ever hold ASCII ones.
  const email = toLatinDigits(stripInvisibles(input)).trim().toLowerCase();
  if (email === '') return fail('email.required');
  if (email.length > MAX_LENGTH || !EMAIL.test(email)) return fail('email.invalid');
  const local = email.slice(0, email.indexOf('@'));
  // Dot-atom: mail servers refuse leading, trailing or doubled dots in the local part.
  if (local.length > MAX_LOCAL || local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
    return fail('email.invalid');
  }
  return ok(email);
}
