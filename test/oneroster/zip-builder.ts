// A small zip writer for tests: real deflate (node:zlib) and CRC-32, and the means to lie in
// the headers (a declared size, a name) so tests can craft hostile zips too.
import { crc32, deflateRawSync } from 'node:zlib';

export type ZipEntry = {
  name: string;
  data: string | Buffer;
  /** 8 deflate (default), 0 stored. */
  method?: 0 | 8;
  /** The uncompressed size written in the headers (a bomb declares less than it holds). */
  declaredSize?: number;
};

export function buildZip(entries: readonly ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const data = typeof entry.data === 'string' ? Buffer.from(entry.data, 'utf8') : entry.data;
    const method = entry.method ?? 8;
    const body = method === 8 ? deflateRawSync(data) : data;
    const crc = crc32(data);
    const size = entry.declaredSize ?? data.length;
    const name = Buffer.from(entry.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // names in UTF-8
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

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
