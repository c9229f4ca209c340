/**
 * The actor's scope (F22): the membership the session acts as, its role, and the path of its
 * organization. Every admin query filters in SQL by `organizations.path like scope.path || '%'`,
 * so nothing outside the subtree is ever read: a user of another school answers exactly
 * like one that does not exist. An ended appointment is not active, so it grants nothing.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Role } from '../db/schema.ts';
import { resolveActing } from '../identity/memberships.ts';
import { isAdminRole, rolesActedOn } from './permissions.ts';

export type Scope = {
  accountId: string;
  membershipId: string;
  role: Role;
  organizationId: string;
  organizationName: string;
  /** Materialized path of the organization, `/root/…/self/`: its subtree is every path with this prefix. */
  path: string;
  /** The civil date the scope was resolved for: appointments count when they hold on it. */
  today: string;
};

/** The scope of a session acting as an admin role today, or undefined (then the console is closed). */
export async function resolveScope(db: Db, session: { id: string; accountId: string; membershipId: string | null }, today: string): Promise<Scope | undefined> {
  const acting = await resolveActing(db, session, today);
  const current = acting.current;
  if (!current || !isAdminRole(current.role)) return undefined;
  const org = await db.selectFrom('organizations').select('path').where('id', '=', current.organization.id).executeTakeFirstOrThrow();
  return {
    accountId: session.accountId, membershipId: current.id, role: current.role,
    organizationId: current.organization.id, organizationName: current.organization.name, path: org.path, today,
  };
}

/** The scope is the whole tree: its organization is the root (the ministry), a path of one id. */
export const isWholeTree = (scope: Scope): boolean => /^\/[^/]+\/$/.test(scope.path);

/** `<alias>.path` lies in the scope's subtree. The path holds only UUIDs and slashes: no LIKE wildcards. */
export const inSubtree = (scope: Scope, alias: string): RawBuilder<boolean> =>
  sql<boolean>`${sql.ref(`${alias}.path`)} like ${`${scope.path}%`}`;

/**
 * The actor may act on the account's password (reset, batch) only where the person is
 * wholly theirs: an appointment active today in the scope in a role below the actor's, and no
 * active appointment anywhere else or in a role the actor may not give. Appointing a ministry
 * admin, or another school's deputy, as a "teacher" here gives no hold on their password; a
 * teacher of two schools is reset by the district above both.
 */
export function actsOnAccount(scope: Scope, accountId: RawBuilder<unknown> | string): RawBuilder<boolean> {
  const roles = rolesActedOn(scope.role);
  if (roles.length === 0) return sql<boolean>`false`;
  const list = sql.join(roles.map((r) => sql`${r}`));
  const prefix = `${scope.path}%`;
  const active = (alias: string) => sql`${sql.ref(`${alias}.approved`)} and ${sql.ref(`${alias}.starts_on`)} <= ${scope.today}::date
    and (${sql.ref(`${alias}.ends_on`)} is null or ${sql.ref(`${alias}.ends_on`)} >= ${scope.today}::date)`;
  return sql<boolean>`(exists (select 1 from memberships sm join organizations so on so.id = sm.organization_id
      where sm.account_id = ${accountId} and so.path like ${prefix} and sm.role in (${list}) and ${active('sm')})
    and not exists (select 1 from memberships om join organizations oo on oo.id = om.organization_id
      where om.account_id = ${accountId} and ${active('om')} and (om.role not in (${list}) or oo.path not like ${prefix})))`;
}

/** The account has any membership in the scope (it may be read). */
export function visibleAccount(scope: Scope, accountId: RawBuilder<unknown> | string): RawBuilder<boolean> {
  return sql<boolean>`exists (select 1 from memberships vm join organizations vo on vo.id = vm.organization_id
    where vm.account_id = ${accountId} and vo.path like ${`${scope.path}%`})`;
}

