/**
 * Planned appointments → memberships, a chunk at a time. An appointment this importer mapped
 * before takes the file's dates (updated) or stays (unchanged); a new one is inserted unless
 * the person already holds an overlapping appointment of that role there (then it is mapped to
 * that one, as the CSV import counts an existing row, and takes the file's dates: updated, so
 * that the same file again finds it unchanged). OneRoster's parent or guardian is Kelid's
 * guardian (it does not tell a father from a mother): a father or mother appointment there
 * already says more than the file can, so it stands for the file's row, counted unchanged,
 * without being taken over: its dates never moved, and, unless the import made it (a guardian
 * the console made father since), never mapped, so no later file ends it. The import holds its
 * importer's advisory lock; a console edit racing it can at worst add a second, overlapping
 * appointment. Ending what a later file no longer holds is `endAppointments`; it never deletes
 * a membership, an account or a person.
 */
import { sql } from 'kysely';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { inSubtree, type Scope } from '../scope.ts';
import { parentRoles, rolesActedOn } from '../permissions.ts';
import { hashOf } from './mapping.ts';
import type { Counts } from './people.ts';
import type { PlannedAppointment } from './plan.ts';
import { LISTED, type AppointmentOf, type CreatedAppointment, type EndedAppointment, type UpdatedAppointment } from './report.ts';
import { readSources, writeSources, type Source } from './sources.ts';

type Trx = Transaction<Database>;

/** The report's order of appointments: by organization, then name. */
const byPlaceAndName = (x: AppointmentOf, y: AppointmentOf) =>
  x.organization.localeCompare(y.organization) || x.lastName.localeCompare(y.lastName) || x.firstName.localeCompare(y.firstName);
type AppointmentRow = { national_id: string | null; first_name: string; last_name: string; role: string; organization: string };
/** A membership row joined with its person and organization → whose appointment, which role, where, as the report names it. */
const appointmentOfRow = (r: AppointmentRow): AppointmentOf => ({ nationalId: r.national_id, firstName: r.first_name, lastName: r.last_name, role: r.role, organization: r.organization });

/** The memberships `ids`, each with its person, role, organization and dates. */
async function appointmentRows(trx: Trx, ids: readonly string[]) {
  return (await sql<AppointmentRow & { id: string; starts_on: string; ends_on: string | null }>`
    select m.id, p.national_id, p.first_name, p.last_name, m.role, o.name as organization, m.starts_on::text, m.ends_on::text
    from memberships m join accounts a on a.id = m.account_id join people p on p.id = a.person_id join organizations o on o.id = m.organization_id
    where m.id = any(${ids}::uuid[])`.execute(trx)).rows;
}

/** The role as an appointment's place counts it: father, mother and guardian are one (see above). */
const placeRole = (role: string) => (parentRoles.some((r) => r === role) ? 'guardian' : role);
/** An account's place: where and as what, the parents' roles as one. */
const placeKey = (accountId: string, organizationId: string, role: string) => `${accountId}|${organizationId}|${placeRole(role)}`;
/** A person's appointment in one role at one organization, as `runningAppointments` keys what it finds. */
export const appointmentOf = (person: string, organizationId: string, role: string) => `${person}|${organizationId}|${role}`;
export type Ready = PlannedAppointment & { accountId: string; organizationId: string };
type Outcome = keyof Counts;
type Span = { start: string; end: string | null };
/**
 * What the import did to memberships: each one it wrote or found with what happened to it (two
 * keys of one appointment, a school by two ids, are one), and the dates it moved, for the report.
 */
export type AppointmentLog = { outcomes: Map<string, Outcome>; moved: Map<string, { before: Span; after: { start: string; end: string } }> };
export const newAppointmentLog = (): AppointmentLog => ({ outcomes: new Map(), moved: new Map() });
const STRENGTH: Record<Outcome, number> = { unchanged: 0, updated: 1, created: 2 };

/** The counts of the log's outcomes (a membership created by one key and found unchanged by another was created). */
export function countOutcomes(log: AppointmentLog): Counts {
  const counts = { created: 0, updated: 0, unchanged: 0 };
  for (const outcome of log.outcomes.values()) counts[outcome]++;
  return counts;
}

/**
 * Writes the chunk's appointments. `counts` counts by key (a file's rows' work); `outcomes`
 * by membership, keeping the strongest outcome (created, then updated, then unchanged).
 */
export async function writeAppointments(trx: Trx, scope: Scope, ready: readonly Ready[], counts: Counts, log: AppointmentLog): Promise<void> {
  const importer = scope.organizationId;
  const tally = (id: string, outcome: Outcome) => {
    counts[outcome]++;
    const before = log.outcomes.get(id);
    if (before === undefined || STRENGTH[outcome] > STRENGTH[before]) log.outcomes.set(id, outcome);
  };
  // The dates as they were before this import first moved them.
  const move = (id: string, before: Span, to: { start: string; end: string }) => {
    changed.push({ id, start: to.start, end: to.end });
    log.moved.set(id, { before: log.moved.get(id)?.before ?? before, after: { start: to.start, end: to.end } });
  };
  const sources = await readSources(trx, importer, 'appointment', ready.map((a) => a.key));
  const mappedIds = [...new Set([...sources.values()].map((s) => s.entityId))];
  const current = new Map(mappedIds.length === 0 ? [] : (await trx.selectFrom('memberships as m').innerJoin('organizations as o', 'o.id', 'm.organization_id')
    .select(['m.id', 'm.account_id', 'm.organization_id', 'm.role', 'm.starts_on', 'm.ends_on'])
    .where('m.id', 'in', mappedIds).where(inSubtree(scope, 'o')).execute()).map((m) => [m.id, m]));
  // The file's dates go to the appointments whose dates it changed: this importer's, or one it takes as its own now.
  const changed: { id: string; start: string; end: string }[] = [];
  const fresh: Ready[] = [];
  const mapping: Source[] = [];
  for (const a of ready) {
    const source = sources.get(a.key);
    const m = source ? current.get(source.entityId) : undefined;
    // The mapped membership must still be this person's, here, in this role; otherwise the appointment is new.
    if (!m || m.account_id !== a.accountId || m.organization_id !== a.organizationId || placeRole(m.role) !== placeRole(a.role)) { fresh.push(a); continue; }
    // The import's own guardian appointment, made father or mother in the console since: the console's word stands.
    if (m.role !== a.role) { tally(m.id, 'unchanged'); continue; }
    if (m.starts_on === a.start && m.ends_on === a.end) tally(m.id, 'unchanged');
    else { move(m.id, { start: m.starts_on, end: m.ends_on }, a); tally(m.id, 'updated'); mapping.push({ sourcedId: a.key, entityId: m.id, hash: hashOf([a.start, a.end]) }); }
  }
  // The person's appointments there, read by account (its index): a check per row inside one
  // insert let the planner probe by (organization, role), which is every row of a big school.
  const held = new Map<string, { id: string; role: string; starts_on: string; ends_on: string | null }[]>();
  if (fresh.length > 0) {
    const rows = await sql<{ id: string; account_id: string; organization_id: string; role: string; starts_on: string; ends_on: string | null }>`
      select id, account_id, organization_id, role, starts_on::text, ends_on::text from memberships
      where account_id = any(${[...new Set(fresh.map((a) => a.accountId))]}::uuid[])`.execute(trx);
    for (const m of rows.rows) {
      const place = placeKey(m.account_id, m.organization_id, m.role);
      held.set(place, [...(held.get(place) ?? []), m]);
    }
  }
  const toInsert: Ready[] = [];
  const placeOf = (a: Ready) => placeKey(a.accountId, a.organizationId, a.role);
  const existing = new Map<string, { id: string; role: string; starts_on: string; ends_on: string | null }>();
  const inserting = new Set<string>();
  for (const a of fresh) {
    const place = placeOf(a);
    if (existing.has(place) || inserting.has(place)) continue;
    // An appointment of that role there, still running and overlapping the file's dates, is the one the file means (the latest
    // if several); one the console ended is not brought back to life: the file's is a new one.
    const overlapping = (held.get(place) ?? []).filter((m) => m.starts_on <= a.end && (m.ends_on === null || (m.ends_on >= a.start && m.ends_on >= scope.today)))
      .sort((x, y) => y.starts_on.localeCompare(x.starts_on))[0];
    if (overlapping) existing.set(place, overlapping);
    else { inserting.add(place); toInsert.push(a); }
  }
  const made = new Map<string, string>();
  if (toInsert.length > 0) {
    const inserted = await sql<{ id: string; account_id: string; organization_id: string; role: string }>`
      insert into memberships (account_id, organization_id, role, starts_on, ends_on)
      select * from unnest(${toInsert.map((a) => a.accountId)}::uuid[], ${toInsert.map((a) => a.organizationId)}::uuid[], ${toInsert.map((a) => a.role)}::text[],
        ${toInsert.map((a) => a.start)}::date[], ${toInsert.map((a) => a.end)}::date[])
      returning id, account_id, organization_id, role`.execute(trx);
    for (const r of inserted.rows) made.set(placeKey(r.account_id, r.organization_id, r.role), r.id);
  }
  const first = new Set(toInsert);
  for (const a of fresh) {
    const found = existing.get(placeOf(a));
    // A father or mother appointment stands for the file's guardian, and stays the console's (see above).
    if (found !== undefined && found.role !== a.role) { tally(found.id, 'unchanged'); continue; }
    const id = made.get(placeOf(a)) ?? found?.id;
    if (!id) continue;
    if (first.has(a)) tally(id, 'created');
    // One the console made, taken as the file's now: the file's dates, so that the same file again finds it unchanged.
    else if (found !== undefined && (found.starts_on !== a.start || found.ends_on !== a.end)) { move(id, { start: found.starts_on, end: found.ends_on }, a); tally(id, 'updated'); }
    else tally(id, 'unchanged');
    mapping.push({ sourcedId: a.key, entityId: id, hash: hashOf([a.start, a.end]) });
  }
  if (changed.length > 0) {
    // One row per membership (two keys of one appointment carry the same dates: the importer merges them).
    const once = [...new Map(changed.map((c) => [c.id, c])).values()];
    await sql`update memberships m set starts_on = v.starts_on, ends_on = v.ends_on
      from unnest(${once.map((c) => c.id)}::uuid[], ${once.map((c) => c.start)}::date[], ${once.map((c) => c.end)}::date[]) as v(id, starts_on, ends_on)
      where m.id = v.id`.execute(trx);
  }
  await writeSources(trx, importer, 'appointment', mapping);
}

/**
 * Ends this importer's appointments that `ends` selects (keys of a later bulk file no longer
 * holds, or marked tobedeleted): their last day becomes yesterday, as the console's "end"
 * does. Only memberships of the subtree in roles the actor may act on, and only those still
 * running; answers the appointments ended, whose and where, sorted by organization and name.
 */
export async function endAppointments(trx: Trx, scope: Scope, ends: (key: string) => boolean, today: string): Promise<EndedAppointment[]> {
  const roles = rolesActedOn(scope.role);
  if (roles.length === 0) return [];
  const running = await sql<{ sourced_id: string; id: string }>`
    select s.sourced_id, m.id from oneroster_sources s
    join memberships m on m.id = s.entity_id join organizations o on o.id = m.organization_id
    where s.importer_organization_id = ${scope.organizationId}::uuid and s.kind = 'appointment'
      and ${inSubtree(scope, 'o')} and m.role in (${sql.join(roles.map((r) => sql`${r}`))})
      and (m.ends_on is null or m.ends_on >= ${today}::date)`.execute(trx);
  // A membership another key of this file still maps (the school system gave the person or the school a new id) is kept.
  const kept = new Set(running.rows.filter((r) => !ends(r.sourced_id)).map((r) => r.id));
  const ids = [...new Set(running.rows.filter((r) => ends(r.sourced_id) && !kept.has(r.id)).map((r) => r.id))];
  if (ids.length === 0) return [];
  const ended = await sql<AppointmentRow & { ends_on: string }>`
    update memberships m set ends_on = ${today}::date - 1, starts_on = least(m.starts_on, ${today}::date - 1)
    from accounts a, people p, organizations o
    where m.id = any(${ids}::uuid[]) and a.id = m.account_id and p.id = a.person_id and o.id = m.organization_id
    returning p.national_id, p.first_name, p.last_name, m.role, o.name as organization, m.ends_on::text`.execute(trx);
  return ended.rows
    .map((r): EndedAppointment => ({ ...appointmentOfRow(r), endsOn: r.ends_on }))
    .sort(byPlaceAndName);
}

/**
 * The appointments the import made, with their dates, by organization, then name: the first
 * LISTED of all of them sorted as the page shows them (the database's collation would order
 * پ چ ژ گ after the Arabic letters, and cut other names than the page's first).
 */
export async function describeCreated(trx: Trx, log: AppointmentLog): Promise<CreatedAppointment[]> {
  const ids = [...log.outcomes].filter(([, outcome]) => outcome === 'created').map(([id]) => id);
  if (ids.length === 0) return [];
  return (await appointmentRows(trx, ids))
    .map((r): CreatedAppointment => ({ ...appointmentOfRow(r), start: r.starts_on, end: r.ends_on }))
    .sort(byPlaceAndName).slice(0, LISTED);
}

/** The appointments whose dates the import moved, with their dates before and after, by organization, then name. */
export async function describeMoved(trx: Trx, log: AppointmentLog): Promise<UpdatedAppointment[]> {
  if (log.moved.size === 0) return [];
  return (await appointmentRows(trx, [...log.moved.keys()]))
    .map((r): UpdatedAppointment => ({ ...appointmentOfRow(r), ...log.moved.get(r.id)! }))
    .sort(byPlaceAndName);
}

/**
 * Which of `wanted` (person, organization, role) the person holds there today, not mapped by
 * this importer: a Map from `appointmentOf(person, organization, role)` to the membership. For the rows that an
 * appointment already held stands for (a principal's own row in the school's export). One the
 * importer mapped is the file's: a later file that names it otherwise ends it (an attacker
 * review: a principal an earlier file made "stood" for an administrator row, then was ended by
 * the same import, counted unchanged and ended at once).
 */
export async function runningAppointments(trx: Trx, importer: string, wanted: readonly { person: string; organizationId: string; role: string }[], today: string): Promise<Map<string, string>> {
  const held = new Map<string, string>();
  if (wanted.length === 0) return held;
  const rows = await sql<{ id: string; person_id: string; organization_id: string; role: string }>`
    select m.id, a.person_id, m.organization_id, m.role from memberships m join accounts a on a.id = m.account_id
    where a.person_id = any(${[...new Set(wanted.map((w) => w.person))]}::uuid[]) and m.organization_id = any(${[...new Set(wanted.map((w) => w.organizationId))]}::uuid[])
      and m.role = any(${[...new Set(wanted.map((w) => w.role))]}::text[]) and m.starts_on <= ${today}::date and (m.ends_on is null or m.ends_on >= ${today}::date)
      and not exists (select 1 from oneroster_sources s where s.importer_organization_id = ${importer}::uuid and s.kind = 'appointment' and s.entity_id = m.id)`.execute(trx);
  for (const r of rows.rows) held.set(appointmentOf(r.person_id, r.organization_id, r.role), r.id);
  return held;
}

