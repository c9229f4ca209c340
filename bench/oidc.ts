// `npm run bench -- oidc`: Kelid's OpenID provider on PostgreSQL next to bare upstream
// oidc-provider with its in-memory adapter (bench/oidc-reference.ts), both measured in the same
// run on the same machine:
//
//   client credentials   POST /token with HTTP Basic, grants/s
//   refresh              POST /token with a refresh token; every answer gives the next one
//                        (rotation on every use), so the load runs over a pool of chains: a
//                        token is taken from the pool when a request is sent and its successor
//                        put back when the answer (200, checked) arrives; a token is never sent twice
//   code flows           a browser already signed in: GET /auth with PKCE → the redirect to the
//                        app's callback with the code → POST /token; complete flows/s
//
// Kelid is a real `npm start` child process (the very command line) on a throw-away PostgreSQL
// 18, seeded directly: a school, one teacher per connection, an app that serves teachers and a
// service with client credentials. Each browser signs in once through Kelid's own pages (the
// sign-in form, the role taken for the app), as test/helpers/oidc.ts does. The load generator
// (autocannon) runs in this process, on the same machine. Besides rates and latencies the
// figures say where the CPU went during each measurement (the server, PostgreSQL, the load
// generator, and other people's processes: this machine is shared) and the CPU time per grant.
//
// Client credentials and refresh, whose targets are ratios, are measured in BENCH_ROUNDS rounds
// of each server in turn (A B B A…), so that the machine's drift weighs on both alike; code
// flows (an absolute target) in one piece.
//
//   BENCH_SECONDS (20, per server and load) · BENCH_ROUNDS (4) · BENCH_CONNECTIONS (16) · BENCH_SCOPE ('openid profile national_id roles',
//   what the example apps ask) · BENCH_START (the server's command line, e.g. with --cpu-prof)
//   For an investigation: BENCH_ONLY=kelid (no reference) · BENCH_PHASES=cc,refresh,flows ·
//   BENCH_SQL=1 (every statement counted by pg_stat_statements, per grant) · BENCH_DEBUG=1
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import autocannon from 'autocannon';
import * as oidc from 'openid-client';
import pg from 'pg';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { nationalIdCheckDigit } from '../src/domain/national-id.ts';
import type { ClientInput } from '../src/domain/oidc-client.ts';
import { addClient } from '../src/federation/clients.ts';
import { clientSecretKey } from '../src/federation/client-secrets.ts';
import { newUserCode } from '../src/identity/accounts.ts';
import { createPasswordHasher } from '../src/identity/passwords.ts';
import { deriveKeys } from '../src/secrets.ts';
import { cookieBrowser } from '../test/helpers/cookie-browser.ts';
import { authorizationRequest, authorize, CALLBACK, exchange, isCallback } from '../test/helpers/oidc.ts';
import { startTestPostgres } from '../test/helpers/postgres.ts';
import { cpuBetween, cpuSample } from './cpu.ts';
import { statementStatsSettings, statementsPerGrant } from './sql-stats.ts';
import { serverArgs, serverMemoryMb, serverWorkers, waitUntilServing } from './login.ts';

const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const SCOPE = process.env.BENCH_SCOPE ?? 'openid profile national_id roles';
const WARM_UP_SECONDS = 3;
/** The ratio targets' grants are measured in this many rounds of each server, in turn (inTurn). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
/** Load before each round, not counted (inTurn); before a server's first round of a phase, longer: a fresh process optimizes its code for seconds. */
const RESUME_SECONDS = 3;
const FIRST_RESUME_SECONDS = 10;
/** Refresh chains per signed-in browser: a request in flight when a load (each round and the load before it) stops loses its chain. */
const CHAINS_PER_BROWSER = 2 * ROUNDS + 3;
const PASSWORD = 'Bench-Password-1405!';
const SECRET = 'bench-secret-'.padEnd(48, 'x');
const argon2 = { memoryCost: 19456, timeCost: 2, parallelism: 1 };
const APP = { id: 'bench-app', secret: 'bench-app-secret-'.padEnd(43, 'z') };
const SERVICE = { id: 'bench-service', secret: 'bench-service-secret-'.padEnd(43, 'z') };

type Client = { id: string; secret: string };
/** A server under test: its base URL, the prefix of its provider, its process. */
type Target = { name: string; base: string; prefix: string; process: ChildProcess };
type Browser = ReturnType<typeof cookieBrowser>;

const basic = (client: Client) => `Basic ${Buffer.from(`${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret)}`).toString('base64')}`;
const form = { 'content-type': 'application/x-www-form-urlencoded' };
const round = (value: number, digits = 1) => Number(value.toFixed(digits));
const percentile = (values: number[], p: number) => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

function nationalId(n: number): string {
  const first9 = `5${String(n).padStart(8, '0')}`;
  return `${first9}${nationalIdCheckDigit(first9)}`;
}

// ---------------------------------------------------------------------------------------------
// Setup: the database, the servers, the signed-in browsers.

async function seed(url: string, count: number): Promise<string[]> {
  const handle = await openDatabase({ databaseUrl: url, dataDir: '', poolSize: 4 });
  try {
    await migrate(handle);
    const db = handle.db;
    const ids: Record<string, string> = {};
    let path = '/';
    let parent: string | null = null;
    for (const [key, level, type, name] of [['province', 'province', 'province', 'استان آزمون'], ['district', 'district', 'district', 'ناحیه آزمون'], ['school', 'school', 'public', 'دبستان آزمون']] as const) {
      const row: { id: string } = await db.insertInto('organizations').values({ parent_id: parent, level, type, name, path: '/' }).returning('id').executeTakeFirstOrThrow();
      path = `${path}${row.id}/`;
      await db.updateTable('organizations').set({ path }).where('id', '=', row.id).execute();
      ids[key] = row.id;
      parent = row.id;
    }
    const hash = await createPasswordHasher(argon2).hash(PASSWORD);
    const people = Array.from({ length: count }, (_, i) => nationalId(i + 1));
    const persons = await db.insertInto('people').values(people.map((id) => ({ national_id: id, first_name: 'آزمون', last_name: 'بار', birth_date: '1985-01-01' }))).returning('id').execute();
    const accounts = await db.insertInto('accounts').values(persons.map((p) => ({ person_id: p.id, user_code: newUserCode() }))).returning('id').execute();
    await db.insertInto('credentials').values(accounts.map((a) => ({ account_id: a.id, password_hash: hash }))).execute();
    await db.insertInto('memberships').values(accounts.map((a) => ({ account_id: a.id, organization_id: ids.school!, role: 'teacher' as const, starts_on: '2025-09-23', ends_on: null }))).execute();

    const key = clientSecretKey(deriveKeys(SECRET).federation);
    const register = async (input: ClientInput & { secret: string }) => {
      const result = await addClient(db, key, input, ['teacher'], { actorAccountId: null, actingMembershipId: null, ip: null });
      if (!result.ok) throw new Error(`client ${input.clientId}: ${JSON.stringify(result)}`);
    };
    // A first-party app that serves teachers (so the role check runs on every authorization), as the example apps.
    await register({
      clientId: APP.id, secret: APP.secret, name: 'Bench app', firstParty: true, confidential: true, redirectUris: [CALLBACK], postLogoutRedirectUris: [],
      grantTypes: ['authorization_code', 'refresh_token'], scopes: ['openid', 'profile', 'national_id', 'roles', 'offline_access'],
      accessTokenFormat: 'opaque', backchannelLogoutUri: null, roles: ['teacher'],
    });
    await register({
      clientId: SERVICE.id, secret: SERVICE.secret, name: 'Bench service', firstParty: true, confidential: true, redirectUris: [], postLogoutRedirectUris: [],
      grantTypes: ['client_credentials'], scopes: [], accessTokenFormat: 'opaque', backchannelLogoutUri: null, roles: [],
    });
    return people;
  } finally {
    await handle.close();
  }
}

async function startKelid(url: string, port: number): Promise<Target> {
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, serverArgs(), {
    env: {
      ...process.env, DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', KELID_PUBLIC_URL: base, KELID_DEMO: '0', LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      KELID_SECRET: SECRET, KELID_RATE_LIMIT_PER_MINUTE: '10000000', KELID_DB_POOL: '10', KELID_SMS: 'dev', KELID_EMAIL: 'dev',
      KELID_WORKERS: serverWorkers(),
    },
    stdio: ['ignore', process.env.BENCH_DEBUG ? 'inherit' : 'ignore', 'inherit'],
  });
  await waitUntilServing(`${base}/readyz`, child);
  return { name: 'kelid', base, prefix: '/oidc', process: child };
}

async function startReference(port: number): Promise<Target> {
  const base = `http://127.0.0.1:${port}`;
  const clients = [
    { client_id: APP.id, client_secret: APP.secret, redirect_uris: [CALLBACK], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], scope: 'openid profile offline_access' },
    { client_id: SERVICE.id, client_secret: SERVICE.secret, redirect_uris: [], grant_types: ['client_credentials'], response_types: [] },
  ];
  const child = spawn(process.execPath, ['bench/oidc-reference.ts'], {
    env: { ...process.env, PORT: String(port), BENCH_CLIENTS: JSON.stringify(clients) },
    // Upstream warns loudly about devInteractions on start: not the bench's business.
    stdio: ['ignore', 'ignore', process.env.BENCH_DEBUG ? 'inherit' : 'ignore'],
  });
  await waitUntilServing(`${base}/.well-known/openid-configuration`, child);
  return { name: 'reference', base, prefix: '', process: child };
}

const discover = (target: Target) => oidc.discovery(new URL(`${target.base}${target.prefix}`), APP.id, APP.secret, undefined, { execute: [oidc.allowInsecureRequests] });

/** One code flow in a browser: signs in when the server asks (Kelid's form, or upstream's devInteractions login), answers the tokens. */
async function codeFlow(target: Target, config: oidc.Configuration, browser: Browser, scope: string, person: string) {
  const request = await authorizationRequest(config, { scope });
  let page = await authorize(browser, request, { identifier: person, password: PASSWORD });
  const devLogin = /\/interaction\/([^/?]+)$/.exec(new URL(page.url).pathname);
  if (target.name === 'reference' && devLogin && page.status === 200) {
    page = await browser.go(`${target.base}/interaction/${devLogin[1]}`, { form: { prompt: 'login', login: person, password: 'x' }, stopAt: isCallback });
  }
  return exchange(config, page, request);
}

/** Browsers signed in to the target, one per person, and CHAINS_PER_BROWSER refresh tokens from each. */
async function signIn(target: Target, people: string[], scope: string) {
  const config = await discover(target);
  const browsers: Browser[] = [];
  const refreshTokens: string[] = [];
  // Four at a time: the sign-ins hash passwords.
  let next = 0;
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (next < people.length) {
      const person = people[next++]!;
      const browser = cookieBrowser();
      for (let i = 0; i < CHAINS_PER_BROWSER; i++) {
        const tokens = await codeFlow(target, config, browser, scope, person);
        if (!tokens.refresh_token) throw new Error(`${target.name}: no refresh token`);
        refreshTokens.push(tokens.refresh_token);
      }
      browsers.push(browser);
    }
  }));
  return { browsers, refreshTokens };
}

// ---------------------------------------------------------------------------------------------
// The loads.

type Load = { seconds: number; connections: number };
const measured: Load = { seconds: DURATION_SECONDS, connections: CONNECTIONS };
const warmUp: Load = { seconds: WARM_UP_SECONDS, connections: 4 };

function summary(result: autocannon.Result, ok: number, seconds: number, cpu: ReturnType<typeof cpuBetween>) {
  const perGrant = (cores: number) => round((cores * 1000 * seconds) / Math.max(ok, 1), 2);
  return {
    perSecond: round(ok / seconds),
    ok,
    seconds,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99 },
    ...cpu,
    // CPU time each grant (or flow) cost: steadier than the rate on a shared machine.
    cpuMsPerGrant: { server: perGrant(cpu.cpuCores.server), postgres: perGrant(cpu.cpuCores.postgres) },
  };
}

async function clientCredentials(target: Target, load: Load) {
  const before = cpuSample(target.process.pid!);
  const result = await autocannon({
    url: target.base, connections: load.connections, duration: load.seconds,
    requests: [{ method: 'POST', path: `${target.prefix}/token`, headers: { ...form, authorization: basic(SERVICE) }, body: 'grant_type=client_credentials' }],
  });
  return summary(result, result['2xx'], load.seconds, cpuBetween(before, cpuSample(target.process.pid!)));
}

/**
 * `rounds` measurements of each target, in turn and mirrored (A B B A A B B A…), so that a
 * machine whose speed drifts during the run (a shared VM: the same code's rate moves by a
 * quarter within minutes here) weighs on both servers alike; `Map<target, figures by round>`.
 */
async function inTurn<T>(targets: Target[], rounds: number, measure: (target: Target) => Promise<T>): Promise<Map<Target, T[]>> {
  const done = new Map<Target, T[]>(targets.map((target) => [target, []]));
  for (let i = 0; i < rounds; i++) {
    for (const target of i % 2 === 0 ? targets : [...targets].reverse()) done.get(target)!.push(await measure(target));
  }
  return done;
}

type Round = ReturnType<typeof summary> & { failed?: number; failures?: string[] };

/** One server's rounds as one measurement: rates and CPU over all of them, the median round's p50 and the worst p99. */
function combine<T extends Round>(parts: T[]): T {
  const sum = (pick: (part: T) => number) => parts.reduce((total, part) => total + pick(part), 0);
  const mean = (pick: (part: T) => number) => round(sum(pick) / parts.length, 2);
  const ok = sum((p) => p.ok);
  const seconds = sum((p) => p.seconds);
  const cpuSeconds = { server: round(sum((p) => p.cpuSeconds.server), 2), serverEventLoop: round(sum((p) => p.cpuSeconds.serverEventLoop), 2), postgres: round(sum((p) => p.cpuSeconds.postgres), 2) };
  const p50s = parts.map((p) => p.latencyMs.p50).sort((a, b) => a - b);
  const failures = parts.flatMap((p) => p.failures ?? []).slice(0, 3);
  return {
    ...parts[0]!,
    perSecond: round(ok / seconds),
    ok,
    seconds,
    non2xx: sum((p) => p.non2xx),
    errors: sum((p) => p.errors),
    timeouts: sum((p) => p.timeouts),
    latencyMs: { p50: p50s[Math.floor((p50s.length - 1) / 2)]!, p99: Math.max(...parts.map((p) => p.latencyMs.p99)) },
    cpuCores: {
      server: mean((p) => p.cpuCores.server), postgres: mean((p) => p.cpuCores.postgres), loadGenerator: mean((p) => p.cpuCores.loadGenerator),
      otherProcesses: mean((p) => p.cpuCores.otherProcesses), stolen: mean((p) => p.cpuCores.stolen),
    },
    cpuSeconds,
    cpuMsPerGrant: { server: round((cpuSeconds.server * 1000) / Math.max(ok, 1), 2), postgres: round((cpuSeconds.postgres * 1000) / Math.max(ok, 1), 2) },
    ...(parts[0]!.failed !== undefined ? { failed: sum((p) => p.failed ?? 0) } : {}),
    ...(failures.length > 0 ? { failures } : {}),
    perRound: parts.map((p) => ({ perSecond: p.perSecond, serverCpuMsPerGrant: p.cpuMsPerGrant.server })),
  };
}

/** Refresh grants over the pool of chains; the pool is left holding the live tokens. */
async function refresh(target: Target, pool: string[], load: Load) {
  if (pool.length < load.connections) throw new Error(`${target.name}: ${pool.length} refresh chains for ${load.connections} connections`);
  let ok = 0;
  let failed = 0;
  const failures: string[] = [];
  const before = cpuSample(target.process.pid!);
  const result = await autocannon({
    url: target.base, connections: load.connections, duration: load.seconds,
    requests: [{
      method: 'POST', path: `${target.prefix}/token`, headers: { ...form, authorization: basic(APP) },
      setupRequest: (request) => {
        // Never empty while every chain lives (more chains than connections); a dead pool shows as failures.
        const token = pool.shift() ?? 'no-chain-left';
        return { ...request, body: `grant_type=refresh_token&refresh_token=${encodeURIComponent(token)}` };
      },
      onResponse: (status, body) => {
        const next = status === 200 ? (JSON.parse(body) as { refresh_token?: string; access_token?: string; id_token?: string }) : undefined;
        if (next?.refresh_token && next.access_token && next.id_token) {
          pool.push(next.refresh_token);
          ok++;
        } else {
          failed++;
          if (failures.length < 3) failures.push(`${status} ${body.slice(0, 200)}`);
        }
      },
    }],
  });
  return { ...summary(result, ok, load.seconds, cpuBetween(before, cpuSample(target.process.pid!))), failed, ...(failures.length > 0 ? { failures } : {}) };
}

type FlowContext = { browser?: FlowBrowser; verifier?: string; state?: string; code?: string; started?: number };
type FlowBrowser = { cookies: Map<string, string> };

/** What a signed-in browser sends to /auth: its cookies for that path. */
function flowBrowser(target: Target, browser: Browser): FlowBrowser {
  const url = new URL(`${target.base}${target.prefix}/auth`);
  const cookies = new Map<string, string>();
  for (const c of browser.jar) if (c.host === url.host && url.pathname.startsWith(c.path)) cookies.set(c.name, c.value);
  return { cookies };
}

function header(headers: Record<string, string | string[]>, name: string): string[] {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return [value].flat();
  return [];
}

/** Complete code flows: each connection takes a signed-in browser for its /auth request, then exchanges the code. */
async function codeFlows(target: Target, browsers: FlowBrowser[], scope: string, load: Load) {
  let ok = 0;
  let failed = 0;
  const failures: string[] = [];
  const flowMs: number[] = [];
  const idle = [...browsers];
  let spare = 0;
  let redirects = 0;
  const fail = (what: string) => {
    failed++;
    if (failures.length < 3) failures.push(what);
  };
  const before = cpuSample(target.process.pid!);
  const result = await autocannon({
    url: target.base, connections: load.connections, duration: load.seconds,
    requests: [
      {
        method: 'GET',
        setupRequest: (request, context: FlowContext) => {
          // One browser per connection; should a browser be lost (a request cut at the end of a load), share one.
          context.browser = idle.shift() ?? browsers[spare++ % browsers.length]!;
          context.verifier = randomBytes(32).toString('base64url');
          context.state = randomBytes(16).toString('base64url');
          context.started = performance.now();
          const query = new URLSearchParams({
            client_id: APP.id, redirect_uri: CALLBACK, response_type: 'code', scope, state: context.state, nonce: randomBytes(16).toString('base64url'),
            code_challenge: createHash('sha256').update(context.verifier).digest('base64url'), code_challenge_method: 'S256',
          });
          const cookie = [...context.browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
          return { ...request, path: `${target.prefix}/auth?${query}`, headers: { ...request.headers, cookie } };
        },
        onResponse: (status, body, context: FlowContext, headers) => {
          const browser = context.browser!;
          for (const set of header(headers as Record<string, string | string[]>, 'set-cookie')) {
            const [pair = ''] = set.split(';');
            const equals = pair.indexOf('=');
            const value = pair.slice(equals + 1);
            if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(set)) browser.cookies.delete(pair.slice(0, equals));
            else browser.cookies.set(pair.slice(0, equals), value);
          }
          idle.push(browser);
          if (status === 302 || status === 303) redirects++;
          const location = header(headers as Record<string, string | string[]>, 'location')[0];
          const answer = location?.startsWith(CALLBACK) ? new URL(location).searchParams : undefined;
          if ((status === 302 || status === 303) && answer?.get('code') && answer.get('state') === context.state) context.code = answer.get('code')!;
          else fail(`auth ${status} ${location ?? body.slice(0, 200)}`);
        },
      },
      {
        method: 'POST', path: `${target.prefix}/token`, headers: { ...form, authorization: basic(APP) },
        // No code: the flow failed at /auth; autocannon starts the next one.
        setupRequest: (request, context: FlowContext) => context.code === undefined ? undefined as never : {
          ...request, body: new URLSearchParams({ grant_type: 'authorization_code', code: context.code, redirect_uri: CALLBACK, code_verifier: context.verifier! }).toString(),
        },
        onResponse: (status, body, context: FlowContext) => {
          const tokens = status === 200 ? (JSON.parse(body) as { access_token?: string; id_token?: string }) : undefined;
          if (tokens?.access_token && tokens.id_token) {
            ok++;
            flowMs.push(performance.now() - context.started!);
          } else fail(`token ${status} ${body.slice(0, 200)}`);
        },
      },
    ],
  });
  return {
    ...summary(result, ok, load.seconds, cpuBetween(before, cpuSample(target.process.pid!))),
    // The redirects from /auth are the flow's, not failures.
    non2xx: result.non2xx - redirects,
    flowLatencyMs: { p50: round(percentile(flowMs, 50)), p99: round(percentile(flowMs, 99)) },
    requestsPerFlow: 2,
    failed,
    ...(failures.length > 0 ? { failures } : {}),
  };
}


/** The server's memory: one process's, or a cluster's sums (login.ts's serverMemoryMb), with each process's beside. */
const rss = async (target: Target) => {
  const m = await serverMemoryMb(target.process.pid!);
  return { rss: round(m.rss), peak: round(m.peak), ...(m.workers ? { primary: m.primary, workers: m.workers } : {}) };
};

export async function runOidcBenchmark() {
  // BENCH_SQL=1: PostgreSQL counts every statement (pg_stat_statements), shown per grant for each of Kelid's loads.
  const sqlStats = process.env.BENCH_SQL === '1';
  const postgres = await startTestPostgres(sqlStats ? { settings: statementStatsSettings } : {});
  const servers: Target[] = [];
  const admin = new pg.Client({ connectionString: postgres.url });
  try {
    const people = await seed(postgres.url, CONNECTIONS);
    await admin.connect();
    if (sqlStats) await admin.query('create extension if not exists pg_stat_statements');
    const port = 3900 + Math.floor(Math.random() * 90);
    const kelid = await startKelid(postgres.url, port);
    servers.push(kelid);
    const reference = await startReference(port + 100);
    servers.push(reference);

    const memoryParts = () => {
      const status = readFileSync(`/proc/${kelid.process.pid}/status`, 'utf8');
      return ['VmRSS', 'RssAnon', 'RssFile', 'VmHWM'].map((f) => `${f} ${round(Number(new RegExp(`${f}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024)}`).join(' · ');
    };
    if (process.env.BENCH_DEBUG) console.error(`kelid started: ${memoryParts()}`);
    const debug = process.env.BENCH_DEBUG ? setInterval(() => console.error(`kelid ${memoryParts()}`), 2000) : undefined;
    // BENCH_ONLY=kelid measures Kelid alone, BENCH_PHASES=cc,refresh,flows some of the loads (for a profile of the server).
    const both = process.env.BENCH_ONLY !== 'kelid';
    const phases = new Set((process.env.BENCH_PHASES ?? 'cc,refresh,flows').split(','));
    // Browsers signed in (and refresh tokens) for the loads that need them.
    const signedIn = phases.has('refresh') || phases.has('flows');
    const none = { browsers: [], refreshTokens: [] };
    const kelidSignedIn = signedIn ? await signIn(kelid, people, SCOPE) : none;
    // The reference knows no national_id or roles: its share of what the app asks.
    const referenceScope = SCOPE.split(' ').filter((s) => ['openid', 'profile', 'offline_access'].includes(s)).join(' ');
    const referenceSignedIn = signedIn && both ? await signIn(reference, people, referenceScope) : none;
    const kelidBrowsers = kelidSignedIn.browsers.map((b) => flowBrowser(kelid, b));
    const referenceBrowsers = referenceSignedIn.browsers.map((b) => flowBrowser(reference, b));
    const load = os.loadavg()[0]!;

    type Figures = Awaited<ReturnType<typeof clientCredentials>> & { sql?: unknown };
    const skipped = { perSecond: Number.NaN } as Figures;
    // Each load: a warm-up (JIT, pools), then the measurement.
    const phase = async <T extends Figures>(name: string, target: Target, run: (l: Load) => Promise<T>): Promise<T> => {
      if (!phases.has(name) || (target === reference && !both)) return skipped as T;
      const warm = await run(warmUp);
      if (process.env.BENCH_DEBUG) console.error(name, target.name, 'warm-up', JSON.stringify(warm));
      if (sqlStats) await admin.query('select pg_stat_statements_reset()');
      const figures = await run(measured);
      if (sqlStats && target === kelid) figures.sql = await statementsPerGrant(admin, figures.ok);
      return figures;
    };
    // The grants the ratio targets are for: the two servers in turn, round by round (inTurn).
    const paired = async <T extends Figures>(name: string, run: (target: Target, l: Load) => Promise<T>) => {
      if (!phases.has(name)) return { reference: skipped as T, kelid: skipped as T, roundRatios: [] };
      const targets = both ? [reference, kelid] : [kelid];
      if (sqlStats) await admin.query('select pg_stat_statements_reset()');
      // Kelid's grants in the loads not counted: PostgreSQL counted their statements too.
      let uncounted = 0;
      const warmed = new Set<Target>();
      const turns = await inTurn(targets, ROUNDS, async (target) => {
        // Load first, not counted (the first round's is the warm-up): a round measures the steady
        // state of a server under load. One that was idle while the other ran may have compacted its heap meanwhile (Kelid's
        // heap-compaction.ts, after 2 s of quiet), and takes seconds to grow back: measured on
        // 2026-12-02 in three tries, Kelid's first second after 6 s of quiet ran at 55-90 % of its fifth's rate.
        // Its first round of client credentials, after 3 s, had been its slowest in ten of thirteen runs (a fresh
        // process's optimizing compiler at work, on the main thread with --no-concurrent-recompilation): 10 s then.
        const resumed = await run(target, { ...measured, seconds: warmed.has(target) ? RESUME_SECONDS : FIRST_RESUME_SECONDS });
        warmed.add(target);
        if (target === kelid) uncounted += resumed.ok;
        return run(target, { ...measured, seconds: measured.seconds / ROUNDS });
      });
      const figures = { kelid: combine(turns.get(kelid)!), reference: both ? combine(turns.get(reference)!) : skipped as T };
      if (sqlStats) figures.kelid.sql = await statementsPerGrant(admin, figures.kelid.ok + uncounted);
      const roundRatios = both ? turns.get(kelid)!.map((k, i) => round(k.perSecond / turns.get(reference)![i]!.perSecond, 2)) : [];
      return { ...figures, roundRatios };
    };
    const cc = await paired('cc', (target, l) => clientCredentials(target, l));
    const rssAfterCc = await rss(kelid);
    const rt = await paired('refresh', (target, l) => refresh(target, target === kelid ? kelidSignedIn.refreshTokens : referenceSignedIn.refreshTokens, l));
    const rssAfterRefresh = await rss(kelid);
    const flows = {
      kelid: await phase('flows', kelid, (l) => codeFlows(kelid, kelidBrowsers, SCOPE, l)),
      reference: await phase('flows', reference, (l) => codeFlows(reference, referenceBrowsers, referenceScope, l)),
    };
    const rssAfterFlows = await rss(kelid);
    clearInterval(debug);
    await new Promise((resolve) => setTimeout(resolve, 6000));
    // Six seconds later, at rest: what the process keeps.
    const settled = await rss(kelid);
    const referenceRss = await rss(reference);

    const ratio = (a: number, b: number) => round(a / b, 2);
    const figures = {
      machine: `${os.cpus()[0]?.model ?? 'cpu'} × ${os.availableParallelism()}`,
      loadAverageAtStart: round(load, 2),
      connections: CONNECTIONS,
      seconds: DURATION_SECONDS,
      scope: { kelid: SCOPE, reference: referenceScope },
      rounds: ROUNDS,
      clientCredentials: { ...cc, ratio: ratio(cc.kelid.perSecond, cc.reference.perSecond) },
      refresh: { ...rt, ratio: ratio(rt.kelid.perSecond, rt.reference.perSecond) },
      codeFlows: { ...flows, ratio: ratio(flows.kelid.perSecond, flows.reference.perSecond) },
      serverRssMb: {
        kelid: {
          afterClientCredentials: rssAfterCc.rss, afterRefresh: rssAfterRefresh.rss, atEndOfLoad: rssAfterFlows.rss, settled: settled.rss, peak: settled.peak,
          // A cluster (KELID_WORKERS > 1): the sums above, and each process at rest.
          ...(settled.workers ? { primary: settled.primary, workers: settled.workers } : {}),
        },
        reference: { settled: referenceRss.rss, peak: referenceRss.peak },
      },
      targets: {
        clientCredentials: `${ratio(cc.kelid.perSecond, cc.reference.perSecond)} ≥ 0.5`,
        refresh: `${ratio(rt.kelid.perSecond, rt.reference.perSecond)} ≥ 0.5`,
        codeFlowsPerSecond: `${flows.kelid.perSecond} ≥ 300`,
        rssMb: `${Math.max(rssAfterCc.rss, rssAfterRefresh.rss, rssAfterFlows.rss)} (max at end of a load), ${settled.rss} (settled) ≤ 150`,
      },
    };
    console.log(JSON.stringify(figures, null, 2));
    return figures;
  } finally {
    await admin.end().catch(() => undefined);
    for (const server of servers) server.process.kill('SIGTERM');
    await Promise.all(servers.map((server) => server.process.exitCode === null && server.process.signalCode === null ? new Promise((resolve) => server.process.once('exit', resolve)) : undefined));
    await postgres.stop();
  }
}
