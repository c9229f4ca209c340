// Passkeys as the administrators' second factor (B3), in Chromium with a virtual WebAuthn
// authenticator (DevTools protocol): a principal adds a passkey instead of an app code, and a
// later session opens the console with it. WebAuthn needs a domain, so the app answers on
// localhost with KELID_PUBLIC_URL set to it.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { createAccount, createTree, nationalIdFor } from '../helpers/fixtures.ts';

const PASSWORD = 'Modir-Madreseh-1404!';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('passkeys in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  before(async () => {
    const port = await freePort();
    base = `http://localhost:${port}`;
    t = await startTestApp('pglite', { KELID_ADMIN_MFA: 'required', KELID_PUBLIC_URL: base });
    const tree = await createTree(t.handle.db);
    await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(1), password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'principal' }] });
    await t.app.listen({ port, host: '127.0.0.1' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  async function withAuthenticator(context: BrowserContext) {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
    return page;
  }

  test('add a passkey, then open the console with it in a new session', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await withAuthenticator(context);
    const signIn = async () => {
      await page.goto(`${base}/sign-in`);
      await page.fill('#identifier', nationalIdFor(1));
      await page.fill('#password', PASSWORD);
      await page.click('button.primary');
      await page.waitForURL(`${base}/`);
    };
    await signIn();
    await page.goto(`${base}/admin/users`);
    await page.waitForURL(/\/account\/mfa/);
    await page.click('button[data-passkey="register"]');
    await page.waitForURL(/\/admin\/users$/);
    assert.match(await page.textContent('h1') ?? '', /مدیریت کاربران/);

    // Sign out, sign in again: the console asks again, and the passkey answers.
    await page.click('form[action="/sign-out"] button');
    await signIn();
    await page.goto(`${base}/admin/users`);
    await page.waitForURL(/\/mfa\?/);
    await page.click('button[data-passkey="authenticate"]');
    await page.waitForURL(/\/admin\/users$/);
    const events = await t.handle.db.selectFrom('audit_events').select(['type', 'data']).where('type', 'in', ['mfa.enrolled', 'mfa.verified']).execute();
    assert.deepEqual(events.map((e) => `${e.type}:${(e.data as { kind: string }).kind}`).sort(), ['mfa.enrolled:passkey', 'mfa.verified:passkey']);
    await context.close();
  });
});
