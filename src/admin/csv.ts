/**
 * CSV out (the user table export): RFC 4180 quoting, a BOM so Excel reads UTF-8, and cells
 * that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) defused with a
 * leading apostrophe (OWASP "CSV injection").
 */
export function csvCell(value: string | number | boolean | null): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly (string | number | boolean | null)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export const CSV_BOM = '\ufeff';
