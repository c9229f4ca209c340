// Signing in for an app: the sign-in page names the app ("to continue to «X»"), and its links to
// recovery, registration and the code sign-in keep where the person was going, to the end: after
// a recovery the person signs in and is back at the app.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { toLatinDigits } from '../../src/domain/digits.ts';
import { newUserCode } from '../../src/identity/accounts.ts';
import { deriveKeys, hmacHex } from '../../src/secrets.ts';
import { easyCaptcha, solvedPayload } from '../captcha/solve.ts';
import { startListeningApp, type TestApp } from '../helpers/app.ts';
import { createTree, nationalIdFor } from '../helpers/fixtures.ts';
import { authorizationRequest, configFor, cookieBrowser, exchange, formAction, isCallback, registerClient, type TestClient } from '../helpers/oidc.ts';

const OLD = 'Old-Password-1404!';
const NEW = 'Tazeh-Ramz-1405#';
const MOBILE = '+989121112233';
const APP = 'فیش حقوقی';

describe('signing in for an app', () => {
  let t: TestApp & { baseUrl: string };
  let app: TestClient;
  let nationalId: string;

  before(async () => {
    t = await startListeningApp('pglite', { ...easyCaptcha, KELID_SMS: 'dev', KELID_EMAIL: 'dev' });
    t.clock.now = () => new Date();
    const tree = await createTree(t.handle.db);
    app = await registerClient(t, { clientId: 'payslips', name: APP, roles: ['teacher'] });
    nationalId = nationalIdFor(8100);
    const db = t.handle.db;
    const person = await db.insertInto('people').values({
      national_id: nationalId, first_name: 'نرگس', last_name: 'امینی', birth_date: '1985-03-01',
      birth_serial_hmac: hmacHex(deriveKeys(t.config.secret!).personalData, '123456'),
    }).returning('id').executeTakeFirstOrThrow();
    const account = await db.insertInto('accounts').values({ person_id: person.id, user_code: newUserCode(), status: 'active', mobile: MOBILE }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('credentials').values({ account_id: account.id, password_hash: await t.hasher.hash(OLD) }).execute();
    await db.insertInto('memberships').values({ account_id: account.id, organization_id: tree.schoolA, role: 'teacher', starts_on: '2020-09-01', ends_on: null }).execute();
  });
  after(() => t.close());

  const href = (body: string, pattern: RegExp) => {
    const match = [...body.matchAll(/<a[^>]*href="([^"]+)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&')).find((h) => pattern.test(h));
    assert.ok(match, `a link matching ${pattern}`);
    return match;
  };
  const newestCode = async () => {
    const rows = await sql<{ text: string }>`select text from outbox where recipient = ${MOBILE} and status <> 'withheld' order by seq desc limit 1`.execute(t.handle.db);
    return /\d{6}/.exec(toLatinDigits(rows.rows[0]!.text))![0];
  };

  test('the sign-in page names the app; forgot password, register and code keep return_to; recovered, the person signs in and is back at the app', async () => {
    const config = await configFor(t.baseUrl, app);
    const request = await authorizationRequest(config, { scope: 'openid profile' });
    const browser = cookieBrowser();
    const signIn = await browser.go(request.url.href);
    assert.match(signIn.url, /\/sign-in\?return_to=%2Finteraction%2F/);
    const returnTo = new URL(signIn.url).searchParams.get('return_to')!;
    const kept = `return_to=${encodeURIComponent(returnTo)}`;
    assert.ok(signIn.body.includes(`برای ادامه به «${APP}» وارد شوید.`), 'the app is named');
    assert.equal(href(signIn.body, /^\/recover/), `/recover?${kept}`);
    assert.equal(href(signIn.body, /^\/register/), `/register?${kept}`);
    assert.equal(href(signIn.body, /^\/sign-in\/code/), `/sign-in/code?${kept}`);

    // The code sign-in names the app too, and its own "forgot" link keeps the way back.
    const code = await browser.go(new URL(href(signIn.body, /^\/sign-in\/code/), signIn.url).href);
    assert.ok(code.body.includes(`برای ادامه به «${APP}» وارد شوید.`));
    assert.equal(href(code.body, /^\/recover/), `/recover?${kept}`);

    // Recovery, from the sign-in page's link to its end.
    const recover = await browser.go(new URL(href(signIn.body, /^\/recover/), signIn.url).href);
    assert.match(recover.url, /\/recover\/[0-9a-f-]{36}$/);
    assert.equal(href(recover.body, /^\/sign-in/), `/sign-in?${kept}`, 'back to sign-in, still for the app');
    const path = new URL(recover.url).pathname;
    const verify = await browser.submit(recover, path, { nationalId, serial: '123456', mobile: '09121112233', captcha: await solvedPayload(t.app) });
    assert.match(verify.body, /autocomplete="one-time-code"/, verify.body.slice(0, 400));
    const done = await browser.submit(verify, path, { action: 'verify', code: await newestCode(), password: NEW, repeat: NEW });
    assert.match(done.body, /رمز عبور شما با موفقیت تغییر یافت/);
    assert.ok(done.body.includes(`<a class="button" href="/sign-in?${kept.replace(/&/g, '&amp;')}">ادامه به «${APP}»</a>`), 'done: on to the app');

    const again = await browser.go(new URL(href(done.body, /^\/sign-in\?return_to/), done.url).href);
    assert.ok(again.body.includes(`برای ادامه به «${APP}» وارد شوید.`));
    const back = await browser.submit(again, formAction(again.body, /^\/sign-in/), { identifier: nationalId, password: NEW }, isCallback);
    assert.ok(isCallback(back.url), `back at the app: ${back.url}`);
    const claims = (await exchange(config, back, request)).claims()!;
    assert.ok(claims.sub);
  });

  test('the staff entry and back keep return_to: a teacher who takes the staff link signs in there and is back at the app', async () => {
    const config = await configFor(t.baseUrl, app);
    const request = await authorizationRequest(config, { scope: 'openid profile' });
    const browser = cookieBrowser();
    const signIn = await browser.go(request.url.href);
    const kept = `return_to=${encodeURIComponent(new URL(signIn.url).searchParams.get('return_to')!)}`;
    assert.equal(href(signIn.body, /^\/sign-in\/staff/), `/sign-in/staff?${kept}`);

    const staff = await browser.go(new URL(href(signIn.body, /^\/sign-in\/staff/), signIn.url).href);
    assert.ok(staff.body.includes(`برای ادامه به «${APP}» وارد شوید.`), 'the staff entry names the app');
    assert.equal(href(staff.body, /^\/sign-in\?/), `/sign-in?${kept}`, 'and its way back to the other entry keeps it');
    assert.equal(href(staff.body, /^\/sign-in\/code/), `/sign-in/code?${kept}&staff=1`);
    const back = await browser.submit(staff, formAction(staff.body, /^\/sign-in\/staff/), { identifier: nationalId, password: NEW }, isCallback);
    assert.ok(isCallback(back.url), `back at the app: ${back.url}`);
    assert.ok((await exchange(config, back, request)).claims()!.sub);

    // The browser's Back to the finished sign-in request: no fault to a person signed in, who is told so.
    const interaction = `${t.baseUrl}${new URL(signIn.url).searchParams.get('return_to')}`;
    const closed = await browser.go(interaction);
    assert.equal(closed.status, 410);
    assert.match(closed.body, /شما وارد «کلید» شده‌اید/);
    assert.match(closed.body, /class="alert info"/);
    const stranger = await cookieBrowser().go(interaction);
    assert.equal(stranger.status, 410);
    assert.match(stranger.body, /این درخواست ورود پیدا نشد یا منقضی شده است/, 'to anyone else: start again from the app');

    // An app that asked for a password: both entries keep asking for one.
    const passwordOnly = await cookieBrowser().go(`${t.baseUrl}/sign-in?${kept}&password=1`);
    assert.equal(href(passwordOnly.body, /^\/sign-in\/staff/), `/sign-in/staff?${kept}&password=1`);
    // A plain sign-in (no app) links the plain staff entry.
    assert.equal(href((await cookieBrowser().go(`${t.baseUrl}/sign-in`)).body, /^\/sign-in\/staff/), '/sign-in/staff');
  });

  test('registration keeps return_to to its end: its last step leads to the sign-in for the app', async () => {
    const config = await configFor(t.baseUrl, app);
    const request = await authorizationRequest(config, { scope: 'openid profile' });
    const browser = cookieBrowser();
    const signIn = await browser.go(request.url.href);
    const returnTo = new URL(signIn.url).searchParams.get('return_to')!;
    const register = await browser.go(new URL(href(signIn.body, /^\/register/), signIn.url).href);
    const id = /\/register\/([0-9a-f-]{36})$/.exec(register.url)?.[1];
    assert.ok(id, register.url);
    const row = await t.handle.db.selectFrom('flows').select(sql<string>`data->>'returnTo'`.as('returnTo')).where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.returnTo, returnTo, 'the flow keeps where the person was going');
    // Its last step (the account made: see the registration tests) offers the way on to the app.
    await t.handle.db.updateTable('flows').set({ state: 'done', data: sql`data || '{"username":"0076229645"}'::jsonb` }).where('id', '=', id).execute();
    const done = await browser.go(register.url);
    assert.ok(done.body.includes(`<a class="button" href="/sign-in?return_to=${encodeURIComponent(returnTo)}">ادامه به «${APP}»</a>`), done.body.slice(0, 2000));
  });

  test('an authorization request as return_to names its app; an unknown app or a plain page names none', async () => {
    const page = async (returnTo: string) => (await t.app.inject({ url: `/sign-in?return_to=${encodeURIComponent(returnTo)}`, headers: { 'accept-language': 'fa' } })).body;
    assert.ok((await page('/oidc/auth?client_id=payslips&response_type=code')).includes(`برای ادامه به «${APP}» وارد شوید.`));
    assert.ok((await page('/sign-in?lang=he')).length > 0);
    for (const other of ['/oidc/auth?client_id=nobody', '/interaction/not-a-real-one', '/account/sessions']) {
      assert.doesNotMatch(await page(other), /برای ادامه به/, other);
    }
    const hebrew = (await t.app.inject({ url: `/sign-in?lang=he&return_to=${encodeURIComponent('/oidc/auth?client_id=payslips')}` })).body;
    assert.ok(hebrew.includes(`יש להתחבר כדי להמשיך אל &quot;${APP}&quot;.`) || hebrew.includes(`יש להתחבר כדי להמשיך אל "${APP}".`), 'in Hebrew too');
  });
});
