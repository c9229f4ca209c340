/** One user as the console shows them: the person, the account, their appointments and children in scope. */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Database, OrganizationType, Role } from '../db/schema.ts';
import { isUuid } from '../domain/uuid.ts';
import { actsOnAccount, inSubtree, visibleAccount, type Scope } from './scope.ts';

export type UserDetail = {
  accountId: string; firstName: string; lastName: string; nationalId: string | null; userCode: string;
  status: 'active' | 'pending' | 'disabled'; mustChangePassword: boolean | null;
  /** Whether the scope may act on the account (reset, invite, end sessions, unlock): scope.ts `actsOnAccount`. */
  actedOn: boolean;
  /** Where set-password links go (F19), and whether its owner proved it. */
  email: string | null; emailVerified: boolean;
  memberships: { id: string; role: Role; organization: string; organizationType: OrganizationType; startsOn: string; endsOn: string | null; approved: boolean }[];
  children: { firstName: string; lastName: string; nationalId: string | null; relation: Database['guardianships']['relation'] }[];
};

export async function userDetail(db: Db, scope: Scope, accountId: string): Promise<UserDetail | undefined> {
  if (!isUuid(accountId)) return undefined;
  const account = await db.selectFrom('accounts as a').innerJoin('people as p', 'p.id', 'a.person_id')
    .leftJoin('credentials as c', 'c.account_id', 'a.id')
    .select(['a.id as accountId', 'p.id as personId', 'p.first_name as firstName', 'p.last_name as lastName', 'p.national_id as nationalId',
      'a.user_code as userCode', 'a.status', 'c.must_change as mustChangePassword', 'a.email', sql<boolean>`a.email_verified_at is not null`.as('emailVerified'), actsOnAccount(scope, accountId).as('actedOn')])
    .where('a.id', '=', accountId).where(visibleAccount(scope, accountId)).executeTakeFirst();
  if (!account) return undefined;
  const memberships = await db.selectFrom('memberships as m').innerJoin('organizations as o', 'o.id', 'm.organization_id')
    .select(['m.id', 'm.role', 'o.name as organization', 'o.type as organizationType', 'm.starts_on as startsOn', 'm.ends_on as endsOn', 'm.approved'])
    .where('m.account_id', '=', accountId).where(inSubtree(scope, 'o')).orderBy('m.starts_on', 'desc').execute();
  // Children shown only where they are students of the subtree: a parent's other school stays private.
  const children = await sql<UserDetail['children'][number]>`
    select p.first_name as "firstName", p.last_name as "lastName", p.national_id as "nationalId", g.relation
    from guardianships g join people p on p.id = g.child_person_id
    where g.parent_person_id = ${account.personId} and exists (
      select 1 from accounts a join memberships m on m.account_id = a.id join organizations o on o.id = m.organization_id
      where a.person_id = p.id and m.role = 'student' and ${inSubtree(scope, 'o')})
    order by p.last_name, p.first_name`.execute(db);
  const { personId: _p, ...rest } = account;
  return { ...rest, memberships, children: children.rows };
}
