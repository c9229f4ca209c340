/**
 * `npm run demo`: Kelid and the three example apps on one machine, for trying single sign-on.
 *
 *   1. Kelid as `npm start` runs it (package.json's start command, its Node flags included), a child
 *      process with this environment, on port 3000 and the embedded database (./data, or
 *      KELID_DATA_DIR; PostgreSQL with DATABASE_URL); an empty database gets the demo data,
 *      the example apps' OpenID clients included;
 *   2. the apps in this process on 4001–4003 (examples/start.ts's), signing in at Kelid;
 *   3. once Kelid's /readyz answers: where to go and which demo accounts to try;
 *   4. Ctrl-C or SIGTERM: the apps close, Kelid gets one SIGTERM and closes its database.
 *
 * A port already in use (Kelid's, by an `npm start` left running; an app's) stops the demo at
 * once with a sentence that says so.
 *
 * Kelid runs in its own process group, so a terminal's Ctrl-C reaches it once, from here, and
 * never a second time in the middle of closing the database. If Kelid stops, the demo stops.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { fixedPeople, type FixedRole } from '../src/demo/fixed-people.ts';
import { examRegistration } from './exam-registration/server.ts';
import { parentsPortal } from './parents-portal/server.ts';
import { payslipsApp } from './payslips/server.ts';
import { ConfigError } from './shared/config.ts';
import { startApps, type RunningApps } from './shared/run.ts';

const KELID_PORT = 3000;
const READY_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 15_000;

const root = fileURLToPath(new URL('..', import.meta.url));
const env = process.env;
const profile = env['KELID_PROFILE'] === 'il' ? 'il' : 'ir';
const kelidUrl = (env['KELID_PUBLIC_URL'] || `http://localhost:${KELID_PORT}`).replace(/\/+$/, '');
const password = env['KELID_DEMO_PASSWORD'] || 'Kelid-Demo-1405';

// The accounts the README walks through, in the order it does.
const walkthrough: { key: FixedRole; what: string }[] = [
  { key: 'studentA', what: 'student in grade 6 at school A: exam registration (SAMPAD 7th); refused by payslips' },
  { key: 'fatherA', what: 'his father: the parents portal shows his child' },
  { key: 'teacherA', what: 'teacher at school A and mother of a pupil there: payslips, then the parents portal with no password' },
  { key: 'principalA', what: 'principal of school A who also teaches at school B: payslips asks which role' },
];

// `npm start`'s very command (its Node flags included), read from package.json rather than copied here.
const [, ...startArgs] = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }).scripts.start.replace(/^exec\s+/, '').split(/\s+/);

// A Kelid already serving on the port (an `npm start` left running) would answer the demo's
// readiness check while the demo's own failed to start on the same database.
// Also on ::1: `localhost` is ::1 first to Node, so a server there would answer the readiness check.
if (await portInUse(KELID_PORT, env['HOST']?.trim() || '0.0.0.0') || await portInUse(KELID_PORT, '::1')) {
  console.error(`Port ${KELID_PORT} is already in use (an \`npm start\` or another \`npm run demo\` still running?). Stop it first: the demo starts Kelid itself.`);
  process.exit(1);
}

const kelid = spawn(process.execPath, startArgs, {
  cwd: root,
  // Kelid's own settings pass through; the port is the one the apps' clients are registered
  // with. Request logs would drown the guide: warnings only, unless LOG_LEVEL says otherwise.
  env: { ...env, PORT: String(KELID_PORT), LOG_LEVEL: env['LOG_LEVEL'] || 'warn' },
  stdio: 'inherit',
  detached: true,
});
const kelidExit = new Promise<number>((resolve) => kelid.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
// Whatever ends this process (a crash included), Kelid does not outlive it.
process.once('exit', () => { if (kelid.exitCode === null) kelid.kill('SIGTERM'); });

let apps: RunningApps | null = null;
let stopping = false;

async function stop(code: number, why: string): Promise<never> {
  if (!stopping) {
    stopping = true;
    console.log(`\n${why}`);
    await apps?.close();
    if (kelid.exitCode === null && kelid.signalCode === null) {
      kelid.kill('SIGTERM');
      const timer = setTimeout(() => kelid.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await kelidExit;
      clearTimeout(timer);
    }
  }
  process.exit(code);
}

// Every signal is handled, not only the first: a terminal's Ctrl-C reaches npm and this process
// at once, and npm passes it on a second time. Left to Node's default, that second one ended
// this process in the middle of stopping, before Kelid (in a group of its own) was told.
// SIGHUP: the terminal was closed.
const onSignal = () => { if (!stopping) void stop(0, 'Stopping the apps and Kelid…'); };
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
void kelidExit.then((code) => { if (!stopping) void stop(code === 0 ? 1 : code, `Kelid stopped (exit code ${code}); stopping the apps.`); });

console.log(`Starting Kelid on ${kelidUrl} (a first start creates the database and loads the demo data: up to a minute)…`);
try {
  const shared = { KELID_ISSUER: `${kelidUrl}/oidc`, KELID_PROFILE: env['KELID_PROFILE'], HOST: env['HOST'] };
  apps = await startApps([examRegistration, parentsPortal, payslipsApp].map((app) => ({ app, env: shared })));
} catch (error) {
  await stop(1, error instanceof ConfigError ? `Configuration: ${error.message}` : `The example apps could not start: ${error instanceof Error ? error.message : error}`);
}

await waitForKelid();
const missing = await missingClients(apps?.apps.map(({ config }) => config) ?? []);
if (missing.length > 0) {
  console.warn(`\n!! Kelid does not know the client(s) ${missing.join(', ')}: its database was filled before the demo had OpenID clients.
!! Start with an empty one (move ./data away, or set KELID_DATA_DIR to a new folder).`);
}
if (!stopping) printGuide();

/** Whether something listens on `port` at `host` already: this process cannot listen there. */
async function portInUse(port: number, host: string): Promise<boolean> {
  const probe = createServer();
  return new Promise((resolve) => {
    // Any other refusal (no IPv6 here: EADDRNOTAVAIL) is no server there.
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EADDRINUSE'));
    probe.listen({ port, host }, () => probe.close(() => resolve(false)));
  });
}

async function waitForKelid(): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (stopping) return;
    try {
      if ((await fetch(`${kelidUrl}/readyz`, { signal: AbortSignal.timeout(2000) })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await stop(1, `Kelid did not answer ${kelidUrl}/readyz within ${READY_TIMEOUT_MS / 1000} s.`);
}

/** The apps' clients Kelid refuses: an authorization request for an unknown client is a 400 (no redirect). */
async function missingClients(configs: readonly { clientId: string; redirectUri: string }[]): Promise<string[]> {
  const missing: string[] = [];
  for (const { clientId, redirectUri } of configs) {
    const url = new URL(`${kelidUrl}/oidc/auth`);
    url.search = new URLSearchParams({ client_id: clientId, redirect_uri: redirectUri, response_type: 'code', scope: 'openid' }).toString();
    const answer = await fetch(url, { redirect: 'manual' }).catch(() => null);
    if (answer?.status === 400) missing.push(clientId);
  }
  return missing;
}

function printGuide(): void {
  const people = fixedPeople(profile).accounts;
  const accounts = walkthrough.flatMap(({ key, what }) => {
    const person = people.find((p) => p.key === key);
    return person ? [`  ${person.nationalId.padEnd(12)}${what}`] : [];
  });
  const url = (name: string) => apps?.apps.find((app) => app.name === name)?.config.publicUrl ?? '';
  console.log(`
Single sign-on demo: open one of these and sign in with a demo account.

  Kelid (home page and its services menu)  ${kelidUrl}
  Exam registration                        ${url('exam-registration')}
  Parents portal                           ${url('parents-portal')}
  Payslips                                 ${url('payslips')}

Demo accounts, password ${password} (demo only):
${accounts.join('\n')}

Each app's sign-out signs out of Kelid too; Kelid's own sign-out signs the apps out
(back-channel logout). Codes sent by SMS or email appear at ${kelidUrl}/dev/outbox.
README.md, "Single sign-on demo", walks through it. Ctrl-C stops everything.
`);
}
