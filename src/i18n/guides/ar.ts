import type { GuidesTextKey } from './fa.ts';

/** Arabic texts of the guides' pages (see fa.ts; the words are those of docs/arabic-terms.md). */
export const arGuidesText: Record<GuidesTextKey, string> = {
  'guides.title': 'أدلة الاستخدام',
  'guides.intro': 'دليل قصير لكل جزء من النظام: ما تحتاج إليه قبل أن تبدأ، والخطوات، وما تفعله إذا حدث خطأ.',
  'guides.for_everyone': 'تسجيل الدخول وحسابك',
  'guides.for_admins': 'إدارة المستخدمين',
  'guides.link': 'دليل الاستخدام',
  'guides.before': 'قبل أن تبدأ',
  'guides.steps': 'الخطوات',
  'guides.problems': 'إذا حدث خطأ',
  'guides.help': 'مزيد من المساعدة',
  'guides.all': 'كل الأدلة',
  'guides.footer': 'أدلة الاستخدام',
};
