/** Arabic texts of the support answer (see fa.ts): «دعم النظام» for the service. */
import type { SupportTexts } from './fa.ts';

export const arSupport: SupportTexts = {
  supportAnsweredSms: ({ reference, answer, url }) => `كليد - الدعم الفني: إجابة عن طلبك ${reference}:\n${answer}\n${url}`,
  supportAnsweredEmail: ({ reference, answer, url }) => ({
    subject: `إجابة عن طلب الدعم ${reference} - كليد`,
    blocks: [
      'مرحبًا،',
      `وصلت إجابة عن طلبك إلى الدعم الفني (الرقم المرجعي ${reference}):`,
      answer,
      { link: url, label: 'عرض الطلب' },
      'مع الشكر',
    ],
  }),
};
