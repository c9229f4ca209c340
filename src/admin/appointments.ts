/**
 * New users and their appointments (F23, F25, F26): a person the registry holds gets a
 * membership in an organization of the actor's subtree (an existing account gets a new
 * membership, never a second account); parents are linked to a student of the subtree;
 * appointments end, and are renewed for the next school year in bulk.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Role } from '../db/schema.ts';
import type { Profile } from '../domain/profile.ts';
import { appointmentDefaults, nextSchoolYear } from '../domain/school-year.ts';
import { isIsoDate } from '../domain/iso-date.ts';
import { isUuid } from '../domain/uuid.ts';
import { accountFor } from '../identity/accounts.ts';
import { lockAppointments, lockAppointmentsOfOrganization } from '../identity/memberships.ts';
import { auditRow } from '../identity/audit.ts';
import { can, parentRoles, roleFitsLevel, rolesActedOn } from './permissions.ts';
import { inSubtree, type Scope } from './scope.ts';

export type NewUser = {
  nationalId: string; role: Role; organizationId?: string | undefined;
  start?: string | undefined; end?: string | undefined;
  /** For a father, mother or guardian (F25): the student's national ID. */
  childNationalId?: string | undefined;
};

/** Why the console refused a change: a catalog code, the field it is about, and its status. */
export type RefusalCode =
  | 'access.denied' | 'admin.user_not_found' | 'admin.organization_not_found' | 'admin.role_not_allowed' | 'admin.role_not_here'
  | 'registry.not_found' | 'admin.end_before_start' | 'admin.child_required' | 'admin.child_not_found' | 'admin.membership_exists'
  | 'date.invalid';
export type Refusal = { code: RefusalCode; field?: string; status: 403 | 404 | 422 };
export type Added = { accountId: string; membershipId: string; firstName: string; lastName: string; start: string; end: string; newAccount: boolean };

/**
 * A refusal for a date that is not a real day (the API's schema checks only the pattern, and
 * `2026-02-30` fits it): checked here, before PostgreSQL's date column would refuse it with a 500.
 */
function datesProblem(dates: { start: string; end: string }): Refusal | undefined {
  if (!isIsoDate(dates.start)) return { status: 422, code: 'date.invalid', field: 'start' };
  if (!isIsoDate(dates.end)) return { status: 422, code: 'date.invalid', field: 'end' };
  return undefined;
}

/** The registry's person with a national ID, and their account if any (F23: the name appears). */
export async function registryPerson(db: Db, nationalId: string) {
  return db.selectFrom('people as p').leftJoin('accounts as a', 'a.person_id', 'p.id')
    .select(['p.id', 'p.first_name as firstName', 'p.last_name as lastName', 'a.id as accountId'])
    .where('p.national_id', '=', nationalId).executeTakeFirst();
}

/** An organization of the subtree, or undefined (one outside answers like one that does not exist). */
export async function scopedOrganization(db: Db, scope: Scope, organizationId: string) {
  if (!isUuid(organizationId)) return undefined;
  return db.selectFrom('organizations as o').select(['o.id', 'o.name', 'o.level', 'o.type'])
    .where('o.id', '=', organizationId).where(inSubtree(scope, 'o')).executeTakeFirst();
}

export async function addUser(db: Db, scope: Scope, input: NewUser, context: { profile: Profile; today: string; ip: string | null }): Promise<Added | Refusal> {
  if (!can(scope.role, 'users.create')) return { status: 403, code: 'access.denied' };
  if (!rolesActedOn(scope.role).includes(input.role)) return { status: 422, code: 'admin.role_not_allowed', field: 'role' };
  const organization = await scopedOrganization(db, scope, input.organizationId ?? scope.organizationId);
  if (!organization) return { status: 404, code: 'admin.organization_not_found', field: 'organizationId' };
  if (!roleFitsLevel(input.role, organization.level)) return { status: 422, code: 'admin.role_not_here', field: 'role' };
  const person = await registryPerson(db, input.nationalId);
  if (!person) return { status: 422, code: 'registry.not_found', field: 'nationalId' };
  const defaults = appointmentDefaults(context.profile, organization.type, context.today);
  const start = input.start ?? defaults.start;
  const end = input.end ?? defaults.end;
  const badDate = datesProblem({ start, end });
  if (badDate) return badDate;
  if (end < start) return { status: 422, code: 'admin.end_before_start', field: 'end' };

  let child: { id: string } | undefined;
  if (parentRoles.includes(input.role)) {
    if (!input.childNationalId) return { status: 422, code: 'admin.child_required', field: 'childNationalId' };
    // The child must be a student of this subtree; any other answers alike, in or out of the registry.
    child = await db.selectFrom('people as p').innerJoin('accounts as a', 'a.person_id', 'p.id')
      .innerJoin('memberships as m', 'm.account_id', 'a.id').innerJoin('organizations as o', 'o.id', 'm.organization_id')
      .select('p.id').where('p.national_id', '=', input.childNationalId).where('m.role', '=', 'student').where(inSubtree(scope, 'o'))
      .executeTakeFirst();
    if (!child) return { status: 422, code: 'admin.child_not_found', field: 'childNationalId' };
    if (child.id === person.id) return { status: 422, code: 'admin.child_not_found', field: 'childNationalId' };
  }

  return db.transaction().execute(async (trx) => {
    // One account per person: the unique key on accounts.person_id decides a race.
    await lockAppointmentsOfOrganization(trx, organization.id, 'shared');
    const { accountId, newAccount } = await accountFor(trx, person);
    await lockAppointments(trx, organization.id, accountId);
    const overlapping = await trx.selectFrom('memberships').select('id')
      .where('account_id', '=', accountId).where('organization_id', '=', organization.id).where('role', '=', input.role)
      .where('starts_on', '<=', end).where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>=', start)]))
      .executeTakeFirst();
    if (overlapping) return { status: 422 as const, code: 'admin.membership_exists', field: 'nationalId' };
    const membership = await trx.insertInto('memberships').values({
      account_id: accountId, organization_id: organization.id, role: input.role, starts_on: start, ends_on: end,
    }).returning('id').executeTakeFirstOrThrow();
    if (child) {
      await trx.insertInto('guardianships').values({ parent_person_id: person.id, child_person_id: child.id, relation: input.role as 'father' | 'mother' | 'guardian' })
        .onConflict((oc) => oc.doNothing()).execute();
    }
    await trx.insertInto('audit_events').values(auditRow({
      type: 'admin.user_added', actorAccountId: scope.accountId, actingMembershipId: scope.membershipId, subjectAccountId: accountId, ip: context.ip,
      data: { role: input.role, organizationId: organization.id, start, end, newAccount, ...(child ? { childPersonId: child.id } : {}) },
    })).execute();
    return { accountId, membershipId: membership.id, firstName: person.firstName, lastName: person.lastName, start, end, newAccount };
  });
}

/** A membership of the subtree with a role the actor may act on, or undefined. */
async function actedOnMembership(db: Db, scope: Scope, membershipId: string) {
  const roles = rolesActedOn(scope.role);
  if (!isUuid(membershipId) || roles.length === 0) return undefined;
  return db.selectFrom('memberships as m').innerJoin('organizations as o', 'o.id', 'm.organization_id')
    .select(['m.id', 'm.account_id', 'm.organization_id', 'm.role', 'm.starts_on', 'm.ends_on', 'o.type'])
    .where('m.id', '=', membershipId).where(inSubtree(scope, 'o'))
    .where('m.role', 'in', roles).executeTakeFirst();
}

/** Ends an appointment: its last day becomes yesterday, so from today it grants nothing (F24, F26). */
export async function endMembership(db: Db, scope: Scope, membershipId: string, context: { today: string; ip: string | null }): Promise<{ endsOn: string } | Refusal> {
  if (!can(scope.role, 'memberships.end')) return { status: 403, code: 'access.denied' };
  const membership = await actedOnMembership(db, scope, membershipId);
  if (!membership) return { status: 404, code: 'admin.user_not_found' };
  const yesterday = (await sql<{ d: string }>`select (${context.today}::date - 1)::text as d`.execute(db)).rows[0]!.d;
  if (membership.ends_on !== null && membership.ends_on <= yesterday) return { endsOn: membership.ends_on };
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('memberships').set({ ends_on: yesterday, starts_on: sql`least(starts_on, ${yesterday}::date)` }).where('id', '=', membership.id).execute();
    await trx.insertInto('audit_events').values(auditRow({
      type: 'admin.membership_ended', actorAccountId: scope.accountId, actingMembershipId: scope.membershipId, subjectAccountId: membership.account_id,
      ip: context.ip, data: { membershipId: membership.id, role: membership.role, endsOn: yesterday },
    })).execute();
  });
  return { endsOn: yesterday };
}

/** A group of appointments a renewal would renew: one role and the same dates, now and one year on. */
/** How many organizations a renewal group names; the rest are counted. */
export const RENEWAL_NAMES_SHOWN = 3;

export type RenewalGroup = {
  role: Role; count: number;
  /** How many organizations the group's appointments are in, and the first RENEWAL_NAMES_SHOWN + 1 of their names, in name order (all of them, when one more would be the last). */
  organizations: number; names: string[];
  startsOn: string; endsOn: string; next: { start: string; end: string };
};

/**
 * What renewing would do, for the confirmation page (F26): the appointments of the scope
 * (of one role, or of every role the actor acts on) that renewMemberships would renew, by
 * role and dates. The same conditions as its insert: started, with an end, and the latest of
 * that person's appointments in that organization and role.
 */
export async function renewalPreview(db: Db, scope: Scope, role: Role | undefined, context: { profile: Profile; today: string }): Promise<RenewalGroup[]> {
  const roles = rolesActedOn(scope.role).filter((r) => role === undefined || r === role);
  if (!can(scope.role, 'memberships.renew') || roles.length === 0) return [];
  const rows = await sql<{ role: Role; startsOn: string; endsOn: string; count: string; organizations: string; names: string[] }>`
    select m.role, m.starts_on::text as "startsOn", m.ends_on::text as "endsOn", count(*) as count,
      count(distinct m.organization_id) as organizations, (array_agg(distinct o.name order by o.name))[1:${RENEWAL_NAMES_SHOWN + 1}] as names
    from memberships m join organizations o on o.id = m.organization_id
    where ${inSubtree(scope, 'o')} and m.role in (${sql.join(roles.map((r) => sql`${r}`))})
      and m.ends_on is not null and m.starts_on <= ${context.today}::date
      and not exists (select 1 from memberships n where n.account_id = m.account_id and n.organization_id = m.organization_id
        and n.role = m.role and n.id <> m.id and n.starts_on > m.starts_on)
    group by m.role, m.starts_on, m.ends_on order by m.role, m.starts_on, m.ends_on`.execute(db);
  return rows.rows.map((row) => ({
    role: row.role, startsOn: row.startsOn, endsOn: row.endsOn, count: Number(row.count),
    organizations: Number(row.organizations), names: row.names,
    next: nextSchoolYear(context.profile, row.startsOn, row.endsOn),
  }));
}

/**
 * Renews appointments for the next school year (F26): the same role, the dates one year on.
 * Only the latest appointment that has already started is renewed, so running it twice, or
 * on everything, renews each person once. Two renewals at once (a double submit, two tabs)
 * meet at the row lock on the appointment renewed from: the second one's insert then sees the
 * first one's new appointment and adds none.
 */
export async function renewMemberships(db: Db, scope: Scope, membershipIds: readonly string[], context: { profile: Profile; today: string; ip: string | null }): Promise<{ renewed: number; skipped: number } | Refusal> {
  if (!can(scope.role, 'memberships.renew')) return { status: 403, code: 'access.denied' };
  let renewed = 0;
  let skipped = 0;
  for (const id of membershipIds) {
    const membership = await actedOnMembership(db, scope, id);
    if (!membership || membership.ends_on === null || membership.starts_on > context.today) { skipped++; continue; }
    const next = nextSchoolYear(context.profile, membership.starts_on, membership.ends_on);
    const done = await db.transaction().execute(async (trx) => {
      await lockAppointments(trx, membership.organization_id, membership.account_id);
      const row = await sql<{ id: string }>`
        insert into memberships (account_id, organization_id, role, starts_on, ends_on)
        select m.account_id, m.organization_id, m.role, ${next.start}::date, ${next.end}::date from memberships m
        where m.id = ${membership.id} and not exists (select 1 from memberships n where n.account_id = m.account_id
          and n.organization_id = m.organization_id and n.role = m.role and n.id <> m.id
          and (n.starts_on > m.starts_on or (n.starts_on <= ${next.end}::date and (n.ends_on is null or n.ends_on >= ${next.start}::date))))
        returning id`.execute(trx);
      if (row.rows.length === 0) return false;
      await trx.insertInto('audit_events').values(auditRow({
        type: 'admin.membership_renewed', actorAccountId: scope.accountId, actingMembershipId: scope.membershipId, subjectAccountId: membership.account_id,
        ip: context.ip, data: { from: membership.id, to: row.rows[0]!.id, start: next.start, end: next.end },
      })).execute();
      return true;
    });
    if (done) renewed++; else skipped++;
  }
  return { renewed, skipped };
}

/** Edits an appointment's dates (F24 "edit"): the same checks as a new one, itself aside. */
export async function editMembership(db: Db, scope: Scope, membershipId: string, dates: { start: string; end: string }, context: { ip: string | null }): Promise<{ start: string; end: string } | Refusal> {
  if (!can(scope.role, 'users.edit')) return { status: 403, code: 'access.denied' };
  const badDate = datesProblem(dates);
  if (badDate) return badDate;
  const membership = await actedOnMembership(db, scope, membershipId);
  if (!membership) return { status: 404, code: 'admin.user_not_found' };
  if (dates.end < dates.start) return { status: 422, code: 'admin.end_before_start', field: 'end' };
  return db.transaction().execute(async (trx) => {
    await lockAppointments(trx, membership.organization_id, membership.account_id);
    const overlapping = await trx.selectFrom('memberships as n').innerJoin('memberships as m', (join) => join
      .onRef('n.account_id', '=', 'm.account_id').onRef('n.organization_id', '=', 'm.organization_id').onRef('n.role', '=', 'm.role'))
      .select('n.id').where('m.id', '=', membership.id).where('n.id', '<>', membership.id)
      .where('n.starts_on', '<=', dates.end).where((eb) => eb.or([eb('n.ends_on', 'is', null), eb('n.ends_on', '>=', dates.start)])).executeTakeFirst();
    if (overlapping) return { status: 422 as const, code: 'admin.membership_exists', field: 'start' };
    await trx.updateTable('memberships').set({ starts_on: dates.start, ends_on: dates.end }).where('id', '=', membership.id).execute();
    await trx.insertInto('audit_events').values(auditRow({
      type: 'admin.membership_edited', actorAccountId: scope.accountId, actingMembershipId: scope.membershipId, subjectAccountId: membership.account_id,
      ip: context.ip, data: { membershipId: membership.id, from: { start: membership.starts_on, end: membership.ends_on }, to: dates },
    })).execute();
    return dates;
  });
}

/** One appointment the actor may act on, for its edit form. */
export async function membershipForEdit(db: Db, scope: Scope, membershipId: string) {
  return actedOnMembership(db, scope, membershipId);
}

