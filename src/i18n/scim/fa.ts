/**
 * Persian texts of SCIM for school information systems (issue 13 §6): the console's clients
 * page names the organization a SCIM client keeps; the other locales fill the same keys. The
 * audit's words for SCIM's events are in admin/fa.ts, with every other event's.
 */
export const faScim = {
  'scim.bound_to': 'SCIM برای: {organization}',
} as const;

export type ScimKey = keyof typeof faScim;
