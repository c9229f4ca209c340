/** Password recovery: each state's form model, drawn alike by the pages and the JSON API. */
import type { Profile } from '../../domain/profile.ts';
import type { CodePolicy } from '../../identity/codes.ts';
import { actionsField, field, goodUntil, oneAction, resendAction, secondsUntil, type FormModel } from '../form.ts';
import { asksSerial, type RecoveryFlow } from './machine.ts';

/** `now` and the code policy: how long the code stays good and a resend waits (the same whether or not anything matched). */
export function recoveryForm(flow: RecoveryFlow, profile: Profile, now: Date, codes: CodePolicy): FormModel {
  const v = flow.data.values;
  switch (flow.state) {
    case 'identify':
      return {
        fields: [
          field('nationalId', 'text', 'registration.national_id', { value: v.nationalId, inputMode: 'numeric', autocomplete: 'username', maxLength: 20 }),
          ...(asksSerial(profile) ? [field('serial', 'text', 'recovery.serial', { inputMode: 'numeric', autocomplete: 'off', maxLength: 12 })] : []),
          field('mobile', 'tel', 'recovery.mobile', { value: v.mobile, inputMode: 'tel', autocomplete: 'tel', maxLength: 20 }),
          field('captcha', 'captcha', 'registration.captcha'),
          oneAction('submit', 'common.confirm'),
        ],
        messages: [{ kind: 'info', code: asksSerial(profile) ? 'recovery.intro' : 'recovery.intro_no_serial' }],
      };
    case 'verify':
      return {
        fields: [
          field('code', 'text', 'recovery.code', {
            inputMode: 'numeric', autocomplete: 'one-time-code', maxLength: 12, ...(flow.data.codeSentAt ? { expiresAt: goodUntil(flow.data.codeSentAt, codes.lifetimeMinutes)! } : {}),
          }),
          field('password', 'password', 'recovery.new_password', { autocomplete: 'new-password', maxLength: 1024 }),
          field('repeat', 'password', 'registration.repeat', { autocomplete: 'new-password', maxLength: 1024 }),
          actionsField([
            { value: 'verify', label: 'common.save', available: true },
            resendAction('resend', 'recovery.resend', secondsUntil(flow.data.codeSentAt, codes.cooldownSeconds, now)),
          ]),
        ],
        messages: [{ kind: 'info', code: 'recovery.code_sent' }],
      };
    case 'done':
      return { fields: [], messages: [{ kind: 'success', code: 'recovery.done' }] };
  }
}
