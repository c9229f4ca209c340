import type { ImportsKey } from './fa.ts';

/** English texts of the spreadsheet import and export (see fa.ts). */
export const enImports: Record<ImportsKey, string> = {
  'imports.intro': 'A CSV or Excel (XLSX) file with the columns national ID, role, appointment start and end (optional; Solar Hijri or Gregorian), for parents the child\'s national ID, and an email address for set-password links (optional). The first row holds the column names. Importing the same file again changes nothing.',
  'imports.file': 'CSV or XLSX file',
  'import.formula_no_result': 'This cell is a formula with no saved result; open and save the file in Excel, or type the value',
  'import.cell_error': 'This cell holds an error value (such as #REF!)',
  'import.merged_cell': 'Merged cells are not accepted; unmerge them and fill each cell',
  'import.cell_unreadable': 'This cell\'s value could not be read',
  'import.not_xlsx': 'This is not a valid Excel (XLSX) file. If it is a CSV file, name it .csv; if it is an old .xls or .ods file, save it in Excel as “Excel Workbook (.xlsx)” or “CSV UTF-8”.',
  'import.zip_bomb': 'This XLSX file is too large or too highly compressed, and was not read.',
  'import.xlsx_no_sheet': 'This XLSX file has no worksheet.',
  'import.xlsx_other_sheets': 'Only the first sheet ("{name}") was read; {count} other sheets were ignored.',
  'import.xlsx_hidden_sheet': 'The first sheet ("{name}") is hidden, but it was read.',
  'import.send_file': 'The request body must be a CSV file (Content-Type: text/csv) or a multipart form with one .csv or .xlsx file.',
  'imports.export_xlsx': 'Export to Excel',
  'imports.sheet_name': 'Users',
  'imports.yes': '✓',
  'imports.job_title': 'Import from a file',
  'imports.job_running': 'Importing: {done} of {total, plural, one {# row} other {# rows}} checked.',
  'imports.job_queued': 'The file was received; its import starts shortly.',
  'imports.job_refresh': 'This page refreshes by itself.',
  'imports.job_failed': 'This file could not be imported; nothing was saved.',
  'imports.job_started': 'The file is large: it is imported in the background.',
  'imports.job_progress': 'Import progress',
};
