import type { ScimKey } from './fa.ts';

/** Hebrew texts of SCIM (see fa.ts). */
export const heScim: Record<ScimKey, string> = {
  'scim.bound_to': 'SCIM עבור: {organization}',
};
