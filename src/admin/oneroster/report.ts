/**
 * The report of a OneRoster import: `{created, updated, errors: [{file, line, field, code,
 * message}]}` as `POST /api/v1/admin/imports` answers (`file` is OneRoster's addition), with
 * the counts of each file. Codes are catalog keys; `withMessages` adds the localized text at
 * the HTTP layer. orgs.csv counts organizations; users.csv counts users (created: their account
 * made by this import; a person who had one is unchanged); roles.csv (OneRoster 1.2) the appointments its rows give; enrollments.csv counts appointments (one per user, school and role,
 * however many classes), and `ended` those a later file no longer holds.
 */
import type { Translate } from '../../i18n/catalogs.ts';
import type { OneRosterFile, RowError } from './mapping.ts';

export type FileCounts = { rows: number; created: number; updated: number; unchanged: number; ended: number; errors: number };
/** An appointment this import ended (a later bulk file no longer holds it, or a delta file marked it), for the person to check. */
export type EndedAppointment = { nationalId: string | null; firstName: string; lastName: string; role: string; organization: string };
export type OneRosterReport = {
  created: number; updated: number; unchanged: number;
  errors: (RowError & { message?: string })[];
  files: Record<Exclude<OneRosterFile, 'manifest.csv'>, FileCounts>;
  /** Every appointment ended, by organization, then name (their number is `files['enrollments.csv'].ended`). */
  endedAppointments: EndedAppointment[];
};

const zero = (rows: number): FileCounts => ({ rows, created: 0, updated: 0, unchanged: 0, ended: 0, errors: 0 });

export function emptyCounts(raw: Record<'orgs' | 'users' | 'roles' | 'enrollments' | 'sessions', readonly unknown[]>): OneRosterReport {
  return {
    created: 0, updated: 0, unchanged: 0, errors: [], endedAppointments: [],
    files: {
      'orgs.csv': zero(raw.orgs.length), 'users.csv': zero(raw.users.length), 'roles.csv': zero(raw.roles.length),
      'enrollments.csv': zero(raw.enrollments.length), 'academicSessions.csv': zero(raw.sessions.length),
    },
  };
}

/** The order a person reads the files in: what is named before what names it (an enrollment's error often follows from its user's). */
const FILE_ORDER: readonly OneRosterFile[] = ['manifest.csv', 'academicSessions.csv', 'orgs.csv', 'users.csv', 'roles.csv', 'enrollments.csv'];

/** The totals from the files' counts (an ended appointment counts as updated), errors sorted by file (FILE_ORDER) and line. */
export function finish(report: OneRosterReport): void {
  const files = Object.values(report.files);
  report.created = files.reduce((n, f) => n + f.created, 0);
  report.updated = files.reduce((n, f) => n + f.updated + f.ended, 0);
  report.unchanged = files.reduce((n, f) => n + f.unchanged, 0);
  report.errors.sort((a, b) => FILE_ORDER.indexOf(a.file) - FILE_ORDER.indexOf(b.file) || a.line - b.line || a.field.localeCompare(b.field));
  for (const error of report.errors) if (error.file !== 'manifest.csv') report.files[error.file].errors++;
}

/** The report with each error's message in the request's locale. */
export function withMessages(report: OneRosterReport, t: Translate): OneRosterReport {
  return { ...report, errors: report.errors.map((e) => ({ ...e, message: t(e.code) })) };
}
