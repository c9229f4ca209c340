/**
 * The rows of a CSV user file (RFC 4180, UTF-8 only, an Excel BOM allowed): the first line is
 * the header, checked before any row is read; each record with the line it ends on.
 */
import { Readable } from 'node:stream';
import { parse, type Info } from 'csv-parse';
import { utf8Only } from '../../identity/text-stream.ts';
import { csvErrorLine, MAX_RECORD_KB, RECORD_DELIMITERS, recordLineCounter } from '../csv-lines.ts';
import { ImportFileError, type SourceRow } from '../import-report.ts';
import { headerRefusal } from '../import-row.ts';

export async function* csvRows(bytes: Buffer): AsyncGenerator<SourceRow> {
  const input = Readable.from([bytes]);
  const parser = parse({
    bom: true, info: true, raw: true, skip_empty_lines: true, relax_column_count: true, max_record_size: MAX_RECORD_KB * 1024, trim: true, record_delimiter: RECORD_DELIMITERS,
    relax_quotes: true, // a quote inside an unquoted field is a character: Hebrew's gershayim (בי"ס), csv-lines.ts
    columns: (header: string[]) => {
      const columns = header.map((c) => c.trim().toLowerCase());
      const refusal = headerRefusal(columns);
      if (refusal) throw new ImportFileError(refusal.code, refusal.params);
      return columns;
    },
  });
  const text = utf8Only(input, (line) => new ImportFileError('import.not_utf8', { line }));
  text.once('error', (error) => parser.destroy(error));
  try {
    const lineOf = recordLineCounter(bytes);
    for await (const { record, info, raw } of text.pipe(parser) as AsyncIterable<{ record: Record<string, string>; info: Info; raw: string }>) {
      yield { line: lineOf(info, raw), record, problems: [] };
    }
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    // csv-parse's own errors (a quote never closed, a record past the size cap) say where they stopped.
    const line = csvErrorLine(error, bytes);
    throw line === undefined ? new ImportFileError('import.not_csv') : new ImportFileError('import.not_csv_at', { line, kb: MAX_RECORD_KB });
  } finally {
    input.destroy();
    text.destroy();
  }
}
