// Every flow page and console page links the guide to its task (F31): the pages are driven
// through the app as a browser without JavaScript drives them (signed in where they need it),
// each link is the one the page→topic table names, and following it answers 200.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { guideOf, type GuidedPage } from '../../src/guides/pages.ts';
import { fileRequest } from '../../src/support/file-request.ts';
import { createAgent, type Agent } from '../helpers/agent.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor, type Tree } from '../helpers/fixtures.ts';

const PASSWORD = 'Rahnama-Safheh-1404!';

/** The guide links of a page: the `guide-link` paragraph's address. */
const guideLinksOf = (body: string) => [...body.matchAll(/<p class="guide-link"><a href="([^"]+)" rel="help">([^<]+)<\/a><\/p>/g)].map((m) => ({ href: m[1]!, text: m[2]! }));

describe('guide links on the flow and console pages', () => {
  let t: TestApp;
  let tree: Tree;
  let person: Agent;
  let admin: Agent;
  let teacher: { accountId: string };
  let membershipId: string;
  /** A support request of `person`'s (no role chosen, so it is the ministry's: `admin` has it in the queue). */
  let supportRequestId: string;
  /** The table's pages the tests above drove (the last test checks none was left out). */
  const covered = new Set<GuidedPage>();

  before(async () => {
    t = await startTestApp('pglite', { KELID_ADMIN_MFA: 'optional' });
    tree = await createTree(t.handle.db);
    const asker = await createAccount(t.handle.db, t.hasher, {
      nationalId: nationalIdFor(1), password: PASSWORD,
      memberships: [{ organizationId: tree.schoolA, role: 'teacher' }, { organizationId: tree.schoolB, role: 'teacher' }],
    });
    await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(2), password: PASSWORD, memberships: [{ organizationId: tree.ministry, role: 'ministry_admin' }] });
    teacher = await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(3), password: PASSWORD, email: 'teacher@example.org', memberships: [{ organizationId: tree.schoolA, role: 'teacher' }] });
    const filed = await fileRequest(t.handle.db, { kind: 'account', accountId: asker.accountId, acting: null },
      { category: 'sign_in', subject: 'ورود', text: 'نمی توانم وارد شوم', from: null, screenshot: null, locale: 'fa' }, { now: t.clock.now(), ip: '127.0.0.1' });
    assert.ok('id' in filed);
    supportRequestId = filed.id;
    membershipId = (await t.handle.db.selectFrom('memberships').select('id').where('account_id', '=', teacher.accountId).executeTakeFirstOrThrow()).id;
    person = createAgent(t.app);
    assert.equal((await person.submit('/sign-in', { identifier: nationalIdFor(1), password: PASSWORD })).statusCode, 303);
    admin = createAgent(t.app);
    assert.equal((await admin.submit('/sign-in', { identifier: nationalIdFor(2), password: PASSWORD })).statusCode, 303);
  });
  after(() => t.close());

  /** GETs a page (following the flow's start redirect), checks its one guide link, and follows it. */
  async function assertGuided(agent: Agent, url: string, page: GuidedPage, locale: 'fa' | 'he' | 'en' = 'fa') {
    covered.add(page);
    let response = await agent.get(url);
    if (response.statusCode === 303 && /^\/(register|recover|sign-in\/code|set-password)\//.test(String(response.headers.location))) {
      response = await agent.get(String(response.headers.location));
    }
    assert.equal(response.statusCode, 200, `${url}: ${response.statusCode} ${String(response.headers.location ?? '')}`);
    const links = guideLinksOf(response.body);
    assert.deepEqual(links.map((l) => l.href), [`/guides/${guideOf[page]}`], `${url} links its guide once`);
    assert.equal(links[0]!.text, { fa: 'راهنما', he: 'מדריך', en: 'Guide' }[locale], `${url}: the link is in the page's language`);
    const guide = await agent.get(links[0]!.href);
    assert.equal(guide.statusCode, 200, links[0]!.href);
    assert.match(guide.body, new RegExp(`<html lang="${locale}" dir="${locale === 'en' ? 'ltr' : 'rtl'}">`), `${links[0]!.href} follows the page's language`);
  }

  test('the self-service flows link their guides: sign-in, one-time code, registration, recovery, set password', async () => {
    const visitor = createAgent(t.app);
    await assertGuided(visitor, '/sign-in', 'login');
    await assertGuided(visitor, '/sign-in/staff', 'login');
    await assertGuided(visitor, '/sign-in/code', 'otp-login');
    await assertGuided(visitor, '/register', 'registration');
    await assertGuided(visitor, '/recover', 'recovery');
    await assertGuided(visitor, '/set-password', 'set-password');
  });

  test('the links follow the language: a Hebrew reader gets «מדריך» and a Hebrew guide, an English one "Guide"', async () => {
    const hebrew = createAgent(t.app);
    await hebrew.get('/sign-in?lang=he');
    await assertGuided(hebrew, '/recover', 'recovery', 'he');
    const english = createAgent(t.app);
    await english.get('/sign-in?lang=en');
    await assertGuided(english, '/register', 'registration', 'en');
  });

  test('the signed-in pages link theirs: role choice and change password', async () => {
    await assertGuided(person, '/role', 'role-choice');
    await assertGuided(person, '/password', 'change-password');
  });

  test('System support\'s pages link the guide to asking: the form signed out and in, one\'s requests, a request', async () => {
    await assertGuided(createAgent(t.app), '/support?from=%2Fsign-in', 'support');
    const english = createAgent(t.app);
    await english.get('/sign-in?lang=en');
    await assertGuided(english, '/support', 'support', 'en');
    await assertGuided(person, '/support?from=%2F', 'support');
    await assertGuided(person, '/support/requests', 'support-requests');
    await assertGuided(person, `/support/requests/${supportRequestId}`, 'support-request');
  });

  test('every console page links the guide to its task', async () => {
    const pages: [string, GuidedPage][] = [
      ['/admin/users', 'admin-users'],
      ['/admin/users/new', 'admin-new-user'],
      [`/admin/users/${teacher.accountId}`, 'admin-user'],
      [`/admin/users/${teacher.accountId}/reset`, 'admin-reset'],
      [`/admin/users/${teacher.accountId}/invite`, 'admin-invitations'],
      [`/admin/memberships/${membershipId}/edit`, 'admin-appointment'],
      ['/admin/memberships/renew', 'admin-renew'],
      ['/admin/passwords', 'admin-bulk-passwords'],
      ['/admin/invitations', 'admin-invitations'],
      ['/admin/import', 'admin-import'],
      ['/admin/import/oneroster', 'admin-oneroster'],
      ['/admin/approvals', 'admin-approvals'],
      ['/admin/announcements', 'admin-announcements'],
      ['/admin/announcements/new', 'admin-announcements'],
      ['/admin/clients', 'admin-clients'],
      ['/admin/clients/new', 'admin-clients'],
      ['/admin/support', 'admin-support'],
      ['/admin/support?state=open', 'admin-support'],
      [`/admin/support/${supportRequestId}`, 'admin-support-request'],
    ];
    for (const [url, page] of pages) await assertGuided(admin, url, page);
  });

  test('every page of the page→topic table was driven above, and a console page leads to a console task', () => {
    assert.deepEqual([...covered].sort(), Object.keys(guideOf).sort());
    for (const [page, topic] of Object.entries(guideOf)) if (page.startsWith('admin-')) assert.match(topic, /^admin-/, page);
  });

  test('the page frame\'s footer links the index on every page, signed in or not', async () => {
    for (const [agent, url] of [[createAgent(t.app), '/sign-in'], [person, '/account/sessions'], [admin, '/admin/users']] as const) {
      const body = (await agent.get(url)).body;
      assert.match(body, /<footer class="foot"><a href="\/guides">راهنمای سامانه<\/a><\/footer>/, url);
    }
  });
});
