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
  chooseExam: 'آزمون خود را انتخاب کنید',
  chooseExamHint: 'هر دانش آموز در هر دوره فقط در یکی از این دو آزمون ثبت نام می‌کند.',
  mustChoose: 'لطفاً یکی از دو آزمون را انتخاب کنید.',
  register: 'ثبت نام',
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
  landingLead: 'הרשמה למבחן סמפאד לכיתה ז׳ ולכיתה י׳, עם חשבון קליד.',
  homeTitle: 'הרשמה למבחן',
  you: 'פרטי התלמיד',
  name: 'שם מלא',
  exam: 'מבחן',
  exams: { sampad7: 'סמפאד כיתה ז׳', sampad10: 'סמפאד כיתה י׳' },
  examHints: {
    sampad7: 'מבחן הכניסה לכיתה ז׳, לתלמידי כיתה ו׳',
    sampad10: 'מבחן הכניסה לכיתה י׳, לתלמידי כיתה ט׳',
  },
  chooseExam: 'בחרו את המבחן',
  chooseExamHint: 'כל תלמיד נרשם בכל מחזור לאחד משני המבחנים בלבד.',
  mustChoose: 'נא לבחור אחד משני המבחנים.',
  register: 'הרשמה',
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
  chooseExam: 'Choose your exam',
  chooseExamHint: 'Each student registers for one of the two exams per round.',
  mustChoose: 'Please choose one of the two exams.',
  register: 'Register',
  registered: 'You are registered.',
  isRegistered: 'You are registered for this exam.',
  alreadyRegistered: 'You have already registered and cannot register again. Your registration:',
  trackingCode: 'Tracking code',
  registeredAt: 'Registered',
  notStudentTitle: 'Students only',
  notStudentBody: 'Exam registration is for students only, and your account has no student role.',
};

export const texts: Record<Locale, ExamTexts> = { fa, he, en };
