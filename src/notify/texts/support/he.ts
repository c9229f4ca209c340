/** Hebrew texts of the support answer (see fa.ts); «מוקד תמיכה» is seed 2's name for it (GLOSSARY.md §22). */
import type { SupportTexts } from './fa.ts';

export const heSupport: SupportTexts = {
  supportAnsweredSms: ({ reference, answer, url }) => `מוקד תמיכה - תשובה לפנייה ${reference}:\n${answer}\n${url}`,
  supportAnsweredEmail: ({ reference, answer, url }) => ({
    subject: `תשובה לפנייה ${reference} למוקד התמיכה`,
    blocks: [
      'שלום,',
      `התקבלה תשובה לפנייתך למוקד התמיכה (מספר פנייה ${reference}):`,
      answer,
      { link: url, label: 'לצפייה בפנייה' },
      'תודה',
    ],
  }),
};
