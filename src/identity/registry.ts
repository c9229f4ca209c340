/**
 * Imports the civil registry from CSV (columns: see domain/registry-row.ts and
 * docs/registry-import.md). The file is streamed and written in batches, so a national file
 * never sits in memory; everything commits in one transaction with its audit event, so a
 * failed import leaves the registry as it was. Re-importing the same file changes nothing:
 * a row is written only when one of its values differs.
 */
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { CsvError, Info } from 'csv-parse';
import { sql } from 'kysely';
import type { Transaction } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import type { Profile } from '../domain/profile.ts';
import { checkRegistryHeader, parseRegistryRow } from '../domain/registry-row.ts';
import { RECORD_DELIMITERS } from '../domain/text.ts';
import type { RegistryProblem, RegistryRow } from '../domain/registry-row.ts';
import { hmacHex } from '../secrets.ts';
import { recordAudit } from './audit.ts';
import { utf8Only } from './text-stream.ts';

export type RegistryImportReport = {
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** `line N: reason…` for the first MAX_REPORTED rejected rows (`rejected` counts them all). */
  problems: string[];
};

/** The file cannot be imported at all (bad header, broken quoting): nothing was written. */
export class RegistryFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegistryFileError';
  }
}

const BATCH = 1000;
const MAX_REPORTED = 1000;
// Far above any real row; a file without line ends must not grow one record without bound.
const MAX_RECORD_CHARS = 64 * 1024;

export async function importRegistry(
  db: Db,
  input: Readable,
  options: { profile: Profile; personalDataKey: Buffer; source?: string },
): Promise<RegistryImportReport> {
  const report: RegistryImportReport = { created: 0, updated: 0, unchanged: 0, rejected: 0, problems: [] };
  const reject = (line: number, reasons: string) => {
    report.rejected += 1;
    if (report.problems.length < MAX_REPORTED) report.problems.push(`line ${line}: ${reasons}`);
  };
  let sawHeader = false;
  let broken: RegistryFileError | undefined;
  const parser = parse({
    bom: true,
    columns: (header: string[]) => {
      sawHeader = true;
      return checkedHeader(header);
    },
    info: true,
    relax_column_count: false,
    skip_empty_lines: true,
    record_delimiter: RECORD_DELIMITERS,
    max_record_size: MAX_RECORD_CHARS,
    // A row with the wrong number of fields is one bad row; other errors (broken quoting, an
    // endless record) leave the parser unsure where rows start, so they stop the import.
    skip_records_with_error: true,
    on_skip: (error: CsvError | undefined) => {
      const line = typeof error?.lines === 'number' ? error.lines : 0;
      if (error?.code === 'CSV_RECORD_INCONSISTENT_COLUMNS') reject(line, 'csv.column_count');
      else broken ??= new RegistryFileError(`line ${line}: the file is not valid CSV (${error?.code ?? 'unknown error'})`);
      return undefined;
    },
  });
  // pipe() does not forward a source error (unreadable file) to the parser; this does.
  input.once('error', (error) => parser.destroy(error));

  try {
    return await db.transaction().execute(async (trx) => {
      let batch = new Map<string, RegistryRow>();
      const flush = async () => {
        if (batch.size === 0) return;
        const counts = await upsert(trx, [...batch.values()], options.personalDataKey);
        report.created += counts.created;
        report.updated += counts.updated;
        report.unchanged += counts.unchanged;
        batch = new Map();
      };
      // Piped only now, right before reading: a parser error (a bad header) emitted while the
      // transaction was still starting would have no listener and crash the process.
      // Bytes that are not UTF-8 (or a NUL) stop the import with their line (utf8Only).
      const text = utf8Only(input, (line) => new RegistryFileError(`line ${line}: the file is not UTF-8 text (save it as CSV UTF-8)`));
      text.once('error', (error) => parser.destroy(error));
      const records = text.pipe(parser) as AsyncIterable<{ record: Record<string, string>; info: Info }>;
      for await (const { record, info } of records) {
        if (broken) throw broken;
        const result = parseRegistryRow(record, options.profile);
        if (!result.ok) {
          reject(info.lines, describe(result.problems));
          continue;
        }
        // One INSERT … ON CONFLICT cannot touch a row twice: a repeated ID waits for the next
        // batch, so the later line wins, as if the file were applied line by line.
        if (batch.has(result.value.nationalId) || batch.size >= BATCH) await flush();
        batch.set(result.value.nationalId, result.value);
      }
      if (broken) throw broken;
      if (!sawHeader) throw new RegistryFileError('the file is empty: expected a header line');
      await flush();
      const { problems: _problems, ...counts } = report;
      await recordAudit(trx, { type: 'registry.imported', data: { ...counts, source: options.source ?? null } });
      return report;
    });
  } finally {
    // Ends the file read too when the import stops early (an error, a broken file).
    input.destroy();
  }
}

function checkedHeader(header: string[]): string[] {
  const columns = header.map((column) => column.trim().toLowerCase());
  const { missing, unknown, duplicated } = checkRegistryHeader(columns);
  const complaints = [
    missing.length > 0 ? `missing column(s): ${missing.join(', ')}` : '',
    unknown.length > 0 ? `unknown column(s): ${unknown.join(', ')}` : '',
    duplicated.length > 0 ? `repeated column(s): ${duplicated.join(', ')}` : '',
  ].filter(Boolean);
  if (complaints.length > 0) {
    throw new RegistryFileError(`line 1: ${complaints.join('; ')} (expected national_id,first_name,last_name,birth_date[,birth_certificate_serial][,gender])`);
  }
  return columns;
}

const describe = (problems: RegistryProblem[]) => problems.map((problem) => `${problem.code} (${problem.field})`).join(', ');

type Counts = { created: number; updated: number; unchanged: number };

async function upsert(trx: Transaction<Database>, rows: RegistryRow[], personalDataKey: Buffer): Promise<Counts> {
  const values = rows.map((row) => ({
    national_id: row.nationalId,
    first_name: row.firstName,
    last_name: row.lastName,
    birth_date: row.birthDate,
    // The serial is a knowledge factor for recovery: only its keyed hash is kept.
    birth_serial_hmac: row.serial === undefined ? null : hmacHex(personalDataKey, row.serial),
    gender: row.gender ?? null,
  }));
  // A file without serial or gender keeps what is stored; `is distinct from` leaves identical
  // rows untouched, so they return nothing and count as unchanged. xmax = 0 marks a fresh row.
  const written = await trx.insertInto('people').values(values)
    .onConflict((conflict) => conflict.column('national_id')
      .doUpdateSet({
        first_name: (eb) => eb.ref('excluded.first_name'),
        last_name: (eb) => eb.ref('excluded.last_name'),
        birth_date: (eb) => eb.ref('excluded.birth_date'),
        birth_serial_hmac: sql`coalesce(excluded.birth_serial_hmac, people.birth_serial_hmac)`,
        gender: sql`coalesce(excluded.gender, people.gender)`,
        updated_at: sql`now()`,
      })
      .where(sql<boolean>`(people.first_name, people.last_name, people.birth_date, people.birth_serial_hmac, people.gender)
        is distinct from (excluded.first_name, excluded.last_name, excluded.birth_date,
          coalesce(excluded.birth_serial_hmac, people.birth_serial_hmac), coalesce(excluded.gender, people.gender))`))
    .returning(sql<boolean>`xmax = 0`.as('inserted'))
    .execute();
  const created = written.filter((row) => row.inserted).length;
  return { created, updated: written.length - created, unchanged: rows.length - written.length };
}
