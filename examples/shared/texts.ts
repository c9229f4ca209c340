/**
 * The words the three apps share: the page frame, signing in and out, and the error pages.
 * Persian is the base: its shape is the type, so a key missing in he or en does not compile.
 * Role names are Kelid's own (src/i18n), so a person sees the same word in both places.
 */
import type { Locale } from './locale.ts';

const fa = {
  ministry: 'وزارت آموزش و پرورش',
  skip: 'رفتن به محتوا',
  language: 'زبان',
  signIn: 'ورود با حساب کلید',
  signInLead: 'با همان نام کاربری و رمز عبور کلید وارد شوید.',
  signOut: 'خروج',
  home: 'صفحه اصلی',
  nationalId: 'کد ملی',
  userCode: 'کد کاربری',
  school: 'مدرسه',
  grade: 'پایه',
  unknown: 'نامشخص',
  refusedTitle: 'دسترسی به این سامانه ممکن نیست',
  refusedBody: 'کلید به حسابی که با آن وارد شدید اجازه ورود به این سامانه را نداد.',
  tryAnotherAccount: 'ورود با حساب دیگر',
  failedTitle: 'ورود انجام نشد',
  failedBody: 'ورود کامل نشد یا مهلت آن تمام شد. لطفاً دوباره وارد شوید.',
  tryAgain: 'ورود دوباره',
  unavailableTitle: 'کلید در دسترس نیست',
  unavailableBody: 'اکنون ارتباط با کلید ممکن نیست. لطفاً چند دقیقه دیگر دوباره تلاش کنید.',
  notFoundTitle: 'صفحه پیدا نشد',
  notFoundBody: 'صفحه‌ای با این نشانی وجود ندارد.',
  formExpiredTitle: 'فرم منقضی شده است',
  formExpiredBody: 'این فرم دیگر معتبر نیست. لطفاً صفحه را دوباره باز کنید و دوباره بفرستید.',
  errorTitle: 'خطا',
  errorBody: 'مشکلی پیش آمد. لطفاً دوباره تلاش کنید.',
  roles: {
    student: 'دانش آموز', teacher: 'معلم', staff: 'کادر اجرایی', deputy: 'معاون', principal: 'مدیر',
    father: 'پدر', mother: 'مادر', guardian: 'سرپرست',
  },
};

export type CommonTexts = typeof fa;

const he: CommonTexts = {
  ministry: 'משרד החינוך',
  skip: 'דילוג לתוכן',
  language: 'שפה',
  signIn: 'כניסה עם חשבון קליד',
  signInLead: 'היכנסו עם שם המשתמש והסיסמה של קליד.',
  signOut: 'יציאה',
  home: 'דף הבית',
  nationalId: 'מספר זהות',
  userCode: 'קוד המשתמש',
  school: 'בית ספר',
  grade: 'כיתה',
  unknown: 'לא ידוע',
  refusedTitle: 'אין גישה לשירות זה',
  refusedBody: 'קליד לא אישר לחשבון שאיתו נכנסתם להיכנס לשירות זה.',
  tryAnotherAccount: 'כניסה עם חשבון אחר',
  failedTitle: 'הכניסה לא הושלמה',
  failedBody: 'הכניסה לא הושלמה או שתוקפה פג. נסו להיכנס שוב.',
  tryAgain: 'כניסה מחדש',
  unavailableTitle: 'קליד אינו זמין',
  unavailableBody: 'לא ניתן להתחבר לקליד כרגע. נסו שוב בעוד כמה דקות.',
  notFoundTitle: 'הדף לא נמצא',
  notFoundBody: 'אין דף בכתובת זו.',
  formExpiredTitle: 'תוקף הטופס פג',
  formExpiredBody: 'הטופס אינו תקף עוד. פתחו את הדף מחדש ושלחו שוב.',
  errorTitle: 'שגיאה',
  errorBody: 'משהו השתבש. נסו שוב.',
  roles: {
    student: 'תלמיד', teacher: 'מורה', staff: 'צוות', deputy: 'סגן מנהל', principal: 'מנהל',
    father: 'אב', mother: 'אם', guardian: 'אפוטרופוס',
  },
};

const en: CommonTexts = {
  ministry: 'Ministry of Education',
  skip: 'Skip to content',
  language: 'Language',
  signIn: 'Sign in with Kelid',
  signInLead: 'Use your Kelid username and password.',
  signOut: 'Sign out',
  home: 'Home',
  nationalId: 'National ID',
  userCode: 'User code',
  school: 'School',
  grade: 'Grade',
  unknown: 'Unknown',
  refusedTitle: 'No access to this service',
  refusedBody: 'Kelid did not let the account you signed in with into this service.',
  tryAnotherAccount: 'Sign in with another account',
  failedTitle: 'Sign-in did not complete',
  failedBody: 'Signing in did not complete, or took too long. Please sign in again.',
  tryAgain: 'Sign in again',
  unavailableTitle: 'Kelid is unavailable',
  unavailableBody: 'Kelid cannot be reached right now. Please try again in a few minutes.',
  notFoundTitle: 'Page not found',
  notFoundBody: 'There is no page at this address.',
  formExpiredTitle: 'The form has expired',
  formExpiredBody: 'This form is no longer valid. Please open the page again and resend it.',
  errorTitle: 'Error',
  errorBody: 'Something went wrong. Please try again.',
  roles: {
    student: 'Student', teacher: 'Teacher', staff: 'Staff', deputy: 'Deputy principal', principal: 'Principal',
    father: 'Father', mother: 'Mother', guardian: 'Guardian',
  },
};

export const commonTexts: Record<Locale, CommonTexts> = { fa, he, en };

/** Each language's name in itself, for the language switcher. */
export const languageNames: Record<Locale, string> = { fa: 'فارسی', he: 'עברית', en: 'English' };

/** A role's name; a role Kelid adds later shows as its code rather than not at all. */
export function roleName(texts: CommonTexts, role: string): string {
  return Object.hasOwn(texts.roles, role) ? texts.roles[role as keyof CommonTexts['roles']] : role;
}

/** What every app's catalog must have for the shared pages. */
export type AppTexts = {
  /** The app's name in the header and the title. */
  appName: string;
  /** Who the app is for, said on the "no access" page ("This service is for students."). */
  audience: string;
};

/** What a view needs to speak: the language, the app's words and the shared ones. */
export type Words<T> = { locale: Locale; t: T; common: CommonTexts };

export const wordsFor = <T>(texts: Readonly<Record<Locale, T>>, locale: Locale): Words<T> =>
  ({ locale, t: texts[locale], common: commonTexts[locale] });
