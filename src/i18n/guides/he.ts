import type { GuidesTextKey } from './fa.ts';

/** Hebrew texts of the guides' pages (see fa.ts). */
export const heGuidesText: Record<GuidesTextKey, string> = {
  'guides.title': 'מדריכים',
  'guides.intro': 'מדריך קצר לכל חלק במערכת: מה צריך לפני שמתחילים, השלבים, ומה עושים אם משהו משתבש.',
  'guides.for_everyone': 'כניסה וחשבון',
  'guides.for_admins': 'ניהול משתמשים',
  'guides.link': 'מדריך',
  'guides.before': 'לפני שמתחילים',
  'guides.steps': 'השלבים',
  'guides.problems': 'אם משהו משתבש',
  'guides.help': 'עזרה נוספת',
  'guides.all': 'כל המדריכים',
  'guides.footer': 'מדריכים למערכת',
};
