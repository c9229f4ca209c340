/**
 * The one seam between a user file and the row checks (import.ts): a CSV or an XLSX becomes
 * the same stream of `{line, record, problems}`, the record keyed by the header's column names,
 * `line` the CSV's line or the spreadsheet's row, `problems` the cells that could not be read
 * (XLSX only). Nothing after this seam knows the file's kind.
 */
import type { ImportNotice, SourceRow } from '../import-report.ts';
import { ImportFileError } from '../import-report.ts';
import { csvRows } from './csv-rows.ts';
import { xlsxRowEstimate, xlsxRows } from './xlsx-rows.ts';
import type { ZipLimits } from './zip-guard.ts';

/** `oneroster`: a OneRoster 1.2 bulk zip (issue 13 §5), imported elsewhere. */
export type ImportFileKind = 'csv' | 'xlsx' | 'oneroster';
export type ImportFile = { kind: 'csv' | 'xlsx'; bytes: Buffer };

/** A file of more rows is refused whole (split it). */
export const MAX_ROWS = 100_000;

const isZip = (bytes: Buffer) => bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50;

/** Spreadsheet extensions: read as XLSX (`.xlsm` is one; `.xls` and `.ods` are then told they are not). */
const SPREADSHEETS = new Set(['xlsx', 'xlsm', 'xls', 'ods']);

/** A file name's extension, in lower case (`Roster.ZIP` → `zip`), or undefined. */
const extensionOf = (filename: string | undefined) => /\.([a-z0-9]{1,5})$/i.exec(filename ?? '')?.[1]?.toLowerCase();

/**
 * The kind of an uploaded file, from its name's extension (a spreadsheet's, `.zip`, else CSV):
 * the bytes are then read as that kind and refused if they are not (a CSV renamed `.xlsx` is
 * "not an XLSX file", never guessed into a CSV). A zip with no name is an XLSX.
 */
export function importFileKind(filename: string | undefined, bytes: Buffer): ImportFileKind {
  const extension = extensionOf(filename);
  if (extension !== undefined && SPREADSHEETS.has(extension)) return 'xlsx';
  if (extension === 'zip') return 'oneroster';
  if (extension === undefined && isZip(bytes)) return 'xlsx';
  return 'csv';
}

/**
 * Why the OneRoster page refuses a file, or undefined for a zip it reads as an export whatever
 * its name (a spreadsheet's name aside): one file of an export, with a `sourcedId` column in its
 * first line, is told to choose the whole zip; any other file, that this page takes zips only.
 * Checked before a file is stored or read, so a large CSV sent there is no background job.
 */
export function oneRosterPageRefusal(filename: string | undefined, bytes: Buffer): 'oneroster.single_file' | 'oneroster.not_zip' | undefined {
  const extension = extensionOf(filename);
  if (isZip(bytes) && (extension === undefined || !SPREADSHEETS.has(extension))) return undefined;
  const header = (bytes.subarray(0, 4096).toString('utf8').split(/\r?\n/, 1)[0] ?? '').replace(/^\ufeff/, '');
  return /(?:^|[,;\t"])\s*sourcedid\s*(?=$|[,;\t"])/i.test(header) ? 'oneroster.single_file' : 'oneroster.not_zip';
}

/**
 * The rows of a file, at most MAX_ROWS (more: ImportFileError `import.too_many_rows`). Throws
 * ImportFileError for a file that cannot be read at all; `notices` collects what the reader
 * noticed about the file as a whole.
 */
export async function* importRows(file: ImportFile, notices: ImportNotice[], limits?: ZipLimits): AsyncGenerator<SourceRow> {
  if (file.kind === 'csv' && isZip(file.bytes)) throw new ImportFileError('import.not_csv');
  let count = 0;
  for await (const row of file.kind === 'xlsx' ? xlsxRows(file.bytes, notices, limits) : csvRows(file.bytes)) {
    if (++count > MAX_ROWS) throw new ImportFileError('import.too_many_rows');
    yield row;
  }
}

/**
 * About how many data rows a file has, without reading them: a CSV's line breaks, an XLSX's row
 * tags (xlsxRowEstimate: the zip is checked on the way, and refused as xlsxRows would). For
 * choosing between importing now and in the background, not for the report.
 */
export async function estimateRows(file: ImportFile, limits?: ZipLimits): Promise<number> {
  if (file.kind === 'xlsx') return Math.max(0, (await xlsxRowEstimate(file.bytes, limits)) - 1);
  let lines = 0;
  for (let at = file.bytes.indexOf(0x0a); at !== -1; at = file.bytes.indexOf(0x0a, at + 1)) lines++;
  return Math.max(0, lines - 1);
}
