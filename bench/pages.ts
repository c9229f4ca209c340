// What each page costs a student's browser (issue 14): bytes over the wire on a first visit
// (empty cache) and a repeat visit, the requests of each, and the time until the page is usable
// (load event and fonts) on an emulated slow 3G line (400 kbit/s each way, 400 ms round trip:
// test/helpers/page-load.ts SLOW_3G), in headless Chromium against a real `node src/main.ts`
// with the demo data on its embedded database. With BENCH_PAGES_REF=<a checkout of another
// commit, with node_modules>, the same pages of that checkout are measured in the same run,
// as the reference ("before").
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { catalogs } from '../src/i18n/catalogs.ts';
import { freePort } from '../test/helpers/app.ts';
import { launchBrowser } from '../test/helpers/browser.ts';
import { kelidTestEnv } from '../test/helpers/kelid-process.ts';
import { loadPage, overNetwork, SLOW_3G } from '../test/helpers/page-load.ts';

const PASSWORD = 'Kelid-Demo-1405';
const STUDENT = '0045678911';
const PRINCIPAL = '0012345679';
/** Runs of the slow-line load per page; the median is reported. */
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

type Who = 'nobody' | 'student' | 'principal';
const pages: { name: string; path: string; who: Who }[] = [
  { name: 'sign-in fa', path: '/sign-in?lang=fa', who: 'nobody' },
  { name: 'sign-in he', path: '/sign-in?lang=he', who: 'nobody' },
  { name: 'sign-in en', path: '/sign-in?lang=en', who: 'nobody' },
  // Arabic is new with issue 14: a checkout without it answers these in its default language (fa).
  { name: 'sign-in ar', path: '/sign-in?lang=ar', who: 'nobody' },
  { name: 'registration, first step (fa)', path: '/register?lang=fa', who: 'nobody' },
  { name: 'recovery, first step (fa)', path: '/recover?lang=fa', who: 'nobody' },
  { name: 'registration, first step (ar)', path: '/register?lang=ar', who: 'nobody' },
  { name: 'one-time-code sign-in (fa)', path: '/sign-in/code?lang=fa', who: 'nobody' },
  { name: 'guides index (fa)', path: '/guides?lang=fa', who: 'nobody' },
  { name: 'home, student (fa)', path: '/?lang=fa', who: 'student' },
  { name: 'role choice, principal (fa)', path: '/role?lang=fa', who: 'principal' },
  { name: '/admin/users, principal (fa)', path: '/admin/users?lang=fa', who: 'principal' },
];

type Row = { name: string; endsAt: string; firstBytes: number; firstRequests: number; repeatBytes: number; repeatRequests: number; usableMs: number };

/** Starts `node src/main.ts` in `dir` on a fresh embedded database with the demo data; resolves once /readyz answers. */
async function startServer(dir: string) {
  const port = await freePort();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'kelid-bench-pages-'));
  const child = spawn(process.execPath, ['src/main.ts'], {
    cwd: dir, stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...kelidTestEnv, KELID_DEMO: '1', KELID_DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn' },
  });
  let errors = '';
  child.stderr!.on('data', (chunk) => { errors += String(chunk); });
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) { child.kill('SIGTERM'); await new Promise((resolve) => child.once('exit', resolve)); }
    await rm(dataDir, { recursive: true, force: true });
  };
  for (let i = 0; i < 1200; i++) {
    if (child.exitCode !== null) throw new Error(`Kelid in ${dir} exited: ${errors}`);
    try { if ((await fetch(`${base}/readyz`)).ok) return { base, stop }; } catch { /* not yet */ }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`Kelid in ${dir} did not answer: ${errors}`);
}

/** Signs `nationalId` in through the page (someone with several roles then takes the principal's); returns the cookies. */
async function signIn(browser: Browser, base: string, nationalId: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/sign-in?lang=fa`);
  await page.fill('#identifier', nationalId);
  await page.fill('#password', PASSWORD);
  await page.locator('main form button[type="submit"]').first().click();
  await page.waitForLoadState('load');
  if (new URL(page.url()).pathname === '/role') {
    await page.getByRole('radio', { name: new RegExp(catalogs.fa['role.principal']) }).first().check();
    await page.locator('main form button[type="submit"]').first().click();
    await page.waitForLoadState('load');
  }
  const state = await context.storageState();
  await context.close();
  return state;
}

async function measure(browser: Browser, base: string): Promise<Row[]> {
  const states = { nobody: undefined, student: await signIn(browser, base, STUDENT), principal: await signIn(browser, base, PRINCIPAL) };
  const rows: Row[] = [];
  const context = (who: Who): Promise<BrowserContext> => browser.newContext(states[who] ? { storageState: states[who] } : {});
  for (const { name, path: where, who } of pages) {
    const visit = await context(who);
    const page = await visit.newPage();
    const first = await loadPage(page, `${base}${where}`);
    const endsAt = new URL(page.url()).pathname.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/, '<flow>');
    const repeat = await loadPage(page, `${base}${where}`);
    await visit.close();
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const slow = await context(who);
      times.push((await loadPage(await slow.newPage(), `${base}${where}`, SLOW_3G)).usableMs);
      await slow.close();
    }
    times.sort((a, b) => a - b);
    const again = overNetwork(repeat);
    rows.push({
      name, endsAt, firstBytes: first.bytes, firstRequests: overNetwork(first).length,
      repeatBytes: again.reduce((sum, request) => sum + request.bytes, 0), repeatRequests: again.length,
      usableMs: times[Math.floor(times.length / 2)]!,
    });
  }
  return rows;
}

async function measureCheckout(browser: Browser, dir: string): Promise<Row[]> {
  const server = await startServer(dir);
  try {
    return await measure(browser, server.base);
  } finally {
    await server.stop();
  }
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1);

export async function runPagesBenchmark(): Promise<void> {
  const browser = await launchBrowser();
  try {
    const rows = await measureCheckout(browser, process.cwd());
    const refDir = process.env.BENCH_PAGES_REF;
    const ref = refDir ? await measureCheckout(browser, refDir) : null;
    console.log(`Pages on ${os.cpus()[0]?.model ?? 'this machine'}, Chromium, slow 3G = ${SLOW_3G.downloadThroughput * 8 / 1000} kbit/s, ${SLOW_3G.latency} ms; usable = median of ${RUNS}${ref ? `; before = ${refDir}` : ''}`);
    console.log(`| page | ends at | first visit KB (requests) | repeat visit KB (requests) | usable on slow 3G, s |${ref ? ' before: first KB (requests) | before: repeat KB (requests) | before: usable, s |' : ''}`);
    console.log(`|---|---|---|---|---|${ref ? '---|---|---|' : ''}`);
    for (const [i, row] of rows.entries()) {
      const before = ref?.[i];
      console.log(`| ${row.name} | \`${row.endsAt}\` | ${kb(row.firstBytes)} (${row.firstRequests}) | ${kb(row.repeatBytes)} (${row.repeatRequests}) | ${(row.usableMs / 1000).toFixed(2)} |${before ? ` ${kb(before.firstBytes)} (${before.firstRequests}) | ${kb(before.repeatBytes)} (${before.repeatRequests}) | ${(before.usableMs / 1000).toFixed(2)} |` : ''}`);
    }
  } finally {
    await browser.close();
  }
}
