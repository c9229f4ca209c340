import type { ScimKey } from './fa.ts';

/** Arabic texts of SCIM (see fa.ts). */
export const arScim: Record<ScimKey, string> = {
  'scim.bound_to': 'SCIM لـ: {organization}',
};
