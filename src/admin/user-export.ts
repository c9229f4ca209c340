/**
 * The user table as an XLSX file (F24 export, issue 13 §4): the seed's columns in its order
 * and words (GLOSSARY.md §5) in the reader's language, dates in the locale's calendar, the
 * same scope and filter as the table. Written as a stream (exceljs's WorkbookWriter, inline
 * strings, rows committed as they come) from batches of the table: a 100,000-row export never
 * holds its rows or its workbook in memory.
 *
 * Every cell is a string, never a formula; one that a spreadsheet would read as a formula once
 * saved as CSV (`=`, `+`, `-`, `@`, …) gets the same leading apostrophe as the CSV export.
 */
import { PassThrough, type Readable } from 'node:stream';
import type { Locale } from '../config.ts';
import type { Db } from '../db/database.ts';
import { direction, type TextKey, type Translate } from '../i18n/catalogs.ts';
import { formatDate, type Formatting } from '../i18n/format.ts';
import { auditRow } from '../identity/audit.ts';
import type { Scope } from './scope.ts';
import { userRowBatches, type UserFilter, type UserRow } from './user-table.ts';

/** The seed's columns (000:272), in its order. */
const columns: readonly TextKey[] = [
  'admin.col_first_name', 'admin.col_last_name', 'admin.col_national_id', 'admin.col_role', 'admin.col_province', 'admin.col_district',
  'admin.col_start', 'admin.col_end', 'admin.col_organization', 'admin.col_organization_type', 'admin.col_approved',
];

/** Each column's width in characters, so that names, dates and schools show whole when the file is opened. */
const widths: readonly number[] = [14, 18, 13, 14, 14, 18, 12, 12, 32, 14, 8];

/** A text a spreadsheet would run as a formula (OWASP "CSV injection"), defused with a leading apostrophe. */
export const inertText = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

function cells(row: UserRow, t: Translate, formatting: Formatting): string[] {
  return [
    row.firstName, row.lastName, row.nationalId ?? '', t(`role.${row.role}`), row.province ?? '', row.district ?? '',
    formatDate(row.startsOn, formatting), row.endsOn ? formatDate(row.endsOn, formatting) : '', row.organization, t(`org_type.${row.organizationType}`),
    row.approved ? t('imports.yes') : '',
  ].map(inertText);
}

/**
 * Audits the export (`admin.exported`, with its filter) and answers the file as a stream; an
 * error while writing ends the stream with that error (the response is already under way).
 */
export async function exportUsersXlsx(
  db: Db, scope: Scope, filter: Pick<UserFilter, 'nationalId' | 'roles'>, context: { t: Translate; locale: Locale; formatting: Formatting; ip: string | null },
): Promise<Readable> {
  // Loaded at the first export (~9 MB of heap that a process serving sign-ins never needs).
  const { default: ExcelJS } = await import('exceljs');
  await db.insertInto('audit_events').values(auditRow({
    type: 'admin.exported', actorAccountId: scope.accountId, actingMembershipId: scope.membershipId, ip: context.ip,
    data: { format: 'xlsx', roles: filter.roles ?? null, nationalId: filter.nationalId ?? null },
  })).execute();
  const output = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useSharedStrings: false, useStyles: false });
  // The header row stays in view while scrolling (frozen), in the reader's direction.
  const sheet = workbook.addWorksheet(context.t('imports.sheet_name'), { views: [{ state: 'frozen', ySplit: 1, rightToLeft: direction(context.locale) === 'rtl' }] });
  sheet.columns = widths.map((width) => ({ width }));
  void (async () => {
    sheet.addRow(columns.map((key) => context.t(key))).commit();
    for await (const batch of userRowBatches(db, scope, filter)) {
      for (const row of batch) sheet.addRow(cells(row, context.t, context.formatting)).commit();
    }
    sheet.commit();
    await workbook.commit();
  })().catch((error: unknown) => output.destroy(error instanceof Error ? error : new Error(String(error))));
  return output;
}
