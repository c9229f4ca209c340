// A second reference for `npm run bench -- login` (issue 12): the reference's three steps
// (bench/login-reference.ts: one SELECT, one argon2id verification, one session INSERT), served
// by DESIGN.md's stack (Fastify with a JSON Schema body, Kysely's query builder over pg's pool)
// and nothing of Kelid: no lockout, rate limit, audit, security headers, metrics or CSRF. The
// benchmark measures it in Kelid's place, beside the bare `node:http` reference, with
//
//   BENCH_START="node bench/login-stack-reference.ts" npm run bench -- login
//
// so the ratio it prints is what the framework and the drivers cost alone; Kelid's own ratio
// minus this one is what its security work costs (docs/decisions.md, "Sign-in at the physical
// limit"). Answers 201 `{token}` or 401; GET /readyz for the benchmark's start-up wait.
import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import Fastify from 'fastify';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { limited } from './reference-slots.ts';

type Tables = {
  people: { id: string; national_id: string };
  accounts: { id: string; person_id: string };
  credentials: { account_id: string; password_hash: string };
  sessions: { token_hash: Buffer; account_id: string; kind: string; ip: string; user_agent: string | null; created_at: Date; last_seen_at: Date; expires_at: Date };
};

const port = Number(process.env.PORT ?? 3990);
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.KELID_DB_POOL ?? 10) });
const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
const dummy = hash(randomBytes(16).toString('hex'), { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });

const signInBody = {
  type: 'object', required: ['identifier', 'password'],
  properties: { identifier: { type: 'string', maxLength: 1024 }, password: { type: 'string', maxLength: 4096 } },
} as const;

const app = Fastify({ logger: false });
app.get('/readyz', async () => ({ status: 'ok' }));
app.post<{ Body: { identifier: string; password: string } }>('/api/v1/sessions', { schema: { body: signInBody } }, async (request, reply) => {
  const found = await db.selectFrom('people as p')
    .innerJoin('accounts as a', 'a.person_id', 'p.id')
    .innerJoin('credentials as c', 'c.account_id', 'a.id')
    .select(['a.id as account_id', 'c.password_hash'])
    .where('p.national_id', '=', request.body.identifier)
    .executeTakeFirst();
  const password = request.body.password;
  const valid = await limited(async () => verify(found?.password_hash ?? await dummy, password).catch(() => false));
  if (!found || !valid) return reply.code(401).send({ error: 'sign_in.invalid' });
  const token = randomBytes(32).toString('base64url');
  const now = new Date();
  await db.insertInto('sessions').values({
    token_hash: createHash('sha256').update(token).digest(), account_id: found.account_id, kind: 'api', ip: request.ip,
    user_agent: request.headers['user-agent']?.slice(0, 512) ?? null, created_at: now, last_seen_at: now,
    expires_at: new Date(now.getTime() + 12 * 3_600_000),
  }).execute();
  return reply.code(201).send({ token });
});
await app.listen({ port, host: '127.0.0.1' });
