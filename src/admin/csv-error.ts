/**
 * Where csv-parse stopped, for the refusal of a whole file (a user import, a OneRoster zip): the
 * person needs the line to find the fault in a file of thousands. Its errors (CsvError: a quote
 * opened and never closed, a closing quote followed by text, a record past `max_record_size`)
 * carry `bytes`, the offset where the record at fault begins, and `lines`, the line the parser
 * was reading when it gave up: for a quote never closed that is the end of the file, so the
 * line is counted from `bytes` instead, in the very bytes the parser read.
 */
import { CsvError } from 'csv-parse';

const NEWLINE = 0x0a;

/**
 * The 1-based line where the record that broke csv-parse begins, in `source` (the bytes parsed,
 * a BOM included when the parser was given one); undefined for an error that is not csv-parse's.
 */
export function csvErrorLine(error: unknown, source: Buffer): number | undefined {
  if (!(error instanceof CsvError)) return undefined;
  const { bytes, lines } = error as CsvError & { bytes?: unknown; lines?: unknown };
  if (typeof bytes === 'number' && Number.isSafeInteger(bytes) && bytes >= 0 && bytes <= source.length) {
    let line = 1;
    for (let at = source.indexOf(NEWLINE); at !== -1 && at < bytes; at = source.indexOf(NEWLINE, at + 1)) line++;
    return line;
  }
  return typeof lines === 'number' && Number.isSafeInteger(lines) && lines > 0 ? lines : undefined;
}
