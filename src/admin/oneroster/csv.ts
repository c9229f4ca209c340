/**
 * One CSV file of a OneRoster zip → its records with their line numbers. UTF-8 only, with or
 * without a BOM; the header must hold the file's required columns (the binding's names, as
 * written: `sourcedId`, not `sourcedid`); other columns are ignored. A file that is not UTF-8
 * or not CSV, lacks a column or has too many rows is refused whole (OneRosterFileError).
 */
import { parse } from 'csv-parse/sync';
import { csvErrorLine, MAX_RECORD_KB, RECORD_DELIMITERS, recordLineCounter } from '../csv-lines.ts';
import type { ReadFile } from './zip.ts';
import { utf8Checker } from '../../domain/utf8.ts';
import { duplicatedColumns, quotable } from '../../domain/text.ts';

/** The columns Kelid needs from each file; the binding's other columns may be there or not. */
export const REQUIRED_COLUMNS: Record<ReadFile, readonly string[]> = {
  'manifest.csv': ['propertyName', 'value'],
  'orgs.csv': ['sourcedId', 'name', 'type', 'parentSourcedId'],
  'users.csv': ['sourcedId', 'givenName', 'familyName'],
  'roles.csv': ['sourcedId', 'userSourcedId', 'role', 'orgSourcedId'],
  'enrollments.csv': ['sourcedId', 'schoolSourcedId', 'userSourcedId', 'role'],
  'academicSessions.csv': ['sourcedId', 'type', 'startDate', 'endDate'],
};

export const MAX_ROWS = 250_000;

export type FileProblem =
  | 'oneroster.not_utf8' | 'oneroster.not_csv' | 'oneroster.not_csv_at' | 'oneroster.bad_header' | 'oneroster.bad_header_near' | 'oneroster.bad_header_duplicate' | 'oneroster.too_many_rows'
  | 'oneroster.manifest_missing' | 'oneroster.file_missing' | 'oneroster.version';

/** Why the zip was refused whole (nothing written): a catalog code, the file and line it is about. */
export class OneRosterFileError extends Error {
  readonly code: FileProblem;
  readonly file: string;
  readonly params: Record<string, string | number>;
  constructor(code: FileProblem, file: string, params: Record<string, string | number> = {}) {
    super(code);
    this.name = 'OneRosterFileError';
    this.code = code;
    this.file = file;
    this.params = { file, ...params };
  }
}

export type CsvRow = { line: number; record: Record<string, string> };

const decoder = new TextDecoder('utf-8', { fatal: true });

export function readCsv(name: ReadFile, bytes: Buffer): CsvRow[] {
  let text: string;
  try {
    text = decoder.decode(bytes); // drops a leading BOM
  } catch {
    // The line of the first bytes that are not UTF-8 (or of a NUL), for the person to find in the file.
    const checker = utf8Checker();
    const found = checker.push(bytes);
    const check = found.ok ? checker.end() : found;
    throw new OneRosterFileError('oneroster.not_utf8', name, { line: check.ok ? 1 : check.line });
  }
  // The decoder dropped a BOM (3 bytes) the parser never saw.
  const skipped = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let parsed: { record: Record<string, string>; info: { lines: number; bytes: number }; raw: string }[];
  try {
    parsed = parse(text, {
      info: true, raw: true, skip_empty_lines: true, relax_column_count: true, max_record_size: MAX_RECORD_KB * 1024, bom: true, record_delimiter: RECORD_DELIMITERS,
      relax_quotes: true, trim: true, // a quote inside an unquoted field is a character: Hebrew's gershayim (בי"ס, תשפ"ו), csv-lines.ts
      to: MAX_ROWS + 1,
      columns: (header: string[]) => {
        const columns = header.map((c) => c.trim());
        const missing = REQUIRED_COLUMNS[name].filter((c) => !columns.includes(c));
        if (missing.length > 0) {
          const near = nearMiss(missing, columns);
          throw near === undefined
            ? new OneRosterFileError('oneroster.bad_header', name, { columns: missing.join(', ') })
            : new OneRosterFileError('oneroster.bad_header_near', name, { columns: missing.join(', '), found: quotable(near.found, 60), wanted: near.wanted });
        }
        const twice = duplicatedColumns(columns.filter((c) => c !== ''));
        // A column named twice: which cell is meant? (csv-parse's last one used to win, silently.)
        if (twice.length > 0) throw new OneRosterFileError('oneroster.bad_header_duplicate', name, { columns: quotable(twice.join(', '), 200) });
        return columns;
      },
    });
  } catch (error) {
    if (error instanceof OneRosterFileError) throw error;
    const line = csvErrorLine(error, bytes, skipped);
    throw line === undefined ? new OneRosterFileError('oneroster.not_csv', name) : new OneRosterFileError('oneroster.not_csv_at', name, { line, kb: MAX_RECORD_KB });
  }
  if (parsed.length > MAX_ROWS) throw new OneRosterFileError('oneroster.too_many_rows', name, { max: MAX_ROWS });
  const lineOf = recordLineCounter(bytes, skipped);
  return parsed.map(({ record, info, raw }) => ({ line: lineOf(info, raw), record }));
}

/**
 * A missing column the header seems to mean (`giveName` for givenName, `SourcedID` for
 * sourcedId): the first of `missing` that a header column spells with any case and at most two
 * letters added, dropped or changed (Levenshtein distance, case ignored). Undefined when none is close.
 */
export function nearMiss(missing: readonly string[], columns: readonly string[]): { found: string; wanted: string } | undefined {
  for (const wanted of missing) {
    const found = columns.find((column) => column !== '' && editDistance(column.toLowerCase(), wanted.toLowerCase(), 2) <= 2);
    if (found !== undefined) return { found, wanted };
  }
  return undefined;
}

/** Levenshtein distance of `a` and `b`, or `limit + 1` as soon as it must exceed `limit` (header cells are short, but a hostile one need not be). */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    if (Math.min(...current) > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length]!;
}
