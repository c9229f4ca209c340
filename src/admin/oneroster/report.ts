/**
 * The report of a OneRoster import, as `POST /api/v1/admin/imports` answers it:
 * `{created, updated, unchanged, ended, files, appointments, schoolYear, errors: [{file, line,
 * field, code, message}], notices (the same shape), createdAppointments, linkedChildren,
 * endedAppointments, updatedAppointments}` (`file` is OneRoster's addition). Codes are
 * catalog keys; `withMessages` adds the localized text at the HTTP layer.
 *
 * Each file counts what its own rows did: orgs.csv organizations; users.csv users (created:
 * their account made by this import; a person who had one is unchanged); roles.csv (OneRoster
 * 1.2) and enrollments.csv the appointments their rows give (one per user, organization and
 * role, however many classes). `appointments` counts every appointment whichever file gave it
 * (1.1's role in users.csv too), and `ended` those a later file no longer holds. The totals
 * are organizations, users and appointments; an ended appointment is counted as ended, not
 * as updated.
 */
import { isMessageKey, type Translate } from '../../i18n/catalogs.ts';
import { quotable } from '../../domain/text.ts';
import type { CsvRow } from './csv.ts';
import type { OneRosterFile, RowError } from './mapping.ts';

/** The longest value an error quotes (a cell of a real file is a date, an id or a name). */
const QUOTED = 80;

/**
 * Each error with what its row holds in its column (`value`), so that the person finds the cell
 * to fix without opening the file (a trial's admin saw only a file, a line and a column name),
 * and the national ID of the person the row is about, when `personOf` knows it. The value is
 * shown as `quotable` makes it: cut to QUOTED characters, control and direction marks as U+FFFD.
 */
export function withValues(
  errors: RowError[], rows: Partial<Record<OneRosterFile, readonly CsvRow[]>>, personOf: (error: RowError, row: CsvRow | undefined) => string | undefined = () => undefined,
): void {
  const byLine = new Map<OneRosterFile, Map<number, CsvRow>>();
  for (const error of errors) {
    let lines = byLine.get(error.file);
    if (!lines) byLine.set(error.file, lines = new Map((rows[error.file] ?? []).map((r) => [r.line, r])));
    const row = lines.get(error.line);
    const value = row?.record[error.field];
    // An error that names its own value (the children of a cell that were not found) keeps it.
    if (error.value === undefined && value !== undefined && value.trim() !== '') error.value = quotable(value.trim(), QUOTED);
    const nationalId = personOf(error, row);
    if (nationalId !== undefined) error.nationalId = nationalId;
  }
}

export type FileCounts = { rows: number; created: number; updated: number; unchanged: number; errors: number };
export type AppointmentCounts = { created: number; updated: number; unchanged: number; ended: number };
/** Whose appointment, which role, where: for the person reading the report to check. */
export type AppointmentOf = { nationalId: string | null; firstName: string; lastName: string; role: string; organization: string };
/** An appointment this import ended (a later bulk file no longer holds it, or a delta file marked it): its last day is `endsOn`, yesterday. */
export type EndedAppointment = AppointmentOf & { endsOn: string };
/** An appointment this import made, with its dates. */
export type CreatedAppointment = AppointmentOf & { start: string; end: string | null };
/** A person as the report names them. */
export type PersonOf = { nationalId: string | null; firstName: string; lastName: string };
/** A parent and a child this import linked (a guardianship it made; one there before is not listed). */
export type LinkedChild = { parent: PersonOf; child: PersonOf };
/** How many of the made appointments and the links the report lists: the first, in the order the page shows them (sorted whole, then cut); the counts count all. */
export const LISTED = 2000;
/** An appointment whose dates this import moved (the file's dates differ from the appointment's: a console-made one taken as the file's, or a changed row). */
export type UpdatedAppointment = AppointmentOf & { before: { start: string; end: string | null }; after: { start: string; end: string } };
/**
 * The dates an appointment takes when its rows give none: academicSessions.csv's school year
 * (today's, else the next), or the profile's; `ended`, with the profile's, is the file's latest
 * school year when every one it gives is over.
 */
export type ReportSchoolYear = { start: string; end: string; from: 'academicSessions.csv' | 'profile'; ended?: { start: string; end: string } };
export type OneRosterReport = {
  created: number; updated: number; unchanged: number; ended: number;
  errors: (RowError & { message?: string })[];
  /**
   * Rows that were applied, with something the importer should check (a parent linked to some
   * of the children their row names, not all): not errors, so they count with what they did,
   * and an ending is not held back by them. The same shape as errors.
   */
  notices: (RowError & { message?: string })[];
  files: Record<Exclude<OneRosterFile, 'manifest.csv'>, FileCounts>;
  appointments: AppointmentCounts;
  schoolYear: ReportSchoolYear;
  /** The appointments this import made, by organization, then name: the first LISTED (their number is `appointments.created`). */
  createdAppointments: CreatedAppointment[];
  /** How many parent–child links this import made; `linkedChildren` lists the first LISTED of them, by the parent's name. */
  linked: number;
  linkedChildren: LinkedChild[];
  /** Every appointment ended, by organization, then name (their number is `appointments.ended`). */
  endedAppointments: EndedAppointment[];
  /** Every appointment whose dates were moved, by organization, then name. */
  updatedAppointments: UpdatedAppointment[];
};

const zero = (rows: number): FileCounts => ({ rows, created: 0, updated: 0, unchanged: 0, errors: 0 });

export function emptyCounts(raw: Record<'orgs' | 'users' | 'roles' | 'enrollments' | 'sessions', readonly unknown[]>, schoolYear: ReportSchoolYear): OneRosterReport {
  return {
    created: 0, updated: 0, unchanged: 0, ended: 0, errors: [], notices: [], createdAppointments: [], linked: 0, linkedChildren: [], endedAppointments: [], updatedAppointments: [], schoolYear,
    appointments: { created: 0, updated: 0, unchanged: 0, ended: 0 },
    files: {
      'orgs.csv': zero(raw.orgs.length), 'users.csv': zero(raw.users.length), 'roles.csv': zero(raw.roles.length),
      'enrollments.csv': zero(raw.enrollments.length), 'academicSessions.csv': zero(raw.sessions.length),
    },
  };
}

/** The order a person reads the files in: what is named before what names it (an enrollment's error often follows from its user's). */
const FILE_ORDER: readonly OneRosterFile[] = ['manifest.csv', 'academicSessions.csv', 'orgs.csv', 'users.csv', 'roles.csv', 'enrollments.csv'];

/** The totals (organizations, users, appointments), errors sorted by file (FILE_ORDER) and line, and each file's rows in error counted (a row with two errors is one). */
export function finish(report: OneRosterReport): void {
  const parts = [report.files['orgs.csv'], report.files['users.csv'], report.appointments];
  report.created = parts.reduce((n, c) => n + c.created, 0);
  report.updated = parts.reduce((n, c) => n + c.updated, 0);
  report.unchanged = parts.reduce((n, c) => n + c.unchanged, 0);
  report.ended = report.appointments.ended;
  const byPlace = (a: RowError, b: RowError) => FILE_ORDER.indexOf(a.file) - FILE_ORDER.indexOf(b.file) || a.line - b.line || a.field.localeCompare(b.field);
  report.errors.sort(byPlace);
  report.notices.sort(byPlace);
  const rows = new Set<string>();
  for (const error of report.errors) {
    if (error.file === 'manifest.csv' || rows.has(`${error.file}:${error.line}`)) continue;
    rows.add(`${error.file}:${error.line}`);
    report.files[error.file].errors++;
  }
}

/** An error's text in `t`'s locale, the role it names by its name there (the file's own word for a role Kelid does not give). */
export function rowMessage(t: Translate, error: RowError): string {
  if (error.params === undefined) return t(error.code);
  const key = `role.${error.params.role}`;
  return t(error.code, { role: isMessageKey(key) ? t(key) : error.params.role });
}

/** The report with each error's and notice's message in the request's locale. */
export function withMessages(report: OneRosterReport, t: Translate): OneRosterReport {
  return { ...report, errors: report.errors.map((e) => ({ ...e, message: rowMessage(t, e) })), notices: report.notices.map((e) => ({ ...e, message: rowMessage(t, e) })) };
}
