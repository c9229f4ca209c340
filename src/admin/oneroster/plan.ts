/**
 * The appointments a OneRoster file asks for (pure): one per user, school and Kelid role,
 * whatever the number of classes. Enrollments give them with their dates (the earliest
 * beginDate, the latest endDate; the school year's where they give none); a user's
 * `role` × `orgSourcedIds` (1.1, and the parents and administrators no class enrolls) adds
 * those no enrollment gives, for the school year. Guardianships pair a guardian with the
 * students named in either one's agentSourcedIds.
 */
import type { OrganizationLevel, Role } from '../../db/schema.ts';
import { roleFitsLevel } from '../permissions.ts';
import { kelidRole, type EnrollmentRow, type Manifest, type RowCode, type RowError, type SchoolYear, type UserRow } from './mapping.ts';

export type PlannedAppointment = {
  /** userSourcedId, orgSourcedId and role joined by U+001F (which no normalized sourcedId holds): the appointment's sourcedId in oneroster_sources. */
  key: string; userSourcedId: string; orgSourcedId: string; role: Role; start: string; end: string;
  /** The file whose row gave it. */
  file: 'users.csv' | 'roles.csv' | 'enrollments.csv'; line: number; field: string;
  /** Given as OneRoster's administrator or siteAdministrator: a principal or deputy appointment held there stands for it. */
  administrator?: true;
};

const isAdministrator = (role: string) => role === 'administrator' || role === 'siteAdministrator';

/**
 * An org of the file as the importer resolved it: its level, or why it cannot be used, with
 * `context` for one above the importer's organization (a user's orgs may name it beside the
 * school: not an error there; an enrollment there is outside the scope).
 */
export type OrgLookup = (sourcedId: string) => { level: OrganizationLevel } | { code: RowCode; context?: true };

const SEPARATOR = '\u001f';
export const appointmentKey = (user: string, org: string, role: Role) => [user, org, role].join(SEPARATOR);
const userOfKey = (key: string) => key.slice(0, key.indexOf(SEPARATOR));

export function planAppointments(
  input: { users: readonly UserRow[]; enrollments: readonly EnrollmentRow[]; org: OrgLookup; schoolYear: SchoolYear },
  errors: RowError[],
): PlannedAppointment[] {
  const planned = new Map<string, PlannedAppointment>();
  for (const e of input.enrollments) {
    if (e.deleted) continue;
    const org = input.org(e.schoolSourcedId);
    if ('code' in org) { errors.push({ file: e.file, line: e.line, field: e.orgColumn, code: org.code }); continue; }
    const role = kelidRole(e.role, org.level);
    if (!role) { errors.push({ file: e.file, line: e.line, field: 'role', code: 'oneroster.role_not_here', params: { role: e.role } }); continue; }
    const start = e.begin ?? input.schoolYear.start;
    const end = e.end ?? input.schoolYear.end;
    if (end < start) { errors.push({ file: e.file, line: e.line, field: 'endDate', code: 'admin.end_before_start' }); continue; }
    const key = appointmentKey(e.userSourcedId, e.schoolSourcedId, role);
    const seen = planned.get(key);
    if (seen) {
      if (start < seen.start) seen.start = start;
      if (end > seen.end) seen.end = end;
      continue;
    }
    planned.set(key, { key, userSourcedId: e.userSourcedId, orgSourcedId: e.schoolSourcedId, role, start, end, file: e.file, line: e.line, field: 'role', ...(isAdministrator(e.role) ? { administrator: true as const } : {}) });
  }
  for (const u of input.users) {
    if (u.deleted) continue;
    for (const orgId of u.orgSourcedIds) {
      const org = input.org(orgId);
      if ('code' in org) {
        if (u.roles.length > 0 && org.context !== true) errors.push({ file: 'users.csv', line: u.line, field: 'orgSourcedIds', code: org.code });
        continue;
      }
      for (const oneRosterRole of u.roles) {
        const role = kelidRole(oneRosterRole, org.level);
        // A user's orgs often hold the district above the school as well: the role is given
        // where it fits, and the other orgs are context, not an error.
        if (!role || !roleFitsLevel(role, org.level)) continue;
        const key = appointmentKey(u.sourcedId, orgId, role);
        if (planned.has(key)) continue;
        planned.set(key, { key, userSourcedId: u.sourcedId, orgSourcedId: orgId, role, start: input.schoolYear.start, end: input.schoolYear.end, file: 'users.csv', line: u.line, field: 'role', ...(isAdministrator(oneRosterRole) ? { administrator: true as const } : {}) });
      }
    }
  }
  return [...planned.values()];
}

/**
 * Guardian → child pairs (sourcedIds) from agentSourcedIds, read both ways: a guardian's
 * agents are its children, a student's agents its guardians. Only guardians of the file are
 * paired; whether the child is a student of the scope is the importer's check.
 */
export function guardianPairs(users: readonly UserRow[], planned: readonly PlannedAppointment[]): { guardian: string; child: string }[] {
  const guardians = new Set(planned.filter((a) => a.role === 'guardian').map((a) => a.userSourcedId));
  const pairs = new Map<string, { guardian: string; child: string }>();
  const add = (guardian: string, child: string) => {
    if (guardian !== child && guardians.has(guardian)) pairs.set(`${guardian}|${child}`, { guardian, child });
  };
  for (const u of users) {
    if (u.deleted) continue;
    for (const agent of u.agentSourcedIds) {
      if (guardians.has(u.sourcedId)) add(u.sourcedId, agent); else add(agent, u.sourcedId);
    }
  }
  return [...pairs.values()];
}

/**
 * Which of this importer's earlier appointments a file ends (the deletion rule): those of a
 * user or enrollment marked tobedeleted (any file), and, when the file is a full picture
 * (manifest: users and enrollments both `bulk`), every one it no longer yields. A user with
 * a row in error in either file keeps what they had: a typo in a national ID must not end a
 * teacher's appointment. People, accounts and organizations are never deleted.
 */
export function endRule(input: {
  manifest: Manifest; users: readonly UserRow[]; enrollments: readonly EnrollmentRow[]; planned: readonly PlannedAppointment[];
  org: OrgLookup; inError: ReadonlySet<string>;
}): (key: string) => boolean {
  // A full picture: users.csv bulk, and the files that give appointments (enrollments.csv, 1.2's roles.csv) bulk or absent, one of them bulk.
  const givers = [input.manifest.enrollments, input.manifest.roles];
  const bulk = input.manifest.users === 'bulk' && givers.every((mode) => mode !== 'delta') && givers.includes('bulk');
  const present = new Set(input.planned.map((a) => a.key));
  const deletedUsers = new Set(input.users.filter((u) => u.deleted).map((u) => u.sourcedId));
  const deletedKeys = new Set(input.enrollments.filter((e) => e.deleted).flatMap((e) => {
    const org = input.org(e.schoolSourcedId);
    const role = 'level' in org ? kelidRole(e.role, org.level) : undefined;
    return role ? [appointmentKey(e.userSourcedId, e.schoolSourcedId, role)] : [];
  }));
  return (key) => {
    const user = userOfKey(key);
    if (deletedUsers.has(user)) return true;
    if (present.has(key) || input.inError.has(user)) return false;
    return bulk || deletedKeys.has(key);
  };
}

/**
 * The users of users.csv this import neither recorded (`recorded`: an appointment of theirs was
 * written) nor refused by an error of their own row, each named so that nobody is missing from
 * every count (a new-user trial's student, whose only enrollment was outside the scope, was in
 * none). One that a roles.csv or enrollments.csv row names in error is `user_not_imported`
 * (those errors say why). One whose orgs are all above the importer's (a school's export lists
 * the district's staff), or whose only roles.csv or enrollments.csv rows are marked
 * tobedeleted (they end what they name), is left as it is and counted unchanged, as the orgs
 * above are. Any other is `user_no_role_here`: no role of theirs fits an organization of the
 * scope that the file names for them. Users marked tobedeleted are neither.
 */
export function usersLeftOut(input: {
  users: readonly UserRow[]; recorded: ReadonlySet<string>; errors: readonly RowError[];
  /** Users (sourcedIds) that a roles.csv or enrollments.csv row names: in error, or at all (a row marked tobedeleted too). */
  erredElsewhere: ReadonlySet<string>; named: ReadonlySet<string>; org: OrgLookup;
}): { errors: RowError[]; unchanged: number } {
  const ownErrors = new Set(input.errors.filter((e) => e.file === 'users.csv').map((e) => e.line));
  const errors: RowError[] = [];
  let unchanged = 0;
  for (const u of input.users) {
    if (u.deleted || input.recorded.has(u.sourcedId) || ownErrors.has(u.line)) continue;
    const above = u.orgSourcedIds.length > 0 && u.orgSourcedIds.every((id) => { const org = input.org(id); return 'code' in org && org.context === true; });
    if (input.erredElsewhere.has(u.sourcedId)) errors.push({ file: 'users.csv', line: u.line, field: 'sourcedId', code: 'oneroster.user_not_imported' });
    else if (above || input.named.has(u.sourcedId)) unchanged++;
    else errors.push({ file: 'users.csv', line: u.line, field: 'role', code: 'oneroster.user_no_role_here' });
  }
  return { errors, unchanged };
}

/**
 * Gives every appointment of one place (`placeOf`: person, organization, role) the earliest
 * start and the latest end among them, in place: one appointment however many keys name it.
 */
export function widenToPlace(appointments: readonly PlannedAppointment[], placeOf: (a: PlannedAppointment) => string): void {
  const spans = new Map<string, { start: string; end: string }>();
  for (const a of appointments) {
    const place = placeOf(a);
    const span = spans.get(place);
    spans.set(place, span === undefined ? { start: a.start, end: a.end } : { start: a.start < span.start ? a.start : span.start, end: a.end > span.end ? a.end : span.end });
  }
  for (const a of appointments) Object.assign(a, spans.get(placeOf(a)));
}

