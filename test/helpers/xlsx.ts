// XLSX files made in the test with exceljs's writer: rows of cells as exceljs takes them
// (strings, numbers, dates, {formula, result}, {richText}, {error}), merges, more sheets.
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';

export type SheetSpec = { name?: string; rows: unknown[][]; merges?: string[]; hidden?: boolean };

export async function buildXlsx(sheets: SheetSpec[], options: { date1904?: boolean } = {}): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  if (options.date1904) workbook.properties.date1904 = true;
  for (const [i, spec] of sheets.entries()) {
    const sheet = workbook.addWorksheet(spec.name ?? `Sheet${i + 1}`, spec.hidden ? { state: 'hidden' } : {});
    // Row by row at its own number: an empty array leaves the row out, as Excel does for an empty row.
    spec.rows.forEach((cells, r) => cells.forEach((value, c) => { sheet.getCell(r + 1, c + 1).value = value as ExcelJS.CellValue; }));
    for (const range of spec.merges ?? []) sheet.mergeCells(range);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A one-sheet workbook of many rows, written as a stream (exceljs's WorkbookWriter): 100,000 rows in about two seconds. */
export async function buildLargeXlsx(rows: Iterable<unknown[]>): Promise<Buffer> {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet('Sheet1');
  for (const row of rows) sheet.addRow(row).commit();
  sheet.commit();
  await workbook.commit();
  return Buffer.concat(chunks);
}

/** A multipart body with one file part (and optional fields), ready for app.inject. */
export async function multipartBody(file: { name: string; bytes: Buffer; type?: string }, fields: Record<string, string> = {}): Promise<{ payload: Buffer; contentType: string }> {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  form.set('file', new Blob([new Uint8Array(file.bytes)], { type: file.type ?? 'application/octet-stream' }), file.name);
  const encoded = new Response(form);
  return { payload: Buffer.from(await encoded.arrayBuffer()), contentType: encoded.headers.get('content-type')! };
}
