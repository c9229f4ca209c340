/** English message texts (non-citizens, F15). */
import type { MessageTexts } from './fa.ts';

export const en: MessageTexts = {
  digitNames: ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'],
  digitSeparator: ', ',
  verificationSms: (code) =>
    `Kelid\nYour verification code: ${code}\nIt is valid for 5 minutes. Do not share it with anyone.`,
  verificationVoice: (spoken) =>
    `Your Kelid verification code is: ${spoken}. Once again: ${spoken}.`,
  verificationEmail: (code) => ({
    subject: 'Your email verification code - Kelid',
    blocks: [
      'Hello,',
      'The verification code for your email address is:',
      { code },
      'It is valid for 5 minutes. If you did not ask to register, you can ignore this message.',
      'Thank you',
    ],
  }),
  registrationDoneSms: ({ username, url }) =>
    `Your Kelid account has been created.\nUsername: ${username}\nSign in: ${url}`,
  registrationDoneEmail: ({ name, username, url }) => ({
    subject: 'Your account has been created - Kelid',
    blocks: [
      `Hello ${name},`,
      `Your account has been created. Your username is ${username}.`,
      'You can sign in at:',
      { link: url, label: url },
      'Your password is the one you chose when registering; it is never sent to you.',
      'Thank you',
    ],
  }),
  reminderSms: ({ deadline, url }) =>
    `Kelid: please complete your profile by ${deadline}, or the account will be deleted.\n${url}`,
  reminderEmail: ({ name, deadline, url }) => ({
    subject: 'Reminder: complete your profile - Kelid',
    blocks: [
      `Hello ${name},`,
      `Your registration is not complete yet. Please complete your profile by ${deadline}; otherwise the account and its data will be deleted.`,
      { link: url, label: url },
      'Thank you',
    ],
  }),
  passwordChangedSms: () =>
    'Kelid: your password has been changed. If you did not change it, contact support at once.',
  passwordChangedEmail: (name) => ({
    subject: 'Your password has been changed - Kelid',
    blocks: [
      `Hello ${name},`,
      'Your password has been changed.',
      'If you did not change it, contact support at once.',
      'Thank you',
    ],
  }),
  recoverySms: (code) =>
    `Kelid\nYour password recovery code: ${code}\nIt is valid for 5 minutes. Never give it to anyone. If you did not ask for it, ignore this message.`,
  recoveryLinkEmail: (url, minutes) => ({
    subject: 'Password recovery - Kelid',
    blocks: [
      'Hello,',
      'To choose a new Kelid password, open this link:',
      { link: url, label: 'Choose a new password' },
      `The link works once, for ${minutes} minutes. If you did not ask for it, ignore this message: your password stays as it is.`,
      'Thank you',
    ],
  }),
  signInCodeSms: (code) =>
    `Kelid\nYour sign-in code: ${code}\nIt is valid for 5 minutes. Never give it to anyone, not even to support.`,
  signInCodeVoice: (spoken) =>
    `Your Kelid sign-in code is: ${spoken}. Again: ${spoken}.`,
};
