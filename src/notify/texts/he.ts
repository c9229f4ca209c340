/** Hebrew message texts ("חשבונך נוצר…", GLOSSARY.md §18); the singular "you" of the seeds' emails. */
import type { MessageTexts } from './fa.ts';

export const he: MessageTexts = {
  digitNames: ['אפס', 'אחת', 'שתיים', 'שלוש', 'ארבע', 'חמש', 'שש', 'שבע', 'שמונה', 'תשע'],
  digitSeparator: ', ',
  verificationSms: (code) =>
    `קליד\nקוד האימות שלך: ${code}\nהקוד בתוקף 5 דקות. אין למסור אותו לאף אחד.`,
  verificationVoice: (spoken) =>
    `קוד האימות שלך במערכת קליד: ${spoken}. אני חוזר: ${spoken}.`,
  verificationEmail: (code) => ({
    subject: 'קוד אימות לכתובת המייל - קליד',
    blocks: [
      'שלום,',
      'קוד האימות של כתובת המייל שלך:',
      { code },
      'הקוד בתוקף 5 דקות. אם לא ביקשת להירשם, אפשר להתעלם מהודעה זו.',
      'תודה',
    ],
  }),
  registrationDoneSms: ({ username, url }) =>
    `חשבונך נוצר במערכות משרד החינוך.\nשם המשתמש שלך: ${username}\nכניסה: ${url}`,
  registrationDoneEmail: ({ name, username, url }) => ({
    subject: 'חשבונך נוצר - קליד',
    blocks: [
      `שלום ${name},`,
      `חשבונך נוצר. שם המשתמש שלך: ${username}`,
      'יישומי המשרד עומדים לרשותך ב:',
      { link: url, label: url },
      'הסיסמה היא זו שבחרת בהרשמה; היא לעולם לא תישלח אליך.',
      'תודה',
    ],
  }),
  reminderSms: ({ deadline, url }) =>
    `תזכורת: יש להשלים את הפרטים בחשבונך עד ${deadline}, אחרת החשבון יימחק.\n${url}`,
  reminderEmail: ({ name, deadline, url }) => ({
    subject: 'תזכורת: השלמת הפרטים בחשבונך',
    blocks: [
      `שלום ${name},`,
      `ההרשמה שלך עדיין לא הושלמה. יש להשלים את הפרטים בחשבונך עד ${deadline}; אחרת החשבון והפרטים שבו יימחקו.`,
      { link: url, label: url },
      'תודה',
    ],
  }),
  passwordChangedSms: () =>
    'קליד: הסיסמה שלך שונתה. אם לא אתה שינית אותה, פנה מיד לתמיכה.',
  passwordChangedEmail: (name) => ({
    subject: 'הסיסמה שלך שונתה - קליד',
    blocks: [
      `שלום ${name},`,
      'הסיסמה שלך למערכות משרד החינוך שונתה בהצלחה.',
      'אם לא אתה שינית אותה, פנה מיד לתמיכה.',
      'תודה',
    ],
  }),
  recoverySms: (code) =>
    `קליד\nקוד לשחזור הסיסמה שלך: ${code}\nהקוד בתוקף 5 דקות. אין למסור אותו לאף אחד. אם לא ביקשת, אפשר להתעלם מהודעה זו.`,
  recoveryLinkEmail: (url, minutes) => ({
    subject: 'שחזור סיסמה - קליד',
    blocks: [
      'שלום,',
      'לבחירת סיסמה חדשה בקליד, לחצו על הקישור:',
      { link: url, label: 'בחירת סיסמה חדשה' },
      `הקישור פועל פעם אחת בלבד, במשך ${minutes} דקות. אם לא ביקשת, אפשר להתעלם מהודעה זו: הסיסמה שלך לא תשתנה.`,
      'תודה',
    ],
  }),
  signInCodeSms: (code) =>
    `קליד\nקוד האימות שלך לכניסה: ${code}\nהקוד בתוקף 5 דקות. אין למסור אותו לאף אחד, גם לא למוקד התמיכה.`,
  signInCodeVoice: (spoken) =>
    `קוד האימות שלך לכניסה לקליד: ${spoken}. שוב: ${spoken}.`,
};
