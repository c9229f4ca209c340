/**
 * Set password from an emailed link (F19, seed 3's wizard), the pure part: its states, what
 * each accepts, and the validation of its forms. No I/O here: the invitation, the account and
 * the messages live in steps.ts.
 *
 *   token ──the link's token──▶ identify ──the invited person's national ID──▶ choose
 *   choose ──password twice, question and answer, the link's address──▶ done
 *   choose ──another address──▶ verify_email ──its code──▶ done
 *   (any step) ──link used, expired, replaced or void──▶ link_unusable ──new_link──▶ (a new email)
 *
 * Nothing about the invited account shows before its national ID is typed: not the name, not
 * the address. A wrong national ID is told only as "does not match", with the tries left.
 */
import type { Locale } from '../../config.ts';
import { parseEmail } from '../../domain/email.ts';
import { checkAnswer, isIdentificationQuestion, type IdentificationQuestion } from '../../domain/identification-answer.ts';
import { parseNationalId } from '../../domain/national-id.ts';
import type { PasswordContext, PasswordPolicy } from '../../domain/password-policy.ts';
import type { Profile } from '../../domain/profile.ts';
import type { InvitationProblem } from '../../identity/invitations.ts';
import type { FieldErrors, Flow } from '../flow.ts';
import { validateNewPassword } from '../recovery/machine.ts';

export type SetPasswordState = 'token' | 'identify' | 'choose' | 'verify_email' | 'link_unusable' | 'done';

/** What was typed, kept to draw the form again: never a password or an answer. */
export type TypedValues = { nationalId: string; question: string; email: string };

/** The choices waiting for a new address's code: hashes only (as registration keeps its password's). */
export type PendingChoice = { passwordHash: string; question: IdentificationQuestion; answerHash: string; email: string; codeSentAt: string };

export type SetPasswordData = {
  locale: Locale;
  values: TypedValues;
  /** The invitation the link names (never its token). */
  invitationId?: string;
  /** The national ID matched: the address the link went to, which the link proved. */
  linkEmail?: string;
  pending?: PendingChoice;
  /** Why the link no longer works. */
  problem?: InvitationProblem;
  /** When this flow last asked for a new link (the button waits a minute). */
  newLinkAt?: string;
  /** Done: the permanent user code, shown and emailed. */
  userCode?: string;
};

export type SetPasswordFlow = Flow<'set-password', SetPasswordState, SetPasswordData>;

/** The actions each state accepts (the buttons its form offers); anything else is `flow.action_not_allowed`. */
export const actions: Record<SetPasswordState, readonly string[]> = {
  token: ['submit'],
  identify: ['confirm'],
  choose: ['save'],
  verify_email: ['verify', 'resend', 'edit'],
  link_unusable: ['new_link'],
  done: [],
};

/** A person may paste the whole link instead of its token: the `token` parameter is taken from it. */
export function tokenFrom(input: string): string {
  const text = input.trim();
  const match = /[?&]token=([^&#\s]*)/.exec(text);
  return match ? match[1]! : text;
}

export function validateNationalId(input: string, profile: Profile): { ok: true; nationalId: string } | { ok: false; errors: FieldErrors } {
  const parsed = parseNationalId(input, profile);
  return parsed.ok ? { ok: true, nationalId: parsed.value } : { ok: false, errors: [{ code: parsed.code, field: 'nationalId' }] };
}

export type Choice = { password: string; question: IdentificationQuestion; answer: string; email: string };

/** The choose-password form: every problem at once, each beside its field. */
export function validateChoice(
  input: Record<string, string | undefined>, policy: PasswordPolicy, context: PasswordContext,
): { ok: true; choice: Choice } | { ok: false; errors: FieldErrors } {
  const password = input.password ?? '';
  const errors: FieldErrors = validateNewPassword(password, input.repeat ?? '', policy, context);
  const question = input.question ?? '';
  if (!isIdentificationQuestion(question)) errors.push({ code: 'set_password.question_required', field: 'question' });
  const answer = input.answer ?? '';
  const answerProblem = checkAnswer(answer);
  if (answerProblem) errors.push({ code: answerProblem, field: 'answer' });
  const email = parseEmail(input.email ?? '');
  if (!email.ok) errors.push({ code: email.code, field: 'email' });
  if (errors.length > 0 || !email.ok || !isIdentificationQuestion(question)) return { ok: false, errors };
  return { ok: true, choice: { password, question, answer, email: email.value } };
}
