/** English texts of the support answer (see fa.ts). */
import type { SupportTexts } from './fa.ts';

export const enSupport: SupportTexts = {
  supportAnsweredSms: ({ reference, answer, url }) => `System support - answer to request ${reference}:\n${answer}\n${url}`,
  supportAnsweredEmail: ({ reference, answer, url }) => ({
    subject: `Answer to your support request ${reference}`,
    blocks: [
      'Hello,',
      `Your request to System support (reference ${reference}) has been answered:`,
      answer,
      { link: url, label: 'See the request' },
      'Thank you',
    ],
  }),
};
