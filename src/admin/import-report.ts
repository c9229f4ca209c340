/**
 * The report of a user import (issue 5 §7, issue 13 §4), whatever the file: the counts, one
 * outcome per row with its reasons (catalog codes), and the contract's `errors`, every
 * rejected row's reasons with the column each concerns and its text in the request's
 * language. Also why a file is refused whole (ImportFileError: nothing was written).
 */
import type { Translate } from '../i18n/catalogs.ts';
import type { Overlap } from './batch-overlap.ts';
import type { BatchRefusal } from './batches.ts';
import type { ImportRowProblem } from './import-row.ts';

/** A cell that cannot be read as the text it should hold (XLSX): its column, and why. */
export type CellProblemCode = 'import.formula_no_result' | 'import.cell_error' | 'import.merged_cell' | 'import.cell_unreadable';
export type CellProblem = { field: string; code: CellProblemCode };
/** One row as a reader gives it (csv-rows.ts, xlsx-rows.ts): its line in the file, its cells by column, and the cells it could not read. */
export type SourceRow = { line: number; record: Record<string, string>; problems: CellProblem[] };

/** Why a row was rejected (catalog codes): its cells, its own problems, then those of its place in the scope and the registry. */
export type ImportReason =
  | CellProblemCode | ImportRowProblem | 'admin.role_not_allowed' | 'admin.role_not_here' | 'admin.end_before_start' | 'admin.child_required'
  | 'import.child_not_for_role' | 'import.duplicate_row' | 'registry.not_found' | 'admin.child_not_found';

/** `fields`: the column of each reason, index for index (null: the row as a whole). */
export type RowOutcome = {
  line: number; nationalId: string; role: string; outcome: 'created' | 'existing' | 'rejected'; reasons: ImportReason[]; fields?: (string | null)[];
};

/** What the reader noticed about the file as a whole (an XLSX's sheets): a catalog code and its parameters. */
export type ImportNotice = { code: 'import.xlsx_other_sheets' | 'import.xlsx_hidden_sheet'; params: Record<string, string | number> };

/**
 * `invitations`: with the option to send set-password links (F19), the batch sending them, or
 * why it was refused. `updated` is always 0 here: an appointment already there is left as it
 * is (counted in `existing`); the contract's field is for importers that do update.
 */
export type ImportReport = {
  created: number; updated: number; existing: number; rejected: number; rows: RowOutcome[];
  notices: ImportNotice[];
  invitations?: { batchId: string; total: number } | { refused: BatchRefusal['code'] | Overlap['code'] };
};

/** One reason of one rejected row (the contract's `errors`, made per request by importErrors: `message` in its language). */
export type ImportError = { line: number; field: string | null; code: ImportReason; message: string };

/** Why a file cannot be imported at all (nothing was written): a catalog code, with its parameters. */
export type ImportFileCode =
  | 'import.bad_header' | 'import.bad_header_unknown' | 'import.bad_header_duplicate' | 'import.oneroster_file' | 'import.not_utf8' | 'import.too_many_rows' | 'import.not_csv' | 'import.not_csv_at'
  | 'import.not_xlsx' | 'import.zip_bomb' | 'import.xlsx_no_sheet';

export class ImportFileError extends Error {
  readonly code: ImportFileCode;
  readonly params: Record<string, string | number>;
  constructor(code: ImportFileCode, params: Record<string, string | number> = {}) {
    super(code);
    this.name = 'ImportFileError';
    this.code = code;
    this.params = params;
  }
}

/** The column a reason concerns, when the reason itself says. */
const reasonField: Partial<Record<ImportReason, string>> = {
  'national_id.required': 'national_id', 'national_id.format': 'national_id', 'national_id.checksum': 'national_id', 'registry.not_found': 'national_id',
  'import.duplicate_row': 'national_id', 'import.role_unknown': 'role', 'admin.role_not_allowed': 'role', 'admin.role_not_here': 'role',
  'import.start_invalid': 'start', 'import.end_invalid': 'end', 'admin.end_before_start': 'end', 'import.child_invalid': 'child_national_id',
  'admin.child_required': 'child_national_id', 'admin.child_not_found': 'child_national_id', 'import.child_not_for_role': 'child_national_id',
  'import.email_invalid': 'email',
};

export function fieldOfReason(code: ImportReason): string | null {
  return reasonField[code] ?? null;
}

/** The contract's `errors` of these rows: every reason of every rejected row, in row order. */
export function importErrors(rows: readonly RowOutcome[], t: Translate): ImportError[] {
  return rows.filter((r) => r.outcome === 'rejected').flatMap((r) => r.reasons.map((code, i) => ({
    line: r.line, field: r.fields?.[i] ?? fieldOfReason(code), code, message: t(code),
  })));
}
