// The axe-core walk of the three example apps (examples/), each a ministry service signing
// people in through Kelid: signed out, then signed in through Kelid as the person the app
// serves, every page the app links from its home (crawled, not listed), the "cannot sign in"
// page an app shows when Kelid refuses, and Kelid's own sign-out question. Each page in each of
// the apps' locales at 360 px and at 1280 px (resized, not loaded twice); a serious or
// critical violation fails, naming the app, page, locale, width, rule and nodes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { buildApp as examApp } from '../../examples/exam-registration/server.ts';
import { buildApp as parentsApp } from '../../examples/parents-portal/server.ts';
import { buildApp as payslipsApp } from '../../examples/payslips/server.ts';
import { readConfig } from '../../examples/shared/config.ts';
import { locales as appLocales } from '../../examples/shared/locale.ts';
import type { Role } from '../../src/db/schema.ts';
import { demoClients } from '../../src/demo/clients.ts';
import { addClient, removeClient } from '../../src/federation/clients.ts';
import { clientSecretKey } from '../../src/federation/client-secrets.ts';
import { locales } from '../../src/i18n/catalogs.ts';
import { deriveKeys } from '../../src/secrets.ts';
import { freePort } from '../helpers/app.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { checkAtWidths, failing, widths, type Finding } from '../helpers/axe.ts';
import { DEMO_PASSWORD, startKelid, type Kelid } from './walk-setup.ts';

type AppName = 'exam-registration' | 'parents-portal' | 'payslips';
const builders = { 'exam-registration': examApp, 'parents-portal': parentsApp, payslips: payslipsApp } as const;
const scopes: Record<AppName, string> = { 'exam-registration': 'national_id', 'parents-portal': 'children', payslips: 'national_id' };
/** Who each app serves, from the demo data (README "Single sign-on demo"). */
const served: Record<AppName, string> = { 'exam-registration': '0045678911', 'parents-portal': '0056789122', payslips: '0067891233' };

describe('axe-core on the example apps and Kelid\'s pages between them', () => {
  let t: Kelid;
  let browser: Browser;
  const apps = {} as Record<AppName, { url: string; close(): Promise<void> }>;
  const bad: string[] = [];
  const milder: string[] = [];

  before(async () => {
    const launching = launchBrowser();
    t = await startKelid();
    const keys = deriveKeys(t.config.secret!);
    // Each app on a free port, its demo client registered again with that port (as test/e2e/single-sign-on.test.ts does).
    for (const name of Object.keys(builders) as AppName[]) {
      const port = await freePort();
      const config = readConfig({ PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${port}`, KELID_ISSUER: `${t.baseUrl}/oidc` }, {
        clientId: name, clientSecret: `${name}-secret`, port,
      });
      const app = await builders[name](config);
      await app.listen({ port, host: '127.0.0.1' });
      apps[name] = { url: config.publicUrl, close: () => app.close() };
      const client = demoClients('ir').find((c) => c.clientId === name)!;
      const change = { actorAccountId: null, actingMembershipId: null, ip: null };
      await removeClient(t.handle.db, name, change);
      const added = await addClient(t.handle.db, clientSecretKey(keys.federation), {
        ...client, redirectUris: [`${config.publicUrl}/callback`], postLogoutRedirectUris: [`${config.publicUrl}/`], backchannelLogoutUri: `${config.publicUrl}/backchannel-logout`,
      }, client.roles as Role[], change);
      assert.ok(added.ok, `client ${name} registered again (${scopes[name]})`);
    }
    browser = await launching;
  });
  after(async () => {
    await browser?.close();
    await Promise.all(Object.values(apps).map((app) => app.close()));
    await t?.close();
  });

  /** Checks what `open(locale)` shows in each locale; notes every finding (serious or critical ones fail the test). */
  async function check(page: Page, where: string, inLocales: readonly string[], open: (locale: string) => Promise<void>) {
    for (const locale of inLocales) {
      await open(locale);
      assert.equal(await page.getAttribute('html', 'lang'), locale, `${where} in ${locale}`);
      const found: (Finding & { width: number })[] = await checkAtWidths(page, widths);
      for (const f of found) (failing.has(f.impact) ? bad : milder).push(`${where} ${locale} ${f.width}px: ${f.rule} (${f.impact}) at ${f.targets.join(', ')}`);
    }
  }

  const inApp = (page: Page, url: string) => async (locale: string) => { await page.goto(`${url}${url.includes('?') ? '&' : '?'}lang=${locale}`); };

  /** Kelid's sign-in page, reached from the app: the person's national ID and password, then back to the app. */
  async function signInThroughKelid(page: Page, app: string, nationalId: string) {
    await page.goto(`${app}/sign-in`);
    await page.fill('#identifier', nationalId);
    await page.fill('#password', DEMO_PASSWORD);
    await Promise.all([page.waitForURL((url) => url.href.startsWith(app)), page.click('button.primary')]);
  }

  test('each app signed out, signed in through Kelid (every page it links), its refusal, and Kelid\'s sign-out question', async () => {
    const started = Date.now();
    for (const name of Object.keys(builders) as AppName[]) {
      const app = apps[name].url;
      const page = await (await browser.newContext({ viewport: { width: widths[0], height: 800 } })).newPage();
      await check(page, `${name} signed out`, appLocales, inApp(page, `${app}/`));
      await signInThroughKelid(page, app, served[name]);
      // Every page the signed-in home links on the app's own origin (its sign-in and sign-out aside), one level deep.
      await page.goto(`${app}/`);
      const links = await page.locator('main a[href^="/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
      const pages = ['/', ...new Set(links.filter((href) => !/^\/sign-(in|out)/.test(href)))];
      for (const path of pages) await check(page, `${name} ${path}`, appLocales, inApp(page, `${app}${path}`));
      assert.ok(pages.length > 1 || name === 'exam-registration', `${name} links pages from its home: ${pages.join(', ')}`);

      // Kelid asks whether to sign out of it and every app.
      await page.goto(`${app}/`);
      await Promise.all([page.waitForURL((url) => url.pathname === '/oidc/session/end'), page.click('header form[action="/sign-out"] button')]);
      const question = page.url();
      await check(page, `${name} → Kelid's sign-out question`, locales, async (locale) => {
        await page.context().addCookies([{ name: 'kelid_lang', value: locale, url: t.baseUrl }]);
        await page.goto(question);
      });
      await page.context().close();
    }

    // The payslips app is not for a student: Kelid refuses, and the app says so.
    const page = await (await browser.newContext({ viewport: { width: widths[0], height: 800 } })).newPage();
    const payslips = apps.payslips.url;
    await page.goto(`${payslips}/sign-in`);
    await page.fill('#identifier', served['exam-registration']);
    await page.fill('#password', DEMO_PASSWORD);
    await Promise.all([page.waitForURL((url) => url.pathname.startsWith('/interaction/')), page.click('button.primary')]);
    await Promise.all([page.waitForURL((url) => url.href.startsWith(`${payslips}/sign-in-problem`)), page.click('form[action$="/deny"] button')]);
    await check(page, 'payslips: cannot sign in', appLocales, inApp(page, page.url()));
    console.log(`axe walk of the example apps: ${((Date.now() - started) / 1000).toFixed(1)} s; milder findings: ${milder.length === 0 ? 'none' : milder.join('; ')}`);
    assert.deepEqual(bad, [], `serious or critical axe-core violations:\n${bad.join('\n')}`);
  });
});
