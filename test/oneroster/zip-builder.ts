// OneRoster files for tests: the binding's columns, rows, and the zip (test/helpers/zip.ts).
import { nationalIdFor } from '../helpers/fixtures.ts';

export { buildZip, smuggle, type ZipEntry } from '../helpers/zip.ts';

/** CSV text from a header and rows (cells quoted when they hold a comma, a quote or a line break). */
export function csv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const quote = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
  return [header, ...rows].map((row) => row.map(quote).join(',')).join('\r\n') + '\r\n';
}

export const MANIFEST_BULK = csv(['propertyName', 'value'], [
  ['manifest.version', '1.0'], ['oneroster.version', '1.2'], ['file.academicSessions', 'bulk'], ['file.classes', 'bulk'],
  ['file.enrollments', 'bulk'], ['file.orgs', 'bulk'], ['file.users', 'bulk'], ['file.courses', 'absent'],
  ['source.systemName', 'Madreseh SIS'], ['source.systemCode', 'sis'],
]);

export const ORG_COLUMNS = ['sourcedId', 'status', 'dateLastModified', 'name', 'type', 'identifier', 'parentSourcedId'] as const;
export const USER_COLUMNS = ['sourcedId', 'status', 'dateLastModified', 'enabledUser', 'username', 'userIds', 'givenName', 'familyName', 'middleName', 'identifier', 'email', 'sms', 'phone', 'agentSourcedIds', 'grades', 'password', 'role', 'orgSourcedIds'] as const;
export const ENROLLMENT_COLUMNS = ['sourcedId', 'status', 'dateLastModified', 'classSourcedId', 'schoolSourcedId', 'userSourcedId', 'role', 'primary', 'beginDate', 'endDate'] as const;
export const SESSION_COLUMNS = ['sourcedId', 'status', 'dateLastModified', 'title', 'type', 'startDate', 'endDate', 'parentSourcedId', 'schoolYear'] as const;

/** A users.csv row from the columns a test cares about. */
export function user(u: { id: string; nationalId?: string; identifier?: string; role: string; orgs: string; agents?: string; email?: string; status?: string }): string[] {
  return [u.id, u.status ?? '', '', 'true', u.id, u.nationalId === undefined ? '' : `{national_id:${u.nationalId}}`, 'Given', 'Family', '', u.identifier ?? '', u.email ?? '', '', '', u.agents ?? '', '', '', u.role, u.orgs];
}
export const enrollment = (id: string, school: string, userId: string, role: string, begin = '', end = '', status = '') => [id, status, '', 'class-1', school, userId, role, 'false', begin, end];

/** OneRoster 1.2's users.csv (no role columns: roles.csv gives them), roles.csv, and a users.csv row of nationalIdFor(n). */
export const USERS_12 = ['sourcedId', 'status', 'dateLastModified', 'enabledUser', 'username', 'userIds', 'givenName', 'familyName', 'agentSourcedIds'];
export const ROLE_COLUMNS = ['sourcedId', 'status', 'dateLastModified', 'userSourcedId', 'roleType', 'role', 'beginDate', 'endDate', 'orgSourcedId'];
export const person = (id: string, n: number) => [id, '', '', 'true', id, `{national_id:${nationalIdFor(n)}}`, 'Given', 'Family', ''];
/** A bulk manifest without academicSessions.csv. */
export const MANIFEST_NO_SESSIONS = MANIFEST_BULK.replace('file.academicSessions,bulk', 'file.academicSessions,absent');

