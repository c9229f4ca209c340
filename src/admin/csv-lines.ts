/**
 * Line numbers in CSV files as a person finds them in a text editor (a line ends at LF, CRLF or
 * a lone CR: Excel's "CSV (Macintosh)"), for the reports of user imports and OneRoster zips:
 * each record's first line, and where csv-parse stopped.
 *
 * Where csv-parse stopped, for the refusal of a whole file: the person needs the line to find
 * the fault in a file of thousands. Its errors (CsvError: a quote opened and never closed, text
 * after a closing one, a record past `max_record_size`) carry `bytes`, the
 * offset where the last good record ended, and `lines`, the line the parser was reading when it
 * gave up: for a quote never closed that is the end of the file, so the line is counted from
 * `bytes` instead, in the very bytes the parser read. Blank lines the parser skipped after that
 * record are stepped over: the line is the first of the record at fault.
 *
 * The readers of schools' files (user imports, OneRoster) set `relax_quotes` with `trim`: a quote
 * inside a field that does not start with one is a character, as spreadsheets read it, since
 * Hebrew writes its abbreviations with one (בי"ס, תשפ"ו) and school systems' exports rarely
 * quote them. A quote never closed, or text after a closing quote (`"x"y`, csv-parse's
 * CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE under `trim`), still refuses the file: there the
 * parser cannot tell what the field was. The registry's reader does
 * not: the ministry's export is written by a program, every account's name comes from it, and
 * a quote out of place there means the export is broken, so nothing of it is guessed.
 */
import { CsvError } from 'csv-parse';
export { RECORD_DELIMITERS } from '../domain/text.ts';

/** The longest record the parsers take (csv-parse's `max_record_size`), in KiB: a longer line is refused with its line. */
export const MAX_RECORD_KB = 64;

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;

/**
 * A reading position in `source` that knows its line: `to(offset)` moves forward to the byte
 * `offset` of what the parser saw (`skipped` bytes, a BOM a decoder dropped, come first) and
 * counts the line ends passed; `pastBlankLines()` steps over the blank (or, trimmed, white) lines
 * csv-parse skips. Offsets never go backwards.
 */
function lineCursor(source: Buffer, skipped: number) {
  let at = 0;
  let line = 1;
  const step = () => {
    const byte = source[at++];
    if (byte === LF || (byte === CR && source[at] !== LF)) line++;
  };
  return {
    get line() { return line; },
    to(offset: number) {
      const end = Math.min(source.length, offset + skipped);
      while (at < end) step();
      return end;
    },
    pastBlankLines() {
      for (;;) {
        let next = at;
        while (source[next] === SPACE || source[next] === TAB) next++;
        if (next >= source.length || (source[next] !== LF && source[next] !== CR)) return;
        at = next;
        step();
      }
    },
  };
}

/**
 * The 1-based line where the record that broke csv-parse begins, in `source`, whose first
 * `skipped` bytes the parser did not see (a BOM a decoder dropped); undefined for an error that
 * is not csv-parse's. One pass over the bytes before the fault: ~5 ms a MB.
 */
export function csvErrorLine(error: unknown, source: Buffer, skipped = 0): number | undefined {
  if (!(error instanceof CsvError)) return undefined;
  const { bytes, lines } = error as CsvError & { bytes?: unknown; lines?: unknown };
  if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < 0 || bytes + skipped > source.length) {
    return typeof lines === 'number' && Number.isSafeInteger(lines) && lines > 0 ? lines : undefined;
  }
  const cursor = lineCursor(source, skipped);
  cursor.to(bytes);
  cursor.pastBlankLines();
  return cursor.line;
}

/**
 * The first line of each record csv-parse gives (`info: true, raw: true`). csv-parse's own
 * `info.lines` is the record's last line, so a cell over two lines (Alt+Enter in Excel) moved
 * its row's number, and with CRLF line ends it counted a break inside a quoted cell twice,
 * moving every later row. Answers a function to call with each record's `info` and `raw`, in
 * the order csv-parse gives them; `skipped` as for csvErrorLine.
 */
export function recordLineCounter(source: Buffer, skipped = 0): (info: { bytes: number }, raw: string) => number {
  const cursor = lineCursor(source, skipped);
  return (info, raw) => {
    const end = cursor.to(info.bytes);
    // The cursor is now on the line after the record's own line end, if it has one (the last record may not).
    const last = end > 0 && (source[end - 1] === LF || source[end - 1] === CR) ? cursor.line - 1 : cursor.line;
    // The line ends inside the record: its text less the blank (or, trimmed, white) lines csv-parse
    // skipped before it and its own line end.
    const inner = raw.replace(/^(?:[ \t]*(?:\r\n|\r|\n))+/, '').replace(/(?:\r\n|\r|\n)$/, '').match(/\r\n|\r|\n/g)?.length ?? 0;
    return last - inner;
  };
}
