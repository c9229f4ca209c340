// What the axe-core walk stands on: Kelid listening with the demo data, the people who visit
// (signed out, and each demo role signed in through the real sign-in page, each in a browser
// context of its own), and the objects a page with an id needs (a support request, a password
// batch with its QR slip, an invitation batch, a background import), made through the API as
// a school would make them.
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { demoClients } from '../../src/demo/clients.ts';
import { demoKeys, loadDemoData } from '../../src/demo/demo-data.ts';
import { isoDateIn } from '../../src/identity/clock.ts';
import { deriveKeys } from '../../src/secrets.ts';
import { easyCaptcha } from '../captcha/solve.ts';
import { realTimeClock, startListeningApp, type TestApp } from '../helpers/app.ts';
import { createAccount, nationalIdFor } from '../helpers/fixtures.ts';

export const DEMO_PASSWORD = 'Kelid-Demo-1405';
const PROVINCE_ADMIN = nationalIdFor(4242);

/** Someone who visits pages: signed out, or a demo account acting in one role (by its English name). */
export type Identity = { name: string; nationalId?: string; role?: string };

/** In the order the walk tries them for a route: the first that is shown the page checks it. */
export const identities: readonly Identity[] = [
  { name: 'signed out' },
  { name: 'student', nationalId: '0045678911' },
  { name: 'parent', nationalId: '0056789122' },
  { name: 'teacher', nationalId: '0067891233', role: 'Teacher' },
  { name: 'principal', nationalId: '0012345679', role: 'Principal' },
  { name: 'district admin', nationalId: '0023456787' },
  { name: 'province admin', nationalId: PROVINCE_ADMIN },
  { name: 'ministry admin', nationalId: '0098765434' },
];

export type Kelid = TestApp & { baseUrl: string };

/** Kelid as `npm run demo` serves it (demo data, dev SMS and email, the admins' second factor optional), plus a province administrator. */
export async function startKelid(): Promise<Kelid> {
  const clock = realTimeClock();
  const t = await startListeningApp('postgres', {
    KELID_ADMIN_MFA: 'optional', KELID_SMS: 'dev', KELID_EMAIL: 'dev', KELID_IMPORT_BACKGROUND_ROWS: '1', ...easyCaptcha,
  }, { clock });
  await loadDemoData(t.handle, { profile: 'ir', password: DEMO_PASSWORD, hasher: t.hasher, today: isoDateIn(clock.now(), 'Asia/Tehran'), ...demoKeys(deriveKeys(t.config.secret!)) });
  const province = await t.handle.db.selectFrom('organizations').select('id').where('level', '=', 'province').where('name', '=', 'تهران').executeTakeFirstOrThrow();
  await createAccount(t.handle.db, t.hasher, { nationalId: PROVINCE_ADMIN, password: DEMO_PASSWORD, firstName: 'نرگس', lastName: 'امینی', memberships: [{ organizationId: province.id, role: 'province_admin', startsOn: '2025-09-23', endsOn: null }] });
  return t;
}

/** A browser context of its own for `who`, signed in through the sign-in page (and the role choice) unless signed out. */
export async function visitor(browser: Browser, base: string, who: Identity): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
  const page = await context.newPage();
  if (who.nationalId === undefined) return { context, page };
  await page.goto(`${base}/sign-in?lang=en`);
  await page.fill('#identifier', who.nationalId);
  await page.fill('#password', DEMO_PASSWORD);
  await Promise.all([page.waitForURL((url) => url.pathname !== '/sign-in'), page.click('button.primary')]);
  if (new URL(page.url()).pathname === '/role') {
    const option = who.role === undefined ? page.locator('label.option').first() : page.locator('label.option', { hasText: who.role }).first();
    await option.locator('input').check();
    await Promise.all([page.waitForURL((url) => url.pathname !== '/role'), page.click('button.primary')]);
  }
  assert.equal(new URL(page.url()).pathname, '/', `${who.name} signed in (at ${page.url()})`);
  return { context, page };
}

// A real 1×1 PNG, for a support request's screenshot.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

/**
 * Real ids for the routes with parameters, made or found as a school would: answers a map from
 * route pattern to an address to visit. The flows' first steps are not here: the walk reaches
 * them by following `/register`, `/recover`… to where they redirect.
 */
export async function makeExamples(t: Kelid): Promise<Map<string, string>> {
  const principal = '0012345679';
  const db = t.handle.db;
  const accountOf = async (nationalId: string) => (await db.selectFrom('accounts as a').innerJoin('people as p', 'p.id', 'a.person_id')
    .select('a.id').where('p.national_id', '=', nationalId).executeTakeFirstOrThrow()).id;
  /** A request through the API as the demo principal, acting as principal, or as the demo teacher. */
  const api = async (nationalId: string, method: 'GET' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = {}) => {
    const signIn = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: nationalId, password: DEMO_PASSWORD } });
    const token = signIn.json().token as string;
    const role = nationalId === principal ? 'principal' : 'teacher';
    const membership = await db.selectFrom('memberships').select('id').where('account_id', '=', await accountOf(nationalId)).where('role', '=', role).executeTakeFirstOrThrow();
    await t.app.inject({ method: 'PUT', url: '/api/v1/sessions/current/membership', headers: { authorization: `Bearer ${token}` }, payload: { membershipId: membership.id } });
    const answer = await t.app.inject({ method, url, headers: { authorization: `Bearer ${token}`, ...headers }, ...(payload === undefined ? {} : { payload: payload as string }) });
    assert.ok(answer.statusCode < 300, `${method} ${url}: ${answer.statusCode} ${answer.body.slice(0, 300)}`);
    return answer;
  };
  const teacher = await accountOf('0067891233');
  const membership = await db.selectFrom('memberships').select(['id', 'organization_id']).where('account_id', '=', teacher).where('role', '=', 'teacher').executeTakeFirstOrThrow();

  const support = (await api('0067891233', 'POST', '/api/v1/support-requests', { category: 'roles', subject: 'نقش من', text: 'نقش معلم من پایان یافته نشان داده می‌شود.', screenshot: PNG })).json().id as string;
  // Another teacher of school A (the demo teacher keeps her password and her session).
  const otherTeacher = await db.selectFrom('memberships').select('account_id').where('organization_id', '=', membership.organization_id)
    .where('role', '=', 'teacher').where('account_id', '<>', teacher).executeTakeFirstOrThrow();
  const batch = (await api(principal, 'POST', '/api/v1/admin/password-batches', { userIds: [otherTeacher.account_id] }, { 'idempotency-key': 'axe-walk-batch-01' })).json().id as string;
  const invitations = (await api(principal, 'POST', '/api/v1/admin/invitations', { all: true, role: 'father' }, { 'idempotency-key': 'axe-walk-invite-01' })).json().id as string;
  const csv = `national_id,role\n${nationalIdFor(4301)},student\n${nationalIdFor(4302)},student\n`;
  const importJob = (await api(principal, 'POST', '/api/v1/admin/imports', csv, { 'content-type': 'text/csv' })).json().id as string;
  for (let i = 0; i < 400; i++) {
    const running = await db.selectFrom('password_batches').select('id').where('state', '=', 'running').execute();
    if (running.length === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const slips = (await api(principal, 'POST', `/api/v1/admin/password-batches/${batch}/passwords`)).json().passwords as { qrSignIn: string }[];
  const announcement = await db.selectFrom('announcements').select('id').orderBy('created_at').executeTakeFirstOrThrow();
  const topic = await firstGuideTopic(t);
  const exam = demoClients('ir').find((c) => c.clientId === 'exam-registration')!;

  return new Map([
    ['/admin/users/:id', `/admin/users/${teacher}`],
    ['/admin/users/:id/reset', `/admin/users/${teacher}/reset`],
    ['/admin/users/:id/end-sessions', `/admin/users/${teacher}/end-sessions`],
    ['/admin/users/:id/unlock', `/admin/users/${teacher}/unlock`],
    ['/admin/users/:id/invite', `/admin/users/${await accountOf('0056789122')}/invite`],
    ['/admin/memberships/:id/edit', `/admin/memberships/${membership.id}/edit`],
    ['/admin/password-batches/:id', `/admin/password-batches/${batch}`],
    ['/admin/invitation-batches/:id', `/admin/invitation-batches/${invitations}`],
    ['/admin/imports/:id', `/admin/imports/${importJob}`],
    ['/q/:token', new URL(slips[0]!.qrSignIn).pathname],
    ['/admin/clients/:id/edit', '/admin/clients/exam-registration/edit'],
    ['/admin/clients/:id/remove', '/admin/clients/exam-registration/remove'],
    ['/admin/clients/:id/secret', '/admin/clients/exam-registration/secret'],
    ['/admin/announcements/:id/edit', `/admin/announcements/${announcement.id}/edit`],
    ['/support/requests/:id', `/support/requests/${support}`],
    ['/support/requests/:id/screenshot', `/support/requests/${support}/screenshot`],
    ['/admin/support/:id', `/admin/support/${support}`],
    ['/admin/support/:id/screenshot', `/admin/support/${support}/screenshot`],
    ['/guides/:topic', `/guides/${topic}`],
    // An app's authorization request: it redirects to the sign-in interaction (`/interaction/:uid`).
    ['/oidc/*', `/oidc/auth?${new URLSearchParams({
      client_id: exam.clientId, redirect_uri: exam.redirectUris[0]!, response_type: 'code', scope: 'openid profile',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256', state: 'axe-walk', nonce: 'axe-walk',
    })}`],
  ]);
}

/** The first guide the guides index links to (read from the page, not a hand-kept name). */
async function firstGuideTopic(t: Kelid): Promise<string> {
  const index = await t.app.inject({ url: '/guides' });
  const topic = /href="\/guides\/([a-z0-9-]+)"/.exec(index.body)?.[1];
  assert.ok(topic, 'the guides index links a guide');
  return topic;
}
