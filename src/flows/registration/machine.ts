/**
 * Registration (F6–F16), the pure part: its states, what each accepts, and the validation of
 * the form (F8: every error at once, every value kept but the passwords). No I/O here: the
 * registry, the duplicate check, the captcha, the codes and the account live in steps.ts.
 *
 *   rules ──accept──▶ details ──valid──▶ verify ──both codes──▶ done
 *                        ▲                  │
 *                        └──────edit────────┘
 */
import type { Locale } from '../../config.ts';
import { nameKey, normalizeDigitString, normalizeText } from '../../domain/digits.ts';
import { fail, ok, type Result } from '../../domain/result.ts';
import { parseEmail } from '../../domain/email.ts';
import { parseNationalId } from '../../domain/national-id.ts';
import { normalizeSecret } from '../../domain/secret-text.ts';
import { checkPassword, type PasswordPolicy } from '../../domain/password-policy.ts';
import { parseMobile } from '../../domain/phone.ts';
import type { Profile } from '../../domain/profile.ts';
import { isCountryCode } from '../../i18n/countries.ts';
import { formattingFor, parseDate } from '../../i18n/format.ts';
import type { Flow, FieldErrors } from '../flow.ts';

export type RegistrationState = 'rules' | 'details' | 'verify' | 'done';

/** What the person typed, kept to redraw the form (never the passwords). */
export type DetailValues = Record<'nationality' | 'firstName' | 'lastName' | 'nationalId' | 'passportNumber' | 'passportCountry' | 'birthDate' | 'mobile' | 'email', string>;

export type Details = {
  firstName: string; lastName: string; birthDate: string; mobile: string; email: string;
  /** A citizen's national ID, or a non-citizen's passport (F15): exactly one of the two. */
  nationalId: string | null;
  passport: { number: string; country: string } | null;
};

export type RegistrationData = {
  locale: Locale;
  /** Started from the English page for non-citizens: a passport instead of a national ID. */
  international?: boolean;
  values: DetailValues;
  /** Set once the details are valid: the normalized details and the argon2id hash of the password. */
  details?: Details;
  passwordHash?: string;
  /** The registry does not hold the person and the deployment accepts them for review. */
  selfDeclared?: boolean;
  mobileMethod?: 'sms' | 'call';
  /** When the last mobile and email codes were sent (ISO): the form's cooldowns and expiry times. */
  mobileSentAt?: string;
  emailSentAt?: string;
  username?: string;
  /** Where the person was going when they came to register (an app's sign-in): offered again when done. */
  returnTo?: string;
};

export type RegistrationFlow = Flow<'registration', RegistrationState, RegistrationData>;

export const emptyValues: DetailValues = { nationality: 'citizen', firstName: '', lastName: '', nationalId: '', passportNumber: '', passportCountry: '', birthDate: '', mobile: '', email: '' };

export const NAME_MAX = 100;

export type DetailsInput = DetailValues & { password: string; repeat: string };

/** Validates the details form; all problems at once, in the order of the form. */
export function validateDetails(
  input: DetailsInput, context: { profile: Profile; locale: Locale; policy: PasswordPolicy; international: boolean },
): { ok: true; details: Details } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = [];
  const expected = context.international ? 'foreign' : 'citizen';
  if (input.nationality !== expected) errors.push({ code: context.international ? 'nationality.use_citizen_page' : 'nationality.use_english_page', field: 'nationality' });
  const firstName = normalizeText(input.firstName);
  const lastName = normalizeText(input.lastName);
  if (firstName === '') errors.push({ code: 'first_name.required', field: 'firstName' });
  else if ([...firstName].length > NAME_MAX) errors.push({ code: 'error.field_too_long', field: 'firstName' });
  if (lastName === '') errors.push({ code: 'last_name.required', field: 'lastName' });
  else if ([...lastName].length > NAME_MAX) errors.push({ code: 'error.field_too_long', field: 'lastName' });
  const nationalId = context.international ? ok(null) : parseNationalId(input.nationalId, context.profile);
  if (!nationalId.ok) errors.push({ code: nationalId.code, field: 'nationalId' });
  const passport = context.international ? parsePassport(input.passportNumber, input.passportCountry) : ok(null);
  if (!passport.ok) errors.push({ code: passport.code, field: passport.code === 'passport.country_invalid' ? 'passportCountry' : 'passportNumber' });
  // In the flow's date format (src/i18n/format.ts); a non-citizen's flow is English throughout.
  const birthDate = input.birthDate.trim() === '' ? ({ ok: false, code: 'birth_date.required' } as const) : parseDate(input.birthDate, formattingFor(context.locale, context.profile));
  if (!birthDate.ok) errors.push({ code: birthDate.code, field: 'birthDate' });
  const mobile = parseMobile(input.mobile, context.profile);
  if (!mobile.ok) errors.push({ code: mobile.code, field: 'mobile' });
  const email = parseEmail(input.email);
  if (!email.ok) errors.push({ code: email.code, field: 'email' });
  const identity = nationalId.ok && nationalId.value !== null ? { nationalId: nationalId.value } : {};
  for (const problem of checkPassword(input.password, context.policy, identity)) errors.push({ code: problem, field: 'password', params: { min: context.policy.minLength, max: context.policy.maxLength } });
  if (normalizeSecret(input.repeat) !== normalizeSecret(input.password)) errors.push({ code: 'password.mismatch', field: 'repeat' });
  if (errors.length > 0 || !nationalId.ok || !passport.ok || !birthDate.ok || !mobile.ok || !email.ok) return { ok: false, errors };
  return { ok: true, details: { firstName, lastName, nationalId: nationalId.value, passport: passport.value, birthDate: birthDate.value, mobile: mobile.value, email: email.value } };
}

export type PassportError = 'passport.required' | 'passport.invalid' | 'passport.country_invalid';

/** A passport number (letters and digits, 5–20) and its issuing country (an alpha-2 code of src/i18n/countries.ts). */
export function parsePassport(number: string, country: string): Result<{ number: string; country: string }, PassportError> {
  const compact = normalizeDigitString(number).toUpperCase();
  const code = country.trim().toUpperCase();
  if (compact === '') return fail('passport.required');
  if (!/^[A-Z0-9]{5,20}$/.test(compact)) return fail('passport.invalid');
  if (!isCountryCode(code)) return fail('passport.country_invalid');
  return ok({ number: compact, country: code });
}

/** Names compare as the registry holds them: normalized letters and spaces, nothing else. */
export function sameName(a: string, b: string): boolean {
  return nameKey(a) === nameKey(b);
}

/** The actions each state accepts; anything else is refused as `flow.action_not_allowed`. */
export const actions: Record<RegistrationState, readonly string[]> = {
  rules: ['accept'],
  details: ['submit'],
  // send_mobile_code (+ method) is the older name of send_sms and send_call, still taken.
  verify: ['send_sms', 'send_call', 'send_mobile_code', 'send_email_code', 'verify', 'edit'],
  done: [],
};
