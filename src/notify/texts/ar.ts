/**
 * Arabic message texts (Modern Standard Arabic). Codes stay in Latin digits, as in every
 * locale (SMS autofill reads only those); "five minutes" is written in words, so the text is
 * the same whichever digits the reader chose; other numbers (minutes, hours, a deadline)
 * arrive written in the message's digits (templates.ts).
 */
import type { MessageTexts } from './fa.ts';

export const ar: MessageTexts = {
  digitNames: ['صفر', 'واحد', 'اثنان', 'ثلاثة', 'أربعة', 'خمسة', 'ستة', 'سبعة', 'ثمانية', 'تسعة'],
  digitSeparator: '، ',
  verificationSms: (code) =>
    `كليد\nرمز التفعيل الخاص بك: ${code}\nالرمز صالح لمدة خمس دقائق. لا تشاركه مع أي شخص.`,
  verificationVoice: (spoken) =>
    `رمز التفعيل الخاص بك في كليد هو: ${spoken}. أكرر: ${spoken}.`,
  verificationEmail: (code) => ({
    subject: 'رمز تفعيل بريدك الإلكتروني - كليد',
    blocks: [
      'مرحبًا،',
      'رمز تفعيل عنوان بريدك الإلكتروني في كليد هو:',
      { code },
      'الرمز صالح لمدة خمس دقائق. إذا لم تطلب التسجيل، فتجاهل هذه الرسالة.',
      'مع الشكر',
    ],
  }),
  registrationDoneSms: ({ username, url }) =>
    `تم إنشاء حسابك في كليد.\nاسم المستخدم: ${username}\nتسجيل الدخول: ${url}`,
  registrationDoneEmail: ({ name, username, url }) => ({
    subject: 'تم إنشاء حسابك - كليد',
    blocks: [
      `مرحبًا ${name}،`,
      `تم إنشاء حسابك. اسم المستخدم الخاص بك: ${username}.`,
      'يمكنك تسجيل الدخول من هنا:',
      { link: url, label: url },
      'كلمة المرور هي التي اخترتها عند التسجيل؛ ولا تُرسل إليك أبدًا.',
      'مع الشكر',
    ],
  }),
  reminderSms: ({ deadline, url }) =>
    `كليد: يرجى إكمال ملفك الشخصي حتى ${deadline}، وإلا فسيُحذف الحساب.\n${url}`,
  reminderEmail: ({ name, deadline, url }) => ({
    subject: 'تذكير: أكمل ملفك الشخصي - كليد',
    blocks: [
      `مرحبًا ${name}،`,
      `لم يكتمل تسجيلك بعد. يرجى إكمال ملفك الشخصي حتى ${deadline}؛ وإلا فسيُحذف الحساب وبياناته.`,
      { link: url, label: url },
      'مع الشكر',
    ],
  }),
  passwordChangedSms: () =>
    'كليد: تم تغيير كلمة المرور الخاصة بك. إذا لم تغيّرها أنت، فاتصل بالدعم فورًا.',
  passwordChangedEmail: (name) => ({
    subject: 'تم تغيير كلمة المرور - كليد',
    blocks: [
      `مرحبًا ${name}،`,
      'تم تغيير كلمة المرور الخاصة بك.',
      'إذا لم تغيّرها أنت، فاتصل بالدعم فورًا.',
      'مع الشكر',
    ],
  }),
  recoverySms: (code) =>
    `كليد\nرمز استعادة كلمة المرور: ${code}\nالرمز صالح لمدة خمس دقائق. لا تشاركه مع أي شخص أبدًا. إذا لم تطلبه، فتجاهل هذه الرسالة.`,
  recoveryLinkEmail: (url, minutes) => ({
    subject: 'استعادة كلمة المرور - كليد',
    blocks: [
      'مرحبًا،',
      'لاختيار كلمة مرور جديدة في كليد، افتح هذا الرابط:',
      { link: url, label: 'اختيار كلمة مرور جديدة' },
      `يعمل الرابط مرة واحدة فقط، ولمدة ${minutes} دقيقة. إذا لم تطلبه، فتجاهل هذه الرسالة: تبقى كلمة المرور كما هي.`,
      'مع الشكر',
    ],
  }),
  signInCodeSms: (code) =>
    `كليد\nرمز تسجيل الدخول: ${code}\nالرمز صالح لمدة خمس دقائق. لا تشاركه مع أي شخص أبدًا، ولا حتى مع الدعم الفني.`,
  signInCodeVoice: (spoken) =>
    `رمز تسجيل الدخول الخاص بك في كليد هو: ${spoken}. مرة أخرى: ${spoken}.`,
};
