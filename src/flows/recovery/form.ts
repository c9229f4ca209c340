/** Password recovery: each state's form model, drawn alike by the pages and the JSON API. */
import type { Profile } from '../../domain/profile.ts';
import { field, type FormModel } from '../form.ts';
import { asksSerial, type RecoveryFlow } from './machine.ts';

export function recoveryForm(flow: RecoveryFlow, profile: Profile): FormModel {
  const v = flow.data.values;
  switch (flow.state) {
    case 'identify':
      return {
        fields: [
          field('nationalId', 'text', 'registration.national_id', { value: v.nationalId, inputMode: 'numeric', autocomplete: 'username', maxLength: 20 }),
          ...(asksSerial(profile) ? [field('serial', 'text', 'recovery.serial', { inputMode: 'numeric', autocomplete: 'off', maxLength: 12 })] : []),
          field('mobile', 'tel', 'recovery.mobile', { value: v.mobile, inputMode: 'tel', autocomplete: 'tel', maxLength: 20 }),
          field('captcha', 'captcha', 'registration.captcha'),
        ],
        messages: [{ kind: 'info', code: asksSerial(profile) ? 'recovery.intro' : 'recovery.intro_no_serial' }],
        submit: 'common.confirm',
      };
    case 'verify':
      return {
        fields: [
          field('code', 'text', 'recovery.code', { inputMode: 'numeric', autocomplete: 'one-time-code', maxLength: 12 }),
          field('password', 'password', 'recovery.new_password', { autocomplete: 'new-password', maxLength: 1024 }),
          field('repeat', 'password', 'registration.repeat', { autocomplete: 'new-password', maxLength: 1024 }),
        ],
        messages: [{ kind: 'info', code: 'recovery.code_sent' }],
        submit: 'common.save',
      };
    case 'done':
      return { fields: [], messages: [{ kind: 'success', code: 'recovery.done' }], submit: 'sign_in.title' };
  }
}
