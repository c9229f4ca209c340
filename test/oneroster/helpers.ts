// Shared set-up of the OneRoster tests: a real PostgreSQL with the test tree, admins, people
// in the registry, and the scope an admin's session would have.
import { sql } from 'kysely';
import type { Db } from '../../src/db/database.ts';
import type { Role } from '../../src/db/schema.ts';
import { resolveScope, type Scope } from '../../src/admin/scope.ts';
import { newUserCode } from '../../src/identity/accounts.ts';
import { nationalIdFor } from '../helpers/fixtures.ts';

export const TODAY = '2025-11-20';

/** An admin appointed at an organization, and the scope their session acts in. */
export async function adminScope(db: Db, organizationId: string, role: Role, n: number): Promise<Scope> {
  const person = await db.insertInto('people').values({ national_id: nationalIdFor(n), first_name: 'مدیر', last_name: 'آزمون', birth_date: '1980-01-01' }).returning('id').executeTakeFirstOrThrow();
  const account = await db.insertInto('accounts').values({ person_id: person.id, user_code: newUserCode(), status: 'active' }).returning('id').executeTakeFirstOrThrow();
  const membership = await db.insertInto('memberships').values({ account_id: account.id, organization_id: organizationId, role, starts_on: '2025-09-23', ends_on: '2026-09-22' }).returning('id').executeTakeFirstOrThrow();
  const scope = await resolveScope(db, { id: '00000000-0000-0000-0000-000000000000', accountId: account.id, membershipId: membership.id }, TODAY);
  if (!scope) throw new Error('not an admin scope');
  return scope;
}

/** People in the civil registry with the national IDs nationalIdFor(n) of `numbers`. */
export async function registryPeople(db: Db, numbers: readonly number[]): Promise<void> {
  await sql`insert into people (national_id, first_name, last_name, birth_date)
    select id, 'نفر', 'آزمون', '2012-01-01' from unnest(${numbers.map((n) => nationalIdFor(n))}::text[]) as id`.execute(db);
}

export const count = async (db: Db, table: 'memberships' | 'accounts' | 'organizations' | 'guardianships' | 'oneroster_sources'): Promise<number> =>
  Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
