/**
 * The exam registration's words. Persian from GLOSSARY.md §11 where the seeds give it:
 * `سمپاد هفتم` · `سمپاد دهم` (000:216), `درگاه ورود به آزمونهای وزارت آموزش و پرورش`
 * (000:218), `سامانه ثبت نام تیز هوشان` (000:63, without "پایه هفتم": this app has both
 * grades). Persian is the base: he and en must have every key.
 */
import type { Locale } from '../shared/locale.ts';
import type { AppTexts } from '../shared/texts.ts';
import type { Exam } from './registrations.ts';

const fa = {
  appName: 'سامانه ثبت نام تیز هوشان',
  audience: 'این سامانه برای دانش آموزان است. اگر حساب دانش آموزی دارید، با آن وارد شوید.',
  gateway: 'درگاه ورود به آزمونهای وزارت آموزش و پرورش',
  landingTitle: 'ثبت نام آزمون ورودی مدارس تیز هوشان',
  landingLead: 'ثبت نام آزمون سمپاد برای ورود به پایه هفتم و پایه دهم، با حساب کلید.',
  homeTitle: 'ثبت نام آزمون',
  you: 'مشخصات دانش آموز',
  name: 'نام و نام خانوادگی',
  exam: 'آزمون',
  exams: { sampad7: 'سمپاد هفتم', sampad10: 'سمپاد دهم' } satisfies Record<Exam, string>,
  examHints: {
    sampad7: 'آزمون ورودی پایه هفتم، برای دانش آموزان پایه ششم',
    sampad10: 'آزمون ورودی پایه دهم، برای دانش آموزان پایه نهم',
  } satisfies Record<Exam, string>,
  yourExam: 'آزمون پایه شما',
  yourExamHint: 'هر دانش آموز در هر دوره فقط در آزمون پایه خود ثبت نام می‌کند.',
  registerFor: (exam: string) => `ثبت نام در آزمون ${exam}`,
  wrongExam: 'این آزمون برای پایه شما نیست. فقط در آزمون پایه خود می‌توانید ثبت نام کنید.',
  notEligibleTitle: 'آزمونی برای پایه شما نیست',
  notEligible: (grade: string) => `آزمون‌های ورودی سمپاد برای دانش آموزان پایه ششم (ورود به پایه هفتم) و پایه نهم (ورود به پایه دهم) است. پایه شما در کلید ${grade} است، پس امسال آزمونی برای ثبت نام شما نیست.`,
  noGrade: 'پایه تحصیلی شما در کلید ثبت نشده است، پس آزمون شما معلوم نیست. از مدرسه بخواهید پایه شما را ثبت کند، سپس دوباره وارد شوید.',
  registered: 'ثبت نام شما انجام شد.',
  isRegistered: 'شما در این آزمون ثبت نام کرده‌اید.',
  alreadyRegistered: 'شما قبلاً ثبت نام کرده‌اید و ثبت نام دوباره ممکن نیست. ثبت نام قبلی شما:',
  trackingCode: 'کد پیگیری',
  registeredAt: 'زمان ثبت نام',
  notStudentTitle: 'فقط دانش آموزان',
  notStudentBody: 'ثبت نام آزمون فقط برای دانش آموزان است و حساب شما نقش دانش آموز ندارد.',
};

export type ExamTexts = typeof fa & AppTexts;

const he: ExamTexts = {
  appName: 'הרשמה למבחני מחוננים',
  audience: 'שירות זה מיועד לתלמידים. אם יש לכם חשבון תלמיד, היכנסו איתו.',
  gateway: 'שער הכניסה למבחני משרד החינוך',
  landingTitle: 'הרשמה למבחן הכניסה לבתי ספר למחוננים',
  landingLead: 'הרשמה למבחן המחוננים לכיתה ז׳ ולכיתה י׳, עם חשבון קליד.',
  homeTitle: 'הרשמה למבחן',
  you: 'פרטי התלמיד',
  name: 'שם מלא',
  exam: 'מבחן',
  exams: { sampad7: 'מחוננים כיתה ז׳', sampad10: 'מחוננים כיתה י׳' },
  examHints: {
    sampad7: 'מבחן הכניסה לכיתה ז׳, לתלמידי כיתה ו׳',
    sampad10: 'מבחן הכניסה לכיתה י׳, לתלמידי כיתה ט׳',
  },
  yourExam: 'המבחן של הכיתה שלך',
  yourExamHint: 'כל תלמיד נרשם בכל מחזור רק למבחן של הכיתה שלו.',
  registerFor: (exam: string) => `הרשמה למבחן ${exam}`,
  wrongExam: 'מבחן זה אינו מיועד לכיתה שלך. אפשר להירשם רק למבחן של הכיתה שלך.',
  notEligibleTitle: 'אין מבחן לכיתה שלך',
  notEligible: (grade: string) => `מבחני הכניסה למחוננים מיועדים לתלמידי כיתה ו׳ (כניסה לכיתה ז׳) ולתלמידי כיתה ט׳ (כניסה לכיתה י׳). לפי קליד הכיתה שלך היא ${grade}, ולכן אין השנה מבחן שאפשר להירשם אליו.`,
  noGrade: 'הכיתה שלך אינה רשומה בקליד, ולכן לא ידוע לאיזה מבחן להירשם. בקשו מבית הספר לרשום את הכיתה, ואז היכנסו שוב.',
  registered: 'ההרשמה שלך התקבלה.',
  isRegistered: 'נרשמת למבחן זה.',
  alreadyRegistered: 'כבר נרשמת, ואי אפשר להירשם שוב. ההרשמה הקודמת שלך:',
  trackingCode: 'מספר אסמכתה',
  registeredAt: 'מועד ההרשמה',
  notStudentTitle: 'לתלמידים בלבד',
  notStudentBody: 'ההרשמה למבחן מיועדת לתלמידים בלבד, ולחשבון שלך אין תפקיד של תלמיד.',
};

const en: ExamTexts = {
  appName: 'Gifted-school exam registration',
  audience: 'This service is for students. If you have a student account, sign in with it.',
  gateway: 'Sign-in gateway to the Ministry of Education exams',
  landingTitle: 'Registration for the gifted-school entrance exams',
  landingLead: 'Register for the SAMPAD exam for grade 7 or grade 10 with your Kelid account.',
  homeTitle: 'Exam registration',
  you: 'Student',
  name: 'Name',
  exam: 'Exam',
  exams: { sampad7: 'SAMPAD grade 7', sampad10: 'SAMPAD grade 10' },
  examHints: {
    sampad7: 'Entrance exam for grade 7, for pupils in grade 6',
    sampad10: 'Entrance exam for grade 10, for pupils in grade 9',
  },
  yourExam: 'The exam of your grade',
  yourExamHint: 'Each student registers, in each round, for the exam of their own grade only.',
  registerFor: (exam: string) => `Register for ${exam}`,
  wrongExam: 'That exam is not for your grade. You can register only for the exam of your grade.',
  notEligibleTitle: 'No exam for your grade',
  notEligible: (grade: string) => `The SAMPAD entrance exams are for pupils in grade 6 (entering grade 7) and grade 9 (entering grade 10). Kelid has you in grade ${grade}, so there is no exam for you to register for this year.`,
  noGrade: 'Kelid has no grade recorded for you, so your exam is not known. Ask your school to record your grade, then sign in again.',
  registered: 'You are registered.',
  isRegistered: 'You are registered for this exam.',
  alreadyRegistered: 'You have already registered and cannot register again. Your registration:',
  trackingCode: 'Tracking code',
  registeredAt: 'Registered',
  notStudentTitle: 'Students only',
  notStudentBody: 'Exam registration is for students only, and your account has no student role.',
};

export const texts: Record<Locale, ExamTexts> = { fa, he, en };
