/** Arabic texts of the set-password emails (seed 3's subjects and notice, as en.ts and he.ts give them); `hours` arrives in the reader's digits. */
import { pluralCategory } from '../../../i18n/plural.ts';
import type { InvitationText, SetPasswordTexts } from './fa.ts';

/** After «لمدة»: "ساعة واحدة", "ساعتين", "٣ ساعات" (3–10), "٧٢ ساعة" (11 and more). */
function arabicHours({ count, written }: InvitationText['hours']): string {
  switch (pluralCategory('ar', count)) {
    case 'one': return 'ساعة واحدة';
    case 'two': return 'ساعتين';
    case 'few': return `${written} ساعات`;
    default: return `${written} ساعة`;
  }
}

export const arSetPassword: SetPasswordTexts = {
  invitationEmail: ({ name, url, hours, account }) => ({
    subject: 'كلمة المرور لأنظمة وزارة التربية والتعليم الإلكترونية',
    blocks: [
      `مرحبًا ${name}،`,
      account === 'new'
        ? 'فُتح لك حساب في أنظمة وزارة التربية والتعليم. لتعيين كلمة المرور، اضغط على الرابط:'
        : 'إليك رابطًا لتعيين كلمة مرور جديدة لحسابك في أنظمة وزارة التربية والتعليم. لتعيينها، اضغط على الرابط:',
      { link: url, label: 'لتعيين كلمة المرور اضغط هنا' },
      `يعمل الرابط مرة واحدة، لمدة ${arabicHours(hours)}. سيُطلب منك رقمك الوطني.`,
      account === 'new' ? 'إذا لم تكن تتوقع هذه الرسالة، فيمكنك تجاهلها.' : 'إذا لم تكن تتوقع هذه الرسالة، فيمكنك تجاهلها: تبقى كلمة المرور الحالية كما هي.',
      'مع الشكر',
    ],
  }),
  setPasswordDoneEmail: ({ name, userCode, url }) => ({
    subject: 'تأكيد: تم تعيين كلمة المرور لأنظمة وزارة التربية والتعليم الإلكترونية',
    blocks: [
      `مرحبًا ${name}،`,
      'تم تعيين كلمة المرور بنجاح. رمز المستخدم الخاص بك:',
      { code: userCode },
      'رمز المستخدم دائم ولا يمكن تغييره!',
      'يمكنك الآن تسجيل الدخول برمز المستخدم (أو الرقم الوطني) وكلمة المرور الجديدة التي عيّنتها:',
      { link: url, label: url },
      'إذا لم تعيّن كلمة المرور هذه بنفسك، فاتصل بالدعم الفني فورًا.',
      'مع الشكر',
    ],
  }),
  emailChangeCode: (code) => ({
    subject: 'رمز التحقق من بريدك الإلكتروني - كليد',
    blocks: [
      'مرحبًا،',
      'رمز التحقق من عنوان بريدك الإلكتروني الجديد:',
      { code },
      'الرمز صالح لمدة خمس دقائق. إذا لم تطلبه، فيمكنك تجاهل هذه الرسالة.',
      'مع الشكر',
    ],
  }),
};
