/**
 * Memberships (appointments): a role in an organization from a start date to an end date.
 * Only approved memberships whose dates contain today count; an ended or not-yet-started
 * appointment grants nothing and is never offered.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database.ts';
import { KEYED } from '../db/keyed.ts';
import { lockUntilCommit } from '../db/transaction-lock.ts';
import { auditRow, type Executor } from './audit.ts';
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

/**
 * The rule of a membership that counts today, for the membership table aliased `alias` (a
 * constant of the calling code, never input): approved, and today within its dates.
 */
export const activeOn = (alias: 'm' | 'h', today: string) => {
  const m = sql.raw(alias);
  return sql<boolean>`${m}.approved and ${m}.starts_on <= ${today}::date and (${m}.ends_on is null or ${m}.ends_on >= ${today}::date)`;
};

/**
 * The name of the organization at `level` (district, province) on the way from the root to the
 * organization aliased `alias` (a constant of the calling code, never input), or null. Read by
 * the ids in its materialized path (`/root/…/self/`): one primary-key lookup per ancestor, however
 * many organizations the country has (a test in test/identity/memberships.test.ts guards it).
 * The organization itself counts unless `excludingSelf` (a district office is its own district in
 * the admin's user table; a membership's view names the district *around* the organization).
 */
export const ancestorName = (alias: string, level: 'district' | 'province', options: { excludingSelf?: boolean } = {}): RawBuilder<string | null> =>
  sql<string | null>`(select x.name from organizations x
    where x.id = any(string_to_array(trim(both '/' from ${sql.ref(`${alias}.path`)}), '/')::uuid[]) and x.level = ${level}${options.excludingSelf ? sql` and x.id <> ${sql.ref(`${alias}.id`)}` : sql``})`;

/**
 * The active memberships of an account as one JSON array, ordered for display (highest level
 * first). A SQL fragment, so the sign-in can fetch them in the same round trip as the account.
 */
export function activeMembershipsJson(accountId: RawBuilder<unknown>, today: string): RawBuilder<MembershipView[]> {
  return sql<MembershipView[]>`coalesce((
    select json_agg(json_build_object(
      'id', m.id, 'role', m.role,
      'organization', json_build_object('id', o.id, 'name', o.name, 'level', o.level, 'type', o.type),
      'district', ${ancestorName('o', 'district', { excludingSelf: true })},
      'province', ${ancestorName('o', 'province', { excludingSelf: true })},
      'startsOn', m.starts_on, 'endsOn', m.ends_on
    ) order by o.path, m.role)
    from memberships m join organizations o on o.id = m.organization_id
    where m.account_id = ${accountId} and ${activeOn('m', today)}
  ), '[]'::json)`;
}

export async function activeMemberships(db: Db, accountId: string, today: string): Promise<MembershipView[]> {
  const result = await sql<{ memberships: MembershipView[] }>`${sql.raw(KEYED)} select ${activeMembershipsJson(sql`${accountId}::uuid`, today)} as memberships`.execute(db);
  return result.rows[0]?.memberships ?? [];
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

/** The membership the account chose last (its latest `role.chosen` event), to offer it first next time. */
export async function lastChosenMembership(db: Db, accountId: string): Promise<string | null> {
  const row = await db.selectFrom('audit_events').select('acting_membership_id')
    .where('actor_account_id', '=', accountId).where('type', '=', 'role.chosen')
    .orderBy('at', 'desc').limit(1).executeTakeFirst();
  return row?.acting_membership_id ?? null;
}

/**
 * Role choice (F2): the session acts as `membershipId` if it is an active membership of this
 * very account (a tampered id is simply not among them); saved with its audit event.
 */
export async function chooseMembership(
  db: Db, session: { id: string; accountId: string }, membershipId: string, context: { today: string; ip: string | null; via: 'page' | 'api' },
): Promise<MembershipView | undefined> {
  const chosen = (await activeMemberships(db, session.accountId, context.today)).find((m) => m.id === membershipId);
  if (!chosen) return undefined;
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('sessions').set({ membership_id: chosen.id }).where('id', '=', session.id).execute();
    await trx.insertInto('audit_events').values(auditRow({
      type: 'role.chosen', actorAccountId: session.accountId, actingMembershipId: chosen.id, subjectAccountId: session.accountId,
      ip: context.ip, data: { role: chosen.role, organizationId: chosen.organization.id, via: context.via },
    })).execute();
  });
  return chosen;
}

/**
 * The roles of an organization's staff (F4, the staff entry; the payslips app serves them):
 * everyone who works for a school or an office, not its students or their parents.
 */
export const STAFF_ROLES: readonly Role[] = ['teacher', 'staff', 'deputy', 'principal', 'district_admin', 'province_admin', 'ministry_admin', 'university_staff'];

/**
 * Appointments are checked for an overlap (one person, organization and role, with dates that
 * meet) before one is written, and READ COMMITTED lets two writers both pass the check: a
 * double submit, two tabs, the same file imported twice at once. These advisory locks, taken in
 * the writer's transaction before its check and held to its end, make the check and the write
 * one step. An import takes its organization's lock exclusively; a single write takes it shared,
 * then the person's (lockAppointments), so an import and a single write wait for each other and
 * single writes for different people do not. Whoever may create an account in the transaction
 * takes the organization's lock first, so no one waits for it while holding a new account
 * another writer of that organization needs.
 */
export async function lockAppointmentsOfOrganization(trx: Executor, organizationId: string, mode: 'shared' | 'exclusive'): Promise<void> {
  await lockUntilCommit(trx, `appointments:${organizationId}`, mode);
}

/**
 * lockAppointments without waiting: false, holding nothing new, when an import holds the
 * organization or another writer the person. For a writer that already holds the person's
 * account row (SCIM): waiting there for an import that needs that row would deadlock.
 */
export async function tryLockAppointments(trx: Executor, organizationId: string, accountId: string): Promise<boolean> {
  const { rows: [row] } = await sql<{ held: boolean }>`
    select pg_try_advisory_xact_lock_shared(hashtextextended(${`appointments:${organizationId}`}, 0))
      and pg_try_advisory_xact_lock(hashtextextended(${`appointments:${organizationId}:${accountId}`}, 0)) as held`.execute(trx);
  return row?.held === true;
}

/** One person's appointments in one organization, against other single writes and imports (lockAppointmentsOfOrganization). */
export async function lockAppointments(trx: Executor, organizationId: string, accountId: string): Promise<void> {
  await lockAppointmentsOfOrganization(trx, organizationId, 'shared');
  await lockUntilCommit(trx, `appointments:${organizationId}:${accountId}`);
}
