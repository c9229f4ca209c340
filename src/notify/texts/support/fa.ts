/**
 * Persian texts of the support answer (F29); the other locales fill the same type. In the
 * Persian seeds' voice («با سلام» … «با تشکر», GLOSSARY.md §18) and with §22's name for the
 * service, «پشتیبانی سامانه».
 */
import type { EmailBody } from '../fa.ts';

/** `reference` is the request's XXXX-XXXX code; `answer` the reply (cut in an SMS); `url` where to read it all. */
export type SupportAnswer = { reference: string; answer: string; url: string };

export type SupportTexts = {
  supportAnsweredSms(p: SupportAnswer): string;
  supportAnsweredEmail(p: SupportAnswer): EmailBody;
};

export const faSupport: SupportTexts = {
  supportAnsweredSms: ({ reference, answer, url }) => `پشتیبانی سامانه - پاسخ درخواست ${reference}:\n${answer}\n${url}`,
  supportAnsweredEmail: ({ reference, answer, url }) => ({
    subject: `پاسخ درخواست پشتیبانی ${reference}`,
    blocks: [
      'با سلام',
      `به درخواست شما در پشتیبانی سامانه با شماره پیگیری ${reference} پاسخ داده شد:`,
      answer,
      { link: url, label: 'مشاهده درخواست' },
      'با تشکر',
    ],
  }),
};
