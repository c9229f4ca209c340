/**
 * The OneRoster 1.2 CSV binding → Kelid, as rules (pure: no I/O, no clock). See
 * docs/decisions.md "OneRoster import" for the reasons.
 *
 * | OneRoster                                   | Kelid                                               |
 * |---------------------------------------------|-----------------------------------------------------|
 * | org type national / state / district, local / school | level ministry / province / district / school |
 * | org type department, anything else          | row error oneroster.org_type_unknown                |
 * | user: userIds `{national_id:…}`, else identifier | the account of that national ID (registry person) |
 * | role student / teacher                      | student / teacher                                   |
 * | role aide, proctor, counselor               | staff                                               |
 * | role parent, guardian                       | guardian, linked to the children in agentSourcedIds |
 * | role principal                              | principal                                           |
 * | role administrator, siteAdministrator       | staff at a school, where a principal or deputy appointment held today stands for it; nowhere else (see below) |
 * | role districtAdministrator                  | district_admin                                      |
 * | any other role (relative, systemAdministrator…) | row error oneroster.role_unknown               |
 * | enrollment (user, school, role, dates)      | appointment (membership) at the school              |
 * | academicSession of type schoolYear          | the dates of appointments that give none            |
 */
import { createHash } from 'node:crypto';
import type { OrganizationLevel, Role } from '../../db/schema.ts';
import { normalizeDigitString, normalizeLine, normalizeText, toLatinDigits } from '../../domain/digits.ts';
import { parseEmail } from '../../domain/email.ts';
import { parseGregorian } from '../../domain/iso-date.ts';
import { parseNationalId, type NationalIdError } from '../../domain/national-id.ts';
import type { Profile } from '../../domain/profile.ts';
import { parseSolarHijri } from '../../domain/solar-hijri.ts';
import { clip } from '../../domain/text.ts';
import type { CsvRow } from './csv.ts';

export type OneRosterFile = 'orgs.csv' | 'users.csv' | 'roles.csv' | 'enrollments.csv' | 'academicSessions.csv' | 'manifest.csv';

/** What is wrong with a row (catalog codes): its own problems here, those of the scope and registry in the importer. */
export type RowCode =
  | NationalIdError | 'oneroster.required' | 'oneroster.too_long' | 'oneroster.duplicate' | 'oneroster.org_type_unknown'
  | 'oneroster.role_unknown' | 'oneroster.role_missing' | 'oneroster.date_invalid' | 'oneroster.national_id_missing' | 'oneroster.email_invalid'
  | 'oneroster.org_unknown' | 'oneroster.org_by_code' | 'oneroster.org_beside' | 'oneroster.at_org_beside' | 'oneroster.org_outside_scope' | 'oneroster.org_level' | 'oneroster.user_unknown' | 'oneroster.user_rejected' | 'oneroster.user_not_imported' | 'oneroster.user_no_role_here'
  | 'oneroster.role_not_allowed' | 'oneroster.role_not_here'
  | 'admin.end_before_start' | 'oneroster.agent_required' | 'oneroster.agent_not_found' | 'oneroster.agent_some_not_found'
  | 'registry.not_found';
/** A row's problem; `params.role` names the role at fault (a Kelid role, or the file's word for one Kelid does not give). */
export type RowError = {
  file: OneRosterFile; line: number; field: string; code: RowCode; params?: { role: string };
  /** What the row holds in that column, as it can be shown, and whose row it is (report.ts `withValues`). */
  value?: string; nationalId?: string;
};

/** How a file of the zip counts (manifest `file.<name>`): a full picture, changes only, or not there. */
export type FileMode = 'bulk' | 'delta' | 'absent';
export type Manifest = Record<'orgs' | 'users' | 'roles' | 'enrollments' | 'academicSessions', FileMode>;

export type OrgRow = { line: number; sourcedId: string; name: string; level: OrganizationLevel; parentSourcedId: string | undefined; identifier: string | undefined; hash: string };
export type UserRow = {
  line: number; sourcedId: string; nationalId: string; deleted: boolean; roles: OneRosterRole[]; orgSourcedIds: string[];
  agentSourcedIds: string[]; email: string | undefined; hash: string;
};
/**
 * A user's role at an org with its dates: an enrollment (enrollments.csv, at a school, its class
 * not read) or a role (roles.csv, OneRoster 1.2's place for what 1.1 put in users.csv's `role`
 * and `orgSourcedIds`, at any org). `file` and `orgColumn` say where a row error points.
 */
export type EnrollmentRow = {
  line: number; sourcedId: string; userSourcedId: string; schoolSourcedId: string; role: OneRosterRole; begin: string | undefined; end: string | undefined; deleted: boolean;
  file: 'enrollments.csv' | 'roles.csv'; orgColumn: 'schoolSourcedId' | 'orgSourcedId';
};
export type SchoolYear = { start: string; end: string };

const ORG_LEVELS: Record<string, OrganizationLevel> = { national: 'ministry', state: 'province', district: 'district', local: 'district', school: 'school' };
/** The level under each level: an org's parent must be exactly one level up. */
export const PARENT_LEVEL: Partial<Record<OrganizationLevel, OrganizationLevel>> = { province: 'ministry', district: 'province', school: 'district' };

const ROLES = ['student', 'teacher', 'aide', 'proctor', 'counselor', 'parent', 'guardian', 'principal', 'administrator', 'siteAdministrator', 'districtAdministrator'] as const;
export type OneRosterRole = (typeof ROLES)[number];
const roleByLowercase = new Map<string, OneRosterRole>(ROLES.map((r) => [r.toLowerCase(), r]));

/**
 * Kelid's role for a OneRoster role at an organization of a level (undefined: none fits; the
 * importer reports oneroster.role_not_here). A file gives an administrator's role only when it
 * names it: `principal`, `districtAdministrator`. OneRoster's `administrator` and
 * `siteAdministrator` name a school's office staff as well as its heads (a Hebrew trial's
 * district file made two schools' deputies principals): they are staff, who administer nobody.
 */
export function kelidRole(role: OneRosterRole, level: OrganizationLevel): Role | undefined {
  switch (role) {
    case 'student': case 'teacher': case 'principal': case 'guardian': return role;
    case 'aide': case 'proctor': case 'counselor': return 'staff';
    case 'parent': return 'guardian';
    case 'districtAdministrator': return 'district_admin';
    case 'administrator': case 'siteAdministrator': return level === 'school' ? 'staff' : undefined;
  }
}

export const hashOf = (values: unknown): string => createHash('sha256').update(JSON.stringify(values)).digest('base64url');

const MAX_ID = 255;
const cell = (record: Record<string, string>, column: string) => normalizeLine(record[column] ?? '');
const list = (text: string) => text.split(',').map((s) => normalizeLine(s)).filter((s) => s !== '');
/** The sourcedIds a file's rows name, rows with errors included (to tell a user rejected from one the file lacks). */
export const namedIds = (rows: readonly CsvRow[], column = 'sourcedId') => new Set(rows.map((row) => cell(row.record, column)).filter((id) => id !== ''));
const isDeleted = (record: Record<string, string>) => cell(record, 'status').toLowerCase() === 'tobedeleted';

/** A required sourcedId-like cell, or a problem: empty, or longer than any real identifier. */
function idCell(record: Record<string, string>, column: string): { ok: true; value: string } | { ok: false; code: RowCode } {
  const value = cell(record, column);
  if (value === '') return { ok: false, code: 'oneroster.required' };
  if (value.length > MAX_ID) return { ok: false, code: 'oneroster.too_long' };
  return { ok: true, value };
}

/**
 * OneRoster writes dates `YYYY-MM-DD` (a timestamp's time is dropped); Persian digits and
 * invisible marks are normalized, and a year before 1700 is read as Solar Hijri, as in the CSV import.
 */
function dateCell(record: Record<string, string>, column: string): { ok: true; value: string | undefined } | { ok: false } {
  const text = normalizeLine(toLatinDigits(record[column] ?? '')).replace(/T.*$/, '');
  if (text === '') return { ok: true, value: undefined };
  const parsed = Number(text.slice(0, 4)) < 1700 ? parseSolarHijri(text.replace(/-/g, '/')) : parseGregorian(text);
  return parsed.ok ? { ok: true, value: parsed.value } : { ok: false };
}

/** manifest.csv: `propertyName,value` rows; files not named count as absent. */
export function parseManifest(rows: readonly CsvRow[]): { manifest: Manifest; version: string } {
  const properties = new Map(rows.map((r) => [cell(r.record, 'propertyName'), cell(r.record, 'value').toLowerCase()]));
  const mode = (file: string): FileMode => {
    const value = properties.get(`file.${file}`);
    return value === 'bulk' || value === 'delta' ? value : 'absent';
  };
  return {
    manifest: { orgs: mode('orgs'), users: mode('users'), roles: mode('roles'), enrollments: mode('enrollments'), academicSessions: mode('academicSessions') },
    version: properties.get('oneroster.version') ?? '',
  };
}

/** Parses rows, keeping the first of each sourcedId (a repeat is a row error). */
function eachRow<T>(file: OneRosterFile, rows: readonly CsvRow[], errors: RowError[], read: (row: CsvRow, problem: (field: string, code: RowCode) => void) => T | undefined, id: (t: T) => string): T[] {
  const out: T[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    let failed = false;
    const problem = (field: string, code: RowCode) => { failed = true; errors.push({ file, line: row.line, field, code }); };
    const value = read(row, problem);
    if (failed || value === undefined) continue;
    if (seen.has(id(value))) { errors.push({ file, line: row.line, field: 'sourcedId', code: 'oneroster.duplicate' }); continue; }
    seen.add(id(value));
    out.push(value);
  }
  return out;
}

/** orgs.csv rows (tobedeleted orgs are skipped: Kelid never deletes an organization). */
export function parseOrgs(rows: readonly CsvRow[], errors: RowError[]): OrgRow[] {
  return eachRow('orgs.csv', rows.filter((r) => !isDeleted(r.record)), errors, ({ line, record }, problem) => {
    const id = idCell(record, 'sourcedId');
    if (!id.ok) problem('sourcedId', id.code);
    const name = clip(normalizeText(record.name ?? ''), 200);
    if (name === '') problem('name', 'oneroster.required');
    const level = ORG_LEVELS[cell(record, 'type').toLowerCase()];
    if (!level) problem('type', 'oneroster.org_type_unknown');
    const parent = cell(record, 'parentSourcedId');
    const identifier = clip(normalizeDigitString(record.identifier ?? ''), 100);
    if (!id.ok || !level || name === '') return undefined;
    return { line, sourcedId: id.value, name, level, parentSourcedId: parent || undefined, identifier: identifier || undefined, hash: hashOf([name]) };
  }, (o) => o.sourcedId);
}

/** `{type:value},{type:value}` (userIds) → the value of the first national_id type. */
function nationalIdOf(userIds: string): string | undefined {
  for (const match of userIds.matchAll(/\{([^:{}]*):([^{}]*)\}/g)) {
    if (match[1]!.toLowerCase().replace(/[^a-z]/g, '') === 'nationalid') return match[2];
  }
  return undefined;
}

function rolesOf(text: string, problem: (field: string, code: RowCode) => void, field: string): OneRosterRole[] {
  const roles: OneRosterRole[] = [];
  for (const name of list(text)) {
    const role = roleByLowercase.get(name.toLowerCase());
    if (role) roles.push(role); else problem(field, 'oneroster.role_unknown');
  }
  return roles;
}

/** users.csv rows. The national ID comes from userIds `{national_id:…}`, else from identifier; names are the registry's, not the file's. */
export function parseUsers(rows: readonly CsvRow[], profile: Profile, errors: RowError[]): UserRow[] {
  return eachRow('users.csv', rows, errors, ({ line, record }, problem) => {
    const id = idCell(record, 'sourcedId');
    if (!id.ok) problem('sourcedId', id.code);
    const fromUserIds = nationalIdOf(record.userIds ?? '');
    const source = fromUserIds !== undefined ? 'userIds' : 'identifier';
    const raw = fromUserIds ?? record.identifier ?? '';
    let nationalId: string | undefined;
    if (normalizeDigitString(raw) === '') problem(source, 'oneroster.national_id_missing');
    else {
      const parsed = parseNationalId(raw, profile);
      if (parsed.ok) nationalId = parsed.value; else problem(source, parsed.code);
    }
    const roleColumn = record.role !== undefined ? 'role' : 'roles';
    const roles = rolesOf(record[roleColumn] ?? '', problem, roleColumn);
    let email: string | undefined;
    if (cell(record, 'email') !== '') {
      const parsed = parseEmail(cell(record, 'email'));
      if (parsed.ok) email = parsed.value; else problem('email', 'oneroster.email_invalid');
    }
    if (!id.ok || nationalId === undefined) return undefined;
    const orgSourcedIds = list(record.orgSourcedIds ?? '');
    const agentSourcedIds = list(record.agentSourcedIds ?? '');
    return {
      line, sourcedId: id.value, nationalId, deleted: isDeleted(record), roles, orgSourcedIds, agentSourcedIds, email,
      hash: hashOf([nationalId, roles, orgSourcedIds, agentSourcedIds, email ?? null]),
    };
  }, (u) => u.sourcedId);
}

/** enrollments.csv rows: one per class in OneRoster; Kelid keeps the school, the role and the dates. */
export function parseEnrollments(rows: readonly CsvRow[], errors: RowError[], file: EnrollmentRow['file'] = 'enrollments.csv'): EnrollmentRow[] {
  const orgColumn = file === 'roles.csv' ? 'orgSourcedId' : 'schoolSourcedId';
  return eachRow(file, rows, errors, ({ line, record }, problem) => {
    const id = idCell(record, 'sourcedId');
    if (!id.ok) problem('sourcedId', id.code);
    const user = idCell(record, 'userSourcedId');
    if (!user.ok) problem('userSourcedId', user.code);
    const school = idCell(record, orgColumn);
    if (!school.ok) problem(orgColumn, school.code);
    const roleText = cell(record, 'role');
    const role = roleByLowercase.get(roleText.toLowerCase());
    if (roleText === '') problem('role', 'oneroster.required');
    else if (!role) problem('role', 'oneroster.role_unknown');
    const begin = dateCell(record, 'beginDate');
    if (!begin.ok) problem('beginDate', 'oneroster.date_invalid');
    const end = dateCell(record, 'endDate');
    if (!end.ok) problem('endDate', 'oneroster.date_invalid');
    if (!id.ok || !user.ok || !school.ok || !role || !begin.ok || !end.ok) return undefined;
    return { line, sourcedId: id.value, userSourcedId: user.value, schoolSourcedId: school.value, role, begin: begin.value, end: end.value, deleted: isDeleted(record), file, orgColumn };
  }, (e) => e.sourcedId);
}

/**
 * academicSessions.csv → the school year appointments take when an enrollment gives no dates
 * (`year`): the schoolYear session holding `today`, else the next one to start (staffing the
 * coming year), else none (the importer then uses Kelid's school-year defaults). When the file
 * gives years and all of them are over (none in error), `ended` is the latest, for the report to
 * say why the file's year was not taken (a trial's export still held last year's session).
 */
export function schoolYearOf(rows: readonly CsvRow[], today: string, errors: RowError[]): { year?: SchoolYear; ended?: SchoolYear } {
  const years: SchoolYear[] = [];
  let broken = false;
  const refuse = (error: RowError) => { errors.push(error); broken = true; };
  for (const { line, record } of rows) {
    if (isDeleted(record) || cell(record, 'type').toLowerCase() !== 'schoolyear') continue;
    const start = dateCell(record, 'startDate');
    const end = dateCell(record, 'endDate');
    if (!start.ok || !start.value) { refuse({ file: 'academicSessions.csv', line, field: 'startDate', code: 'oneroster.date_invalid' }); continue; }
    if (!end.ok || !end.value) { refuse({ file: 'academicSessions.csv', line, field: 'endDate', code: 'oneroster.date_invalid' }); continue; }
    if (end.value < start.value) { refuse({ file: 'academicSessions.csv', line, field: 'endDate', code: 'admin.end_before_start' }); continue; }
    years.push({ start: start.value, end: end.value });
  }
  const year = years.find((y) => y.start <= today && today <= y.end)
    ?? years.filter((y) => y.start > today).sort((a, b) => a.start.localeCompare(b.start))[0];
  if (year) return { year };
  if (broken) return {}; // a year in error may have been today's: that all are over is not known
  const ended = years.filter((y) => y.end < today).sort((a, b) => b.end.localeCompare(a.end))[0];
  return ended ? { ended } : {};
}
