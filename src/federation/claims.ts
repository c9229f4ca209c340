/**
 * The claims Kelid gives apps (issue 10 §3, DESIGN.md Contracts), by scope:
 *
 *   profile       given_name, family_name, name, locale, user_code
 *   national_id   national_id
 *   phone         phone_number, phone_number_verified
 *   email         email, email_verified
 *   roles         roles: the active appointments; acting_as: the one chosen for this app
 *   children      a parent's linked children: national_id, given_name, family_name, school, grade
 *
 * `sub` is the account's id, never the national ID; third-party apps get a pairwise one.
 * Ended and future appointments never appear; nor does a chosen role that has since ended.
 */
import { createHmac } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Role } from '../db/schema.ts';
import { activeMemberships } from '../identity/memberships.ts';

export const CLAIMS_BY_SCOPE = {
  // How and when the person signed in (acr, amr, auth_time) and the session (sid: back-channel logout) go with every ID token.
  openid: ['sub', 'acr', 'amr', 'auth_time', 'sid'],
  profile: ['given_name', 'family_name', 'name', 'locale', 'user_code'],
  national_id: ['national_id'],
  phone: ['phone_number', 'phone_number_verified'],
  email: ['email', 'email_verified'],
  roles: ['roles', 'acting_as'],
  children: ['children'],
} as const;

export type RoleClaim = {
  role: Role; organization: string; organization_id: string; organization_type: string;
  district: string | null; province: string | null; starts_on: string; ends_on: string | null; grade?: number;
};
export type ChildClaim = { national_id: string | null; given_name: string; family_name: string; school: string | null; grade: number | null };

/** A pairwise subject for a third-party app: stable for one app (its sector), unlinkable across apps. */
export const pairwiseSubject = (key: Buffer, sector: string, accountId: string) =>
  createHmac('sha256', key).update(`${sector}\u0000${accountId}`).digest('base64url');

export type ClaimsContext = { db: Db; today: string; defaultLocale: string };

/** Every claim of the account the scopes allow; undefined for an account that no longer exists or is disabled. */
export async function accountClaims(
  deps: ClaimsContext, accountId: string, scopes: ReadonlySet<string>, grantId: string | undefined,
): Promise<Record<string, unknown> | undefined> {
  const person = await deps.db.selectFrom('accounts as a').innerJoin('people as p', 'p.id', 'a.person_id')
    .select(['a.id', 'a.status', 'a.user_code', 'a.mobile', 'a.email', 'a.email_verified_at', 'a.locale', 'p.id as person_id', 'p.national_id', 'p.first_name', 'p.last_name'])
    .where('a.id', '=', accountId).executeTakeFirst();
  if (!person || person.status === 'disabled') return undefined;
  const claims: Record<string, unknown> = { sub: accountId };
  if (scopes.has('profile')) {
    Object.assign(claims, {
      given_name: person.first_name, family_name: person.last_name, name: `${person.first_name} ${person.last_name}`,
      locale: person.locale ?? deps.defaultLocale, user_code: person.user_code,
    });
  }
  if (scopes.has('national_id') && person.national_id !== null) claims.national_id = person.national_id;
  if (scopes.has('phone') && person.mobile !== null) Object.assign(claims, { phone_number: person.mobile, phone_number_verified: true });
  // Verified only when the person proved the address (a code at registration, an emailed link); an imported one is not.
  if (scopes.has('email') && person.email !== null) Object.assign(claims, { email: person.email, email_verified: person.email_verified_at !== null });
  if (scopes.has('roles')) {
    const memberships = await activeMemberships(deps.db, accountId, deps.today);
    const grades = await gradesOf(deps.db, memberships.map((m) => m.id));
    claims.roles = memberships.map((m): RoleClaim => ({
      role: m.role, organization: m.organization.name, organization_id: m.organization.id, organization_type: m.organization.type,
      district: m.district, province: m.province, starts_on: m.startsOn, ends_on: m.endsOn,
      ...(grades.get(m.id) === undefined ? {} : { grade: grades.get(m.id)! }),
    }));
    const acting = grantId === undefined ? undefined : await actingMembership(deps.db, grantId, accountId);
    const chosen = memberships.find((m) => m.id === acting);
    if (chosen) claims.acting_as = { role: chosen.role, organization: chosen.organization.name, organization_id: chosen.organization.id };
  }
  if (scopes.has('children')) claims.children = await childrenOf(deps.db, person.person_id, deps.today);
  return claims;
}

async function gradesOf(db: Db, membershipIds: string[]): Promise<Map<string, number>> {
  if (membershipIds.length === 0) return new Map();
  const rows = await db.selectFrom('memberships').select(['id', 'grade']).where('id', 'in', membershipIds).where('grade', 'is not', null).execute();
  return new Map(rows.map((row) => [row.id, row.grade!]));
}

/** The membership the person chose to act as in the app of this grant, if any. */
export async function actingMembership(db: Db, grantId: string, accountId: string): Promise<string | undefined> {
  const row = await db.selectFrom('oidc_acting').select('membership_id').where('grant_id', '=', grantId).where('account_id', '=', accountId).executeTakeFirst();
  return row?.membership_id ?? undefined;
}

/** A parent's linked children, with the school and grade of each child's appointment as a student today. */
async function childrenOf(db: Db, parentPersonId: string, today: string): Promise<ChildClaim[]> {
  const rows = await sql<ChildClaim>`
    select c.national_id, c.first_name as given_name, c.last_name as family_name, s.school, s.grade
    from guardianships g join people c on c.id = g.child_person_id
    left join lateral (
      select o.name as school, m.grade from accounts a join memberships m on m.account_id = a.id join organizations o on o.id = m.organization_id
      where a.person_id = c.id and m.role = 'student' and m.approved and m.starts_on <= ${today}::date and (m.ends_on is null or m.ends_on >= ${today}::date)
      order by m.starts_on desc limit 1
    ) s on true
    where g.parent_person_id = ${parentPersonId}
    order by c.first_name, c.national_id`.execute(db);
  return rows.rows;
}
