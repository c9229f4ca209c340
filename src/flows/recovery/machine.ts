/**
 * Password recovery (F18, issue 11), the pure part: its states, what each accepts, and the
 * validation of its forms. No I/O here: the lookups, the code, the link and the new password
 * live in steps.ts. Two ways, one flow:
 *
 *   by the mobile   identify ──national ID + serial + mobile (ir) | + question + answer (il)──▶ verify ──code + new password──▶ done
 *   by email        identify_email ──national ID or user code + email──▶ link_sent ──open (the link)──▶ new_password ──▶ done
 *
 * Each first step always moves on, whether or not the details matched an account: the answer
 * never says which field was wrong, or whether anything was. A code goes only to the mobile on
 * record, a link only to an email address the person proved; non-citizens (no national ID)
 * recover by their user code and email.
 */
import type { Locale } from '../../config.ts';
import { normalizeDigitString } from '../../domain/digits.ts';
import { checkAnswer, isIdentificationQuestion, type IdentificationQuestion } from '../../domain/identification-answer.ts';
import { parseNationalId } from '../../domain/national-id.ts';
import { normalizeSecret } from '../../domain/secret-text.ts';
import { checkPassword, type PasswordContext, type PasswordPolicy } from '../../domain/password-policy.ts';
import { parseMobile } from '../../domain/phone.ts';
import type { Profile } from '../../domain/profile.ts';
import type { FieldErrors, Flow } from '../flow.ts';

export type RecoveryState = 'identify' | 'verify' | 'identify_email' | 'link_sent' | 'new_password' | 'done';

/** What the person typed, kept to redraw the form; the serial and the answer are secrets and are not kept. */
export type IdentifyValues = { nationalId: string; mobile: string; question?: string; identifier?: string; email?: string };

export type RecoveryData = {
  locale: Locale;
  values: IdentifyValues;
  /** The account the details matched, if all of them did. Never shown in any answer. */
  accountId?: string;
  /** The registered mobile (E.164) the code went to; set only with accountId. */
  mobile?: string;
  /** When the last code was (or, with no match, would have been) sent: the resend cooldown. */
  codeSentAt?: string;
  /** The mobile typed (E.164): the send limits count it on every attempt, match or not. */
  requestedMobile?: string;
  /** By email: the address typed (the send limits count it, match or not), the proven address the link went to (only with accountId), and when. */
  requestedEmail?: string;
  email?: string;
  linkSentAt?: string;
  /** Where the person was going when they came to recover (an app's sign-in): offered again when done. */
  returnTo?: string;
};

export type RecoveryFlow = Flow<'recovery', RecoveryState, RecoveryData>;

/** How long an emailed recovery link works. */
export const LINK_MINUTES = 30;

/**
 * Who the first step says the person is: the national ID, and what the profile's registry
 * lets them prove it with. Iran: the birth-certificate serial and the mobile on record. Israel
 * (no serial): the identification question chosen when the password was set (F19) and its
 * answer; the code then goes to the mobile on record.
 */
export type Identity =
  | { kind: 'serial'; nationalId: string; serial: string; mobile: string }
  | { kind: 'answer'; nationalId: string; question: IdentificationQuestion; answer: string };

/**
 * The Iranian registry holds a 6-digit birth-certificate serial (سربرگ شناسنامه); Israel has
 * no such number, so there the national ID and the mobile are asked for, and the code sent
 * to the registered mobile is the proof.
 */
export const asksSerial = (profile: Profile) => profile === 'ir';

export function validateIdentify(input: Record<string, string | undefined>, profile: Profile): { ok: true; identity: Identity } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = [];
  const nationalId = parseNationalId(input.nationalId ?? '', profile);
  if (!nationalId.ok) errors.push({ code: nationalId.code, field: 'nationalId' });
  if (!asksSerial(profile)) {
    const question = input.question ?? '';
    if (!isIdentificationQuestion(question)) errors.push({ code: 'set_password.question_required', field: 'question' });
    const answerProblem = checkAnswer(input.answer ?? '');
    if (answerProblem) errors.push({ code: answerProblem, field: 'answer' });
    if (!nationalId.ok || !isIdentificationQuestion(question) || errors.length > 0) return { ok: false, errors };
    return { ok: true, identity: { kind: 'answer', nationalId: nationalId.value, question, answer: input.answer ?? '' } };
  }
  const serial = normalizeDigitString(input.serial ?? '');
  if (serial === '') errors.push({ code: 'serial.required', field: 'serial' });
  else if (!/^[0-9]{6}$/.test(serial)) errors.push({ code: 'serial.invalid', field: 'serial' });
  const mobile = parseMobile(input.mobile ?? '', profile);
  if (!mobile.ok) errors.push({ code: mobile.code, field: 'mobile' });
  if (!nationalId.ok || !mobile.ok || errors.length > 0) return { ok: false, errors };
  return { ok: true, identity: { kind: 'serial', nationalId: nationalId.value, serial, mobile: mobile.value } };
}

/** The new password and its repeat: all problems at once. */
export function validateNewPassword(password: string, repeat: string, policy: PasswordPolicy, context: PasswordContext): FieldErrors {
  const errors: FieldErrors = checkPassword(password, policy, context)
    .map((code) => ({ code, field: 'password', params: { min: policy.minLength, max: policy.maxLength } }));
  if (normalizeSecret(repeat) !== normalizeSecret(password)) errors.push({ code: 'password.mismatch', field: 'repeat' });
  return errors;
}

/** The actions each state accepts; anything else is refused as `flow.action_not_allowed`. */
export const actions: Record<RecoveryState, readonly string[]> = {
  identify: ['submit', 'use_email'],
  verify: ['verify', 'resend'],
  identify_email: ['send_link', 'use_mobile'],
  link_sent: ['open', 'resend_link'],
  new_password: ['save'],
  done: [],
};

/** What a flow forgets when the person switches ways: nothing of a match, a code or a link. */
export const forgetMatch = ({ accountId: _a, mobile: _m, codeSentAt: _c, requestedMobile: _r, requestedEmail: _re, email: _e, linkSentAt: _l, ...rest }: RecoveryData): RecoveryData => rest;
