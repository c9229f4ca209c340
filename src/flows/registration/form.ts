/** Registration: each state's form model, drawn alike by the pages and the JSON API. */
import type { TextKey } from '../../i18n/catalogs.ts';
import { countryOptions } from '../../i18n/countries.ts';
import { dateExample, formattingFor, localeOf, type Formatting } from '../../i18n/format.ts';
import type { Profile } from '../../domain/profile.ts';
import type { CodePolicy } from '../../identity/codes.ts';
import { actionsField, field, goodUntil, oneAction, resendAction, secondsUntil, type FormModel, type Message } from '../form.ts';
import type { RegistrationFlow, RegistrationState } from './machine.ts';

/** Each state's name, which its page's title carries before the flow's (issue 14 §3). */
export const registrationStepTitles: Record<RegistrationState, TextKey> = {
  rules: 'step.registration.rules', details: 'step.registration.details', verify: 'step.registration.verify', done: 'step.registration.done',
};

const info = (code: TextKey): Message => ({ kind: 'info', code });
const rules = (['registration.rule_1', 'registration.rule_2', 'registration.rule_3', 'registration.rule_4', 'registration.rule_5'] as const).map(info);
// On the English page for non-citizens (seed 2 rule 1 sends them there): who it is for, and a
// username that is the user code they are sent, never a national ID.
const internationalRules = ([
  'registration.international_rule_1', 'registration.rule_2', 'registration.rule_3', 'registration.international_rule_4', 'registration.international_rule_5',
] as const).map(info);

/**
 * `formatting`: the page's (or API answer's) language, in which the countries are named and
 * sorted, and digits; `profile`: the deployment's, whose calendar an Arabic birth date is
 * typed in; `now` and the code policy: how long each code stays good and each resend waits.
 */
export function registrationForm(flow: RegistrationFlow, formatting: Formatting, now: Date, codes: CodePolicy, profile: Profile): FormModel {
  const v = flow.data.values;
  const locale = localeOf(formatting);
  // The birth date's example is in the flow's format, the one validateDetails reads, in the page's digits when the languages agree.
  const dates = flow.data.locale === locale ? formatting : formattingFor(flow.data.locale, profile);
  switch (flow.state) {
    case 'rules':
      return {
        fields: [field('accept', 'checkbox', 'registration.accept_rules', { value: 'yes' }), oneAction('accept', 'common.confirm')],
        messages: [info('registration.rules_heading'), ...(flow.data.international ? internationalRules : rules)],
      };
    case 'details': {
      const international = flow.data.international ?? false;
      const identity = international
        ? [
          field('passportNumber', 'text', 'registration.passport_number', { value: v.passportNumber, maxLength: 20 }),
          field('passportCountry', 'select', 'registration.passport_country', {
            value: v.passportCountry,
            options: [{ value: '', label: 'profile.choose' }, ...countryOptions(locale)],
          }),
        ]
        : [field('nationalId', 'text', 'registration.national_id', { value: v.nationalId, inputMode: 'numeric', maxLength: 20 })];
      return {
        fields: [
          field('nationality', 'select', 'registration.nationality', {
            value: v.nationality,
            options: [international ? { value: 'foreign', label: 'registration.foreign' } : { value: 'citizen', label: 'registration.citizen' }],
          }),
          field('firstName', 'text', 'registration.first_name', { value: v.firstName, autocomplete: 'given-name', maxLength: 100 }),
          field('lastName', 'text', 'registration.last_name', { value: v.lastName, autocomplete: 'family-name', maxLength: 100 }),
          ...identity,
          field('birthDate', 'text', 'registration.birth_date', { value: v.birthDate, maxLength: 20, labelParams: { example: dateExample(dates, '2008-02-19') } }),
          field('mobile', 'tel', 'registration.mobile', { value: v.mobile, inputMode: 'tel', autocomplete: 'tel', maxLength: 20 }),
          field('email', 'email', 'registration.email', { value: v.email, inputMode: 'email', autocomplete: 'email', maxLength: 254 }),
          field('password', 'password', 'registration.password', { autocomplete: 'new-password', maxLength: 1024 }),
          field('repeat', 'password', 'registration.repeat', { autocomplete: 'new-password', maxLength: 1024 }),
          field('captcha', 'captcha', 'registration.captcha'),
          oneAction('submit', 'registration.send'),
        ],
        messages: [],
      };
    }
    case 'verify': {
      const { mobileSentAt, emailSentAt } = flow.data;
      const messages: Message[] = [{ kind: 'info', code: 'registration.codes_hint' }];
      if (flow.data.mobileMethod === 'call') messages.push({ kind: 'info', code: 'registration.call_status' });
      const mobileWait = secondsUntil(mobileSentAt, codes.cooldownSeconds, now);
      const expiry = (sentAt: string | undefined) => {
        const until = goodUntil(sentAt, codes.lifetimeMinutes);
        return until === undefined ? {} : { expiresAt: until, expiredText: 'code.activation_expired' as const };
      };
      return {
        fields: [
          field('mobileCode', 'text', 'registration.mobile_code', { inputMode: 'numeric', autocomplete: 'one-time-code', maxLength: 12, ...expiry(mobileSentAt) }),
          field('emailCode', 'text', 'registration.email_code', { inputMode: 'numeric', maxLength: 12, ...expiry(emailSentAt) }),
          actionsField([
            // Both codes are needed: until the mobile's is asked for, there is nothing to verify.
            { value: 'verify', label: 'registration.send', available: mobileSentAt !== undefined },
            resendAction('send_sms', 'registration.send_sms', mobileWait),
            resendAction('send_call', 'registration.send_call', mobileWait),
            resendAction('send_email_code', 'registration.resend_email', secondsUntil(emailSentAt, codes.cooldownSeconds, now)),
            { value: 'edit', label: 'registration.edit', available: true },
          ]),
        ],
        messages,
      };
    }
    case 'done':
      return { fields: [], messages: [{ kind: 'success', code: 'registration.being_created' }, { kind: 'info', code: 'registration.sms_when_done' }] };
  }
}
