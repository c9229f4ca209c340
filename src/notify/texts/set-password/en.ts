/** English texts of the set-password emails: seed 3's subjects and notice, translated (GLOSSARY.md §18–§19). */
import { pluralCategory } from '../../../i18n/plural.ts';
import type { SetPasswordTexts } from './fa.ts';

export const enSetPassword: SetPasswordTexts = {
  invitationEmail: ({ name, url, hours, account }) => ({
    subject: 'Password for the Ministry of Education\'s online systems',
    blocks: [
      `Hello ${name},`,
      account === 'new'
        ? 'An account has been opened for you in the Ministry of Education\'s systems. To set a password, click the link:'
        : 'Here is a link to set a new password for your account in the Ministry of Education\'s systems. To set it, click the link:',
      { link: url, label: 'To set a password click here' },
      `The link works for ${hours.written} ${pluralCategory('en', hours.count) === 'one' ? 'hour' : 'hours'}, once. You will be asked for your national ID number.`,
      account === 'new' ? 'If you did not expect this message, you can ignore it.' : 'If you did not expect this message, you can ignore it: your current password stays as it is.',
      'Thank you',
    ],
  }),
  setPasswordDoneEmail: ({ name, userCode, url }) => ({
    subject: 'Confirmation: your password for the Ministry of Education\'s online systems is set',
    blocks: [
      `Hello ${name},`,
      'Your password was set successfully. Your user code:',
      { code: userCode },
      'Your user code is permanent and cannot be changed!',
      'You can now sign in with your user code (or national ID) and the new password you set:',
      { link: url, label: url },
      'If you did not set this password, contact support at once.',
      'Thank you',
    ],
  }),
  emailChangeCode: (code) => ({
    subject: 'Your email verification code - Kelid',
    blocks: [
      'Hello,',
      'The verification code of your new email address:',
      { code },
      'The code is valid for 5 minutes. If you did not ask for it, you can ignore this message.',
      'Thank you',
    ],
  }),
};
