/** One-time-code sign-in: each state's form model, drawn alike by the pages and the JSON API. */
import type { CodePolicy } from '../../identity/codes.ts';
import { actionsField, field, goodUntil, resendAction, secondsUntil, type FormModel } from '../form.ts';
import type { TextKey } from '../../i18n/catalogs.ts';
import type { OtpLoginFlow, OtpLoginState } from './machine.ts';

/** Each state's name, which its page's title carries before the flow's (issue 14 §3). */
export const otpLoginStepTitles: Record<OtpLoginState, TextKey> = {
  identify: 'step.otp_login.identify', verify: 'step.otp_login.verify', done: 'step.otp_login.done',
};

/** `now` and the code policy: how long the code stays good and a resend waits, the same whether or not anything matched. */
export function otpLoginForm(flow: OtpLoginFlow, now: Date, codes: CodePolicy): FormModel {
  const { data } = flow;
  switch (flow.state) {
    case 'identify': {
      // Back from verify (another identifier to type): the flow's last code still sets the wait.
      const wait = secondsUntil(data.codeSentAt, codes.cooldownSeconds, now);
      return {
        fields: [
          field('identifier', 'text', 'sign_in.identifier', { value: data.identifier, autocomplete: 'username', maxLength: 64 }),
          actionsField([resendAction('send_sms', 'otp.send_sms', wait), resendAction('send_call', 'otp.send_call', wait)]),
        ],
        messages: [{ kind: 'info', code: 'otp.intro' }],
      };
    }
    case 'verify': {
      const wait = secondsUntil(data.codeSentAt, codes.cooldownSeconds, now);
      const until = goodUntil(data.codeSentAt, codes.lifetimeMinutes);
      return {
        fields: [
          field('code', 'text', 'otp.code', { inputMode: 'numeric', autocomplete: 'one-time-code', maxLength: 12, ...(until ? { expiresAt: until } : {}) }),
          actionsField([
            { value: 'verify', label: 'sign_in.submit', available: true },
            resendAction('send_sms', 'otp.resend_sms', wait),
            resendAction('send_call', 'otp.resend_call', wait),
            { value: 'edit', label: 'otp.edit', available: true },
          ]),
        ],
        messages: [{ kind: 'info', code: data.channel === 'call' ? 'otp.code_called' : 'otp.code_sent' }],
      };
    }
    case 'done':
      return { fields: [], messages: [{ kind: 'success', code: 'sign_in.done' }] };
  }
}
