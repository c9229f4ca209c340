/**
 * OneRoster 1.2 bulk CSV import (issue 13 §5): a zip of orgs, users, enrollments and
 * academicSessions → organizations, accounts and appointments of the importer's subtree,
 * idempotent by sourcedId (oneroster_sources), with a report by file and row. One
 * transaction, serialized per importer (an advisory lock): a refused zip, or a crash half-way,
 * writes nothing. The rules of the mapping are in mapping.ts and docs/decisions.md.
 */
import { sql, type Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { normalizeLine } from '../../domain/digits.ts';
import type { Profile } from '../../domain/profile.ts';
import { appointmentDefaults } from '../../domain/school-year.ts';
import { ensureAccounts } from '../../identity/accounts.ts';
import { auditRow } from '../../identity/audit.ts';
import { scopedOrganization } from '../appointments.ts';
import { can, parentRoles, roleFitsLevel, rolesActedOn } from '../permissions.ts';
import { inSubtree, type Scope } from '../scope.ts';
import { OneRosterFileError, readCsv, type CsvRow } from './csv.ts';
import { namedIds, parseEnrollments, parseManifest, parseOrgs, parseUsers, schoolYearOf, type RowError, type UserRow } from './mapping.ts';
import { appointmentOf, countOutcomes, describeCreated, describeMoved, endAppointments, newAppointmentLog, runningAppointments, writeAppointments, type AppointmentLog, type Ready } from './memberships.ts';
import { resolveOrgs, type ResolvedOrg } from './orgs.ts';
import { linkGuardians } from './guardians.ts';
import { emailsOnRecord, findPeople, mappedPeople, recordUsers, type Counts } from './people.ts';
import { endRule, planAppointments, usersLeftOut, widenToPlace, type OrgLookup, type PlannedAppointment } from './plan.ts';
import { emptyCounts, finish, withValues, type OneRosterReport } from './report.ts';
import { chunks } from './sources.ts';
import { readOneRosterZip } from './zip.ts';

export { OneRosterFileError } from './csv.ts';
export { ZipError } from './zip.ts';
export type { OneRosterReport } from './report.ts';

/**
 * Imports a OneRoster zip as the admin of `scope` (who needs `users.import`). Throws ZipError
 * or OneRosterFileError when the zip or a file is refused whole (nothing written); otherwise
 * the report: rows in error are listed and write nothing, the others are applied. `today`
 * dates the school year and the endings; `now` is taken for the shared import endpoint's
 * options and not needed here (the database stamps the audit event).
 */
export async function importOneRosterZip(
  db: Db, scope: Scope, zip: Buffer, options: { profile: Profile; today: string; ip: string | null; now?: Date },
): Promise<OneRosterReport | { status: 403 | 404; code: 'access.denied' | 'admin.organization_not_found' }> {
  if (!can(scope.role, 'users.import')) return { status: 403, code: 'access.denied' };
  const home = await scopedOrganization(db, scope, scope.organizationId);
  if (!home) return { status: 404, code: 'admin.organization_not_found' };
  const files = await readOneRosterZip(zip);
  const manifestBytes = files.get('manifest.csv');
  if (!manifestBytes) throw new OneRosterFileError('oneroster.manifest_missing', 'manifest.csv');
  const { manifest, version } = parseManifest(readCsv('manifest.csv', manifestBytes));
  if (version !== '' && !version.startsWith('1.')) throw new OneRosterFileError('oneroster.version', 'manifest.csv');
  const csv = (name: 'orgs.csv' | 'users.csv' | 'roles.csv' | 'enrollments.csv' | 'academicSessions.csv', mode: string): CsvRow[] => {
    const bytes = files.get(name);
    if (bytes) return readCsv(name, bytes);
    if (mode !== 'absent') throw new OneRosterFileError('oneroster.file_missing', name);
    return [];
  };
  const raw = {
    orgs: csv('orgs.csv', manifest.orgs), users: csv('users.csv', manifest.users), roles: csv('roles.csv', manifest.roles),
    enrollments: csv('enrollments.csv', manifest.enrollments), sessions: csv('academicSessions.csv', manifest.academicSessions),
  };

  const errors: RowError[] = [];
  const orgRows = parseOrgs(raw.orgs, errors);
  const userRows = parseUsers(raw.users, options.profile, errors);
  // OneRoster 1.2 gives a user's role at an org in roles.csv (1.1 in users.csv's role and orgSourcedIds): both are read, as enrollments are.
  const enrollments = [...parseEnrollments(raw.enrollments, errors), ...parseEnrollments(raw.roles, errors, 'roles.csv')];
  const fileYear = schoolYearOf(raw.sessions, options.today, errors);
  const schoolYear = fileYear.year ?? appointmentDefaults(options.profile, 'public', options.today);
  const report = emptyCounts(raw, { ...schoolYear, from: fileYear.year ? 'academicSessions.csv' : 'profile', ...(fileYear.ended ? { ended: fileYear.ended } : {}) });

  await db.transaction().execute(async (trx) => {
    // One import per importer at a time: two at once would race for the same sourcedIds.
    await sql`select pg_advisory_xact_lock(hashtext(${`oneroster:${scope.organizationId}`}))`.execute(trx);
    const referenced = [...new Set([...enrollments.map((e) => e.schoolSourcedId), ...userRows.flatMap((u) => u.orgSourcedIds)])];
    const orgs = await resolveOrgs(trx, scope, orgRows, referenced, errors);
    report.files['orgs.csv'] = { ...report.files['orgs.csv'], ...orgs.counts };
    // An org named by its code (orgs.csv's identifier, or an organization's of the scope, which the page shows) where its
    // sourcedId belongs is told so (a trial's roles.csv named the school by its code).
    const unresolved = referenced.filter((id) => !orgs.resolved.has(id) && !orgs.above.has(id) && !orgs.failed.has(id));
    const codes = new Set([...orgRows.flatMap((o) => (o.identifier === undefined ? [] : [o.identifier])), ...unresolved.length === 0 ? [] : (await trx.selectFrom('organizations as o')
      .select('o.code').where(sql<boolean>`o.code = any(${unresolved}::text[])`).where(inSubtree(scope, 'o')).execute()).flatMap((o) => (o.code === null ? [] : [o.code]))]);
    const org: OrgLookup = (id) => {
      const found = orgs.resolved.get(id);
      if (found) return { level: found.level };
      if (orgs.above.has(id)) return { code: 'oneroster.org_outside_scope', context: true };
      const failed = orgs.failed.get(id);
      if (failed === 'oneroster.org_outside_scope') return { code: failed };
      // A row at a neighbouring school: a short word, where its orgs.csv row says the whole (a trial's report repeated it 645 times).
      if (failed === 'oneroster.org_beside') return { code: 'oneroster.at_org_beside' };
      return { code: codes.has(id) ? 'oneroster.org_by_code' : 'oneroster.org_unknown' };
    };
    const planned = planAppointments({ users: userRows, enrollments, schoolYear, org }, errors);
    // A user no row gives a role (a 1.2 export without its roles.csv) is an error, not a silence: and, in error, no appointment of theirs is ended.
    // A row in error names the user all the same: its own error says what is wrong (a trial's teacher was told to add the role row she had).
    const given = new Set([...namedIds(raw.roles, 'userSourcedId'), ...namedIds(raw.enrollments, 'userSourcedId')]);
    for (const u of userRows) if (!u.deleted && u.roles.length === 0 && !given.has(u.sourcedId)) errors.push({ file: 'users.csv', line: u.line, field: 'role', code: 'oneroster.role_missing' });

    const people = await findPeople(trx, userRows, errors);
    const listed = new Set(userRows.map((u) => u.sourcedId));
    for (const [id, person] of await mappedPeople(trx, scope.organizationId, [...new Set(planned.map((a) => a.userSourcedId))].filter((id) => !listed.has(id)))) people.set(id, person);
    const usersById = new Map(userRows.map((u) => [u.sourcedId, u]));
    // A user whose own row was rejected is in the file: their enrollments say so, not "not in the file".
    const namedUsers = namedIds(raw.users);
    // An appointment is counted under the file whose row gave it (users.csv's role in the totals only: that file counts users),
    // and in the totals once per membership, however many keys name it.
    const log = newAppointmentLog();
    const byFile: Record<'enrollments.csv' | 'roles.csv' | 'users.csv', Counts> = {
      'enrollments.csv': report.files['enrollments.csv'], 'roles.csv': report.files['roles.csv'], 'users.csv': { created: 0, updated: 0, unchanged: 0 },
    };
    const applyByFile = async (list: readonly PlannedAppointment[]) => {
      for (const file of ['enrollments.csv', 'roles.csv', 'users.csv'] as const) await apply(list.filter((a) => a.file === file), byFile[file]);
    };
    const { valid, standing } = await admitAppointments(trx, {
      scope, today: options.today, planned, people, resolved: orgs.resolved, usersById, namedUsers, byFile, log, errors,
    });
    // One appointment however many rows name it (the school by its Kelid id in roles.csv and by the school system's id in
    // enrollments.csv, or the person by two user ids): each of its keys carries the earliest start and the latest end.
    widenToPlace(valid, (a) => appointmentOf(people.get(a.userSourcedId)!, orgs.resolved.get(a.orgSourcedId)!.id, a.role));
    const recorded = new Set<string>();
    const apply = async (list: readonly PlannedAppointment[], tally: Counts) => {
      for (const chunk of chunks(list)) {
        const { accounts, created } = await ensureAccounts(trx, [...new Set(chunk.map((a) => people.get(a.userSourcedId)!))]);
        const ready: Ready[] = chunk.map((a) => ({ ...a, accountId: accounts.get(people.get(a.userSourcedId)!)!, organizationId: orgs.resolved.get(a.orgSourcedId)!.id }));
        await writeAppointments(trx, scope, ready, tally, log);
        const newUsers = ready.filter((a) => usersById.has(a.userSourcedId) && !recorded.has(a.userSourcedId));
        for (const a of newUsers) recorded.add(a.userSourcedId);
        // A user is first recorded in the chunk that holds their first appointment, where their account was made if it was.
        await recordUsers(trx, scope.organizationId, [...new Map(newUsers.map((a) => [a.userSourcedId, {
          row: usersById.get(a.userSourcedId)!, accountId: a.accountId, newAccount: created.has(people.get(a.userSourcedId)!),
        }])).values()], report.files['users.csv']);
      }
    };
    // Students and staff first; guardians afterwards, once their children may have been made by the same file.
    await applyByFile(valid.filter((a) => !parentRoles.includes(a.role)));
    await applyByFile(await linkGuardians(trx, scope, valid.filter((a) => parentRoles.includes(a.role)), userRows, people, errors, report));

    const leftOut = usersLeftOut({ users: userRows, recorded, errors, erredElsewhere: usersInError(errors.filter((e) => e.file !== 'users.csv'), raw), named: new Set([...given, ...standing]), org });
    errors.push(...leftOut.errors);
    report.files['users.csv'].unchanged += leftOut.unchanged;
    report.endedAppointments = await endAppointments(trx, scope, endRule({ manifest, users: userRows, enrollments, planned, org, inError: usersInError(errors, raw) }), options.today);
    report.appointments = { ...countOutcomes(log), ended: report.endedAppointments.length };
    report.updatedAppointments = await describeMoved(trx, log);
    report.createdAppointments = await describeCreated(trx, log);
    // Only to the accounts of users this import recorded: one it names as not imported is not touched (an attacker review).
    await emailsOnRecord(trx, scope, userRows.filter((u) => recorded.has(u.sourcedId)), people);
    // Whose row: a users.csv row's own person, or the user a role or enrollment row names (a trial's admin had to look each one up).
    const idOfLine = new Map(userRows.map((u) => [u.line, u.nationalId]));
    const idOfUser = new Map(userRows.map((u) => [u.sourcedId, u.nationalId]));
    // Errors and notices alike, in one pass over the files' rows (withValues fills each in place).
    withValues([...errors, ...report.notices], { 'orgs.csv': raw.orgs, 'users.csv': raw.users, 'roles.csv': raw.roles, 'enrollments.csv': raw.enrollments, 'academicSessions.csv': raw.sessions },
      (e, row) => (e.file === 'users.csv' ? idOfLine.get(e.line) : e.file === 'roles.csv' || e.file === 'enrollments.csv' ? idOfUser.get(normalizeLine(row?.record.userSourcedId ?? '')) : undefined));
    report.errors = errors;
    finish(report);
    await trx.insertInto('audit_events').values(auditRow({
      type: 'admin.imported', actorAccountId: scope.accountId, actingMembershipId: scope.membershipId, ip: options.ip,
      data: { format: 'oneroster', created: report.created, updated: report.updated, ended: report.ended, errors: errors.length, organizationId: scope.organizationId },
    })).execute();
  });
  return report;
}

/** The users (sourcedIds, as written) of rows in error in users.csv, roles.csv or enrollments.csv. */
function usersInError(errors: readonly RowError[], raw: { users: readonly CsvRow[]; roles: readonly CsvRow[]; enrollments: readonly CsvRow[] }): Set<string> {
  const at = (rows: readonly CsvRow[], column: string) => new Map(rows.map((r) => [r.line, normalizeLine(r.record[column] ?? '')]));
  const users = at(raw.users, 'sourcedId');
  const roles = at(raw.roles, 'userSourcedId');
  const enrollments = at(raw.enrollments, 'userSourcedId');
  const ids = new Set<string>();
  for (const e of errors) {
    const id = e.file === 'users.csv' ? users.get(e.line) : e.file === 'roles.csv' ? roles.get(e.line) : e.file === 'enrollments.csv' ? enrollments.get(e.line) : undefined;
    if (id) ids.add(id);
  }
  return ids;
}

/**
 * The planned appointments the importer may write; each other one is a row error, but for a
 * row that an appointment the person holds there today stands for, when the row says it runs
 * today: the role itself, when the importer may not give it (a principal's own row in the
 * school's export, which a trial's principal saw refused at every upload), or a principal's or
 * deputy's appointment for OneRoster's administrator (whom the file makes staff). That row is
 * counted unchanged under its file and in the log, the appointment stays the console's and is
 * never mapped, and its user is in `standing`.
 */
async function admitAppointments(trx: Transaction<Database>, input: {
  scope: Scope; today: string; planned: readonly PlannedAppointment[]; people: ReadonlyMap<string, string>; resolved: ReadonlyMap<string, ResolvedOrg>;
  usersById: ReadonlyMap<string, UserRow>; namedUsers: ReadonlySet<string>;
  byFile: Record<PlannedAppointment['file'], Counts>; log: AppointmentLog; errors: RowError[];
}): Promise<{ valid: PlannedAppointment[]; standing: Set<string> }> {
  const { people, resolved, usersById, today } = input;
  const mayGive = new Set(rolesActedOn(input.scope.role));
  // The roles held that stand for a row: its own, when the importer may not give it; a principal's or deputy's for an administrator's row.
  const standsFor = (a: PlannedAppointment): readonly string[] => [...(mayGive.has(a.role) ? [] : [a.role]), ...(a.administrator ? ['principal', 'deputy'] : [])];
  const held = await runningAppointments(trx, input.scope.organizationId, input.planned.filter((a) => people.has(a.userSourcedId) && resolved.has(a.orgSourcedId))
    .flatMap((a) => standsFor(a).map((role) => ({ person: people.get(a.userSourcedId)!, organizationId: resolved.get(a.orgSourcedId)!.id, role }))), today);
  const standing = new Set<string>();
  const valid = input.planned.filter((a) => {
    // Only a row that itself says the appointment runs today: one that says it ended, or starts later, is the importer's to refuse.
    const heldId = people.has(a.userSourcedId) && a.start <= today && today <= a.end
      ? standsFor(a).map((role) => held.get(appointmentOf(people.get(a.userSourcedId)!, resolved.get(a.orgSourcedId)!.id, role))).find((id) => id !== undefined) : undefined;
    if (heldId !== undefined) {
      input.byFile[a.file].unchanged++;
      if (!input.log.outcomes.has(heldId)) input.log.outcomes.set(heldId, 'unchanged');
      standing.add(a.userSourcedId);
      return false;
    }
    // A user of the file that is not found (their users.csv row is in error) makes each of their role and enrollment rows an error
    // too, so that every row is counted somewhere; their users.csv row's own error speaks for its role column. A user marked
    // tobedeleted is not looked up: their rows end what they name (endRule), no error.
    const problem = !people.has(a.userSourcedId)
      ? (a.file === 'users.csv' || usersById.get(a.userSourcedId)?.deleted === true ? undefined
        : usersById.has(a.userSourcedId) || input.namedUsers.has(a.userSourcedId) ? 'oneroster.user_rejected' as const : 'oneroster.user_unknown' as const)
      : !mayGive.has(a.role) ? 'oneroster.role_not_allowed' as const
      : !roleFitsLevel(a.role, resolved.get(a.orgSourcedId)!.level) ? 'oneroster.role_not_here' as const : undefined;
    // A role refused is the role column's fault, and the message names it (a trial's admin could not tell which row's role).
    if (problem === 'oneroster.role_not_allowed' || problem === 'oneroster.role_not_here') input.errors.push({ file: a.file, line: a.line, field: 'role', code: problem, params: { role: a.role } });
    else if (problem) input.errors.push({ file: a.file, line: a.line, field: a.file === 'users.csv' ? 'role' : 'userSourcedId', code: problem });
    return problem === undefined && people.has(a.userSourcedId);
  });
  return { valid, standing };
}

