// One's sessions and activity on a 360 × 640 phone, in Chromium, in Persian and Hebrew: nothing
// wider than the screen (no sideways scrolling), each session's end button inside the screen,
// the whole address readable, and devices in words rather than User-Agent strings.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createAgent, csrfTokenOf } from '../helpers/agent.ts';
import { serve, startTestApp, type TestApp } from '../helpers/app.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { createAccount, createTree, nationalIdFor } from '../helpers/fixtures.ts';

const PASSWORD = 'Golnar-Baran-1405!';
const ANDROID = 'Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36';
const WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0';
const IPV6 = '2001:db8:85a3:1234:5678:8a2e:370:7334';

describe('account pages on a 360 px phone', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const cookies: { name: string; value: string }[] = [];

  before(async () => {
    t = await startTestApp('pglite');
    const tree = await createTree(t.handle.db);
    const nationalId = nationalIdFor(7);
    await createAccount(t.handle.db, t.hasher, { nationalId, password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'teacher' }] });
    // Three sessions: this phone, a laptop from a long IPv6 address, and a script.
    for (const [userAgent, ip] of [[WINDOWS, IPV6], ['okhttp/4.12.0', '10.9.0.3'], [ANDROID, '10.9.0.7']] as const) {
      const agent = createAgent(t.app, { ip });
      const page = await agent.get('/sign-in', { 'user-agent': userAgent });
      const signedIn = await agent.post('/sign-in', { _csrf: csrfTokenOf(page.body), identifier: nationalId, password: PASSWORD }, { 'user-agent': userAgent });
      assert.equal(signedIn.statusCode, 303, signedIn.body.slice(0, 300));
      if (userAgent === ANDROID) cookies.push(...[...agent.cookies].map(([name, value]) => ({ name, value })));
    }
    base = await serve(t.app);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  async function phonePage(url: string): Promise<{ page: Page; close: () => Promise<void> }> {
    const context = await browser.newContext({ viewport: { width: 360, height: 640 }, userAgent: ANDROID });
    await context.addCookies(cookies.map((c) => ({ ...c, url: base })));
    const page = await context.newPage();
    const response = await page.goto(`${base}${url}`);
    assert.equal(response?.status(), 200, url);
    return { page, close: () => context.close() };
  }

  const overflow = (page: Page) => page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));

  for (const [locale, end, device] of [['fa', 'پایان این نشست', 'Firefox روی Windows'], ['he', 'סיום החיבור', 'Firefox ב-Windows']] as const) {
    test(`${locale}: the sessions fit the screen, every end button is in view without scrolling sideways, the address whole`, async () => {
      const { page, close } = await phonePage(`/account/sessions?lang=${locale}`);
      try {
        const { scroll, inner } = await overflow(page);
        assert.ok(scroll <= inner, `no horizontal overflow: ${scroll} > ${inner}`);
        const buttons = page.locator('form[action$="/end"] button');
        assert.equal(await buttons.count(), 3);
        for (let i = 0; i < 3; i++) {
          const box = await buttons.nth(i).boundingBox();
          assert.ok(box && box.x >= 0 && box.x + box.width <= inner, `end button ${i} inside the viewport: ${JSON.stringify(box)}`);
          assert.ok((await buttons.nth(i).textContent())?.includes(end));
        }
        const address = page.locator('dd.address', { hasText: '2001:db8' });
        const box = await address.boundingBox();
        assert.ok(box && box.x >= 0 && box.x + box.width <= inner, `the IPv6 address inside the viewport: ${JSON.stringify(box)}`);
        assert.equal(await address.evaluate((el) => el.scrollWidth <= el.clientWidth), true, 'the address is not clipped');
        assert.ok(await page.getByText(device).isVisible());
      } finally {
        await close();
      }
    });

    test(`${locale}: the activity names devices in words and fits the screen`, async () => {
      const { page, close } = await phonePage(`/account/activity?lang=${locale}`);
      try {
        const body = await page.content();
        assert.ok(!body.includes('Mozilla/5.0') && !body.includes('okhttp/4.12.0'), 'no raw User-Agent strings');
        assert.ok(body.includes(device) && body.includes('okhttp'), 'the device as the sessions page names it');
        const { scroll, inner } = await overflow(page);
        assert.ok(scroll <= inner, `no horizontal overflow: ${scroll} > ${inner}`);
        // Nothing cut inside a scroll box either: every address and device lies whole inside the screen.
        const cells = page.locator('li.event dd');
        assert.equal(await cells.count(), 6);
        for (let i = 0; i < 6; i++) {
          const box = await cells.nth(i).boundingBox();
          assert.ok(box && box.x >= 0 && box.x + box.width <= inner, `${await cells.nth(i).textContent()} inside the viewport: ${JSON.stringify(box)}`);
          assert.equal(await cells.nth(i).evaluate((el) => el.scrollWidth <= el.clientWidth), true);
        }
      } finally {
        await close();
      }
    });
  }
});
