/**
 * The payslips app's words. `فیش حقوقی` is the seeds' name for the service (GLOSSARY.md
 * §11, 000:97). Persian is the base: he and en must have every key.
 */
import type { Locale } from '../shared/locale.ts';
import type { AppTexts } from '../shared/texts.ts';
import type { LineKind } from './sample-data.ts';

const fa = {
  appName: 'فیش حقوقی',
  audience: 'این سامانه برای معلمان و کارکنان آموزش و پرورش است. اگر حساب کارمندی دارید، با آن وارد شوید.',
  landingTitle: 'فیش حقوقی',
  landingLead: 'فیش‌های حقوقی شش ماه گذشته، با حساب کلید.',
  listTitle: 'فیش‌های حقوقی شما',
  sampleNote: 'نمونه: مبلغ‌های این سامانه ساختگی هستند.',
  employee: 'مشخصات کارمند',
  name: 'نام و نام خانوادگی',
  position: 'سمت',
  workplace: 'محل خدمت',
  month: 'ماه',
  item: 'شرح',
  amount: 'مبلغ',
  earnings: 'حقوق و مزایا',
  deductions: 'کسور',
  gross: 'جمع حقوق و مزایا',
  totalDeductions: 'جمع کسور',
  net: 'خالص پرداختی',
  paidOn: 'تاریخ پرداخت',
  period: 'دوره',
  payslipOf: (month: string) => `فیش حقوقی ${month}`,
  lines: {
    base: 'حقوق پایه', seniority: 'افزایش سنواتی', job_allowance: 'فوق العاده شغل', overtime: 'اضافه کار',
    income_tax: 'مالیات', insurance: 'حق بیمه', pension: 'کسور بازنشستگی',
  } satisfies Record<LineKind, string>,
  noPayslipTitle: 'فیش این ماه پیدا نشد',
  noPayslipBody: 'فقط فیش‌های شش ماه گذشته نشان داده می‌شود.',
  backToList: 'بازگشت به فهرست فیش‌ها',
  notStaffTitle: 'فقط معلمان و کارکنان',
  notStaffBody: 'فیش حقوقی فقط برای معلمان و کارکنان است و حساب شما چنین نقشی ندارد.',
};

export type PayslipTexts = typeof fa & AppTexts;

const he: PayslipTexts = {
  appName: 'תלושי שכר',
  audience: 'השירות מיועד למורים ולעובדי מערכת החינוך. אם יש לכם חשבון עובד, היכנסו איתו.',
  landingTitle: 'תלושי שכר',
  landingLead: 'תלושי השכר של ששת החודשים האחרונים, עם חשבון קליד.',
  listTitle: 'תלושי השכר שלך',
  sampleNote: 'לדוגמה בלבד: הסכומים בשירות זה בדויים.',
  employee: 'פרטי העובד',
  name: 'שם מלא',
  position: 'תפקיד',
  workplace: 'מקום עבודה',
  month: 'חודש',
  item: 'רכיב',
  amount: 'סכום',
  earnings: 'תשלומים',
  deductions: 'ניכויים',
  gross: 'ברוטו',
  totalDeductions: 'סך הניכויים',
  net: 'נטו לתשלום',
  paidOn: 'תאריך תשלום',
  period: 'תקופה',
  payslipOf: (month: string) => `תלוש שכר ${month}`,
  lines: {
    base: 'שכר יסוד', seniority: 'תוספת ותק', job_allowance: 'גמול תפקיד', overtime: 'שעות נוספות',
    income_tax: 'מס הכנסה', insurance: 'ביטוח לאומי ובריאות', pension: 'פנסיה',
  },
  noPayslipTitle: 'לא נמצא תלוש לחודש זה',
  noPayslipBody: 'מוצגים רק תלושי ששת החודשים האחרונים.',
  backToList: 'חזרה לרשימת התלושים',
  notStaffTitle: 'למורים ולעובדים בלבד',
  notStaffBody: 'תלושי שכר מוצגים רק למורים ולעובדים, ולחשבונך אין תפקיד כזה.',
};

const en: PayslipTexts = {
  appName: 'Payslips',
  audience: 'This service is for teachers and staff of the education system. If you have a staff account, sign in with it.',
  landingTitle: 'Payslips',
  landingLead: 'Your payslips of the last six months, with your Kelid account.',
  listTitle: 'Your payslips',
  sampleNote: 'Sample only: the amounts in this service are made up.',
  employee: 'Employee',
  name: 'Name',
  position: 'Position',
  workplace: 'Workplace',
  month: 'Month',
  item: 'Item',
  amount: 'Amount',
  earnings: 'Earnings',
  deductions: 'Deductions',
  gross: 'Gross pay',
  totalDeductions: 'Total deductions',
  net: 'Net pay',
  paidOn: 'Paid on',
  period: 'Period',
  payslipOf: (month: string) => `Payslip for ${month}`,
  lines: {
    base: 'Base salary', seniority: 'Seniority', job_allowance: 'Job allowance', overtime: 'Overtime',
    income_tax: 'Income tax', insurance: 'Social and health insurance', pension: 'Pension',
  },
  noPayslipTitle: 'No payslip for this month',
  noPayslipBody: 'Only the payslips of the last six months are shown.',
  backToList: 'Back to your payslips',
  notStaffTitle: 'Teachers and staff only',
  notStaffBody: 'Payslips are for teachers and staff only, and your account has no such role.',
};

export const texts: Record<Locale, PayslipTexts> = { fa, he, en };
