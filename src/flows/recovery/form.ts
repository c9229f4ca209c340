/** Password recovery: each state's form model, drawn alike by the pages and the JSON API. */
import { IDENTIFICATION_QUESTIONS } from '../../domain/identification-answer.ts';
import type { Profile } from '../../domain/profile.ts';
import type { CodePolicy } from '../../identity/codes.ts';
import { actionsField, field, goodUntil, resendAction, secondsUntil, type Field, type FormModel } from '../form.ts';
import type { TextKey } from '../../i18n/catalogs.ts';
import { asksSerial, LINK_MINUTES, type RecoveryFlow, type RecoveryState } from './machine.ts';

/** Each state's name, which its page's title carries before the flow's (issue 14 §3). */
export const recoveryStepTitles: Record<RecoveryState, TextKey> = {
  identify: 'step.recovery.identify', verify: 'step.recovery.verify', identify_email: 'step.recovery.identify_email',
  link_sent: 'step.recovery.link_sent', new_password: 'step.recovery.new_password', done: 'step.recovery.done',
};

const newPasswordFields = (): Field[] => [
  field('password', 'password', 'recovery.new_password', { autocomplete: 'new-password', maxLength: 1024 }),
  field('repeat', 'password', 'registration.repeat', { autocomplete: 'new-password', maxLength: 1024 }),
];

/** `now` and the code policy: how long the code stays good and a resend waits (the same whether or not anything matched). */
export function recoveryForm(flow: RecoveryFlow, profile: Profile, now: Date, codes: CodePolicy): FormModel {
  const v = flow.data.values;
  switch (flow.state) {
    case 'identify':
      return {
        fields: [
          field('nationalId', 'text', 'registration.national_id', { value: v.nationalId, inputMode: 'numeric', autocomplete: 'username', maxLength: 20 }),
          ...(asksSerial(profile)
            ? [
              field('serial', 'text', 'recovery.serial', { inputMode: 'numeric', autocomplete: 'off', maxLength: 12 }),
              field('mobile', 'tel', 'recovery.mobile', { value: v.mobile, inputMode: 'tel', autocomplete: 'tel', maxLength: 20 }),
            ]
            : [
              // The question chosen when the password was set (F19), and its answer: never shown for an ID, so nothing tells who chose which.
              field('question', 'select', 'set_password.question', {
                value: v.question ?? '',
                options: [{ value: '', label: 'profile.choose' }, ...IDENTIFICATION_QUESTIONS.map((q) => ({ value: q, label: `set_password.question_${q}` as const }))],
              }),
              field('answer', 'text', 'set_password.answer', { autocomplete: 'off', maxLength: 800 }),
            ]),
          field('captcha', 'captcha', 'registration.captcha'),
          actionsField([{ value: 'submit', label: 'common.confirm', available: true }, { value: 'use_email', label: 'recovery.use_email', available: true }]),
        ],
        messages: [{ kind: 'info', code: asksSerial(profile) ? 'recovery.intro' : 'recovery.intro_answer' }],
      };
    case 'verify':
      return {
        fields: [
          field('code', 'text', 'recovery.code', {
            inputMode: 'numeric', autocomplete: 'one-time-code', maxLength: 12, ...(flow.data.codeSentAt ? { expiresAt: goodUntil(flow.data.codeSentAt, codes.lifetimeMinutes)! } : {}),
          }),
          ...newPasswordFields(),
          actionsField([
            { value: 'verify', label: 'common.save', available: true },
            resendAction('resend', 'recovery.resend', secondsUntil(flow.data.codeSentAt, codes.cooldownSeconds, now)),
          ]),
        ],
        messages: [{ kind: 'info', code: 'recovery.code_sent' }],
      };
    case 'identify_email':
      return {
        fields: [
          field('identifier', 'text', 'sign_in.identifier', { value: v.identifier ?? '', autocomplete: 'username', maxLength: 64 }),
          field('email', 'email', 'registration.email', { value: v.email ?? '', inputMode: 'email', autocomplete: 'email', maxLength: 254 }),
          field('captcha', 'captcha', 'registration.captcha'),
          actionsField([{ value: 'send_link', label: 'recovery.send_link', available: true }, { value: 'use_mobile', label: 'recovery.use_mobile', available: true }]),
        ],
        messages: [{ kind: 'info', code: 'recovery.intro_email' }],
      };
    case 'link_sent':
      return {
        // The link's token, for apps that drive this flow through the API (a browser opens the link itself).
        fields: [
          field('token', 'text', 'recovery.link_token', { required: false, autocomplete: 'off', maxLength: 100, ...(flow.data.linkSentAt ? { expiresAt: goodUntil(flow.data.linkSentAt, LINK_MINUTES)!, expiredText: 'recovery.link_expired' as const } : {}) }),
          actionsField([
            { value: 'open', label: 'recovery.open_link', available: true },
            resendAction('resend_link', 'recovery.resend_link', secondsUntil(flow.data.linkSentAt, codes.cooldownSeconds, now)),
          ]),
        ],
        messages: [{ kind: 'info', code: 'recovery.link_sent' }],
      };
    case 'new_password':
      return { fields: [...newPasswordFields(), actionsField([{ value: 'save', label: 'common.save', available: true }])], messages: [{ kind: 'info', code: 'recovery.choose_password' }] };
    case 'done':
      return { fields: [], messages: [{ kind: 'success', code: 'recovery.done' }] };
  }
}
