/** Arabic texts of the support answer (see fa.ts): «دعم النظام» for the service. */
import type { SupportTexts } from './fa.ts';

export const arSupport: SupportTexts = {
  supportAnsweredSms: ({ reference, answer, url }) => `دعم النظام - الرد على الطلب ${reference}:\n${answer}\n${url}`,
  supportAnsweredEmail: ({ reference, answer, url }) => ({
    subject: `الرد على طلب الدعم ${reference}`,
    blocks: [
      'مرحبًا،',
      `تم الرد على طلبك إلى دعم النظام (رقم المتابعة ${reference}):`,
      answer,
      { link: url, label: 'عرض الطلب' },
      'مع الشكر',
    ],
  }),
};
