// The axe-core walk (issue 14 §3): every GET route of the server's own route table, so a new
// page cannot escape it, in every locale of the catalogs at 360 px and at 1280 px, checked by axe-core in a real Chromium under the page's real
// Content-Security-Policy. A route is visited by the first person (signed out, then the demo
// student, parent, teacher, principal, district, province and ministry administrators) who is
// shown it as a page; each person's home and console are visited by each. A route that answers
// something other than HTML is skipped by that answer, never by its path. Then the error pages
// and the flow steps reached by following a flow (the example apps: axe-examples.test.ts). Any
// serious or critical violation fails, naming the route, locale, width, rule and the nodes.
import assert from 'node:assert/strict';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { demoClients } from '../../src/demo/clients.ts';
import { locales } from '../../src/i18n/catalogs.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { checkAtWidths, failing, widths, type Finding } from '../helpers/axe.ts';
import { addressFor, patternOf, sortAnswer, type Pattern } from './route-examples.ts';
import { DEMO_PASSWORD, identities, makeExamples, startKelid, visitor, type Identity, type Kelid } from './walk-setup.ts';

type Visit = { who: Identity; url: string };
type Seen = Finding & { width: number; where: string; locale: string };

describe('axe-core on every page, in every locale, at 360 and 1280 px', () => {
  let t: Kelid;
  let browser: Browser;
  const people = new Map<string, { context: BrowserContext; page: Page }>();
  const seen: Seen[] = [];
  const started = Date.now();
  let patterns: Pattern[] = [];
  /** Each GET pattern checked as a page (by any test here), or skipped for what it answered. */
  const checked = new Set<Pattern>();
  const skipped = new Map<Pattern, string>();
  /** Patterns no one was shown in the route walk, with the answers: a later test must check them. */
  const unreached = new Map<Pattern, string>();
  /** Same-origin paths the checked pages link (assets, captcha images): examples for wildcard routes. */
  const linked = new Set<string>();

  before(async () => {
    const launching = launchBrowser();
    t = await startKelid();
    browser = await launching;
    for (const who of identities) people.set(who.name, await visitor(browser, t.baseUrl, who));
    patterns = [...new Set(t.app.routeTable.filter((r) => r.method === 'GET').map((r) => r.url))];
  });
  after(async () => {
    console.log(`axe walk: ${((Date.now() - started) / 1000).toFixed(1)} s in all`);
    await browser?.close();
    await t?.close();
  });

  /** Visits `url` as `who` in every locale and checks it at both widths; notes every finding. */
  async function check(who: Identity, url: string, where = url, open?: (page: Page) => Promise<void>) {
    const { context, page } = people.get(who.name)!;
    // Every locale at both widths: the page is resized and checked again, not loaded twice.
    for (const locale of locales) {
      await context.addCookies([{ name: 'kelid_lang', value: locale, url: t.baseUrl }]);
      if (open) await open(page);
      else await page.goto(`${t.baseUrl}${url}`);
      assert.equal(await page.getAttribute('html', 'lang'), locale, `${where} as ${who.name} is in ${locale}`);
      for (const finding of await checkAtWidths(page, widths)) seen.push({ ...finding, where: `${where} (${who.name})`, locale });
    }
    const here = new URL(page.url());
    const pattern = here.origin === t.baseUrl ? patternOf(here.pathname, patterns) : undefined;
    if (pattern !== undefined) checked.add(pattern);
    const links = await page.evaluate(() => [...document.querySelectorAll('[href], [src]')].map((e) => (e as HTMLAnchorElement).href || (e as HTMLImageElement).src));
    for (const link of links) if (link.startsWith(`${t.baseUrl}/`)) linked.add(new URL(link).pathname);
  }

  /** Fails on every serious or critical finding noted since `from`; logs the milder ones. */
  function verdict(c: TestContext, from: number) {
    const mine = seen.slice(from);
    const line = (f: Seen) => `${f.where} ${f.locale} ${f.width}px: ${f.rule} (${f.impact}) at ${f.targets.join(', ')}`;
    for (const f of mine.filter((f) => !failing.has(f.impact))) c.diagnostic(`milder: ${line(f)}`);
    const bad = mine.filter((f) => failing.has(f.impact)).map(line);
    assert.deepEqual(bad, [], `serious or critical axe-core violations:\n${bad.join('\n')}`);
  }

  test('every HTML page of the route table', async (c) => {
    const from = seen.length;
    const examples = await makeExamples(t);
    // Patterns without parameters first: their redirects (`/register` → `/register/<id>`) give the flows' first steps.
    const ordered = [...patterns.filter((p) => !/[:*]/.test(p)), ...patterns.filter((p) => /[:*]/.test(p))];
    const visits = new Map<Pattern, Visit>();
    for (const pattern of ordered) {
      const { url, madeUp } = addressFor(pattern, examples);
      const answers: string[] = [];
      for (const who of identities) {
        const answer = await people.get(who.name)!.context.request.get(`${t.baseUrl}${url}`, { maxRedirects: 0, failOnStatusCode: false });
        const verdict = sortAnswer(answer.status(), answer.headers()['content-type'] ?? '', answer.headers()['location']);
        if (verdict.kind === 'page') {
          visits.set(pattern, { who, url });
          // The addresses a page links (its assets, its captcha image) are examples for the patterns with parameters.
          for (const [, path = ''] of (await answer.text()).matchAll(/(?:href|src)="(\/[^"?#]*)/g)) {
            const into = patternOf(path, patterns);
            if (into !== undefined && /[:*]/.test(into) && !examples.has(into)) examples.set(into, path);
          }
          await answer.dispose();
          break;
        }
        await answer.dispose();
        if (verdict.kind === 'not html') { answers.push(`${verdict.contentType}`); break; }
        if (verdict.kind === 'redirect') {
          const target = new URL(verdict.location, t.baseUrl);
          const into = target.origin === t.baseUrl ? patternOf(target.pathname, patterns) : undefined;
          if (into !== undefined && /[:*]/.test(into) && !examples.has(into)) examples.set(into, `${target.pathname}${target.search}`);
          answers.push(`${verdict.location}`);
        } else answers.push(String(verdict.status));
      }
      if (visits.has(pattern)) continue;
      // Skipped for what it answers: something other than HTML, or a redirect elsewhere than the sign-in page.
      const refusal = (a: string) => /^\d+$/.test(a) || a.startsWith('/sign-in?');
      if (answers.length < identities.length || !answers.every(refusal)) skipped.set(pattern, answers.at(-1)!);
      else unreached.set(pattern, `${madeUp ? 'no real id in the walk (add one to makeExamples): ' : ''}${answers.join(', ')}`);
    }

    // Each person's own home and console too: what they see there is theirs.
    const extra: Visit[] = [];
    for (const who of identities.slice(1)) {
      for (const url of ['/', '/admin/users']) {
        const visit = [...visits.values()].find((v) => v.url === url);
        if (visit === undefined || visit.who === who) continue;
        const answer = await people.get(who.name)!.context.request.get(`${t.baseUrl}${url}`, { maxRedirects: 0, failOnStatusCode: false });
        if (sortAnswer(answer.status(), answer.headers()['content-type'] ?? '', undefined).kind === 'page') extra.push({ who, url });
        await answer.dispose();
      }
    }
    const all = [...visits.values(), ...extra];
    c.diagnostic(`${visits.size} routes as pages, ${extra.length} more visits of homes and consoles, ${all.length * locales.length} page loads, ${all.length * locales.length * widths.length} axe runs`);
    const walkStart = Date.now();
    for (const visit of all) await check(visit.who, visit.url);
    c.diagnostic(`walked in ${((Date.now() - walkStart) / 1000).toFixed(1)} s`);
    verdict(c, from);
  });

  test('the error pages: not found, refused, an unknown flow, a form without its CSRF token, the busy page', async (c) => {
    const from = seen.length;
    const [signedOut, student] = [identities[0]!, identities[1]!];
    await check(signedOut, '/no-such-page', 'a page not found (404)');
    await check(student, '/admin/users', 'the console refused to a student (403)');
    await check(signedOut, '/register/00000000-0000-4000-8000-000000000000', 'an unknown or expired flow');
    await check(signedOut, '/sign-in', 'a form sent without its CSRF token', async (page) => {
      await page.goto(`${t.baseUrl}/sign-in`);
      await page.evaluate(() => document.querySelector('input[name="_csrf"]')?.remove());
      await page.fill('#identifier', '0045678911');
      await page.fill('#password', 'not-the-password');
      const [answer] = await Promise.all([page.waitForNavigation(), page.click('button.primary')]);
      assert.equal(answer?.status(), 403, 'refused for its missing token');
    });
    await check(signedOut, '/sign-in', 'the busy page (503: the password-hash queue is full)', async (page) => {
      await page.goto(`${t.baseUrl}/sign-in`);
      // Every place in the queue held, as sign-ins in flight hold theirs (PasswordHasher.reserve).
      const held = [];
      while (!t.hasher.load().full) held.push(t.hasher.reserve());
      try {
        await page.fill('#identifier', '0045678911');
        await page.fill('#password', 'not-the-password');
        const [answer] = await Promise.all([page.waitForNavigation(), page.click('button.primary')]);
        assert.equal(answer?.status(), 503, 'refused at once while the queue is full');
      } finally {
        for (const place of held) place.release();
      }
    });
    verdict(c, from);
  });

  test('steps reached by following a flow: registration details (with the captcha, and with errors), the code steps of sign-in by code and of recovery, an app\'s refusal and role choice', async (c) => {
    const from = seen.length;
    const [signedOut, student, principal] = [identities[0]!, identities[1]!, identities[4]!];
    const { page } = people.get(signedOut.name)!;
    await page.goto(`${t.baseUrl}/register`);
    await page.check('input[name="accept"]');
    await Promise.all([page.waitForNavigation(), page.click('button.primary')]);
    assert.ok(await page.locator('#nationalId').count() === 1, `the details step (at ${page.url()})`);
    const details = new URL(page.url()).pathname;
    await check(signedOut, details, 'registration: the details step');
    // Sent empty: the error summary at the top and each field's error.
    await check(signedOut, details, 'registration: the details step with errors', async (p) => {
      await p.goto(`${t.baseUrl}${details}`);
      const [answer] = await Promise.all([p.waitForNavigation(), p.click('button.primary')]);
      assert.equal(answer?.status(), 422, 'refused, with the errors');
    });
    // Sign-in by a code: the principal's national ID, then the step that asks for the code sent.
    await page.goto(`${t.baseUrl}/sign-in/code`);
    await page.fill('#identifier', '0012345679');
    await Promise.all([page.waitForNavigation(), page.click('button.primary')]);
    assert.ok(await page.locator('#code').count() === 1, `the code step (at ${page.url()})`);
    await check(signedOut, new URL(page.url()).pathname, 'sign-in by code: the code step');
    // Recovery by SMS: the demo principal's national ID, serial and mobile (the widget solves the captcha), then the code step.
    await page.goto(`${t.baseUrl}/recover`);
    if (await page.locator('#nationalId').count() === 0) await Promise.all([page.waitForNavigation(), page.click('button.primary')]);
    await page.fill('#nationalId', '0012345679');
    await page.fill('#serial', '123456');
    await page.fill('#mobile', '09121234567');
    await page.waitForSelector('altcha-widget input[type="checkbox"]');
    await page.click('button.primary');
    await page.waitForSelector('#code', { timeout: 30_000 });
    await check(signedOut, new URL(page.url()).pathname, 'recovery: the code step');
    // An app asks Kelid to sign someone in: a student at payslips is refused, a principal who also teaches chooses a role.
    const payslips = demoClients('ir').find((client) => client.clientId === 'payslips')!;
    const authorize = `/oidc/auth?${new URLSearchParams({
      client_id: payslips.clientId, redirect_uri: payslips.redirectUris[0]!, response_type: 'code', scope: 'openid profile roles',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256', state: 'axe-walk', nonce: 'axe-walk',
    })}`;
    for (const [who, what] of [[student, 'refused by an app'], [principal, 'a role for an app']] as const) {
      // Signed in on the way, in a browser of its own: the app's request takes them through Kelid's sign-in.
      const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
      const theirs = await context.newPage();
      await theirs.goto(`${t.baseUrl}${authorize}`);
      await theirs.fill('#identifier', who.nationalId!);
      await theirs.fill('#password', DEMO_PASSWORD);
      await Promise.all([theirs.waitForURL((url) => url.pathname.startsWith('/interaction/')), theirs.click('button.primary')]);
      const asked = { name: `${who.name}, asked by an app` };
      people.set(asked.name, { context, page: theirs });
      await check(asked, new URL(theirs.url()).pathname, `the OpenID sign-in: ${what}`);
    }
    verdict(c, from);
  });

  test('every GET route was checked as a page or skipped for what it answers', async () => {
    // A wildcard route no page linked in the walk is probed with an address a checked page links.
    for (const [pattern] of unreached) {
      if (checked.has(pattern)) continue;
      const path = [...linked].find((p) => patternOf(p, patterns) === pattern);
      if (path === undefined) continue;
      const answer = await people.get(identities[0]!.name)!.context.request.get(`${t.baseUrl}${path}`, { maxRedirects: 0, failOnStatusCode: false });
      const verdict = sortAnswer(answer.status(), answer.headers()['content-type'] ?? '', answer.headers()['location']);
      if (verdict.kind === 'not html') skipped.set(pattern, verdict.contentType);
    }
    const missed = [...unreached].filter(([pattern]) => !checked.has(pattern) && !skipped.has(pattern)).map(([pattern, answers]) => `${pattern} (${answers})`);
    assert.deepEqual(missed, [], 'routes no one was shown as a page and that answered no other content');
    assert.ok(checked.size > 40, `${checked.size} routes checked as pages`);
  });
});
