/**
 * The message templates: each name says which channels it may go by, which parameters it
 * needs (typed, and checked again at run time for callers that pass plain records), and
 * whether it carries a secret (a code), which the outbox erases once a real provider has it.
 * Rendering happens at enqueue, inside the causing transaction: a template error rolls the
 * change back instead of failing a send later.
 */
import type { Locale } from '../config.ts';
import { formatDateLong, localeOf, localizeDigits, type Formatting } from '../i18n/format.ts';
import { ar } from './texts/ar.ts';
import { renderEmail } from './email-layout.ts';
import { en } from './texts/en.ts';
import { fa, type Account, type MessageTexts } from './texts/fa.ts';
import { he } from './texts/he.ts';
import { arSetPassword } from './texts/set-password/ar.ts';
import { enSetPassword } from './texts/set-password/en.ts';
import { faSetPassword, type InvitationEmail, type SetPasswordDoneEmail, type SetPasswordTexts } from './texts/set-password/fa.ts';
import { heSetPassword } from './texts/set-password/he.ts';
import { arSupport } from './texts/support/ar.ts';
import { enSupport } from './texts/support/en.ts';
import { faSupport, type SupportAnswer, type SupportTexts } from './texts/support/fa.ts';
import { heSupport } from './texts/support/he.ts';

export type MessageChannel = 'sms' | 'voice' | 'email';
export const messageChannels = ['sms', 'voice', 'email'] as const satisfies readonly MessageChannel[];

export type TemplateParams = {
  'verification.sms': { code: string };
  'verification.voice': { code: string };
  'verification.email': { code: string };
  'registration.done.sms': Account;
  'registration.done.email': Account;
  /** `deadline` is a civil date, 'YYYY-MM-DD'; it is shown in the formatting's calendar. */
  'registration.reminder': { name: string; deadline: string; url: string };
  'password.changed': { name: string };
  /** Set password (F19): the link (a secret until used), the confirmation with the user code, a new address's code. */
  'invitation.email': InvitationEmail;
  'set_password.done.email': SetPasswordDoneEmail;
  'email_change.code': { code: string };
  'recovery.sms': { code: string };
  'sign_in.code.sms': { code: string };
  'sign_in.code.voice': { code: string };
  'recovery.link': { url: string; minutes: string };
  /** A support request's answer (F29), to the requester's mobile or email. */
  'support.answered': SupportAnswer;
};
export type TemplateName = keyof TemplateParams;

export type Rendered = { text: string; subject: string | null; html: string | null };

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

type AllTexts = MessageTexts & SetPasswordTexts & SupportTexts;
const texts: Record<Locale, AllTexts> = {
  fa: { ...fa, ...faSetPassword, ...faSupport }, he: { ...he, ...heSetPassword, ...heSupport },
  ar: { ...ar, ...arSetPassword, ...arSupport },
  en: { ...en, ...enSetPassword, ...enSupport },
};

type Definition<T extends TemplateName> = {
  channels: readonly MessageChannel[];
  secret: boolean;
  render(t: AllTexts, params: TemplateParams[T], channel: MessageChannel, formatting: Formatting): Rendered;
};

const sms = (text: string): Rendered => ({ text, subject: null, html: null });
const email = (rendered: { subject: string; text: string; html: string }): Rendered => rendered;

/** "0 4 2…" → "zero, four, two…": a speech engine reads digit names one by one, not "forty-two thousand". */
export function spokenDigits(code: string, t: MessageTexts): string {
  return [...code].map((digit) => t.digitNames[Number(digit)] ?? digit).join(t.digitSeparator);
}

const definitions: { [T in TemplateName]: Definition<T> } = {
  'verification.sms': { channels: ['sms'], secret: true, render: (t, p) => sms(t.verificationSms(p.code)) },
  'verification.voice': { channels: ['voice'], secret: true, render: (t, p) => sms(t.verificationVoice(spokenDigits(p.code, t))) },
  'verification.email': {
    channels: ['email'], secret: true, render: (t, p, _c, f) => email(renderEmail(t.verificationEmail(p.code), localeOf(f))),
  },
  'registration.done.sms': { channels: ['sms'], secret: false, render: (t, p) => sms(t.registrationDoneSms(p)) },
  'registration.done.email': {
    channels: ['email'], secret: false, render: (t, p, _c, f) => email(renderEmail(t.registrationDoneEmail(p), localeOf(f))),
  },
  'registration.reminder': {
    channels: ['sms', 'email'],
    secret: false,
    render: (t, p, channel, f) => {
      const reminder = { ...p, deadline: formatDateLong(p.deadline, f) };
      return channel === 'email' ? email(renderEmail(t.reminderEmail(reminder), localeOf(f))) : sms(t.reminderSms(reminder));
    },
  },
  'password.changed': {
    channels: ['sms', 'email'],
    secret: false,
    render: (t, p, channel, f) =>
      channel === 'email' ? email(renderEmail(t.passwordChangedEmail(p.name), localeOf(f))) : sms(t.passwordChangedSms()),
  },
  // The link sets a password: a secret until used, erased once a real provider has it.
  'invitation.email': {
    channels: ['email'], secret: true, render: (t, p, _c, f) => email(renderEmail(t.invitationEmail({ ...p, hours: { count: Number(p.hours), written: localizeDigits(p.hours, f) } }), localeOf(f))),
  },
  'set_password.done.email': { channels: ['email'], secret: false, render: (t, p, _c, f) => email(renderEmail(t.setPasswordDoneEmail(p), localeOf(f))) },
  'email_change.code': { channels: ['email'], secret: true, render: (t, p, _c, f) => email(renderEmail(t.emailChangeCode(p.code), localeOf(f))) },
  'recovery.sms': { channels: ['sms'], secret: true, render: (t, p) => sms(t.recoverySms(p.code)) },
  'recovery.link': { channels: ['email'], secret: true, render: (t, p, _c, f) => email(renderEmail(t.recoveryLinkEmail(p.url, localizeDigits(p.minutes, f)), localeOf(f))) },
  'sign_in.code.sms': { channels: ['sms'], secret: true, render: (t, p) => sms(t.signInCodeSms(p.code)) },
  'sign_in.code.voice': { channels: ['voice'], secret: true, render: (t, p) => sms(t.signInCodeVoice(spokenDigits(p.code, t))) },
  'support.answered': {
    channels: ['sms', 'email'],
    secret: false,
    render: (t, p, channel, f) => (channel === 'email' ? email(renderEmail(t.supportAnsweredEmail(p), localeOf(f))) : sms(t.supportAnsweredSms(p))),
  },
};

/** What each parameter must look like; anything else is a programming error, refused loudly. */
const checks: Record<string, (value: string) => boolean> = {
  code: (value) => /^\d{4,10}$/.test(value),
  url: (value) => /^https?:\/\/[^\s]+$/.test(value),
  deadline: (value) => /^\d{4}-\d{2}-\d{2}$/.test(value),
  minutes: (value) => /^\d{1,4}$/.test(value),
  hours: (value) => /^\d{1,4}$/.test(value),
  account: (value) => value === 'new' || value === 'existing',
  userCode: (value) => /^[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(value),
  reference: (value) => /^[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(value),
};
const required: { [T in TemplateName]: readonly (keyof TemplateParams[T])[] } = {
  'verification.sms': ['code'],
  'verification.voice': ['code'],
  'verification.email': ['code'],
  'registration.done.sms': ['name', 'username', 'url'],
  'registration.done.email': ['name', 'username', 'url'],
  'registration.reminder': ['name', 'deadline', 'url'],
  'password.changed': ['name'],
  'invitation.email': ['name', 'url', 'hours', 'account'],
  'set_password.done.email': ['name', 'userCode', 'url'],
  'email_change.code': ['code'],
  'recovery.sms': ['code'],
  'sign_in.code.sms': ['code'],
  'sign_in.code.voice': ['code'],
  'recovery.link': ['url', 'minutes'],
  'support.answered': ['reference', 'answer', 'url'],
};

export const isTemplateName = (value: string): value is TemplateName => Object.hasOwn(definitions, value);
export const isSecretTemplate = (template: TemplateName) => definitions[template].secret;
export const templateChannels = (template: TemplateName) => definitions[template].channels;

/**
 * One message's text (and email subject and HTML) in `formatting`'s language; numbers in the
 * prose (minutes, hours, a deadline) in its digits and calendar, codes always in Latin digits
 * (what a phone's code autofill reads). Throws TemplateError for a bad channel or parameter.
 */
export function renderTemplate<T extends TemplateName>(
  template: T, channel: MessageChannel, formatting: Formatting, params: TemplateParams[T],
): Rendered {
  const definition: Definition<T> | undefined = definitions[template];
  if (definition === undefined) throw new TemplateError(`unknown template ${template}`);
  if (!definition.channels.includes(channel)) throw new TemplateError(`template ${template} cannot go by ${channel}`);
  const record: Record<string, unknown> = params;
  for (const name of required[template]) {
    const value = record[name as string];
    const check = checks[name as string];
    if (typeof value !== 'string' || value.trim() === '' || (check !== undefined && !check(value))) {
      throw new TemplateError(`template ${template}: parameter ${String(name)} is missing or malformed`);
    }
  }
  return definition.render(texts[localeOf(formatting)], params, channel, formatting);
}
