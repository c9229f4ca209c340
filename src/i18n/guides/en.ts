import type { GuidesTextKey } from './fa.ts';

/** English texts of the guides' pages (see fa.ts). */
export const enGuidesText: Record<GuidesTextKey, string> = {
  'guides.title': 'Guides',
  'guides.intro': 'A short guide to each part of the system: what you need before you start, the steps, and what to do when something goes wrong.',
  'guides.for_everyone': 'Signing in and your account',
  'guides.for_admins': 'User management',
  'guides.link': 'Guide',
  'guides.before': 'Before you start',
  'guides.steps': 'Steps',
  'guides.problems': 'If something goes wrong',
  'guides.help': 'More help',
  'guides.all': 'All guides',
  'guides.footer': 'Guides',
};
