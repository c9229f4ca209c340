/**
 * Memberships (appointments): a role in an organization from a start date to an end date.
 * Only approved memberships whose dates contain today count; an ended or not-yet-started
 * appointment grants nothing and is never offered.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { OrganizationLevel, OrganizationType, Role } from '../db/schema.ts';

export type MembershipView = {
  id: string;
  role: Role;
  organization: { id: string; name: string; level: OrganizationLevel; type: OrganizationType };
  district: string | null;
  province: string | null;
  startsOn: string;
  endsOn: string | null;
};

/** Active memberships of an account on `today`, ordered for display (highest level first). */
export async function activeMemberships(db: Db, accountId: string, today: string): Promise<MembershipView[]> {
  const rows = await db.selectFrom('memberships as m')
    .innerJoin('organizations as o', 'o.id', 'm.organization_id')
    .select(['m.id', 'm.role', 'm.starts_on', 'm.ends_on', 'o.id as org_id', 'o.name as org_name', 'o.level', 'o.type'])
    .select([
      sql<string | null>`(select a.name from organizations a where o.path like a.path || '%' and a.level = 'district' and a.id <> o.id)`.as('district'),
      sql<string | null>`(select a.name from organizations a where o.path like a.path || '%' and a.level = 'province' and a.id <> o.id)`.as('province'),
    ])
    .where('m.account_id', '=', accountId)
    .where('m.approved', '=', true)
    .where('m.starts_on', '<=', today)
    .where((eb) => eb.or([eb('m.ends_on', 'is', null), eb('m.ends_on', '>=', today)]))
    .orderBy('o.path').orderBy('m.role')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    role: row.role,
    organization: { id: row.org_id, name: row.org_name, level: row.level, type: row.type },
    district: row.district,
    province: row.province,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
  }));
}

export type Acting = { memberships: MembershipView[]; current: MembershipView | null };

/**
 * The membership a session acts as: the one chosen, if still active; the only one, when there
 * is exactly one (chosen for the person); otherwise none until the person chooses (F2).
 */
export async function resolveActing(
  db: Db, session: { id: string; accountId: string; membershipId: string | null }, today: string,
): Promise<Acting> {
  const memberships = await activeMemberships(db, session.accountId, today);
  const chosen = memberships.find((m) => m.id === session.membershipId);
  if (chosen) return { memberships, current: chosen };
  if (memberships.length === 1 && memberships[0]) {
    await db.updateTable('sessions').set({ membership_id: memberships[0].id }).where('id', '=', session.id).execute();
    return { memberships, current: memberships[0] };
  }
  return { memberships, current: null };
}
