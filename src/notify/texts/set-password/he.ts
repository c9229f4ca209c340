/** Hebrew texts of the set-password emails: seed 3's subjects and notice (GLOSSARY.md §18–§19), the singular "you" of its emails. */
import { pluralCategory } from '../../../i18n/plural.ts';
import type { InvitationText, SetPasswordTexts } from './fa.ts';

/** "שעה אחת", "שעתיים", "72 שעות": Hebrew's dual for two hours. */
const hebrewHours = ({ count, written }: InvitationText['hours']) =>
  ({ one: 'שעה אחת', two: 'שעתיים' } as Partial<Record<Intl.LDMLPluralRule, string>>)[pluralCategory('he', count)] ?? `${written} שעות`;

export const heSetPassword: SetPasswordTexts = {
  invitationEmail: ({ name, url, hours, account }) => ({
    subject: 'סיסמה למערכות משרד החינוך באינטרנט', // 002:35
    blocks: [
      `שלום ${name},`,
      account === 'new'
        ? 'נפתח עבורך חשבון במערכות משרד החינוך. כדי לקבוע סיסמה לחץ על הקישור:'
        : 'נשלח אליך קישור לקביעת סיסמה חדשה לחשבונך במערכות משרד החינוך. כדי לקבוע סיסמה לחץ על הקישור:',
      { link: url, label: 'לקביעת סיסמה לחץ כאן' }, // 002:35 (באן: OCR damage of כאן, A18)
      `הקישור בתוקף ${hebrewHours(hours)} וניתן להשתמש בו פעם אחת. בקביעת הסיסמה תתבקש להקליד את מספר הזהות שלך.`,
      account === 'new' ? 'אם לא ציפית להודעה זו, אפשר להתעלם ממנה.' : 'אם לא ציפית להודעה זו, אפשר להתעלם ממנה: הסיסמה הנוכחית שלך לא תשתנה.',
      'תודה',
    ],
  }),
  setPasswordDoneEmail: ({ name, userCode, url }) => ({
    subject: 'אישור סיום תהליך קביעת סיסמה למערכות משרד החינוך באינטרנט', // 002:75
    blocks: [
      `שלום ${name},`,
      'הסיסמה שלך נקבעה בהצלחה. קוד המשתמש שלכם:',
      { code: userCode },
      'קוד המשתמש שלכם הנו קבוע ואינו ניתן לשינוי!', // 002:78
      'כעת ניתן לחזור לפורטל ולהזדהות עם קוד המשתמש והסיסמה החדשה שהגדרתם.', // 002:80 (בעת: OCR damage of כעת)
      { link: url, label: url },
      'אם לא אתה קבעת את הסיסמה, פנה מיד לתמיכה.',
      'תודה',
    ],
  }),
  emailChangeCode: (code) => ({
    subject: 'קוד אימות לכתובת המייל - קליד',
    blocks: [
      'שלום,',
      'קוד האימות של כתובת המייל החדשה שלך:',
      { code },
      'הקוד בתוקף 5 דקות. אם לא ביקשת זאת, אפשר להתעלם מהודעה זו.',
      'תודה',
    ],
  }),
};
