/**
 * The demo's announcements (F30): two public ones from the ministry (on the sign-in page and
 * every home page) and one from the home district for its teachers (on the home page of the
 * teacher at school A, not on the student's), showing from the demo's day.
 */
import type { Insertable } from 'kysely';
import type { Database } from '../db/schema.ts';
import { addDays } from '../domain/announcement.ts';
import type { Profile } from '../domain/profile.ts';

type Texts = { title: string; text: string };

const texts: Record<Profile, { exams: Texts; password: Texts; teachers: Texts }> = {
  ir: {
    exams: {
      title: 'ثبت نام آزمون ورودی پایه هفتم مدارس استعدادهای درخشان',
      text: 'ثبت نام آزمون ورودی پایه هفتم مدارس استعدادهای درخشان (سمپاد) از طریق سامانه آزمون‌ها انجام می‌شود.\nنشانی سامانه: http://localhost:4001',
    },
    password: {
      title: 'اطلاعیه در خصوص فراموشی نام کاربری و رمز عبور سامانه',
      text: 'نام کاربری هر دانش آموز معادل کد ملی اوست.\nاگر رمز عبور خود را فراموش کرده‌اید، در صفحه ورود «رمز ورود را نمیدانم» را بزنید.',
    },
    teachers: {
      title: 'جلسه هماهنگی معلمان منطقه',
      text: 'جلسه هماهنگی معلمان منطقه روز پنجشنبه ساعت ۱۰ در سالن اجتماعات اداره برگزار می‌شود.\nحضور همه معلمان الزامی است.',
    },
  },
  il: {
    exams: {
      title: 'הרשמה למבחני הקבלה לכיתות מחוננים',
      text: 'ההרשמה למבחני הקבלה לכיתות המחוננים נעשית במערכת המבחנים.\nכתובת המערכת: http://localhost:4001',
    },
    password: {
      title: 'הודעה בנושא שם משתמש וסיסמה שנשכחו',
      text: 'שם המשתמש של כל תלמיד הוא מספר תעודת הזהות שלו.\nמי ששכח את הסיסמה לוחץ בדף הכניסה על «שכחתי סיסמה».',
    },
    teachers: {
      title: 'ישיבת תיאום למורי העיר',
      text: 'ישיבת התיאום למורים תתקיים ביום חמישי בשעה 10:00 באולם של מינהל החינוך.\nנוכחות כל המורים נדרשת.',
    },
  },
};

/** The rows to insert: `ministry` and `district` are the demo tree's ids, `today` its civil day. */
export function demoAnnouncements(profile: Profile, ids: { ministry: string; district: string }, today: string): Insertable<Database['announcements']>[] {
  const t = texts[profile];
  return [
    { organization_id: ids.ministry, roles: [], public: true, starts_on: today, ends_on: addDays(today, 180), title: t.password.title, body: t.password.text },
    { organization_id: ids.ministry, roles: [], public: true, starts_on: today, ends_on: addDays(today, 60), title: t.exams.title, body: t.exams.text },
    { organization_id: ids.district, roles: ['teacher'], public: false, starts_on: today, ends_on: addDays(today, 29), title: t.teachers.title, body: t.teachers.text },
  ];
}
