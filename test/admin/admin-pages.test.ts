// The console's pages without a browser (what a phone without JavaScript does): the table with
// the seed's columns, the new-user form that shows the registry name, Solar Hijri dates,
// the reset confirmation and the password shown once; another school's user is a 404.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createAgent, csrfTokenOf, hiddenFieldsOf, type Agent } from '../helpers/agent.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor, type Tree } from '../helpers/fixtures.ts';

const PASSWORD = 'Modir-Madreseh-1404!';

describe('admin console pages', () => {
  let t: TestApp;
  let tree: Tree;
  let principal: Agent;
  let teacherB: string;
  let teacherA: { accountId: string };

  before(async () => {
    t = await startTestApp('pglite', { KELID_ADMIN_MFA: 'optional' });
    tree = await createTree(t.handle.db);
    await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(1), password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'principal' }] });
    teacherA = await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(2), password: PASSWORD, firstName: 'زهرا', lastName: 'کاظمی', memberships: [{ organizationId: tree.schoolA, role: 'teacher' }] });
    teacherB = (await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(3), password: PASSWORD, memberships: [{ organizationId: tree.schoolB, role: 'teacher' }] })).accountId;
    await t.handle.db.insertInto('people').values({ national_id: nationalIdFor(30), first_name: 'علی', last_name: 'محمدی', birth_date: '1985-01-01' }).execute();
    principal = createAgent(t.app);
    assert.equal((await principal.submit('/sign-in', { identifier: nationalIdFor(1), password: PASSWORD })).statusCode, 303);
  });
  after(() => t.close());

  test('home links the console; the table has the seed columns, Persian digits and a reset icon', async () => {
    assert.match((await principal.get('/')).body, /href="\/admin\/users">مدیریت کاربران</);
    const page = await principal.get('/admin/users?role=teacher');
    assert.equal(page.statusCode, 200);
    for (const column of ['نام خانوادگی', 'کد ملی', 'نقش', 'استان', 'منطقه', 'شروع حکم', 'پایان حکم', 'سازمان', 'نوع سازمان', 'تایید']) assert.ok(page.body.includes(`>${column}`), column);
    assert.match(page.body, /زهرا/);
    assert.match(page.body, /۱۴۰۴\/۰۷\/۰۱/, 'the appointment start in Solar Hijri');
    assert.match(page.body, />⇄</);
    assert.doesNotMatch((await principal.get('/admin/users?role=principal')).body, />⇄</, 'no reset icon on the principal\'s own row');
    assert.doesNotMatch(page.body, new RegExp(nationalIdFor(3).replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d)))), 'school B is not listed');
  });

  test('someone the principal may see but not act on (their appointment here ended): no actions on their page, and each question refused with why, before it is asked', async () => {
    const former = await createAccount(t.handle.db, t.hasher, {
      nationalId: nationalIdFor(77), password: PASSWORD, email: 'former@example.org',
      memberships: [{ organizationId: tree.schoolA, role: 'teacher', startsOn: '2023-09-23', endsOn: '2024-06-20' }],
    });
    const before = await t.handle.db.selectFrom('credentials').select('password_hash').where('account_id', '=', former.accountId).executeTakeFirstOrThrow();
    const page = await principal.get(`/admin/users/${former.accountId}`);
    assert.equal(page.statusCode, 200, 'still visible: the appointment is in the school');
    assert.match(page.body, /انتصاب جاری او تماماً در سازمان شما نیست/);
    for (const action of ['reset', 'invite', 'end-sessions', 'unlock']) {
      assert.doesNotMatch(page.body, new RegExp(`/admin/users/${former.accountId}/${action}"`), `no ${action} button`);
      const question = await principal.get(`/admin/users/${former.accountId}/${action}`);
      assert.equal(question.statusCode, 403, action);
      assert.match(question.body, /انتصاب جاری او تماماً در سازمان شما نیست/, `${action}: says why`);
      const answer = await principal.submit(`/admin/users/${former.accountId}`, {}, `/admin/users/${former.accountId}/${action}`);
      assert.equal(answer.statusCode, 403, `${action} posted`);
    }
    const after = await t.handle.db.selectFrom('credentials').select('password_hash').where('account_id', '=', former.accountId).executeTakeFirstOrThrow();
    assert.equal(after.password_hash, before.password_hash, 'the password is untouched');
    assert.doesNotMatch((await principal.get(`/admin/users/${teacherA.accountId}`)).body, /انتصاب جاری او تماماً/, 'not said of someone wholly theirs');
  });

  test('new user: "show name" brings the registry name; save gives the appointment in Solar Hijri', async () => {
    const form = await principal.get('/admin/users/new');
    assert.match(form.body, /تاریخ صدور حکم/);
    assert.match(form.body, /value="۱۴۰۴\/۰۷\/۰۱"/, 'the default start of the school year');
    const persianId = nationalIdFor(30).replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d)));
    const lookup = await principal.submit('/admin/users/new', { action: 'lookup', nationalId: persianId, role: 'teacher', start: '', end: '', childNationalId: '', organizationId: '' });
    assert.equal(lookup.statusCode, 200);
    assert.match(lookup.body, /نام در ثبت احوال: علی محمدی/);
    const unknown = await principal.submit('/admin/users/new', { action: 'lookup', nationalId: nationalIdFor(31), role: 'teacher', start: '', end: '', childNationalId: '', organizationId: '' });
    assert.match(unknown.body, /این کد ملی در اطلاعات ثبت احوال یافت نشد/);
    const saved = await principal.submit('/admin/users/new', { action: 'save', nationalId: persianId, role: 'teacher', start: '۱۴۰۴/۰۷/۰۱', end: '۱۴۰۵/۰۶/۳۱', childNationalId: '', organizationId: '' });
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 500));
    const listed = await principal.get(String(saved.headers.location));
    assert.match(listed.body, /ذخیره شد/);
    assert.match(listed.body, /علی/);
    const bad = await principal.submit('/admin/users/new', { action: 'save', nationalId: persianId, role: 'teacher', start: '۱۴۰۵/۰۶/۳۱', end: '۱۴۰۴/۰۷/۰۱', childNationalId: '', organizationId: tree.schoolB });
    assert.equal(bad.statusCode, 404, 'an organization outside the school answers as not found');
  });

  test('reset: the confirmation of the seed, then a temporary password shown once and never cached', async () => {
    const url = `/admin/users/${teacherA.accountId}/reset`;
    const confirm = await principal.get(url);
    assert.match(confirm.body, /آیا از بازنشانی رمز عبور اطمینان دارید؟/);
    const form = { _csrf: csrfTokenOf(confirm.body), ...hiddenFieldsOf(confirm.body, url) };
    const shown = await principal.post(url, form);
    assert.equal(shown.statusCode, 200);
    assert.equal(shown.headers['cache-control'], 'no-store');
    const password = /<p class="secret"[^>]*>([^<]+)<\/p>/.exec(shown.body)?.[1];
    assert.ok(password);
    // The same form posted again (a reload of the answer, a second click, the page in another tab): no second password, the first one stands.
    for (const again of [await principal.post(url, form), await principal.post(url, { ...form, version: '' })]) {
      assert.equal(again.statusCode, 409);
      assert.doesNotMatch(again.body, /class="secret"/);
      assert.match(again.body, /یک رمز موقت پیش‌تر صادر شده است/);
      assert.doesNotMatch(again.body, /error-summary/, 'news, not an error to correct');
    }
    // Back from the password shown brings the question again, drawn anew: it says the password was just reset, and what confirming does.
    const back = await principal.get(url);
    assert.match(back.body, /رمز عبور این کاربر ساعت .+ بازنشانی شد\. با تایید، رمز موقت دیگری صادر می‌شود/);
    // Another administrator is not told of this one's reset: not theirs to see in the audit log either.
    await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(71), password: PASSWORD, memberships: [{ organizationId: tree.district, role: 'district_admin' }] });
    const other = createAgent(t.app);
    assert.equal((await other.submit('/sign-in', { identifier: nationalIdFor(71), password: PASSWORD })).statusCode, 303);
    const theirs = await other.get(url);
    assert.equal(theirs.statusCode, 200);
    assert.doesNotMatch(theirs.body, /بازنشانی شد\. با تایید/);
    const teacher = createAgent(t.app);
    const signIn = await teacher.submit('/sign-in', { identifier: nationalIdFor(2), password });
    assert.match(String(signIn.headers.location), /^\/password/, 'the temporary password must be changed first');
    // Two tabs confirming one page at once: one password, the other told.
    const fresh = await principal.get(url);
    const both = { _csrf: csrfTokenOf(fresh.body), ...hiddenFieldsOf(fresh.body, url) };
    const answers = await Promise.all([principal.post(url, both), principal.post(url, both)]);
    assert.deepEqual(answers.map((answer) => answer.statusCode).sort(), [200, 409]);
    const second = /<p class="secret"[^>]*>([^<]+)<\/p>/.exec(answers.find((answer) => answer.statusCode === 200)!.body)![1]!;
    assert.equal((await createAgent(t.app).submit('/sign-in', { identifier: nationalIdFor(2), password: second })).statusCode, 303, 'the password shown is the one that works');
    // Asked again from the refusal's own form: a new one, on purpose.
    const refusal = answers.find((answer) => answer.statusCode === 409)!;
    assert.equal((await principal.post(url, { _csrf: csrfTokenOf(refusal.body), ...hiddenFieldsOf(refusal.body, url) })).statusCode, 200);
  });

  test("another school's user, a forged id, and a teacher at the door: not found or refused", async () => {
    for (const url of [`/admin/users/${teacherB}`, `/admin/users/${teacherB}/reset`, '/admin/users/zzz']) assert.equal((await principal.get(url)).statusCode, 404, url);
    const noCsrf = await principal.post(`/admin/users/${teacherA.accountId}/reset`, {});
    assert.equal(noCsrf.statusCode, 403, 'no CSRF token, no reset');
    const teacher = createAgent(t.app);
    await t.handle.db.updateTable('credentials').set({ must_change: false }).where('account_id', '=', teacherA.accountId).execute();
    const teacherPassword = 'Moalem-Khoob-1404!';
    await t.handle.db.updateTable('credentials').set({ password_hash: await t.hasher.hash(teacherPassword) }).where('account_id', '=', teacherA.accountId).execute();
    await teacher.submit('/sign-in', { identifier: nationalIdFor(2), password: teacherPassword });
    const door = await teacher.get('/admin/users');
    assert.equal(door.statusCode, 403);
    assert.match(door.body, /این بخش فقط برای مدیران است/);
    assert.equal((await createAgent(t.app).get('/admin/users')).statusCode, 303, 'anonymous visitors go to sign-in');
  });

  test('the audit page shows what the principal did; everyone sees their own sign-ins', async () => {
    const audit = await principal.get('/admin/audit');
    assert.match(audit.body, /بازنشانی رمز عبور توسط مدیر/);
    assert.match(audit.body, /افزودن کاربر/);
    const mine = await principal.get('/account/activity');
    assert.match(mine.body, /ورود موفق/);
  });

  test('export: the scope as CSV, formulas defused; import: a multipart upload with the report', async () => {
    await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(4), password: PASSWORD, firstName: '=HYPERLINK("http://evil")', lastName: '+1', memberships: [{ organizationId: tree.schoolA, role: 'teacher' }] });
    const csv = await principal.get('/admin/users.csv?role=teacher');
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    assert.ok(csv.body.startsWith('\ufeff'));
    assert.match(csv.body, /"'=HYPERLINK\(""http:\/\/evil""\)",'\+1,/);
    assert.doesNotMatch(csv.body, new RegExp(nationalIdFor(3)), 'school B is not exported');

    const page = await principal.get('/admin/import');
    const form = new FormData();
    form.set('_csrf', /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!);
    form.set('file', new Blob([`national_id,role\n${nationalIdFor(30)},staff\nbad,teacher\n`], { type: 'text/csv' }), 'users.csv');
    const encoded = new Response(form);
    const response = await t.app.inject({
      method: 'POST', url: '/admin/import', payload: Buffer.from(await encoded.arrayBuffer()),
      headers: { 'content-type': encoded.headers.get('content-type')!, cookie: [...principal.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    assert.equal(response.statusCode, 200, response.body.slice(0, 300));
    assert.match(response.body, /۱ مورد ایجاد شد، ۰ مورد از قبل وجود داشت، ۱ مورد پذیرفته نشد/);
    assert.match(response.body, /<td>کادر اجرایی<\/td>/, 'the report names the role in the page\'s words, not its code');
    assert.doesNotMatch(response.body, /<td>staff<\/td>/);
  });

  test('edit an appointment in Solar Hijri, and renew the teachers for the next school year', async () => {
    const membership = await t.handle.db.selectFrom('memberships').select('id').where('account_id', '=', teacherA.accountId).executeTakeFirstOrThrow();
    const form = await principal.get(`/admin/memberships/${membership.id}/edit`);
    assert.match(form.body, /value="۱۴۰۴\/۰۷\/۰۱"/);
    const saved = await principal.submit(`/admin/memberships/${membership.id}/edit`, { start: '۱۴۰۴/۰۷/۱۵', end: '۱۴۰۵/۰۴/۳۱' });
    assert.equal(saved.statusCode, 303);
    const row = await t.handle.db.selectFrom('memberships').select(['starts_on', 'ends_on']).where('id', '=', membership.id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { starts_on: '2025-10-07', ends_on: '2026-07-22' });
    const backwards = await principal.submit(`/admin/memberships/${membership.id}/edit`, { start: '۱۴۰۵/۰۴/۳۱', end: '۱۴۰۴/۰۷/۱۵' });
    assert.equal(backwards.statusCode, 422);
    const other = await t.handle.db.selectFrom('memberships').select('id').where('account_id', '=', teacherB).executeTakeFirstOrThrow();
    assert.equal((await principal.get(`/admin/memberships/${other.id}/edit`)).statusCode, 404, "another school's appointment");

    const page = await principal.get('/admin/users?role=teacher');
    assert.match(page.body, /<a href="\/admin\/memberships\/renew\?role=teacher">تمدید احکام معلم برای سال تحصیلی بعد/, 'a link to the confirmation, not a button');
    assert.doesNotMatch(page.body, /action="\/admin\/memberships\/renew"/, 'the table page itself renews nothing');
    const renewed = await principal.submit('/admin/memberships/renew?role=teacher', { role: 'teacher' }, '/admin/memberships/renew');
    assert.equal(renewed.statusCode, 303);
    assert.match((await principal.get(String(renewed.headers.location))).body, /حکم برای سال تحصیلی بعد تمدید شد/);
    const next = await t.handle.db.selectFrom('memberships').select('starts_on').where('account_id', '=', teacherA.accountId).orderBy('starts_on', 'desc').executeTakeFirstOrThrow();
    assert.equal(next.starts_on, '2026-10-07', 'the edited start, one Solar Hijri year on (15 Mehr 1405)');
  });

  test('renewing asks first: how many appointments, of which role and school, into which dates; Confirm renews once, Cancel goes back', async () => {
    const second = await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(40), password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'deputy' }] });
    const before = await t.handle.db.selectFrom('memberships').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const confirm = await principal.get('/admin/memberships/renew?role=deputy');
    assert.equal(confirm.statusCode, 200);
    const after = await t.handle.db.selectFrom('memberships').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    assert.equal(after.n, before.n, 'the confirmation page renews nothing');
    assert.match(confirm.body, /با تایید، ۱ حکم در .+ برای سال تحصیلی بعد تمدید می‌شود/);
    assert.match(confirm.body, /<td>معاون<\/td>/);
    assert.match(confirm.body, /۱۴۰۴\/۰۷\/۰۱ – ۱۴۰۵\/۰۶\/۳۱<\/td><td>۱۴۰۵\/۰۷\/۰۱ – ۱۴۰۶\/۰۶\/۳۱/, 'the dates now and one year on');
    assert.match(confirm.body, /<button type="submit" class="primary">تایید و تمدید ۱ حکم<\/button>/);
    assert.match(confirm.body, /<a href="\/admin\/users\?role=deputy">انصراف<\/a>/);

    // Two tabs on the same confirmation: both press Confirm; one appointment is renewed.
    const token = /name="_csrf" value="([^"]+)"/.exec(confirm.body)![1]!;
    // A role that is no role, in any digits, misspelt or twice: refused, never read as "every role" (a renewal writes for all it matches).
    for (const role of ['۰۰۱۲۳۴۵۶۷۹', 'studnet', 'DEPUTY', ['deputy', 'teacher']]) {
      const refused = await principal.post('/admin/memberships/renew', { _csrf: token, role });
      assert.equal(refused.statusCode, 400, JSON.stringify(role));
      assert.match(refused.body, /lang="fa"/);
      assert.match(refused.body, /نقشی با این نام برای تمدید نیست/, 'what was wrong and where to go, not "a field"');
    }
    assert.equal((await principal.get('/admin/memberships/renew?role=studnet')).statusCode, 400, 'nor previewed as every role');
    assert.equal((await t.handle.db.selectFrom('memberships').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n, before.n, 'nothing renewed');
    const [first, twice] = await Promise.all([
      principal.post('/admin/memberships/renew', { _csrf: token, role: 'deputy' }),
      principal.post('/admin/memberships/renew', { _csrf: token, role: 'deputy' }),
    ]);
    assert.deepEqual([first.headers.location, twice.headers.location].sort(), ['/admin/users?role=deputy&renewed=0', '/admin/users?role=deputy&renewed=1']);
    const rows = await t.handle.db.selectFrom('memberships').select('starts_on').where('account_id', '=', second.accountId).orderBy('starts_on').execute();
    assert.deepEqual(rows.map((r) => r.starts_on), ['2025-09-23', '2026-09-23']);
    assert.match((await principal.get('/admin/memberships/renew?role=deputy')).body, /حکمی برای تمدید نیست/, 'afterwards there is nothing left to renew');
  });

  test('a district\'s renewal names the schools it spans: the first three by name, then how many more', async () => {
    for (const n of [1, 2, 3, 4]) {
      const id = randomUUID();
      await t.handle.db.insertInto('organizations').values({ id, parent_id: tree.district, level: 'school', type: 'public', name: `آموزشگاه ${'۰۱۲۳۴'[n]}`, path: `${(await t.handle.db.selectFrom('organizations').select('path').where('id', '=', tree.district).executeTakeFirstOrThrow()).path}${id}/` }).execute();
      await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(50 + n), password: PASSWORD, memberships: [{ organizationId: id, role: 'teacher' }] });
    }
    await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(70), password: PASSWORD, memberships: [{ organizationId: tree.district, role: 'district_admin' }] });
    const district = createAgent(t.app);
    assert.equal((await district.submit('/sign-in', { identifier: nationalIdFor(70), password: PASSWORD })).statusCode, 303);
    const confirm = await district.get('/admin/memberships/renew?role=teacher');
    assert.equal(confirm.statusCode, 200);
    // Teachers at the four new schools and at school B, of one school year: five organizations in one row (school A's teacher, edited above, has other dates).
    assert.match(confirm.body, /<td><bdi>آموزشگاه ۱<\/bdi>، <bdi>آموزشگاه ۲<\/bdi>، <bdi>آموزشگاه ۳<\/bdi> و ۲ سازمان دیگر<\/td>/);
    assert.match(confirm.body, /<\/td>\s*<td>۵<\/td>\s*<\/tr>/, 'the count of appointments, under its heading, with no "rows"');
    const en = await district.get('/admin/memberships/renew?role=teacher&lang=en');
    assert.match(en.body, /<bdi>آموزشگاه ۳<\/bdi> and 2 more<\/td>/);
    // One school fewer: the fourth is named rather than counted as "1 more".
    await t.handle.db.deleteFrom('memberships').where('account_id', '=', (await t.handle.db.selectFrom('accounts').innerJoin('people', 'people.id', 'accounts.person_id').select('accounts.id').where('people.national_id', '=', nationalIdFor(54)).executeTakeFirstOrThrow()).id).execute();
    const four = await district.get('/admin/memberships/renew?role=teacher&lang=fa');
    assert.match(four.body, /<td><bdi>آموزشگاه ۱<\/bdi>، <bdi>آموزشگاه ۲<\/bdi>، <bdi>آموزشگاه ۳<\/bdi>، <bdi>دبیرستان ب<\/bdi><\/td>/);
  });
});

