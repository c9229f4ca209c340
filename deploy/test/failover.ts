// Failover under load (issue 12, item 2): Kelid on the recipe of deploy/patroni/ (Patroni with
// a synchronous replica, HAProxy, PgBouncer in transaction mode), a steady load of
// registrations, password sign-ins and OpenID client-credentials grants, and in the middle of
// it three events, each once the cluster is whole again: a graceful switchover (`patronictl
// switchover`); the primary's postmaster killed with SIGKILL (its Patroni starts it again);
// the brutal one, the primary's Patroni and postmaster both killed with SIGKILL (the replica
// takes over once the leader key expires). Every answer is recorded: a 503 (with Retry-After)
// is what a failover may cost; a 500, a refused connection or a request with no answer within
// the client's timeout is a failure, and so is an acknowledged registration whose account is
// not on the new primary.
//
//   sudo env PATH="$PWD/node_modules/.bin:$PATH" node deploy/test/failover.ts [--keep]
//   (Node 24; root: up.sh runs the cluster as postgres)
//
// Not part of `npm test`: it needs Debian's patroni, etcd, haproxy, pgbouncer and postgresql
// (up.sh installs what is missing). Prints a JSON report; exits 1 when a check fails.
// Settings (environment): FAILOVER_PORT (Kelid, 23200), FAILOVER_REGISTRATION_WORKERS (4),
// FAILOVER_SIGN_IN_WORKERS (2), FAILOVER_TOKEN_WORKERS (1: OpenID client credentials), FAILOVER_WARMUP_SECONDS (10), FAILOVER_AFTER_SWITCHOVER_SECONDS
// (20), FAILOVER_AFTER_KILL_SECONDS (30), FAILOVER_CLIENT_TIMEOUT_MS (15000).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, createWriteStream, openSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import pg from 'pg';
import { nationalIdCheckDigit } from '../../src/domain/national-id.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..', '..');
const setting = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const PORT = setting('FAILOVER_PORT', 23200);
const REGISTRATION_WORKERS = setting('FAILOVER_REGISTRATION_WORKERS', 4);
const SIGN_IN_WORKERS = setting('FAILOVER_SIGN_IN_WORKERS', 2);
const TOKEN_WORKERS = setting('FAILOVER_TOKEN_WORKERS', 1);
const WARMUP_S = setting('FAILOVER_WARMUP_SECONDS', 10);
const AFTER_SWITCHOVER_S = setting('FAILOVER_AFTER_SWITCHOVER_SECONDS', 20);
const AFTER_KILL_S = setting('FAILOVER_AFTER_KILL_SECONDS', 30);
const CLIENT_TIMEOUT_MS = setting('FAILOVER_CLIENT_TIMEOUT_MS', 15_000);
/** Service must be back this soon after a failover (the target). */
const TARGET_RECOVERY_S = 30;
const PASSWORD = 'Failover-Test-1405!';
const DEMO_PASSWORD = 'Kelid-Demo-1405';
const SIGN_IN_ACCOUNTS = ['0012345679', '0034567895', '0023456787', '0067891233', '0045678911', '0056789122', '0098765434'];
const keep = process.argv.includes('--keep');

const started = performance.now();
const clock = () => (performance.now() - started) / 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (n: number) => Math.round(n * 100) / 100;
const log = (message: string) => process.stderr.write(`[failover ${clock().toFixed(1).padStart(6)}s] ${message}\n`);

// --- the cluster ------------------------------------------------------------------------------
type Cluster = { dir: string; env: Record<string, string>; nodes: { name: string; pgPort: number; apiPort: number }[] };

async function up(): Promise<Cluster> {
  const { stdout } = await run(path.join(root, 'deploy/patroni/up.sh'), [], { maxBuffer: 1 << 20 });
  const env = Object.fromEntries([...stdout.matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [m[1]!, m[2]!]));
  const nodes = env.KELID_HA_NODES!.split(' ').map((entry) => {
    const [name, pgPort, apiPort] = entry.split(':');
    return { name: name!, pgPort: Number(pgPort), apiPort: Number(apiPort) };
  });
  return { dir: env.KELID_HA_DIR!, env, nodes };
}

const asPostgres = (command: string[]) => ['setpriv', '--reuid=postgres', '--regid=postgres', '--init-groups', 'env', ...command];

async function restStatus(port: number, what: string): Promise<number> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/${what}`, { signal: AbortSignal.timeout(2000) })).status;
  } catch {
    return 0;
  }
}

async function primaryOf(cluster: Cluster) {
  for (const node of cluster.nodes) if (await restStatus(node.apiPort, 'primary') === 200) return node;
  return undefined;
}

/** A primary whose PostgreSQL runs, and the other node streaming as Patroni's synchronous standby. */
async function healthy(cluster: Cluster): Promise<boolean> {
  const primary = await primaryOf(cluster);
  // /primary answers for the leader key alone, even while its PostgreSQL restarts; /health for PostgreSQL.
  if (!primary || await restStatus(primary.apiPort, 'health') !== 200) return false;
  const other = cluster.nodes.find((node) => node !== primary)!;
  return await restStatus(other.apiPort, 'sync') === 200;
}

async function until(seconds: number, check: () => Promise<boolean>): Promise<boolean> {
  const deadline = clock() + seconds;
  while (clock() < deadline) {
    if (await check()) return true;
    await sleep(250);
  }
  return false;
}

async function patronictl(cluster: Cluster, ...args: string[]) {
  const [command, ...rest] = asPostgres([`HOME=${cluster.dir}`, 'patronictl', '-c', path.join(cluster.dir, 'node1/patroni.yml'), ...args]);
  return run(command!, rest);
}

/** SIGKILL to the node's Patroni and postmaster: a machine that dies, as far as loopback can show it. */
function killNode(cluster: Cluster, name: string) {
  const patroniPid = Number(readFileSync(path.join(cluster.dir, 'pids', `patroni${name.slice(-1)}.pid`), 'utf8'));
  const postmasterPid = Number(readFileSync(path.join(cluster.dir, name, 'data/postmaster.pid'), 'utf8').split('\n')[0]);
  process.kill(patroniPid, 'SIGKILL');
  process.kill(postmasterPid, 'SIGKILL');
  return { patroniPid, postmasterPid };
}

function killPostmaster(cluster: Cluster, name: string) {
  const postmasterPid = Number(readFileSync(path.join(cluster.dir, name, 'data/postmaster.pid'), 'utf8').split('\n')[0]);
  process.kill(postmasterPid, 'SIGKILL');
  return { postmasterPid };
}

/** Starts a node's Patroni again, as up.sh does; its pid file is where down.sh looks. */
function restartNode(cluster: Cluster, name: string) {
  // detached: a session of its own (as setsid in up.sh); setpriv and env exec, so the pid is Patroni's.
  const [command, ...args] = asPostgres([`HOME=${cluster.dir}`, 'USER=postgres', '/usr/bin/patroni', path.join(cluster.dir, name, 'patroni.yml')]);
  const out = openSync(path.join(cluster.dir, name, 'log', 'patroni.out'), 'a');
  const child = spawn(command!, args, { cwd: cluster.dir, stdio: ['ignore', out, out], detached: true });
  closeSync(out);
  child.unref();
  writeFileSync(path.join(cluster.dir, 'pids', `patroni${name.slice(-1)}.pid`), String(child.pid));
}

// --- Kelid -------------------------------------------------------------------------------------
function kelidEnv(cluster: Cluster, secret: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PORT: String(PORT), HOST: '127.0.0.1', LOG_LEVEL: 'warn',
    DATABASE_URL: cluster.env.DATABASE_URL, KELID_DATABASE_LISTEN_URL: cluster.env.KELID_DATABASE_LISTEN_URL,
    // PgBouncer 1.18 (Debian 12) in transaction mode does not carry prepared statements.
    KELID_DB_PREPARED_STATEMENTS: '0',
    KELID_SECRET: secret, KELID_DEMO: '1', KELID_SMS: 'dev', KELID_EMAIL: 'dev',
    KELID_CAPTCHA_MAX_NUMBER: '20', KELID_CAPTCHA_COST: '10', KELID_RATE_LIMIT_PER_MINUTE: '10000000',
    KELID_SEND_PER_ADDRESS_PER_HOUR: '1000000', KELID_SMS_BUDGET_PER_HOUR: '1000000', KELID_ADDRESS_FAILURE_LIMIT: '1000000',
  };
}

// --- the load ----------------------------------------------------------------------------------
type Status = number | 'timeout' | 'network';
type Answer = { op: string; start: number; end: number; status: Status; retryAfter: string | null };
const answers: Answer[] = [];
const base = `http://127.0.0.1:${PORT}`;

/** The fields of Kelid's answers this test reads. */
type Body = { id?: string; state?: string; parameters?: unknown; signature?: unknown };

async function call(op: string, method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: Status; json?: Body | undefined }> {
  const start = clock();
  try {
    const response = await fetch(base + url, {
      method,
      headers: { 'accept-language': 'en', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body === undefined ? {} : typeof body === 'string' ? { body } : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
    });
    const text = await response.text();
    answers.push({ op, start, end: clock(), status: response.status, retryAfter: response.headers.get('retry-after') });
    let json: Body | undefined;
    try { json = JSON.parse(text) as Body; } catch { json = undefined; }
    return { status: response.status, json };
  } catch (error) {
    const status: Status = (error as Error).name === 'TimeoutError' ? 'timeout' : 'network';
    answers.push({ op, start, end: clock(), status, retryAfter: null });
    return { status };
  }
}

const ok = (status: Status) => typeof status === 'number' && status >= 200 && status < 300;
const runId = randomBytes(2).readUInt16BE() % 90 + 10;
const nationalId = (n: number) => { const first9 = `7${runId}${String(n).padStart(6, '0')}`; return `${first9}${nationalIdCheckDigit(first9)}`; };
/** People in the civil registry for the registrations (registration asks the registry). */
const REGISTRY_PEOPLE = 20_000;
const acknowledged: string[] = [];
const uncertain: string[] = [];
let unexpected4xx = 0;
let sample4xx: unknown;
const fourxxByOperation: Record<string, number> = {};
let running = true;
let nextRegistration = 1;

async function codeFor(to: string): Promise<string | undefined> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const outbox = await call('dev_outbox', 'GET', '/dev/outbox.json');
    if (!ok(outbox.status)) return undefined;
    const message = (outbox.json as unknown as { to: string; text: string; template: string }[]).find((m) => m.to === to && m.template.startsWith('verification'));
    const code = message?.text.match(/\d{6}/)?.[0];
    if (code) return code;
    await sleep(100);
  }
  return undefined;
}

/** One registration, start to account; 'done' only when Kelid acknowledged the account. */
async function register(n: number): Promise<'done' | 'failed'> {
  const id = nationalId(n);
  const note4xx = (result: { status: Status; json?: unknown }, op: string) => {
    if (typeof result.status === 'number' && result.status >= 400 && result.status < 500) {
      unexpected4xx++;
      sample4xx ??= result.json;
      fourxxByOperation[`${op} ${result.status}`] = (fourxxByOperation[`${op} ${result.status}`] ?? 0) + 1;
    }
  };
  const start = await call('registration.start', 'POST', '/api/v1/flows/registration');
  if (start.status !== 201) return note4xx(start, 'registration.start'), 'failed';
  const flow = `/api/v1/flows/${start.json?.id}`;
  const rules = await call('registration.rules', 'POST', flow, { accept: 'yes' });
  if (!ok(rules.status)) return note4xx(rules, 'registration.rules'), 'failed';
  const challenge = await call('captcha', 'GET', '/api/v1/captcha');
  if (!ok(challenge.status)) return 'failed';
  const altcha = challenge.json as Parameters<typeof solveChallenge>[0]['challenge'];
  const solution = await solveChallenge({ challenge: altcha, deriveKey, timeout: 10_000 });
  const captcha = Buffer.from(JSON.stringify({ challenge: { parameters: altcha.parameters, signature: altcha.signature }, solution })).toString('base64');
  const mobile = `0912${String(runId * 100_000 + n).padStart(7, '0')}`;
  const email = `failover-${runId}-${n}@example.org`;
  const details = await call('registration.details', 'POST', flow, {
    nationality: 'citizen', firstName: 'آزمون', lastName: 'خرابی', nationalId: id, birthDate: '2005-09-06',
    mobile, email, password: PASSWORD, repeat: PASSWORD, captcha,
  });
  if (!ok(details.status)) return note4xx(details, 'registration.details'), 'failed';
  const sms = await call('registration.send_sms', 'POST', flow, { action: 'send_sms' });
  if (!ok(sms.status)) return note4xx(sms, 'registration.send_sms'), 'failed';
  const mobileCode = await codeFor(`+98${mobile.slice(1)}`);
  const emailCode = await codeFor(email);
  if (!mobileCode || !emailCode) return 'failed';
  const verify = await call('registration.verify', 'POST', flow, { action: 'verify', mobileCode, emailCode });
  if (ok(verify.status) && verify.json?.state === 'done') {
    acknowledged.push(id);
    return 'done';
  }
  // No acknowledgement: the account may or may not exist; it is not counted either way.
  if (!ok(verify.status)) uncertain.push(id);
  note4xx(verify, 'registration.verify');
  return 'failed';
}

async function registrationWorker() {
  while (running) {
    const outcome = await register(nextRegistration++).catch((error: unknown) => { log(`registration threw: ${String(error)}`); return 'failed' as const; });
    if (outcome === 'failed') await sleep(200);
  }
}

async function signInWorker(index: number) {
  let i = index;
  while (running) {
    const identifier = SIGN_IN_ACCOUNTS[i++ % SIGN_IN_ACCOUNTS.length]!;
    const result = await call('sign_in', 'POST', '/api/v1/sessions', { identifier, password: DEMO_PASSWORD });
    if (result.status !== 201) {
      if (typeof result.status === 'number' && result.status < 500) {
        unexpected4xx++;
        sample4xx ??= result.json;
        fourxxByOperation[`sign_in ${result.status}`] = (fourxxByOperation[`sign_in ${result.status}`] ?? 0) + 1;
      }
      await sleep(200);
    }
  }
}

/** OpenID client credentials (the provider's adapter and client lookups on the database). */
async function tokenWorker() {
  const headers = { authorization: `Basic ${Buffer.from('demo-service:demo-service-secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' };
  while (running) {
    const result = await call('oidc_token', 'POST', '/oidc/token', 'grant_type=client_credentials', headers);
    if (result.status !== 200) {
      if (typeof result.status === 'number' && result.status < 500) {
        unexpected4xx++;
        sample4xx ??= result.json;
        fourxxByOperation[`oidc_token ${result.status}`] = (fourxxByOperation[`oidc_token ${result.status}`] ?? 0) + 1;
      }
      await sleep(200);
    }
  }
}

// --- figures -----------------------------------------------------------------------------------
function countBy(list: Answer[]) {
  const counts: Record<string, number> = {};
  for (const answer of list) counts[String(answer.status)] = (counts[String(answer.status)] ?? 0) + 1;
  return counts;
}

type Event = { kind: string; at: number; primaryBefore?: string; primaryAfter?: string | undefined; detail?: unknown };

function eventFigures(event: Event, until: number) {
  const window = answers.filter((a) => a.end >= event.at && a.end < until);
  const failures = window.filter((a) => !ok(a.status) && !(typeof a.status === 'number' && a.status < 500));
  const lastFailure = failures.at(-1);
  const firstFailure = failures[0];
  const back = lastFailure ? window.find((a) => ok(a.status) && a.start >= lastFailure.end) : window.find((a) => ok(a.status));
  return {
    kind: event.kind,
    atSecond: round(event.at),
    primaryBefore: event.primaryBefore,
    primaryAfter: event.primaryAfter,
    ...(event.detail !== undefined ? { detail: event.detail } : {}),
    answers: window.length,
    failedAnswers: countBy(failures),
    firstFailureAfterSeconds: firstFailure ? round(firstFailure.end - event.at) : null,
    lastFailureAfterSeconds: lastFailure ? round(lastFailure.end - event.at) : null,
    servedAgainAfterSeconds: back ? round(back.end - event.at) : null,
    failedByOperation: Object.fromEntries(Object.entries(Object.groupBy(failures, (a) => a.op)).map(([op, list]) => [op, list!.length])),
  };
}

/** Successful answers per second, for the report's timeline. */
function timeline(from: number, to: number) {
  const seconds = Math.ceil(to - from);
  const okPerSecond = new Array<number>(seconds).fill(0);
  const failedPerSecond = new Array<number>(seconds).fill(0);
  for (const answer of answers) {
    const slot = Math.floor(answer.end - from);
    if (slot < 0 || slot >= seconds) continue;
    if (ok(answer.status)) okPerSecond[slot]!++;
    else if (!(typeof answer.status === 'number' && answer.status < 500)) failedPerSecond[slot]!++;
  }
  return { fromSecond: round(from), okPerSecond, failedPerSecond };
}

async function accountsPresent(url: string, ids: string[]): Promise<Set<string>> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ national_id: string }>(
      'select p.national_id from people p join accounts a on a.person_id = p.id where p.national_id = any($1)', [ids]);
    return new Set(rows.map((row) => row.national_id));
  } finally {
    await client.end();
  }
}

async function seedRegistry(url: string) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const ids = Array.from({ length: REGISTRY_PEOPLE }, (_, i) => nationalId(i + 1));
    await client.query(`insert into people (national_id, first_name, last_name, birth_date)
      select id, 'آزمون', 'خرابی', '2005-09-06' from unnest($1::text[]) as id on conflict do nothing`, [ids]);
  } finally {
    await client.end();
  }
}

const nodeUrl = (cluster: Cluster, port: number) => {
  const url = new URL(cluster.env.KELID_HA_SUPERUSER_URL!);
  url.port = String(port);
  return url.toString();
};

// --- the run -----------------------------------------------------------------------------------
async function main() {
  if (process.getuid?.() !== 0) throw new Error('run as root: up.sh starts the cluster as the postgres user');
  const work = await mkdtemp(path.join(tmpdir(), 'kelid-failover-'));
  const load = { before: loadavg().map(round) };
  log('starting the cluster (deploy/patroni/up.sh)');
  const cluster = await up();
  const upSeconds = round(clock());
  log(`cluster up in ${upSeconds}s: ${cluster.dir}`);
  const secret = randomBytes(36).toString('base64');
  const kelidLog = path.join(work, 'kelid.log');
  const kelidOut = createWriteStream(kelidLog);
  const kelid: ChildProcess = spawn(process.execPath, [path.join(root, 'src/main.ts')], { cwd: work, env: kelidEnv(cluster, secret), stdio: ['ignore', 'pipe', 'pipe'] });
  kelid.stdout!.pipe(kelidOut);
  kelid.stderr!.pipe(kelidOut);
  let kelidExit: number | string | null = null;
  kelid.on('exit', (code, signal) => { kelidExit = code ?? signal; });
  const report: Record<string, unknown> = {};
  let pass = false;
  try {
    const ready = await until(120, async () => kelidExit === null && (await fetch(`${base}/readyz`).then((r) => r.status, () => 0)) === 200);
    if (!ready) throw new Error(`Kelid did not start: see ${kelidLog}`);
    const kelidReadySeconds = round(clock() - upSeconds);
    log(`Kelid ready (migrated and demo data loaded through PgBouncer) in ${kelidReadySeconds}s`);

    await seedRegistry(cluster.env.KELID_HA_SUPERUSER_URL!);
    const loadStart = clock();
    const workers = [
      ...Array.from({ length: REGISTRATION_WORKERS }, () => registrationWorker()),
      ...Array.from({ length: SIGN_IN_WORKERS }, (_, i) => signInWorker(i)),
      ...Array.from({ length: TOKEN_WORKERS }, () => tokenWorker()),
    ];
    const events: Event[] = [];
    await sleep(WARMUP_S * 1000);

    // 1. Graceful: Patroni stops the primary (fast shutdown) and promotes the synchronous standby.
    const before1 = (await primaryOf(cluster))!;
    const candidate1 = cluster.nodes.find((node) => node !== before1)!;
    const switchover: Event = { kind: 'switchover (patronictl switchover --force)', at: clock(), primaryBefore: before1.name };
    events.push(switchover);
    log(`switchover ${before1.name} → ${candidate1.name}`);
    await patronictl(cluster, 'switchover', '--leader', before1.name, '--candidate', candidate1.name, '--force');
    const healed1 = await until(90, () => healthy(cluster));
    switchover.primaryAfter = (await primaryOf(cluster))?.name;
    const healedAfter1 = round(clock() - switchover.at);
    log(`after the switchover: primary ${switchover.primaryAfter}, synchronous standby back: ${healed1} (${healedAfter1}s)`);
    await sleep(Math.max(0, switchover.at + AFTER_SWITCHOVER_S - clock()) * 1000);

    // 2. The primary's postmaster alone killed (SIGKILL): its Patroni, alive and holding the
    // leader key, sees PostgreSQL gone at its next loop and starts it again (crash recovery).
    const before2a = (await primaryOf(cluster))!;
    const crash: Event = { kind: 'kill -9 of the primary\'s postmaster only (Patroni alive)', at: clock(), primaryBefore: before2a.name };
    crash.detail = killPostmaster(cluster, before2a.name);
    events.push(crash);
    log(`killed ${before2a.name}'s postmaster (${JSON.stringify(crash.detail)})`);
    const healed2 = await until(90, () => healthy(cluster));
    crash.primaryAfter = (await primaryOf(cluster))?.name;
    log(`after the postmaster's death: primary ${crash.primaryAfter}, synchronous standby: ${healed2} (${round(clock() - crash.at)}s)`);
    await sleep(Math.max(0, crash.at + AFTER_SWITCHOVER_S - clock()) * 1000);

    // 3. Brutal: the primary's Patroni and postmaster die at once (SIGKILL). Its leader key
    // expires after Patroni's ttl (10 s), and the synchronous standby takes over.
    if (!await until(60, () => healthy(cluster))) throw new Error('the cluster did not heal before the last kill');
    const before2 = (await primaryOf(cluster))!;
    const kill: Event = { kind: 'kill -9 of the primary\'s Patroni and postmaster', at: clock(), primaryBefore: before2.name };
    kill.detail = killNode(cluster, before2.name);
    events.push(kill);
    log(`killed ${before2.name} (${JSON.stringify(kill.detail)})`);
    await until(60, async () => (await primaryOf(cluster)) !== undefined);
    kill.primaryAfter = (await primaryOf(cluster))?.name;
    log(`new primary ${kill.primaryAfter} after ${round(clock() - kill.at)}s`);
    await sleep(Math.max(0, kill.at + AFTER_KILL_S - clock()) * 1000);
    running = false;
    await Promise.all(workers);
    const loadEnd = clock();
    log(`load stopped after ${round(loadEnd - loadStart)}s; ${acknowledged.length} registrations acknowledged`);

    // Every acknowledged registration's account, on the new primary.
    const present = await accountsPresent(cluster.env.KELID_HA_SUPERUSER_URL!, acknowledged);
    const lost = acknowledged.filter((id) => !present.has(id));
    const uncertainPresent = (await accountsPresent(cluster.env.KELID_HA_SUPERUSER_URL!, uncertain)).size;

    // Kelid's LISTEN connection came back on the new primary: a rotated secret stops working at once.
    const tokenStatus = () => fetch(`${base}/oidc/token`, {
      method: 'POST', headers: { authorization: `Basic ${Buffer.from('demo-service:demo-service-secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials', signal: AbortSignal.timeout(5000),
    }).then((response) => response.status, () => 0);
    const listener: { oldSecretRefused: boolean; afterMs?: number } = { oldSecretRefused: false };
    if (kelidExit === null && await until(10, async () => await tokenStatus() === 200)) {
      await run(process.execPath, [path.join(root, 'src/cli.ts'), 'clients', 'rotate-secret', 'demo-service'], { cwd: work, env: kelidEnv(cluster, secret) });
      const rotatedAt = clock();
      listener.oldSecretRefused = await until(10, async () => await tokenStatus() === 401);
      listener.afterMs = Math.round((clock() - rotatedAt) * 1000);
    }

    // The killed node comes back as a replica (pg_rewind) and is synchronous again; every
    // acknowledged account is then on both nodes.
    log(`restarting ${before2.name}`);
    const rejoinStart = clock();
    restartNode(cluster, before2.name);
    const rejoined = await until(120, () => healthy(cluster));
    const rejoin: Record<string, unknown> = { node: before2.name, rejoinedAsSynchronousStandby: rejoined, seconds: round(clock() - rejoinStart) };
    if (rejoined) {
      await sleep(1000);
      const onEach: Record<string, number> = {};
      for (const node of cluster.nodes) onEach[node.name] = (await accountsPresent(nodeUrl(cluster, node.pgPort), acknowledged)).size;
      rejoin.acknowledgedAccountsOnEachNode = onEach;
    }

    const all = answers.filter((a) => a.start >= loadStart);
    const fiveHundreds = all.filter((a) => a.status === 500).length;
    const hung = all.filter((a) => a.status === 'timeout').length;
    const network = all.filter((a) => a.status === 'network').length;
    const without503RetryAfter = all.filter((a) => a.status === 503 && a.retryAfter === null).length;
    const logLines = readFileSync(kelidLog, 'utf8').split('\n');
    const eventFiguresList = events.map((event, i) => eventFigures(event, events[i + 1]?.at ?? loadEnd));
    Object.assign(report, {
      machine: { cores: availableParallelism(), loadAverage: { ...load, after: loadavg().map(round) } },
      setup: { clusterUpSeconds: upSeconds, kelidReadySeconds, switchoverHealedSeconds: healedAfter1 },
      load: {
        registrationWorkers: REGISTRATION_WORKERS, signInWorkers: SIGN_IN_WORKERS, tokenWorkers: TOKEN_WORKERS, clientTimeoutMs: CLIENT_TIMEOUT_MS,
        seconds: round(loadEnd - loadStart), answers: all.length, byStatus: countBy(all),
        signInsOk: all.filter((a) => a.op === 'sign_in' && a.status === 201).length,
        tokensOk: all.filter((a) => a.op === 'oidc_token' && a.status === 200).length,
        unexpected4xx, fourxxByOperation, ...(sample4xx !== undefined ? { sample4xx } : {}),
      },
      events: eventFiguresList,
      timeline: timeline(loadStart, loadEnd),
      registrations: { acknowledged: acknowledged.length, presentOnNewPrimary: present.size, lost: lost.length, lostIds: lost, unacknowledged: uncertain.length, unacknowledgedPresent: uncertainPresent },
      failures: { status500: fiveHundreds, hung, connectionRefusedOrReset: network, status503WithoutRetryAfter: without503RetryAfter },
      kelid: {
        stillRunning: kelidExit === null,
        errorLogLines: logLines.filter((line) => line.includes('"level":50')).length,
        errorLogMessages: [...new Set(logLines.filter((line) => line.includes('"level":50')).map((line) => {
          const entry = JSON.parse(line) as { msg?: string; err?: unknown };
          return `${entry.msg}: ${typeof entry.err === 'string' ? entry.err : (entry.err as { message?: string } | undefined)?.message}`;
        }))],
        databaseUnavailableWarnings: logLines.filter((line) => line.includes('database unavailable')).length,
      },
      listener,
      rejoin,
    });
    pass = acknowledged.length > 0 && lost.length === 0 && fiveHundreds === 0 && hung === 0 && network === 0 && without503RetryAfter === 0 && kelidExit === null
      && listener.oldSecretRefused && rejoined
      && eventFiguresList.every((e) => e.servedAgainAfterSeconds !== null && e.servedAgainAfterSeconds <= TARGET_RECOVERY_S);
  } finally {
    running = false;
    if (kelidExit === null) {
      kelid.kill('SIGTERM');
      await until(15, async () => kelidExit !== null);
    }
    if (keep) log(`kept: the cluster in ${cluster.dir} (stop it with deploy/patroni/down.sh ${cluster.dir}), Kelid's log in ${kelidLog}`);
    else {
      await run(path.join(root, 'deploy/patroni/down.sh'), [cluster.dir]).catch((error: unknown) => log(`down.sh: ${String(error)}`));
      log(`stopped; Kelid's log in ${kelidLog}`);
    }
  }
  report.pass = pass;
  console.log(JSON.stringify(report, null, 2));
  process.exitCode = pass ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
