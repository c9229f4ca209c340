/** Set password: each state's form model, drawn alike by the pages (seed 3's wizard) and the JSON API. */
import { IDENTIFICATION_QUESTIONS } from '../../domain/identification-answer.ts';
import type { CodePolicy } from '../../identity/codes.ts';
import type { InvitationProblem } from '../../identity/invitations.ts';
import type { TextKey } from '../../i18n/catalogs.ts';
import { actionsField, field, goodUntil, oneAction, resendAction, secondsUntil, type FormModel, type Message } from '../form.ts';
import type { SetPasswordFlow, SetPasswordState } from './machine.ts';

/** Each state's name, which its page's title carries before the flow's (issue 14 §3). */
export const setPasswordStepTitles: Record<SetPasswordState, TextKey> = {
  token: 'step.set_password.token', identify: 'step.set_password.identify', choose: 'step.set_password.choose',
  verify_email: 'step.set_password.verify_email', link_unusable: 'step.set_password.link_unusable', done: 'step.set_password.done',
};

/** A dead link's new link may be asked for again after this long (and the account's hourly limit). */
export const NEW_LINK_COOLDOWN_SECONDS = 60;

const problemText: Record<InvitationProblem, TextKey> = {
  used: 'set_password.link_used',
  expired: 'set_password.link_expired',
  replaced: 'set_password.link_replaced',
  wrong_ids: 'set_password.link_wrong_ids',
  password_changed: 'set_password.link_password_changed',
};

/** `policyUrl`: the password policy's page, which the choose step links (seed 3: «למדיניות הסיסמה לחצו על»). */
export function setPasswordForm(flow: SetPasswordFlow, now: Date, codes: CodePolicy, policyUrl: string): FormModel {
  const v = flow.data.values;
  switch (flow.state) {
    case 'token':
      return {
        fields: [field('token', 'text', 'set_password.token', { autocomplete: 'off', maxLength: 2048 }), oneAction('submit', 'common.confirm')],
        messages: [{ kind: 'info', code: 'set_password.token_intro' }],
      };
    case 'identify':
      return {
        fields: [
          field('nationalId', 'text', 'set_password.your_id', { value: v.nationalId, inputMode: 'numeric', autocomplete: 'off', maxLength: 20 }),
          oneAction('confirm', 'common.confirm'),
        ],
        messages: [{ kind: 'info', code: 'set_password.identify_intro' }],
      };
    case 'choose':
      return {
        fields: [
          field('password', 'password', 'set_password.new_password', { autocomplete: 'new-password', maxLength: 1024 }),
          field('repeat', 'password', 'registration.repeat', { autocomplete: 'new-password', maxLength: 1024 }),
          field('question', 'select', 'set_password.question', {
            value: v.question,
            options: [{ value: '', label: 'profile.choose' }, ...IDENTIFICATION_QUESTIONS.map((q) => ({ value: q, label: `set_password.question_${q}` as const }))],
          }),
          field('answer', 'text', 'set_password.answer', { autocomplete: 'off', maxLength: 200 }),
          field('email', 'email', 'registration.email', { value: v.email, inputMode: 'email', autocomplete: 'email', maxLength: 254 }),
          oneAction('save', 'common.save'),
        ],
        messages: [{ kind: 'info', code: 'set_password.choose_intro' }, { kind: 'info', code: 'set_password.policy', params: { url: policyUrl } }],
      };
    case 'verify_email': {
      const sentAt = flow.data.pending?.codeSentAt;
      return {
        fields: [
          field('code', 'text', 'set_password.email_code', { inputMode: 'numeric', autocomplete: 'one-time-code', maxLength: 12, ...(sentAt ? { expiresAt: goodUntil(sentAt, codes.lifetimeMinutes)! } : {}) }),
          actionsField([
            { value: 'verify', label: 'common.save', available: true },
            resendAction('resend', 'set_password.resend_code', secondsUntil(sentAt, codes.cooldownSeconds, now)),
            { value: 'edit', label: 'set_password.change_email', available: true },
          ]),
        ],
        messages: [{ kind: 'info', code: 'set_password.email_code_sent', params: { email: flow.data.pending?.email ?? '' } }],
      };
    }
    case 'link_unusable': {
      const messages: Message[] = [{ kind: 'error', code: problemText[flow.data.problem ?? 'expired'] }];
      if (flow.data.newLinkAt !== undefined) messages.push({ kind: 'success', code: 'set_password.new_link_sent' });
      return {
        fields: [actionsField([resendAction('new_link', 'set_password.new_link', secondsUntil(flow.data.newLinkAt, NEW_LINK_COOLDOWN_SECONDS, now))])],
        messages,
      };
    }
    case 'done':
      return {
        fields: [],
        messages: [
          { kind: 'success', code: 'set_password.saved' },
          { kind: 'info', code: 'set_password.your_user_code', params: { code: flow.data.userCode ?? '' } },
          { kind: 'info', code: 'set_password.user_code_permanent' },
          { kind: 'info', code: 'set_password.sign_in_now' },
        ],
      };
  }
}
