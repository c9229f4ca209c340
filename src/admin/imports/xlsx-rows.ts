/**
 * The rows of an XLSX user file, read as a stream (exceljs's WorkbookReader: rows one at a time,
 * never the whole workbook in memory), after the zip passed checkZip. The first worksheet is
 * read (hidden or not; the report says so, and how many others were left); its first non-empty
 * row is the header, as a CSV's first line; each row keeps the spreadsheet's row number.
 *
 * Cells become the text the CSV path would have read: a formula's cached result (none: a row
 * problem), a number as its digits (a national ID typed as a number lost its leading zeros:
 * parseNationalId restores them), a number in a date column as an Excel serial date (the
 * workbook's 1900 or 1904 system), rich text as its plain text. A merged cell (exceljs's stream
 * does not report merges: they are found in the sheet's XML while the zip is checked) and an
 * error value (#REF!) are row problems for their column.
 */
import { Readable } from 'node:stream';
import type { Row, Worksheet } from 'exceljs';
import { excelSerialToIso } from '../../domain/excel-date.ts';
import { normalizeText } from '../../domain/digits.ts';
import { clip, textProblem } from '../../domain/text.ts';
import { ImportFileError, type CellProblem, type ImportNotice, type SourceRow } from '../import-report.ts';
import { headerRefusal } from '../import-row.ts';
import { checkZip, XLSX_LIMITS, ZipRefused, type ZipLimits } from './zip-guard.ts';

const DATE_COLUMNS = new Set(['start', 'end']);
/** Merged ranges kept per sheet; a file with more is refused like a bomb (no real user file has them). */
const MAX_MERGES = 1000;
/**
 * exceljs keeps every shared string (and rich-text run) in memory, at hundreds of bytes each:
 * 4 million two-letter strings in a 1.6 MB upload took 1.5 GB. A 100,000-row user file has at
 * most a few distinct strings a row; more, or a larger sharedStrings.xml, is refused as a bomb.
 */
const SHARED_STRINGS = 'xl/sharedStrings.xml';
const MAX_SHARED_STRINGS = 500_000;
const MAX_SHARED_STRINGS_BYTES = 50 * 1024 * 1024;

type Range = { top: number; bottom: number; left: number; right: number };

export async function* xlsxRows(bytes: Buffer, notices: ImportNotice[], limits: ZipLimits = XLSX_LIMITS): AsyncGenerator<SourceRow> {
  const { merges } = await checkXlsxZip(bytes, limits);
  // Loaded at the first XLSX file (~9 MB of heap that a process serving sign-ins never needs).
  const { default: ExcelJS } = await import('exceljs');
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([bytes]), {
    sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', worksheets: 'emit', entries: 'emit',
  });
  let sheetFile = '';
  // Which sheet file is being read (merges are keyed by it): the reader is an EventEmitter its types do not show.
  (reader as unknown as NodeJS.EventEmitter).on('entry', (entry: { type: string; id?: string }) => { if (entry.type === 'worksheet') sheetFile = `xl/worksheets/sheet${entry.id}.xml`; });
  const workbook = reader as unknown as { model?: { sheets?: unknown[] }; properties?: { model?: { date1904?: boolean } } };
  // Iterated by hand, and always to its end: exceljs keeps a sheet that comes before the shared
  // strings (Excel's own order) in a temporary file, and removes it only as its parse moves on.
  const sheets = (reader as unknown as AsyncIterable<Worksheet & AsyncIterable<Row>>)[Symbol.asyncIterator]();
  let finished = false;
  try {
    let next = await sheets.next();
    if (next.done) {
      finished = true;
      throw new ImportFileError('import.xlsx_no_sheet');
    }
    const meta = next.value as unknown as { name?: string; state?: string };
    // The sheet's name is shown in the report: no direction overrides or invisible marks, at most 100 characters.
    const name = clip(normalizeText((meta.name ?? '1').toWellFormed()), 100);
    if (meta.state === 'hidden' || meta.state === 'veryHidden') notices.push({ code: 'import.xlsx_hidden_sheet', params: { name } });
    const others = (workbook.model?.sheets?.length ?? 1) - 1;
    if (others > 0) notices.push({ code: 'import.xlsx_other_sheets', params: { name, count: others } });
    yield* sheetRows(next.value, merges.get(sheetFile) ?? [], workbook.properties?.model?.date1904 === true);
    for (next = await sheets.next(); !next.done; next = await sheets.next()) release(next.value);
    finished = true;
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    throw new ImportFileError('import.not_xlsx');
  } finally {
    // Stopped early (a refused header, too many rows, a broken file): the rest is passed over, unread.
    if (!finished) await passOver(sheets);
  }
}

/** Lets a worksheet go unread: its source (a temporary file, or the zip entry) is closed, not parsed. */
function release(sheet: unknown): void {
  const source = (sheet as { iterator?: { destroy?: () => void; return?: () => unknown } }).iterator;
  if (typeof source?.destroy === 'function') source.destroy();
  else void Promise.resolve(source?.return?.()).catch(() => undefined);
}

async function passOver(sheets: AsyncIterator<unknown>): Promise<void> {
  try {
    for (let next = await sheets.next(); !next.done; next = await sheets.next()) release(next.value);
  } catch {
    // the file was refused already
  }
}

async function* sheetRows(sheet: AsyncIterable<Row>, merges: readonly Range[], date1904: boolean): AsyncGenerator<SourceRow> {
  let header: string[] | undefined;
  for await (const row of sheet) {
    const values = row.values as unknown[]; // 1-based: values[1] is column A
    if (!header) {
      const cells = Array.from({ length: Math.max(0, values.length - 1) }, (_, i) => cellText(values[i + 1], '', false));
      if (cells.every((c) => 'text' in c && c.text === '')) continue;
      header = cells.map((c) => ('text' in c ? c.text.toLowerCase() : '\u0000'));
      const refusal = headerRefusal(header);
      if (refusal) throw new ImportFileError(refusal.code, refusal.params);
      if (merges.some((m) => m.top <= row.number && row.number <= m.bottom)) throw new ImportFileError('import.bad_header');
      continue;
    }
    const record: Record<string, string> = {};
    const problems: CellProblem[] = [];
    for (const [i, field] of header.entries()) {
      const cell = storable(cellText(values[i + 1], field, date1904));
      if ('problem' in cell) problems.push({ field, code: cell.problem });
      record[field] = 'text' in cell ? cell.text : '';
    }
    const rowMerges = merges.filter((m) => m.top <= row.number && row.number <= m.bottom);
    for (const [i, field] of header.entries()) {
      if (rowMerges.some((m) => m.left <= i + 1 && i + 1 <= m.right)) problems.push({ field, code: 'import.merged_cell' });
    }
    if (problems.length === 0 && Object.values(record).every((v) => v === '')) continue; // an empty row, as a CSV's blank line
    yield { line: row.number, record, problems };
  }
  if (!header) throw new ImportFileError('import.bad_header');
}

/** Text the report (stored as JSON by a background job) can hold: no NUL, no lone surrogate (src/domain/text.ts). */
const storable = (cell: ReturnType<typeof cellText>): ReturnType<typeof cellText> =>
  ('text' in cell && textProblem(cell.text) !== undefined ? { problem: 'import.cell_unreadable' } : cell);

/** A cell's value as the text a CSV would hold, or the problem that keeps it from being read. */
function cellText(value: unknown, field: string, date1904: boolean): { text: string } | { problem: CellProblem['code'] } {
  if (value === null || value === undefined) return { text: '' };
  if (typeof value === 'string') return { text: value.trim() };
  if (typeof value === 'boolean') return { text: String(value) };
  if (typeof value === 'number') {
    if (DATE_COLUMNS.has(field)) return { text: excelSerialToIso(value, date1904) ?? String(value) };
    return { text: Number.isInteger(value) ? BigInt(value).toString() : String(value) };
  }
  if (value instanceof Date) return { text: Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10) };
  if (typeof value === 'object') {
    const v = value as { formula?: unknown; sharedFormula?: unknown; result?: unknown; richText?: unknown; error?: unknown; text?: unknown };
    if ('formula' in v || 'sharedFormula' in v) {
      const result = v.result;
      if (result === undefined || result === null || (typeof result === 'number' && Number.isNaN(result))) return { problem: 'import.formula_no_result' };
      if (typeof result === 'object' && 'error' in (result as object)) return { problem: 'import.cell_error' };
      return cellText(result, field, date1904);
    }
    if (Array.isArray(v.richText)) return { text: v.richText.map((run: { text?: unknown }) => (typeof run.text === 'string' ? run.text : '')).join('').trim() };
    if ('error' in v) return { problem: 'import.cell_error' };
    if (typeof v.text === 'string') return { text: v.text.trim() };
  }
  return { problem: 'import.cell_unreadable' };
}

/**
 * The rows of the largest sheet, header included, counted in its XML while the zip is checked
 * (a few MB/s faster than reading them): enough to tell a large file from a small one.
 * Throws ImportFileError as xlsxRows does for a file that is no XLSX or a bomb.
 */
export async function xlsxRowEstimate(bytes: Buffer, limits: ZipLimits = XLSX_LIMITS): Promise<number> {
  const { rows } = await checkXlsxZip(bytes, limits);
  return Math.max(0, ...rows.values());
}

/** checkZip for an XLSX: a workbook inside, and each sheet's merged ranges and rows found on the way. */
async function checkXlsxZip(bytes: Buffer, limits: ZipLimits): Promise<{ merges: Map<string, Range[]>; rows: Map<string, number> }> {
  const merges = new Map<string, Range[]>();
  const rows = new Map<string, number>();
  const tails = new Map<string, string>();
  const seen = new Set<string>();
  let names: string[];
  try {
    let sharedBytes = 0;
    let sharedItems = 0;
    names = await checkZip(bytes, limits, { onData: (name, chunk) => {
      if (name === SHARED_STRINGS) {
        sharedBytes += chunk.length;
        if (sharedBytes > MAX_SHARED_STRINGS_BYTES) throw new ZipRefused('bomb', 'shared strings bytes');
        // `<si>` (a string) and `<r>` (a rich-text run), not `<rPr>`; a tag across two chunks is counted once (as the rows are).
        const tail = tails.get(name) ?? '';
        const text = tail + chunk.toString('latin1');
        for (const match of text.matchAll(/<(?:\w+:)?(?:si|r)[\s>\/]/g)) if (match.index + match[0].length > tail.length) sharedItems++;
        if (sharedItems > MAX_SHARED_STRINGS) throw new ZipRefused('bomb', 'shared strings');
        tails.set(name, text.slice(-200));
        return;
      }
      if (!/^xl\/worksheets\/sheet\d+\.xml$/.test(name)) return;
      // A tag may straddle two chunks: the end of the one before is scanned again.
      const tail = tails.get(name) ?? '';
      const text = tail + chunk.toString('latin1');
      const found = merges.get(name) ?? [];
      // A row tag wholly inside the tail was counted with the chunk before.
      let count = rows.get(name) ?? 0;
      for (const match of text.matchAll(/<(?:\w+:)?row[\s>]/g)) if (match.index + match[0].length > tail.length) count++;
      rows.set(name, count);
      for (const match of text.matchAll(/<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]{1,3})(\d{1,7})(?::([A-Z]{1,3})(\d{1,7}))?"[^>]*>/g)) {
        if (seen.has(`${name}!${match[0]}`)) continue;
        seen.add(`${name}!${match[0]}`);
        found.push(toRange(match));
      }
      if (found.length > MAX_MERGES) throw new ZipRefused('bomb', 'merged ranges');
      merges.set(name, found);
      tails.set(name, text.slice(-200));
    } });
  } catch (error) {
    if (error instanceof ZipRefused) throw new ImportFileError(error.reason === 'bomb' ? 'import.zip_bomb' : 'import.not_xlsx');
    throw error;
  }
  if (!names.includes('xl/workbook.xml')) throw new ImportFileError('import.not_xlsx');
  return { merges, rows };
}

function toRange(match: RegExpMatchArray): Range {
  const column = (letters: string) => [...letters].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0);
  const [left, top] = [column(match[1]!), Number(match[2])];
  const [right, bottom] = match[3] ? [column(match[3]), Number(match[4])] : [left, top];
  return { top: Math.min(top, bottom), bottom: Math.max(top, bottom), left: Math.min(left, right), right: Math.max(left, right) };
}
