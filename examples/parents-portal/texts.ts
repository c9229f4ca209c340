/**
 * The parents portal's words. Hebrew from GLOSSARY.md §21 (002:90): `פורטל הורים`,
 * `מידע על ילדיך`, `מועדי וציוני בחינות בגרות`, `החלטות וועדות החינוך המיוחד`,
 * `לקבלת נתונים אישיים יש להזדהות עם פרטי ההורה`. Persian names Iran's equivalents: the
 * final exams (امتحانات نهایی) and the exceptional-education commission. Persian is the
 * base: he and en must have every key.
 */
import type { Locale } from '../shared/locale.ts';
import type { AppTexts } from '../shared/texts.ts';
import type { DecisionKind, Subject } from './sample-data.ts';

const fa = {
  appName: 'پورتال اولیا',
  audience: 'این پورتال برای پدران، مادران و سرپرستان دانش آموزان است. اگر حساب ولی دارید، با آن وارد شوید.',
  landingTitle: 'پورتال اولیا',
  landingLead: 'اطلاعات فرزندان شما: زمان و نمره امتحانات نهایی و تصمیم‌های کمیسیون آموزش و پرورش استثنایی.',
  identifyNote: 'برای دیدن اطلاعات شخصی باید با حساب ولی وارد شوید.',
  childrenTitle: 'اطلاعات فرزندان شما',
  sampleNote: 'نمونه: نمره‌ها و تصمیم‌های این پورتال ساختگی هستند.',
  noChildren: 'هیچ فرزندی در کلید به حساب شما پیوند داده نشده است.',
  exams: 'زمان و نمره امتحانات نهایی',
  decisions: 'تصمیم‌های کمیسیون آموزش و پرورش استثنایی',
  name: 'نام و نام خانوادگی',
  subject: 'درس',
  date: 'تاریخ',
  mark: 'نمره',
  scale: (top: string) => `نمره‌ها از ${top}`,
  notYetHeld: 'هنوز برگزار نشده',
  noExams: (grade: string) => `امتحانات نهایی از پایه ${grade} برگزار می‌شود.`,
  noDecisions: 'برای این دانش آموز تصمیمی ثبت نشده است.',
  decidedOn: 'تاریخ تصمیم',
  decision: 'تصمیم',
  notYourChildTitle: 'این دانش آموز در فهرست فرزندان شما نیست',
  notYourChildBody: 'فقط اطلاعات فرزندانی نشان داده می‌شود که در کلید به حساب شما پیوند داده شده‌اند.',
  backToChildren: 'بازگشت به فهرست فرزندان',
  subjects: {
    math: 'ریاضی', physics: 'فیزیک', chemistry: 'شیمی', biology: 'زیست شناسی', literature: 'ادبیات',
    arabic: 'عربی', english: 'زبان انگلیسی', religion: 'دین و زندگی', history: 'تاریخ',
    hebrew: 'زبان عبری', civics: 'تعلیمات مدنی', bible: 'تنخ',
  } satisfies Record<Subject, string>,
  decisionKinds: {
    inclusion: 'تحصیل در مدرسه عادی با خدمات آموزشی ویژه',
    special_class: 'کلاس ویژه در مدرسه عادی',
    special_school: 'تحصیل در مدرسه استثنایی',
    exam_accommodations: 'شرایط ویژه در امتحانات (وقت اضافه)',
    remedial_hours: 'ساعت‌های آموزش جبرانی',
    not_eligible: 'نیاز به خدمات آموزش و پرورش استثنایی تشخیص داده نشد',
  } satisfies Record<DecisionKind, string>,
};

export type PortalTexts = typeof fa & AppTexts;

const he: PortalTexts = {
  appName: 'פורטל הורים',
  audience: 'הפורטל מיועד להורים ולאפוטרופוסים של תלמידים. אם יש לכם חשבון הורה, היכנסו איתו.',
  landingTitle: 'פורטל הורים',
  landingLead: 'מידע על ילדיך: מועדי וציוני בחינות בגרות והחלטות וועדות החינוך המיוחד.',
  identifyNote: 'לקבלת נתונים אישיים יש להזדהות עם פרטי ההורה',
  childrenTitle: 'מידע על ילדיך',
  sampleNote: 'לדוגמה בלבד: הציונים וההחלטות בפורטל זה בדויים.',
  noChildren: 'אין ילדים המקושרים לחשבונך בקליד.',
  exams: 'מועדי וציוני בחינות בגרות',
  decisions: 'החלטות וועדות החינוך המיוחד',
  name: 'שם מלא',
  subject: 'מקצוע',
  date: 'תאריך',
  mark: 'ציון',
  scale: (top: string) => `הציונים מתוך ${top}`,
  notYetHeld: 'טרם התקיימה',
  noExams: (grade: string) => `בחינות הבגרות מתחילות בכיתה ${grade}.`,
  noDecisions: 'לא נרשמו החלטות לגבי תלמיד זה.',
  decidedOn: 'תאריך ההחלטה',
  decision: 'החלטה',
  notYourChildTitle: 'תלמיד זה אינו ברשימת ילדיך',
  notYourChildBody: 'מוצג רק מידע על ילדים המקושרים לחשבונך בקליד.',
  backToChildren: 'חזרה לרשימת הילדים',
  subjects: {
    math: 'מתמטיקה', physics: 'פיזיקה', chemistry: 'כימיה', biology: 'ביולוגיה', literature: 'ספרות',
    arabic: 'ערבית', english: 'אנגלית', religion: 'דת וחיים', history: 'היסטוריה',
    hebrew: 'לשון', civics: 'אזרחות', bible: 'תנ״ך',
  },
  decisionKinds: {
    inclusion: 'שילוב בבית ספר רגיל עם תמיכה',
    special_class: 'כיתת חינוך מיוחד בבית ספר רגיל',
    special_school: 'בית ספר לחינוך מיוחד',
    exam_accommodations: 'התאמות בבחינות (תוספת זמן)',
    remedial_hours: 'שעות הוראה מתקנת',
    not_eligible: 'לא נמצאה זכאות לחינוך מיוחד',
  },
};

const en: PortalTexts = {
  appName: 'Parents portal',
  audience: 'This portal is for parents and guardians of students. If you have a parent account, sign in with it.',
  landingTitle: 'Parents portal',
  landingLead: 'Information about your children: matriculation exam dates and grades, and special-education committee decisions.',
  identifyNote: 'To see personal data, sign in with the parent\'s account.',
  childrenTitle: 'Information about your children',
  sampleNote: 'Sample only: the grades and decisions in this portal are made up.',
  noChildren: 'No children are linked to your Kelid account.',
  exams: 'Matriculation exam dates and grades',
  decisions: 'Special-education committee decisions',
  name: 'Name',
  subject: 'Subject',
  date: 'Date',
  mark: 'Grade',
  scale: (top: string) => `Grades out of ${top}`,
  notYetHeld: 'Not yet held',
  noExams: (grade: string) => `Matriculation exams begin in grade ${grade}.`,
  noDecisions: 'No decisions are recorded for this student.',
  decidedOn: 'Decided on',
  decision: 'Decision',
  notYourChildTitle: 'This student is not one of your children',
  notYourChildBody: 'Only children linked to your Kelid account are shown.',
  backToChildren: 'Back to your children',
  subjects: {
    math: 'Mathematics', physics: 'Physics', chemistry: 'Chemistry', biology: 'Biology', literature: 'Literature',
    arabic: 'Arabic', english: 'English', religion: 'Religion and life', history: 'History',
    hebrew: 'Hebrew language', civics: 'Civics', bible: 'Bible studies',
  },
  decisionKinds: {
    inclusion: 'Inclusion in a regular school, with support',
    special_class: 'Special-education class in a regular school',
    special_school: 'Special-education school',
    exam_accommodations: 'Exam accommodations (extra time)',
    remedial_hours: 'Remedial teaching hours',
    not_eligible: 'Not eligible for special education',
  },
};

export const texts: Record<Locale, PortalTexts> = { fa, he, en };
