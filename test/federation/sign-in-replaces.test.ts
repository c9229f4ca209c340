// A new sign-in in a browser that still has a provider session (found by the second security
// review): the provider's session follows the new sign-in at once (federation/logout.ts
// followSignIn). Another person's ends with its apps told (a stolen session, a shared
// computer, a first person idled out of Kelid); the same person's goes on as the new sign-in,
// so ending that sign-in from elsewhere still reaches its apps. Before, the replaced sign-in's
// apps were never told, and the next person met upstream's English page, blank under the CSP.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import * as jose from 'jose';
import * as oidc from 'openid-client';
import { startListeningApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor } from '../helpers/fixtures.ts';
import { authorizationRequest, authorize, configFor, cookieBrowser, exchange, formAction, isCallback, registerClient, type TestClient } from '../helpers/oidc.ts';

const PASSWORD = 'Sahar-Mehr-1404!';

describe('a new sign-in in a browser with a provider session', () => {
  let t: TestApp & { baseUrl: string };
  let logoutServer: Server;
  const logoutTokens: { client: string; token: string }[] = [];
  let app: TestClient;
  const victim = { identifier: nationalIdFor(7101), password: PASSWORD };
  const victim2 = { identifier: nationalIdFor(7103), password: PASSWORD };
  const victim3 = { identifier: nationalIdFor(7104), password: PASSWORD };
  const victim4 = { identifier: nationalIdFor(7105), password: PASSWORD };
  const thiefOwn = { identifier: nationalIdFor(7102), password: PASSWORD };
  const temporary = { identifier: nationalIdFor(7106), password: PASSWORD };
  const firstAtDesk = { identifier: nationalIdFor(7107), password: PASSWORD };
  const hinted = { identifier: nationalIdFor(7108), password: PASSWORD };
  const other = { identifier: nationalIdFor(7109), password: PASSWORD };
  const twoRoles = { identifier: nationalIdFor(7110), password: PASSWORD };
  let thirdParty: TestClient;
  const ids = new Map<string, string>();

  before(async () => {
    logoutServer = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => { body += chunk; });
      request.on('end', () => { logoutTokens.push({ client: request.url ?? '', token: new URLSearchParams(body).get('logout_token') ?? '' }); response.writeHead(200).end(); });
    });
    await new Promise<void>((resolve) => logoutServer.listen(0, '127.0.0.1', resolve));
    const address = logoutServer.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    t = await startListeningApp('pglite');
    t.clock.now = () => new Date();
    const tree = await createTree(t.handle.db);
    for (const who of [victim, victim2, victim3, victim4, thiefOwn, temporary, firstAtDesk, hinted, other]) {
      const { accountId } = await createAccount(t.handle.db, t.hasher, { nationalId: who.identifier, password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'teacher', startsOn: '2020-09-01', endsOn: null }] });
      ids.set(who.identifier, accountId);
    }
    await createAccount(t.handle.db, t.hasher, { nationalId: twoRoles.identifier, password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'teacher', startsOn: '2020-09-01', endsOn: null }, { organizationId: tree.schoolB, role: 'teacher', startsOn: '2020-09-01', endsOn: null }] });
    app = await registerClient(t, { clientId: 'staff-app', roles: ['teacher'], backchannelLogoutUri: `http://127.0.0.1:${port}/staff-app` });
    thirdParty = await registerClient(t, { clientId: 'third-app', firstParty: false, roles: [], scopes: ['openid', 'profile'] });
  });
  after(async () => { await t.close(); logoutServer.close(); });

  const toldAbout = async (sub: string) => {
    const jwks = jose.createRemoteJWKSet(new URL(`${t.baseUrl}/oidc/jwks`));
    return (await Promise.all(logoutTokens.map(async (l) => (await jose.jwtVerify(l.token, jwks, { issuer: `${t.baseUrl}/oidc` })).payload))).filter((p) => p.sub === sub);
  };

  const signInApp = async (browser: ReturnType<typeof cookieBrowser>, who: { identifier: string; password: string }) => {
    const config = await configFor(t.baseUrl, app);
    const request = await authorizationRequest(config, { scope: 'openid profile roles' });
    return { config, tokens: await exchange(config, await authorize(browser, request, who), request) };
  };

  const ownerEndsOthers = async (who: { identifier: string; password: string }) => {
    const owner = cookieBrowser();
    const signIn = await owner.go(`${t.baseUrl}/sign-in`);
    await owner.submit(signIn, formAction(signIn.body, /^\/sign-in/), who);
    const list = await owner.go(`${t.baseUrl}/account/sessions`);
    const ended = await owner.submit(list, '/account/sessions/end-others', {});
    return new URL(ended.url).searchParams.get('others');
  };

  test('a stolen session cookie, then the thief signs in to their own account in that browser: the victim\'s session vanishes unnoted, its app sessions live on', async () => {
    const thief = cookieBrowser();
    const { config, tokens } = await signInApp(thief, victim); // stands for a stolen kelid_session cookie
    const sub = tokens.claims()!.sub;
    // The thief signs in as themself in the same browser (again=1 shows the form while signed in).
    const form = await thief.go(`${t.baseUrl}/sign-in?again=1`);
    await thief.submit(form, formAction(form.body, /^\/sign-in/), thiefOwn);
    // The owner ends every other session (and the list shows nothing to end: it is gone).
    // The victim's apps in that browser were told at once, and the stolen grant went with them.
    assert.deepEqual((await toldAbout(sub)).map((p) => p.sid), [tokens.claims()!.sid]);
    assert.equal((await oidc.tokenIntrospection(config, tokens.access_token)).active, false, 'the stolen grant is gone');
    assert.equal(await ownerEndsOthers(victim), '0', 'nothing left for the owner to end');
  });

  test('the same account signing in again at /sign-in (no app visited): the provider session keeps the old loginTs, the owner\'s end-others tells no app', async () => {
    const thief = cookieBrowser();
    const { config, tokens } = await signInApp(thief, victim2);
    const sub = tokens.claims()!.sub;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const form = await thief.go(`${t.baseUrl}/sign-in?again=1`);
    await thief.submit(form, formAction(form.body, /^\/sign-in/), victim2);
    assert.equal((await toldAbout(sub)).length, 0, 'the same person signing in again signs out of nothing');
    assert.equal(await ownerEndsOthers(victim2), '1');
    for (let waited = 0; waited < 10_000 && (await toldAbout(sub)).length === 0; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual((await toldAbout(sub)).map((p) => p.sid), [tokens.claims()!.sid], 'ending the new sign-in reaches the apps of the old one in that browser');
    assert.equal((await oidc.tokenIntrospection(config, tokens.access_token)).active, false, 'and its grant');
  });

  const nextPersonOpensApp = async (browser: ReturnType<typeof cookieBrowser>, firstSub: string) => {
    assert.equal((await toldAbout(firstSub)).length, 1, 'the first person\'s app is told when the next one signs in');
    const config = await configFor(t.baseUrl, app);
    const request = await authorizationRequest(config, { scope: 'openid profile roles' });
    const tokens = await exchange(config, await authorize(browser, request), request);
    assert.notEqual(tokens.claims()!.sub, firstSub, 'the app hears of the person signed in now, straight through');
    assert.ok(browser.cookie('kelid_session'), 'who is still signed in to Kelid');
  };

  test('another person signs in to the same browser at /sign-in, then opens the app: the first person\'s apps are told, the second goes straight through', async () => {
    const browser = cookieBrowser();
    const first = (await signInApp(browser, victim4)).tokens.claims()!.sub;
    const form = await browser.go(`${t.baseUrl}/sign-in?again=1`);
    await browser.submit(form, formAction(form.body, /^\/sign-in/), thiefOwn);
    await nextPersonOpensApp(browser, first);
  });

  test('a shared computer: one person\'s Kelid session idles out, the next person signs in and opens the same app straight through', async () => {
    const browser = cookieBrowser();
    const first = (await signInApp(browser, victim3)).tokens.claims()!.sub;
    const real = t.clock.now;
    t.clock.now = () => new Date(Date.now() + 31 * 60_000); // Kelid's idle timeout (30 min) passes; the provider's session (12 h) does not
    try {
      const form = await browser.go(`${t.baseUrl}/sign-in`);
      assert.equal(form.status, 200, 'the first person is signed out of Kelid');
      await browser.submit(form, formAction(form.body, /^\/sign-in/), thiefOwn);
      await nextPersonOpensApp(browser, first);
    } finally {
      t.clock.now = real;
    }
  });

  test('a shared computer: the first person idles out, the next opens the app first and signs in on the way: the app gets the second person, not a closed request', async () => {
    const browser = cookieBrowser();
    const first = (await signInApp(browser, firstAtDesk)).tokens.claims()!.sub;
    const real = t.clock.now;
    t.clock.now = () => new Date(Date.now() + 31 * 60_000);
    try {
      // The app's request starts while the provider still holds the first person's session.
      const config = await configFor(t.baseUrl, app);
      const request = await authorizationRequest(config, { scope: 'openid profile roles' });
      const page = await authorize(browser, request, thiefOwn);
      const tokens = await exchange(config, page, request);
      assert.equal(tokens.claims()!.sub, ids.get(thiefOwn.identifier), 'the app hears of the second person');
      assert.equal((await toldAbout(first)).length, 1, 'and the first person\'s app is told');
    } finally {
      t.clock.now = real;
    }
  });

  test('a password to change first (a temporary one) is changed before any app is reached, though the browser\'s provider session is signed in', async () => {
    const browser = cookieBrowser();
    await signInApp(browser, temporary);
    await t.handle.db.updateTable('credentials').set({ must_change: true }).where('account_id', '=', ids.get(temporary.identifier)!).execute();
    const config = await configFor(t.baseUrl, app);
    const request = await authorizationRequest(config, { scope: 'openid profile roles' });
    const page = await authorize(browser, request);
    assert.ok(!isCallback(page.url), 'no code before the change');
    assert.match(new URL(page.url).pathname, /^\/password$/);
  });

  test('id_token_hint naming another person than the one signed in: that person signs in and the app gets them; the same one again gets login_required', async () => {
    // The app knows the hinted person from an earlier sign-in (their ID token), in another browser.
    const hint = (await signInApp(cookieBrowser(), hinted)).tokens.id_token!;
    const config = await configFor(t.baseUrl, app);
    const browser = cookieBrowser();
    await signInApp(browser, other);

    const request = await authorizationRequest(config, { scope: 'openid profile roles', id_token_hint: hint });
    const asked = await authorize(browser, request);
    assert.ok(!isCallback(asked.url), 'no code for the person signed in, who is not the one the app named');
    assert.match(new URL(asked.url).pathname, /^\/sign-in$/);
    const tokens = await exchange(config, await browser.submit(asked, formAction(asked.body, /^\/sign-in/), hinted, isCallback), request);
    assert.equal(tokens.claims()!.sub, ids.get(hinted.identifier), 'the hinted person, signed in on the way');

    // Signed in again for the request as someone else: the app hears login_required, with no code.
    const again = await authorizationRequest(config, { scope: 'openid profile roles', id_token_hint: (await signInApp(cookieBrowser(), other)).tokens.id_token! });
    const stillHinted = await authorize(browser, again, hinted);
    const answer = new URL(stillHinted.url).searchParams;
    assert.equal(answer.get('error'), 'login_required');
    assert.equal(answer.get('code'), null);
    // A hint naming the person signed in goes straight through.
    const same = await authorizationRequest(config, { scope: 'openid profile roles', id_token_hint: tokens.id_token! });
    assert.ok(isCallback((await authorize(browser, same)).url));
  });

  test('prompt=login answered by another person: the app gets that person, not a closed request', async () => {
    const browser = cookieBrowser();
    await signInApp(browser, victim);
    const config = await configFor(t.baseUrl, app);
    const request = await authorizationRequest(config, { scope: 'openid profile roles', prompt: 'login' });
    const tokens = await exchange(config, await authorize(browser, request, other), request);
    assert.equal(tokens.claims()!.sub, ids.get(other.identifier));
  });

  for (const [step, client, who] of [['the role choice', () => app, twoRoles], ['a third-party app\'s consent', () => thirdParty, victim]] as const) {
    test(`an app request already past its sign-in (${step}), then another person signs in with it as return_to: it closes (410), no loop, no code`, async () => {
      const browser = cookieBrowser();
      const config = await configFor(t.baseUrl, client());
      const request = await authorizationRequest(config, { scope: client() === app ? 'openid profile roles' : 'openid profile' });
      const asked = await authorize(browser, request, who);
      assert.equal(asked.status, 200);
      const interaction = new URL(asked.url).pathname;
      assert.match(interaction, /^\/interaction\/[\w-]+$/, `${step}: ${asked.url}`);
      const form = await browser.go(`${t.baseUrl}/sign-in?again=1&return_to=${encodeURIComponent(interaction)}`);
      const after = await browser.submit(form, formAction(form.body, /^\/sign-in/), other, isCallback);
      assert.ok(!isCallback(after.url), 'no answer to the app for either person');
      assert.equal(after.status, 410, `${after.status} ${after.url}`);
    });
  }
});
