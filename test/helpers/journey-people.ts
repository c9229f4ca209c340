// The people of the keyboard journeys (test/a11y/keyboard-journeys.test.ts): the demo data's
// principal (two roles, a birth-certificate serial and a mobile for recovery), a father with a
// mobile, a student; and, one a locale, an applicant in the registry without an account and a
// parent appointed at the principal's school without a password.
import type { Locale } from '../../src/config.ts';
import { demoKeys, loadDemoData } from '../../src/demo/demo-data.ts';
import { locales } from '../../src/i18n/catalogs.ts';
import { formatDate, formattingFor } from '../../src/i18n/format.ts';
import { deriveKeys } from '../../src/secrets.ts';
import type { TestApp } from './app.ts';
import { nationalIdFor } from './fixtures.ts';
import { invitedPerson } from './set-password.ts';

export const DEMO_PASSWORD = 'Kelid-Demo-1405';
export const DEMO_DAY = '2026-11-25';
export const PRINCIPAL = { nationalId: '0012345679', serial: '123456', mobile: '09121234567', phone: '+989121234567' };
export const FATHER = { nationalId: '0056789122', phone: '+989121112233' };
export const STUDENT = '0045678911';

/** The applicant of a locale (a national ID the demo does not use); the birth date typed as the page writes dates in that language. */
export const applicantFor = (locale: Locale) => {
  const i = locales.indexOf(locale as (typeof locales)[number]);
  return {
    nationalId: nationalIdFor(987_000 + i), firstName: 'سارا', lastName: 'احمدی', birthIso: '2005-09-06',
    birthDate: formatDate('2005-09-06', formattingFor(locale, 'ir')), mobile: `0912345678${i}`, email: `applicant-${locale}@example.org`,
  };
};

export type Invitee = { nationalId: string; email: string; accountId: string };

/**
 * Loads the demo data on the fixed day, the applicants into the registry, and the invitees at
 * the principal's school (appointed this school year); answers each locale's invitee.
 */
export async function seedJourneyPeople(t: TestApp): Promise<Record<string, Invitee>> {
  t.clock.set(new Date(`${DEMO_DAY}T08:00:00Z`));
  await loadDemoData(t.handle, { profile: 'ir', password: DEMO_PASSWORD, hasher: t.hasher, today: DEMO_DAY, ...demoKeys(deriveKeys(t.config.secret!)) });
  const db = t.handle.db;
  for (const locale of locales) {
    const person = applicantFor(locale);
    await db.insertInto('people').values({ national_id: person.nationalId, first_name: person.firstName, last_name: person.lastName, birth_date: person.birthIso }).execute();
  }
  const schoolA = await db.selectFrom('memberships as m').innerJoin('accounts as a', 'a.id', 'm.account_id').innerJoin('people as p', 'p.id', 'a.person_id')
    .select('m.organization_id').where('p.national_id', '=', PRINCIPAL.nationalId).where('m.role', '=', 'principal').executeTakeFirstOrThrow();
  const invitees: Record<string, Invitee> = {};
  for (const [i, locale] of locales.entries()) {
    const invitee = { nationalId: nationalIdFor(988_000 + i), email: `invitee-${locale}@example.org` };
    const { accountId } = await invitedPerson(db, { ...invitee, organizationId: schoolA.organization_id, role: 'mother' });
    // In this school year (the helper's appointment ends before the fixed day).
    await db.updateTable('memberships').set({ starts_on: '2026-09-23', ends_on: '2027-09-22' }).where('account_id', '=', accountId).execute();
    invitees[locale] = { ...invitee, accountId };
  }
  return invitees;
}
