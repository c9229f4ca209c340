/**
 * What every SCIM query is limited by: the client, its organization's subtree (the
 * materialized path, as src/admin/scope.ts reads it) and today's civil date. http/scim.ts makes
 * one per request from the token (federation/scim-token.ts).
 */
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Executor } from '../identity/audit.ts';
import type { Profile } from '../domain/profile.ts';

export type ScimContext = {
  /** The database, or the transaction a change runs in. */
  db: Executor;
  clientId: string;
  organizationId: string;
  /** `/root/…/self/`: the subtree is every organization whose path starts so. */
  path: string;
  today: string;
  profile: Profile;
  /** `${KELID_PUBLIC_URL}/scim/v2`, for `meta.location` and `$ref`. */
  baseUrl: string;
};

/** An organization path's prefix test, for an organizations alias. The path holds only UUIDs and slashes: no LIKE wildcards. */
export const inSubtree = (c: ScimContext, alias: string): RawBuilder<boolean> => sql<boolean>`${sql.ref(`${alias}.path`)} like ${`${c.path}%`}`;

/** A membership (alias) that holds today: approved, started, not ended. */
export const holdsToday = (c: ScimContext, alias: string): RawBuilder<boolean> =>
  sql<boolean>`(${sql.ref(`${alias}.approved`)} and ${sql.ref(`${alias}.starts_on`)} <= ${c.today}::date
    and (${sql.ref(`${alias}.ends_on`)} is null or ${sql.ref(`${alias}.ends_on`)} >= ${c.today}::date))`;

/**
 * The account (an SQL expression) is a SCIM User of this client: it has an appointment in the
 * subtree that the client has not deleted. Anyone else is 404, as if they did not exist.
 */
export const inView = (c: ScimContext, accountId: RawBuilder<unknown>): RawBuilder<boolean> =>
  sql<boolean>`exists (select 1 from memberships vm join organizations vo on vo.id = vm.organization_id
    where vm.account_id = ${accountId} and vm.deprovisioned_at is null and ${inSubtree(c, 'vo')})`;

/** The account is active here (SCIM `active`): not disabled, and an appointment in the subtree holds today. */
export const activeHere = (c: ScimContext, accountId: RawBuilder<unknown>, status: RawBuilder<unknown>): RawBuilder<boolean> =>
  sql<boolean>`(${status} <> 'disabled' and exists (select 1 from memberships cm join organizations co on co.id = cm.organization_id
    where cm.account_id = ${accountId} and cm.deprovisioned_at is null and ${inSubtree(c, 'co')} and ${holdsToday(c, 'cm')}))`;

/** The bound organization's path, or undefined when it is gone. */
export async function organizationPath(db: Db, organizationId: string): Promise<string | undefined> {
  return (await db.selectFrom('organizations').select('path').where('id', '=', organizationId).executeTakeFirst())?.path;
}
