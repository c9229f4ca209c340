import type { ScimKey } from './fa.ts';

/** English texts of SCIM (see fa.ts). */
export const enScim: Record<ScimKey, string> = {
  'scim.bound_to': 'SCIM for: {organization}',
};
