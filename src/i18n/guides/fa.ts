/**
 * Persian texts of the guides' pages (F31): the index, the headings of a guide, and the
 * "guide" link beside each form; the guides themselves are in src/guides/. The other
 * locales fill the same keys (a missing one is a type error).
 */
export const faGuidesText = {
  'guides.title': 'راهنما',
  'guides.intro': 'راهنمای کوتاه هر بخش سامانه: آنچه پیش از شروع لازم دارید، مراحل کار، و اگر مشکلی پیش آمد چه کنید.',
  'guides.for_everyone': 'ورود و حساب کاربری',
  'guides.for_admins': 'مدیریت کاربران',
  'guides.link': 'راهنما',
  'guides.before': 'پیش از شروع',
  'guides.steps': 'مراحل',
  'guides.problems': 'اگر مشکلی پیش آمد',
  'guides.help': 'کمک بیشتر',
  'guides.all': 'همه راهنماها',
  'guides.footer': 'راهنمای سامانه',
} as const;

export type GuidesTextKey = keyof typeof faGuidesText;
