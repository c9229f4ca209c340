// The reference for `npm run bench -- login` (issue 12): a bare `node:http` server doing only
// what a password sign-in must, nothing of Kelid. For `POST /api/v1/sessions` with
// `{identifier, password}` as JSON:
//
//   1. one SELECT: the account's password hash by national ID (people → accounts → credentials);
//   2. one argon2id verification with the same library (@node-rs/argon2), the same parameters
//      (they live in the stored hash) and the same number in flight as Kelid (one per core);
//   3. one INSERT of a session (a random token, stored as its SHA-256, as Kelid stores it).
//
// Answers 201 `{token}`, or 401 for a wrong password or an unknown ID (after a verification of
// a dummy hash, as Kelid), 400 for a body it cannot read. No lockout, no rate limit, no audit,
// no headers beyond the content type: what is left when every security property is taken away.
//
//   PORT=3990 DATABASE_URL=postgres://… node bench/login-reference.ts
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { hash, verify } from '@node-rs/argon2';
import pg from 'pg';
import { limited } from './reference-slots.ts';

const port = Number(process.env.PORT ?? 3990);
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.KELID_DB_POOL ?? 10) });
const dummy = hash(randomBytes(16).toString('hex'), { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });

async function readJson(request: IncomingMessage): Promise<{ identifier?: unknown; password?: unknown } | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as { identifier?: unknown; password?: unknown };
  } catch {
    return undefined;
  }
}

function answer(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

async function signIn(request: IncomingMessage, response: ServerResponse) {
  const body = await readJson(request);
  if (typeof body?.identifier !== 'string' || typeof body.password !== 'string') return answer(response, 400, { error: 'invalid_request' });
  const { rows } = await pool.query<{ account_id: string; password_hash: string }>({
    name: 'reference-credential',
    text: `select a.id as account_id, c.password_hash from people p join accounts a on a.person_id = p.id
           join credentials c on c.account_id = a.id where p.national_id = $1`,
    values: [body.identifier],
  });
  const found = rows[0];
  const password = body.password;
  const valid = await limited(async () => verify(found?.password_hash ?? await dummy, password).catch(() => false));
  if (!found || !valid) return answer(response, 401, { error: 'sign_in.invalid' });
  const token = randomBytes(32).toString('base64url');
  const now = new Date();
  await pool.query({
    name: 'reference-session',
    text: `insert into sessions (token_hash, account_id, kind, ip, user_agent, created_at, last_seen_at, expires_at)
           values ($1, $2, 'api', $3, $4, $5, $5, $6)`,
    values: [createHash('sha256').update(token).digest(), found.account_id, request.socket.remoteAddress ?? null,
      request.headers['user-agent']?.slice(0, 512) ?? null, now, new Date(now.getTime() + 12 * 3_600_000)],
  });
  answer(response, 201, { token });
}

createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/healthz') return answer(response, 200, { status: 'ok' });
  if (request.method !== 'POST' || request.url !== '/api/v1/sessions') return answer(response, 404, { error: 'not_found' });
  signIn(request, response).catch(() => { if (!response.headersSent) answer(response, 500, { error: 'server_error' }); });
}).listen(port, '127.0.0.1');
