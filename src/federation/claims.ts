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
import type { KeyObject } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import { batched } from '../db/batched.ts';
import type { Db } from '../db/database.ts';
import { KEYED } from '../db/keyed.ts';
import type { Role } from '../db/schema.ts';
import { activeMembershipsJson, activeOn, type MembershipView } from '../identity/memberships.ts';
import { hmacSha256 } from '../secrets.ts';

export const CLAIMS_BY_SCOPE = {
  // How and when the person signed in (acr, amr, auth_time) go with every ID token; the session (sid)
  // with those of apps registered for back-channel logout (upstream's Client#includeSid), whose logout tokens name it.
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

/**
 * A pairwise subject for a third-party app (OIDC Core §8.1), base64url of an HMAC-SHA-256 of
 * the app's sector (clients.ts pairwiseSectorOf: a random value of its registration) and the
 * account: stable for one app, whatever its redirect URIs' host, and unlinkable across apps,
 * two on one host or one registered again under a removed app's client ID included (issue 10:
 * "pairwise per client"; a sector by host would give apps on one host one `sub`).
 */
export const pairwiseSubject = (key: Buffer | KeyObject, sector: string, accountId: string) =>
  hmacSha256(key, `${sector}\u0000${accountId}`).toString('base64url');

export type ClaimsContext = { db: Db; today: string; defaultLocale: string };

type ClaimsRow = {
  status: string; user_code: string; mobile: string | null; email: string | null; email_verified_at: Date | null; locale: string | null;
  national_id: string | null; first_name: string; last_name: string;
  memberships?: MembershipView[]; grades?: Record<string, number> | null; acting?: string | null; children?: ChildClaim[];
};

/** An account as read for claims: only the scopes it was read for can be answered from it. */
export type ClaimsSource = { accountId: string; scopes: ReadonlySet<string>; row: ClaimsRow };

/**
 * The account with what the claims of `scopes` need; undefined for an account that no longer
 * exists or is disabled. One statement whatever the scopes (the roles, their grades, the role
 * chosen for the grant and a parent's children are subqueries of it): the provider checks the
 * account and asks for its claims on every code exchange, refresh and userinfo call, so this
 * one statement does both. Under load it is shared: requests that want accounts read for the
 * same scopes at the same time get them from one statement (db/batched.ts).
 */
export async function readAccount(
  deps: ClaimsContext, accountId: string, scopes: ReadonlySet<string>, grantId: string | undefined,
): Promise<ClaimsSource | undefined> {
  const person = await reader(deps, scopes.has('roles'), scopes.has('children'))({ accountId, grantId });
  if (!person || person.status === 'disabled') return undefined;
  return { accountId, scopes, row: person };
}

type Wanted = { accountId: string; grantId: string | undefined };
type Reader = (wanted: Wanted) => Promise<ClaimsRow | undefined>;
/** Per database, one shared statement for each kind of read (what it reads, and today's date). */
const readers = new WeakMap<Db, Map<string, Reader>>();

function reader(deps: ClaimsContext, roles: boolean, children: boolean): Reader {
  const kind = `${roles} ${children} ${deps.today}`;
  let kinds = readers.get(deps.db);
  if (!kinds) readers.set(deps.db, kinds = new Map());
  const known = kinds.get(kind);
  if (known) return known;
  // Four kinds a day: what is left is yesterday's (callers already waiting on one still get their answer).
  if (kinds.size >= 8) kinds.clear();
  const read = batched(async (wanted: readonly Wanted[]) => {
    const { rows } = await sql<ClaimsRow & { n: string }>`${sql.raw(KEYED)}
      select k.n, a.status, a.user_code, a.mobile, a.email, a.email_verified_at, a.locale, p.national_id, p.first_name, p.last_name
      ${roles ? sql`, ${activeMembershipsJson(sql`a.id`, deps.today)} as memberships,
        (select json_object_agg(m.id, m.grade) from memberships m where m.account_id = a.id and m.grade is not null) as grades,
        (select membership_id from oidc_acting where grant_id = k.grant_id and account_id = a.id) as acting` : sql``}
      ${children ? sql`, ${childrenJson(sql`p.id`, deps.today)} as children` : sql``}
      from unnest(${wanted.map((w) => w.accountId)}::uuid[], ${wanted.map((w) => w.grantId ?? null)}::text[]) with ordinality as k(account_id, grant_id, n)
      join accounts a on a.id = k.account_id join people p on p.id = a.person_id`.execute(deps.db);
    const byPlace = new Map(rows.map(({ n, ...row }) => [Number(n), row]));
    return wanted.map((_, i) => byPlace.get(i + 1));
  });
  kinds.set(kind, read);
  return read;
}

/** Every claim the scopes allow, from an account read for them (or for more). */
export function claimsFrom(source: ClaimsSource, scopes: ReadonlySet<string>, defaultLocale: string): { sub: string } & Record<string, unknown> {
  const { row: person } = source;
  const claims: { sub: string } & Record<string, unknown> = { sub: source.accountId };
  if (scopes.has('profile')) {
    Object.assign(claims, {
      given_name: person.first_name, family_name: person.last_name, name: `${person.first_name} ${person.last_name}`,
      locale: person.locale ?? defaultLocale, user_code: person.user_code,
    });
  }
  if (scopes.has('national_id') && person.national_id !== null) claims.national_id = person.national_id;
  if (scopes.has('phone') && person.mobile !== null) Object.assign(claims, { phone_number: person.mobile, phone_number_verified: true });
  // Verified only when the person proved the address (a code at registration, an emailed link); an imported one is not.
  if (scopes.has('email') && person.email !== null) Object.assign(claims, { email: person.email, email_verified: person.email_verified_at !== null });
  if (scopes.has('roles')) {
    const memberships = person.memberships ?? [];
    const grades = person.grades ?? {};
    claims.roles = memberships.map((m): RoleClaim => ({
      role: m.role, organization: m.organization.name, organization_id: m.organization.id, organization_type: m.organization.type,
      district: m.district, province: m.province, starts_on: m.startsOn, ends_on: m.endsOn,
      ...(grades[m.id] === undefined ? {} : { grade: grades[m.id]! }),
    }));
    const chosen = memberships.find((m) => m.id === person.acting);
    if (chosen) claims.acting_as = { role: chosen.role, organization: chosen.organization.name, organization_id: chosen.organization.id };
  }
  if (scopes.has('children')) claims.children = person.children ?? [];
  return claims;
}

/** Whether every scope asked was read. */
export const readFor = (source: ClaimsSource, scopes: ReadonlySet<string>) => [...scopes].every((scope) => source.scopes.has(scope));

/** Every claim of the account the scopes allow; undefined for an account that no longer exists or is disabled. */
export async function accountClaims(
  deps: ClaimsContext, accountId: string, scopes: ReadonlySet<string>, grantId: string | undefined,
): Promise<Record<string, unknown> | undefined> {
  const source = await readAccount(deps, accountId, scopes, grantId);
  return source && claimsFrom(source, scopes, deps.defaultLocale);
}

/** The membership the person chose to act as in the app of this grant, if any. */
export async function actingMembership(db: Db, grantId: string, accountId: string): Promise<string | undefined> {
  const row = await db.selectFrom('oidc_acting').select('membership_id').where('grant_id', '=', grantId).where('account_id', '=', accountId).executeTakeFirst();
  return row?.membership_id ?? undefined;
}

/** A parent's linked children, with the school and grade of each child's appointment as a student today, as one JSON array. */
function childrenJson(parentPersonId: RawBuilder<unknown>, today: string): RawBuilder<ChildClaim[]> {
  return sql<ChildClaim[]>`coalesce((
    select json_agg(json_build_object('national_id', c.national_id, 'given_name', c.first_name, 'family_name', c.last_name, 'school', s.school, 'grade', s.grade)
      order by c.first_name, c.national_id)
    from guardianships g join people c on c.id = g.child_person_id
    left join lateral (
      select o.name as school, m.grade from accounts a join memberships m on m.account_id = a.id join organizations o on o.id = m.organization_id
      where a.person_id = c.id and m.role = 'student' and ${activeOn('m', today)}
      order by m.starts_on desc limit 1
    ) s on true
    where g.parent_person_id = ${parentPersonId}
  ), '[]'::json)`;
}
