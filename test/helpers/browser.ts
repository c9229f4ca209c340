// Headless Chromium for tests, driven by playwright-core.
//
// Which binary:
//   1. KELID_TEST_CHROMIUM (explicit path), if set: Debian's /usr/bin/chromium, say;
//   2. otherwise Chromium's headless shell shipped (brotli-compressed) in the @sparticuz/chromium
//      dev dependency, unpacked once into a cache folder under os.tmpdir() (see
//      ensureSparticuzChromium): the same version on every machine, from the npm registry.
//
// The headless shell is Chromium's own build for automation (Blink, V8 and the network stack
// of the full browser, without its windows): the accessibility walk took 154 s with it against
// 196 s with Debian's full Chromium 156 in its new headless mode, one after the other here
// (docs/decisions.md, "Tests and CI"). It needs libnss3 from the machine (.ci/run installs it).
//
// Every launch gets a fresh temporary profile: playwright's launch() creates a
// new `playwright_chromiumdev_profile-*` folder under os.tmpdir() for
// --user-data-dir and deletes it when the browser is closed (playwright
// refuses --user-data-dir in `args` for launch()).

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, LaunchOptions } from 'playwright-core';

const execFileAsync = promisify(execFile);

/**
 * The features playwright-core 1.65 disables itself (its chromiumSwitches.ts). Chromium keeps
 * the last `--disable-features` it is given, whole, so ours must repeat these.
 */
const PLAYWRIGHT_DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync', 'DestroyProfileOnBrowserClose', 'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable', 'LensOverlay', 'MediaRouter', 'PaintHolding',
  'ThirdPartyStoragePartitioning', 'AvoidCorsURLLoaderRestartOnRedirect', 'TcpPortRandomizationWin',
  'OptimizationHints', 'NetworkTimeServiceQuerying', 'AimEnabled', 'PreconnectToSearch',
  'msForceBrowserSignIn', 'msEdgeUpdateLaunchServicesPreferredVersion',
];
const PLAYWRIGHT_FEATURES_FROM = '1.65.';

/**
 * Chromium's new headless mode (Debian's 156) loads the address bar's WebUI popups for every
 * window, so for every browser context: about 1.7 s of a renderer's CPU each here, in a test
 * that never shows an address bar. Puppeteer turns them off by default too (its PR 15278).
 */
const OMNIBOX_POPUPS = ['WebUIOmniboxPopup', 'WebUIOmniboxFullPopup', 'WebUIOmniboxAimPopup'];

/** Flags used with every binary. */
const COMMON_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
  `--disable-features=${[...PLAYWRIGHT_DISABLED_FEATURES, ...OMNIBOX_POPUPS].join(',')}`,
];

/** Refuses to launch with a playwright-core whose own list of disabled features was not checked against ours. */
function checkPlaywrightFeatures(): void {
  const { version } = createRequire(import.meta.url)('playwright-core/package.json') as { version: string };
  if (!version.startsWith(PLAYWRIGHT_FEATURES_FROM)) {
    throw new Error(`test/helpers/browser.ts repeats playwright-core ${PLAYWRIGHT_FEATURES_FROM}x's disabled features, and ${version} is installed: copy its list (chromiumSwitches.ts disabledFeatures) into PLAYWRIGHT_DISABLED_FEATURES`);
  }
}

/**
 * `@sparticuz/chromium`'s `chromium.args` are tuned for AWS Lambda. On a plain
 * Linux machine some of them are harmful and are dropped:
 * - `--single-process` (+ `--in-process-gpu`): the browser dies as soon as a
 *   second BrowserContext is opened;
 * - `--disable-web-security`, `--allow-running-insecure-content`, the
 *   site-isolation switches and `--disable-features=...site-per-process` /
 *   `--enable-features=SharedArrayBuffer`: they change web security behaviour
 *   (same-origin policy, mixed content), which would make CSP / CORS / cookie
 *   tests meaningless.
 */
function isDroppedSparticuzArg(arg: string): boolean {
  return (
    arg === '--single-process' ||
    arg === '--in-process-gpu' ||
    arg === '--disable-web-security' ||
    arg === '--allow-running-insecure-content' ||
    arg === '--disable-site-isolation-trials' ||
    arg.startsWith('--disable-features=') ||
    arg.startsWith('--enable-features=')
  );
}

export type BrowserBinary = {
  kind: 'env' | 'sparticuz';
  executablePath: string;
  args: string[];
  env?: Record<string, string>;
};

async function sparticuzVersion(): Promise<string> {
  const entry = fileURLToPath(import.meta.resolve('@sparticuz/chromium'));
  // .../node_modules/@sparticuz/chromium/build/index.js -> package.json
  const pkg = JSON.parse(await readFile(join(dirname(entry), '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

function sparticuzCacheDir(version: string): string {
  return join(tmpdir(), `kelid-sparticuz-chromium-${version}`);
}

/**
 * Unpacks @sparticuz/chromium (chromium binary, swiftshader, fonts) into
 * `<os.tmpdir()>/kelid-sparticuz-chromium-<version>/` and returns that folder.
 *
 * The package itself always unpacks into os.tmpdir() and treats "file exists"
 * as "done", so two test processes unpacking at once (or a run killed halfway)
 * would leave a truncated binary behind. Instead a child process unpacks it
 * with TMPDIR pointing at a fresh staging folder, which is then renamed into
 * place atomically. test/global-setup.ts calls this once before any test file
 * starts, so test processes normally only find the finished folder.
 */
export async function ensureSparticuzChromium(): Promise<string> {
  const version = await sparticuzVersion();
  const finalDir = sparticuzCacheDir(version);
  if (existsSync(join(finalDir, 'chromium'))) return finalDir;

  const staging = await mkdtemp(`${finalDir}.partial-`);
  try {
    const entry = import.meta.resolve('@sparticuz/chromium');
    const script = `const { default: c } = await import(${JSON.stringify(entry)}); process.stdout.write(await c.executablePath());`;
    const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '--eval', script], {
      env: { ...process.env, TMPDIR: staging },
      encoding: 'utf8',
    });
    if (stdout !== join(staging, 'chromium')) {
      throw new Error(`@sparticuz/chromium unpacked to an unexpected place: ${stdout}`);
    }
    try {
      await rename(staging, finalDir);
    } catch (error) {
      // Someone else finished first: theirs is complete, use it.
      if (!existsSync(join(finalDir, 'chromium'))) throw error;
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return finalDir;
}

/**
 * A fontconfig file for the unpacked package in `dir`: the machine's own configuration and
 * fonts where it has them, and the package's fonts (`dir/fonts/fonts`) in any case, with its
 * cache in `dir`. Written once (the same text every time); answers its path.
 */
async function fontsConfig(dir: string): Promise<string> {
  const file = join(dir, 'kelid-fonts.conf');
  const text = `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>${join(dir, 'fonts', 'fonts')}</dir>
  <cachedir>${join(dir, 'fonts-cache')}</cachedir>
</fontconfig>
`;
  if (!existsSync(file) || (await readFile(file, 'utf8')) !== text) await writeFile(file, text);
  return file;
}

/** True when tests will use the @sparticuz/chromium binary. */
export function usesSparticuzChromium(): boolean {
  return !process.env['KELID_TEST_CHROMIUM'];
}

/** Decides which Chromium binary tests use (see the top of this file). */
export async function resolveBrowserBinary(): Promise<BrowserBinary> {
  const fromEnv = process.env['KELID_TEST_CHROMIUM'];
  if (fromEnv) return { kind: 'env', executablePath: fromEnv, args: [...COMMON_ARGS] };

  const dir = await ensureSparticuzChromium();
  const { default: chromium } = await import('@sparticuz/chromium');
  // Without WebGL the package does not ask for swiftshader flags; we pass
  // --disable-gpu anyway.
  chromium.setGraphicsMode = false;
  const sparticuzArgs = chromium.args.filter((arg) => !isDroppedSparticuzArg(arg));
  return {
    kind: 'sparticuz',
    executablePath: join(dir, 'chromium'),
    args: [...COMMON_ARGS, ...sparticuzArgs],
    // The package ships its own fonts (unpacked next to the binary), but its fonts.conf looks
    // for them in /tmp/fonts, where the package unpacks them on AWS Lambda: with it and no
    // /tmp/fonts, fontconfig finds no font at all and Chromium aborts at the first character it
    // must find another font for (SkFontMgr_FontConfigInterface: "Not implemented"). Ours
    // (fontsConfig) reads the machine's own fonts and, besides them, the package's.
    env: { FONTCONFIG_FILE: await fontsConfig(dir) },
  };
}

/**
 * Launches a fresh headless Chromium with a new temporary profile.
 * Close it with `await browser.close()` (this also deletes the profile).
 */
export async function launchBrowser(): Promise<Browser> {
  checkPlaywrightFeatures();
  const binary = await resolveBrowserBinary();
  const options: LaunchOptions = {
    executablePath: binary.executablePath,
    headless: true,
    args: binary.args,
    timeout: 60_000,
  };
  if (binary.env) {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) {
      if (value !== undefined) env[key] = value;
    }
    options.env = { ...env, ...binary.env };
  }
  const { chromium: playwright } = await import('playwright-core');
  return playwright.launch(options);
}
