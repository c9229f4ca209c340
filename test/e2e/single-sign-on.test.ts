// Single sign-on in Chromium (issue 10): a real Kelid with the demo data, and the three
// example apps (examples/) listening beside it, driven through their pages as the README's
// "Single sign-on demo" walks through them. Kelid on PostgreSQL: the demo's PGlite takes three
// times as long to load the demo data, and the provider on PGlite is tested in
// test/federation/oidc.test.ts. The apps' demo clients are registered again with this run's
// free ports (the demo's are localhost:4001–4003, which a developer's `npm run demo` may
// hold), with everything else as the demo has it.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { buildApp as examApp } from '../../examples/exam-registration/server.ts';
import { buildApp as parentsApp } from '../../examples/parents-portal/server.ts';
import { buildApp as payslipsApp } from '../../examples/payslips/server.ts';
import { readConfig, type ExampleConfig } from '../../examples/shared/config.ts';
import { localizeDigits } from '../../examples/shared/format.ts';
import { kelidClient, type Kelid, type SignedIn } from '../../examples/shared/oidc.ts';
import type { Role } from '../../src/db/schema.ts';
import { demoClients } from '../../src/demo/clients.ts';
import { demoKeys, loadDemoData } from '../../src/demo/demo-data.ts';
import { addClient, removeClient } from '../../src/federation/clients.ts';
import { clientSecretKey } from '../../src/federation/client-secrets.ts';
import { isoDateIn } from '../../src/identity/clock.ts';
import { deriveKeys } from '../../src/secrets.ts';
import { freePort, realTimeClock, startListeningApp, type TestApp } from '../helpers/app.ts';
import { launchBrowser } from '../helpers/browser.ts';

const PASSWORD = 'Kelid-Demo-1405';
const STUDENT = '0045678911';
const FATHER = '0056789122';
const TEACHER_AND_MOTHER = '0067891233';
const PRINCIPAL = '0012345679';

type AppName = 'exam-registration' | 'parents-portal' | 'payslips';
const builders = { 'exam-registration': examApp, 'parents-portal': parentsApp, payslips: payslipsApp } as const;
// The scopes each app asks for beyond `openid profile roles` (its server.ts).
const scopes: Record<AppName, string> = { 'exam-registration': 'national_id', 'parents-portal': 'children', payslips: 'national_id' };

type RunningApp = { url: string; signIns: SignedIn[]; close(): Promise<void> };

/** The app as `npm run demo` runs it, on a free port, with its sign-ins recorded at the OpenID seam. */
async function startApp(name: AppName, issuer: string): Promise<RunningApp> {
  const port = await freePort();
  const config: ExampleConfig = readConfig({ PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${port}`, KELID_ISSUER: issuer }, {
    clientId: name, clientSecret: `${name}-secret`, port,
  });
  const real = kelidClient({
    issuer: config.issuer, clientId: config.clientId, clientSecret: config.clientSecret, redirectUri: config.redirectUri,
    postLogoutRedirectUri: config.postLogoutRedirectUri, scope: `openid profile roles ${scopes[name]}`,
  });
  const signIns: SignedIn[] = [];
  const kelid: Kelid = { ...real, finishSignIn: async (url, pending) => { const done = await real.finishSignIn(url, pending); signIns.push(done); return done; } };
  const app = await builders[name](config, { kelid });
  await app.listen({ port, host: '127.0.0.1' });
  return { url: config.publicUrl, signIns, close: () => app.close() };
}

describe('single sign-on across the example apps, in Chromium', () => {
  let t: TestApp & { baseUrl: string };
  let browser: Browser;
  // Launched while Kelid starts; closed after, even when the start failed.
  let launching: Promise<Browser> | undefined;
  const apps = {} as Record<AppName, RunningApp>;

  before(async () => {
    // Kelid as `npm run demo` starts it: the demo data, the second factor optional for admins.
    // A clock on real time: oidc-provider reads Date.now itself, and Kelid's sign-in times must agree with it.
    const clock = realTimeClock();
    launching = launchBrowser();
    t = await startListeningApp('postgres', { KELID_ADMIN_MFA: 'optional' }, { clock });
    const keys = deriveKeys(t.config.secret!);
    await loadDemoData(t.handle, { profile: 'ir', password: PASSWORD, hasher: t.hasher, today: isoDateIn(clock.now(), 'Asia/Tehran'), ...demoKeys(keys) });
    const issuer = `${t.baseUrl}/oidc`;
    for (const name of Object.keys(builders) as AppName[]) apps[name] = await startApp(name, issuer);
    const change = { actorAccountId: null, actingMembershipId: null, ip: null };
    for (const client of demoClients('ir').filter((c) => c.clientId in builders)) {
      const url = apps[client.clientId as AppName].url;
      await removeClient(t.handle.db, client.clientId, change);
      const added = await addClient(t.handle.db, clientSecretKey(keys.federation), {
        ...client, redirectUris: [`${url}/callback`], postLogoutRedirectUris: [`${url}/`], backchannelLogoutUri: `${url}/backchannel-logout`,
      }, client.roles as Role[], change);
      assert.ok(added.ok, `client ${client.clientId} registered again`);
    }
    browser = await launching;
  });
  after(async () => {
    await (await launching?.catch(() => undefined))?.close();
    await Promise.all(Object.values(apps).map((app) => app.close()));
    await t?.close();
  });

  /** A browser of its own (cookies and all): another person at another computer. Persian, no JavaScript. */
  async function person(): Promise<{ page: Page; kelidPasswordForms: () => number }> {
    const context = await browser.newContext({ locale: 'fa-IR', javaScriptEnabled: false });
    // Kelid's web fonts are the slowest part of each page and none of what is tested here.
    await context.route(/\.woff2$/, (route) => route.abort());
    const page = await context.newPage();
    // Every time Kelid shows its sign-in form: "without typing a password" means none appeared.
    let forms = 0;
    page.on('response', (response) => {
      const url = new URL(response.url());
      if (url.origin === t.baseUrl && url.pathname === '/sign-in' && response.request().method() === 'GET' && response.status() === 200) forms += 1;
    });
    return { page, kelidPasswordForms: () => forms };
  }

  const text = async (page: Page, selector = 'main') => (await page.textContent(selector) ?? '').replace(/\s+/g, ' ');

  /** Clicks and waits until the browser rests on a page `where` accepts (redirect chains across the apps and Kelid). */
  async function clickTo(page: Page, selector: string, where: (url: URL) => boolean) {
    await Promise.all([page.waitForURL(where), page.click(selector)]);
    await page.waitForLoadState();
  }

  const at = (base: string, path = '/') => (url: URL) => url.href.startsWith(base) && url.pathname === path;

  /** Kelid's sign-in page: the demo account and its password, then on through Kelid and back to an app (or a Kelid page). */
  async function typePassword(page: Page, nationalId: string, where: (url: URL) => boolean) {
    assert.equal(new URL(page.url()).pathname, '/sign-in', `Kelid asks for the password (at ${page.url()})`);
    await page.fill('#identifier', nationalId);
    await page.fill('#password', PASSWORD);
    await clickTo(page, 'button.primary', where);
  }

  async function signOutOfApp(page: Page, app: RunningApp) {
    await clickTo(page, 'header form[action="/sign-out"] button', (url) => url.origin === t.baseUrl && url.pathname === '/oidc/session/end');
    assert.match(await text(page), /آیا می‌خواهید از «کلید» و همه سامانه‌هایی که با آن وارد شده‌اید خارج شوید؟/);
    await clickTo(page, 'button[value="yes"]', at(app.url));
  }

  // The portal's list: each child's name (its link names a place in the list, never a national ID).
  const childrenInPortal = async (page: Page) => page.locator('ul.list a bdi').allInnerTexts();

  async function childrenOf(nationalId: string): Promise<string[]> {
    const rows = await t.handle.db.selectFrom('guardianships as g').innerJoin('people as parent', 'parent.id', 'g.parent_person_id')
      .innerJoin('people as child', 'child.id', 'g.child_person_id').select(['child.first_name', 'child.last_name']).where('parent.national_id', '=', nationalId).execute();
    return rows.map((row) => `${row.first_name} ${row.last_name}`).sort();
  }

  test('a student signs in once at the exam app and registers for SAMPAD 7th (grade 6); the payslips app refuses the student', async () => {
    const { page, kelidPasswordForms } = await person();
    const exam = apps['exam-registration'];
    await page.goto(`${exam.url}/`);
    await clickTo(page, 'main a.button[href="/sign-in"]', (url) => url.origin === t.baseUrl && url.pathname === '/sign-in');
    assert.equal(await page.getAttribute('html', 'lang'), 'fa', 'Kelid speaks the language the app asked for (ui_locales)');
    await typePassword(page, STUDENT, at(exam.url));

    const home = await text(page);
    assert.match(home, /امیر نوری/);
    assert.match(home, /پایه\s*۶/);
    assert.match(home, /ثبت نام در آزمون سمپاد هفتم/);
    assert.doesNotMatch(home, /سمپاد دهم/);
    const userCode = exam.signIns.at(-1)!.person.user_code!;
    assert.equal(await page.textContent('bdi.code'), `${userCode.slice(0, 4)}-${userCode.slice(4)}`, 'the user code as Kelid issued it (in two groups of four): Latin, not Persian digits');
    await clickTo(page, 'form[action="/register"] button', at(exam.url));
    assert.match(await text(page), /ثبت نام شما انجام شد/);

    // The same browser at payslips: no password (Kelid's session), but no staff role either.
    const payslips = apps.payslips;
    await page.goto(`${payslips.url}/sign-in`);
    await page.waitForURL((url) => url.origin === t.baseUrl && url.pathname.startsWith('/interaction/'));
    assert.match(await text(page), /ورود به این سامانه ممکن نیست/);
    assert.match(await text(page), /سامانه «فیش حقوقی» برای نقش‌های شما نیست/);
    await clickTo(page, 'form[action$="/deny"] button', at(payslips.url, '/sign-in-problem'));
    assert.match(await text(page), /دسترسی به این سامانه ممکن نیست/);
    assert.match(await text(page), /این سامانه برای معلمان و کارکنان/);
    assert.equal(payslips.signIns.length, 0, 'payslips never got a code for the student');
    assert.equal(kelidPasswordForms(), 1, 'one password for both apps');
  });

  test('in another browser, the father opens the parents portal and sees exactly his children', async () => {
    const { page } = await person();
    const portal = apps['parents-portal'];
    await page.goto(`${portal.url}/sign-in`);
    await typePassword(page, FATHER, at(portal.url));
    assert.deepEqual((await childrenInPortal(page)).sort(), await childrenOf(FATHER));
    assert.deepEqual(await childrenInPortal(page), ['امیر نوری']);
    await clickTo(page, 'ul.list a', at(portal.url, '/children/1'));
    assert.match(await text(page), /پایه/);
    assert.match(await text(page), new RegExp(localizeDigits(STUDENT, 'fa')), 'the child\'s page shows the national ID, the address does not');
    for (const address of ['/children/2', `/children/${STUDENT}`]) {
      await page.goto(`${portal.url}${address}`);
      assert.match(await text(page), /این دانش آموز در فهرست فرزندان شما نیست/, `${address}: nobody else's child`);
    }
  });

  test('the teacher who is also a mother: payslips, then the parents portal without typing a password', async () => {
    const { page, kelidPasswordForms } = await person();
    const { payslips } = apps;
    const portal = apps['parents-portal'];
    await page.goto(`${payslips.url}/sign-in`);
    await typePassword(page, TEACHER_AND_MOTHER, at(payslips.url));
    assert.match(await text(page), /فاطمه کاظمی/);
    assert.match(await text(page), /سمت\s*معلم/);
    assert.equal(payslips.signIns.at(-1)!.person.acting_as?.role, 'teacher', 'acting as the teacher at payslips, with no question: her only role there');

    await page.goto(`${portal.url}/sign-in`);
    await page.waitForURL(at(portal.url));
    assert.equal(kelidPasswordForms(), 1, 'no password asked the second time');
    assert.equal(portal.signIns.at(-1)!.person.acting_as?.role, 'mother');
    assert.deepEqual((await childrenInPortal(page)).sort(), await childrenOf(TEACHER_AND_MOTHER));
    assert.equal((await childrenInPortal(page)).length, 1);
  });

  test('a principal with two roles picks one for payslips, and the claims say which (acting_as)', async () => {
    const { page } = await person();
    const { payslips } = apps;
    await page.goto(`${payslips.url}/sign-in`);
    await typePassword(page, PRINCIPAL, (url) => url.origin === t.baseUrl && url.pathname.startsWith('/interaction/'));
    assert.match(await text(page), /با کدام نقش وارد «فیش حقوقی» می‌شوید؟/, 'the app\'s role question, asked once, right after the password');
    assert.equal(await page.locator('input[name="membershipId"]').count(), 2);
    await page.locator('label.option', { hasText: 'مدیر' }).locator('input').check();
    await clickTo(page, 'button.primary', at(payslips.url));
    const claims = payslips.signIns.at(-1)!.person;
    assert.equal(claims.acting_as?.role, 'principal');
    assert.equal(claims.acting_as?.organization, 'دبستان پسرانه شهید بهشتی');
    assert.deepEqual(claims.roles.map((r) => r.role).sort(), ['principal', 'teacher'], 'roles lists both appointments; acting_as says which one is used');
    assert.match(await text(page), /سمت\s*مدیر/);
    assert.match(await text(page), /محل خدمت\s*دبستان پسرانه شهید بهشتی/);
  });

  test('each app\'s sign-out ends the Kelid session: the next app asks for the password again', async () => {
    // One browser, one person after another: each signs out of an app, and the next app's
    // sign-in shows Kelid's password form (typePassword checks it), so Kelid's session had ended.
    const { page } = await person();
    const chain: [AppName, string][] = [['exam-registration', STUDENT], ['parents-portal', FATHER], ['payslips', TEACHER_AND_MOTHER], ['parents-portal', TEACHER_AND_MOTHER]];
    for (const [i, [name, who]] of chain.entries()) {
      const app = apps[name];
      await page.goto(`${app.url}/sign-in`);
      await typePassword(page, who, at(app.url));
      if (i === chain.length - 1) break;
      await signOutOfApp(page, app);
      assert.match(await text(page), /ورود با حساب کلید/, `${name}: signed out of the app`);
    }
  });

  test('an app on another site posts its authorization request as a form (OIDC Core 3.1.2.1): the person signed in at Kelid goes straight through, Kelid\'s cookies staying SameSite=Lax', async () => {
    const { page, kelidPasswordForms } = await person();
    await page.goto(`${t.baseUrl}/sign-in`);
    await typePassword(page, FATHER, (url) => url.origin === t.baseUrl && url.pathname !== '/sign-in');
    const parents = apps['parents-portal'];
    const fields: Record<string, string> = {
      client_id: 'parents-portal', response_type: 'code', scope: 'openid profile roles children', redirect_uri: `${parents.url}/callback`, state: 'posted-state', nonce: 'posted-nonce',
    };
    // The app's page, on another site than Kelid's (localhost against 127.0.0.1): a plain form, no script.
    const site = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(`<form method="post" action="${t.baseUrl}/oidc/auth">${Object.entries(fields).map(([name, value]) => `<input type="hidden" name="${name}" value="${value}">`).join('')}<button>go</button></form>`);
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    try {
      const port = (site.address() as { port: number }).port;
      // The app's callback refuses a code it did not ask for (no sign-in of its own began): the address it was sent to is what is tested.
      const callbacks: string[] = [];
      page.on('request', (request) => { if (request.url().startsWith(`${parents.url}/callback`)) callbacks.push(request.url()); });
      await page.goto(`http://localhost:${port}/`);
      await clickTo(page, 'button', (url) => url.origin === parents.url);
      assert.equal(callbacks.length, 1, `straight back to the app: ${page.url()}`);
      const callback = new URL(callbacks[0]!);
      assert.ok(callback.searchParams.get('code'), `a code: ${callback.href}`);
      assert.equal(callback.searchParams.get('state'), 'posted-state');
      assert.equal(kelidPasswordForms(), 1, 'no second password');
    } finally {
      site.close();
    }
  });

  test('back-channel logout: Kelid\'s own sign-out tells the apps, and their sessions end', async () => {
    const { page } = await person();
    const { payslips } = apps;
    const portal = apps['parents-portal'];
    await page.goto(`${payslips.url}/sign-in`);
    await typePassword(page, TEACHER_AND_MOTHER, at(payslips.url));
    await page.goto(`${portal.url}/sign-in`);
    await page.waitForURL(at(portal.url));
    assert.ok(payslips.signIns.at(-1)!.sid && portal.signIns.at(-1)!.sid, 'each ID token carries Kelid\'s session id (sid)');

    // Kelid's home asks the teacher and mother which role she acts as there; its header signs out.
    await page.goto(`${t.baseUrl}/`);
    await clickTo(page, 'header form[action="/sign-out"] button', (url) => url.origin === t.baseUrl && url.pathname === '/sign-in');
    assert.match(await text(page), /از سامانه خارج شدید/);

    // No browser visit told the apps: Kelid did, server to server, before its answer.
    for (const app of [payslips, portal]) {
      await page.goto(`${app.url}/`);
      assert.equal(await page.locator('header form[action="/sign-out"]').count(), 0, `${app.url}: signed out`);
      assert.equal(await page.locator('main a.button[href="/sign-in"]').count(), 1);
    }
  });
});
