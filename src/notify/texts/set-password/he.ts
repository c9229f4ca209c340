/** Hebrew texts of the set-password emails: seed 3's subjects and notice (GLOSSARY.md §18–§19), the singular "you" of its emails. */
import type { SetPasswordTexts } from './fa.ts';

export const heSetPassword: SetPasswordTexts = {
  invitationEmail: ({ name, url, hours }) => ({
    subject: 'סיסמה למערכות משרד החינוך באינטרנט', // 002:35
    blocks: [
      `שלום ${name},`,
      'נפתח עבורך חשבון במערכות משרד החינוך. כדי לקבוע סיסמה לחץ על הקישור:',
      { link: url, label: 'לקביעת סיסמה לחץ כאן' }, // 002:35 (באן: OCR damage of כאן, A18)
      `הקישור בתוקף ${hours} שעות וניתן להשתמש בו פעם אחת. בקביעת הסיסמה תתבקש להקליד את מספר הזהות שלך.`,
      'אם לא ציפית להודעה זו, אפשר להתעלם ממנה.',
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
