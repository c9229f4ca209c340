// Announcements in the pages, without a browser (what a phone without JavaScript does), with
// the demo data: the district admin publishes from the console's form (Solar Hijri dates,
// CSRF), the teacher at school A reads it on the home page, escaped, its link safe; a student
// and a principal of another district do not; edit and stop; outside the district a 404.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { demoKeys, loadDemoData } from '../../src/demo/demo-data.ts';
import { deriveKeys } from '../../src/secrets.ts';
import { createAgent, csrfTokenOf, type Agent } from '../helpers/agent.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

const DEMO_PASSWORD = 'Kelid-Demo-1405';
const TODAY = '2026-11-25';

describe('announcement pages', () => {
  let t: TestApp;
  let admin: Agent;
  let otherSchool: string;
  let otherPrincipal: string;

  async function signedIn(identifier: string, role?: string): Promise<Agent> {
    const agent = createAgent(t.app);
    const response = await agent.submit('/sign-in', { identifier, password: DEMO_PASSWORD });
    assert.equal(response.statusCode, 303, response.body.slice(0, 300));
    if (role !== undefined) {
      const membership = await sql<{ id: string }>`select m.id from memberships m join accounts a on a.id = m.account_id join people p on p.id = a.person_id
        where p.national_id = ${identifier} and m.role = ${role}`.execute(t.handle.db);
      assert.equal((await agent.submit('/role', { membershipId: membership.rows[0]!.id })).statusCode, 303);
    }
    return agent;
  }
  const publish = (fields: Record<string, string | string[]>) => admin.submit('/admin/announcements/new', {
    title: '', text: '', organizationId: '', startsOn: '', endsOn: '', ...fields,
  });

  before(async () => {
    t = await startTestApp('pglite', { KELID_ADMIN_MFA: 'optional' });
    t.clock.set(new Date(`${TODAY}T08:00:00Z`));
    await loadDemoData(t.handle, { profile: 'ir', password: DEMO_PASSWORD, hasher: t.hasher, today: TODAY, ...demoKeys(deriveKeys(t.config.secret!)) });
    const other = await sql<{ national_id: string; organization_id: string }>`
      select p.national_id, m.organization_id from memberships m join accounts a on a.id = m.account_id join people p on p.id = a.person_id
      join organizations o on o.id = m.organization_id join organizations d on d.id = o.parent_id
      where m.role = 'principal' and d.name <> 'تهران منطقه ۶' and (select count(*) from memberships x where x.account_id = a.id) = 1 limit 1`.execute(t.handle.db);
    otherPrincipal = other.rows[0]!.national_id;
    otherSchool = other.rows[0]!.organization_id;
    admin = await signedIn('0023456787');
  });
  after(() => t?.close());

  test('the console links the announcements; the form has the Solar Hijri start and the roles; the district lists only its own', async () => {
    assert.match((await admin.get('/admin/users')).body, /href="\/admin\/announcements">اطلاعیه‌ها</);
    const form = await admin.get('/admin/announcements/new');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /value="۱۴۰۵\/۰۹\/۰۴"/, 'today, 25 November 2026, in Solar Hijri');
    assert.match(form.body, /name="roles" value="teacher"/);
    assert.doesNotMatch(form.body, /name="public"/, 'a district may not publish public ones');
    assert.doesNotMatch(form.body, new RegExp(otherSchool), 'no school of another district offered');
    const list = await admin.get('/admin/announcements');
    assert.match(list.body, /جلسه هماهنگی معلمان منطقه/, 'the demo district announcement');
    assert.doesNotMatch(list.body, /اطلاعیه در خصوص فراموشی/, 'the ministry\'s are not the district\'s');
  });

  test('published from the form for teachers: on the teacher\'s home, escaped, links safe; not the student\'s, not another district\'s', async () => {
    const saved = await publish({
      title: '<script>alert(1)</script> جلسه', text: 'سلام <img src=x onerror=alert(1)>\njavascript:alert(1) و https://example.org/a?b=1&c=2. پایان',
      roles: ['teacher'], startsOn: '۱۴۰۵/۰۹/۰۴', endsOn: '۱۴۰۵/۰۹/۱۰',
    });
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 500));
    const list = await admin.get(String(saved.headers.location));
    assert.match(list.body, /اطلاعیه منتشر شد/);
    assert.match(list.body, /۱۴۰۵\/۰۹\/۰۴ تا ۱۴۰۵\/۰۹\/۱۰/);

    const teacher = await signedIn('0067891233', 'teacher');
    const home = (await teacher.get('/')).body;
    assert.match(home, /<h2 id="news-title">اخبار<\/h2>/);
    assert.match(home, /&lt;script&gt;alert\(1\)&lt;\/script&gt; جلسه/);
    assert.match(home, /سلام &lt;img src=x onerror=alert\(1\)&gt;<br>javascript:alert\(1\) و /);
    assert.match(home, /<a href="https:\/\/example.org\/a\?b=1&amp;c=2" rel="noopener noreferrer nofollow" dir="ltr">https:\/\/example.org\/a\?b=1&amp;c=2<\/a>\. پایان/);
    assert.doesNotMatch(home, /<script>|<img|href="javascript/i);
    assert.match(home, /جلسه هماهنگی معلمان منطقه/, 'the demo district\'s for teachers');
    assert.match(home, /<bdi>تهران منطقه ۶<\/bdi> · <bdi>۱۴۰۵\/۰۹\/۰۴<\/bdi>/, 'who and when, in Solar Hijri, each in its own direction');

    for (const [who, role] of [['0045678911', undefined], [otherPrincipal, undefined], ['0067891233', 'mother']] as const) {
      const other = (await (await signedIn(who, role)).get('/')).body;
      assert.doesNotMatch(other, /alert\(1\)/, `${who} ${role ?? ''}`);
      assert.match(other, /اطلاعیه در خصوص فراموشی نام کاربری و رمز عبور سامانه/, 'the ministry\'s public ones, for everyone');
    }
    assert.match((await (await signedIn('0067891233', 'teacher')).get('/?lang=he')).body, /<h2 id="news-title">חדשות<\/h2>/);
  });

  test('a bad form comes back with localized errors beside the fields and nothing published', async () => {
    const count = async () => (await t.handle.db.selectFrom('announcements').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n;
    const before = await count();
    const bad = await publish({ title: 'سلام\u202e', text: '', startsOn: '۱۴۰۵/۱۳/۰۱' });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /تاریخ نادرست است/);
    const rlo = await publish({ title: 'سلام\u202e', text: 'متن' });
    assert.equal(rlo.statusCode, 422);
    assert.match(rlo.body, /نویسه‌های نامرئی کنترل جهت/);
    assert.match(rlo.body, /id="title"[^>]*aria-invalid="true"/);
    const empty = await publish({ title: 'عنوان', text: '  \n ' });
    assert.match(empty.body, /متن اطلاعیه را وارد کنید/);
    assert.match(empty.body, /value="عنوان"/, 'what was typed stays');
    const ends = await publish({ title: 'عنوان', text: 'متن', startsOn: '۱۴۰۵/۰۹/۱۰', endsOn: '۱۴۰۵/۰۹/۰۴' });
    assert.match(ends.body, /تاریخ پایان نباید پیش از تاریخ شروع باشد/);
    assert.equal((await publish({ title: 'عنوان', text: 'متن', public: '1' })).statusCode, 403, 'public is the ministry\'s');
    assert.equal((await publish({ title: 'عنوان', text: 'متن', organizationId: otherSchool })).statusCode, 404);
    assert.equal((await publish({ title: 'عنوان', text: 'متن', roles: ['teacher', 'root'] })).statusCode, 422);
    const page = await admin.get('/admin/announcements/new');
    const noCsrf = await admin.post('/admin/announcements/new', { title: 'x', text: 'y', organizationId: '', startsOn: '', endsOn: '' });
    assert.equal(noCsrf.statusCode, 403);
    assert.equal((await admin.post('/admin/announcements/new', { _csrf: csrfTokenOf(page.body), title: ['a', 'b'], text: 'y' })).statusCode, 400);
    assert.equal(await count(), before, 'nothing written');
  });

  test('edit and stop from the list: audited; a teacher cannot open the console; another district\'s is a 404', async () => {
    const saved = await publish({ title: 'برای ویرایش', text: 'متن اول' });
    const id = /id="announcement-([0-9a-f-]{36})"/.exec((await admin.get(String(saved.headers.location))).body)?.[1];
    assert.ok(id);
    const edit = await admin.get(`/admin/announcements/${id}/edit`);
    assert.match(edit.body, />متن اول<\/textarea>/);
    const edited = await admin.submit(`/admin/announcements/${id}/edit`, { title: 'ویرایش شده', text: 'متن دوم', organizationId: '', startsOn: '۱۴۰۵/۰۹/۰۴', endsOn: '' });
    assert.equal(edited.statusCode, 303, edited.body.slice(0, 400));
    assert.match((await admin.get(String(edited.headers.location))).body, /تغییرات اطلاعیه ذخیره شد/);
    assert.match((await (await signedIn('0045678911')).get('/')).body, /متن دوم/);
    const stopped = await admin.submit('/admin/announcements', {}, `/admin/announcements/${id}/withdraw`);
    assert.equal(stopped.statusCode, 303);
    const list = (await admin.get(String(stopped.headers.location))).body;
    assert.match(list, /نمایش اطلاعیه پایان یافت/);
    assert.match(list, /متوقف شده/);
    assert.doesNotMatch((await (await signedIn('0045678911')).get('/')).body, /متن دوم/);
    const types = (await t.handle.db.selectFrom('audit_events').select('type').where('type', 'like', 'announcement.%').execute()).map((e) => e.type);
    for (const type of ['announcement.published', 'announcement.edited', 'announcement.withdrawn']) assert.ok(types.includes(type as never), type);
    assert.match((await admin.get('/admin/audit')).body, /انتشار اطلاعیه/, 'the audit page names the event');

    const ministryOne = await t.handle.db.selectFrom('announcements').select('id').where('public', '=', true).executeTakeFirstOrThrow();
    assert.equal((await admin.get(`/admin/announcements/${ministryOne.id}/edit`)).statusCode, 404);
    assert.equal((await admin.submit('/admin/announcements', {}, `/admin/announcements/${ministryOne.id}/withdraw`)).statusCode, 404);
    assert.equal((await admin.get('/admin/announcements/not-an-id/edit')).statusCode, 404);
    const teacher = await signedIn('0067891233', 'teacher');
    assert.equal((await teacher.get('/admin/announcements')).statusCode, 403);
  });

  test('the ministry edits a school\'s announcement: it stays at the school (deeper than the form\'s list goes)', async () => {
    const school = await sql<{ id: string }>`select o.id from organizations o where o.level = 'school' and o.parent_id = (select id from organizations where name = 'تهران منطقه ۶') limit 1`.execute(t.handle.db);
    const row = await t.handle.db.insertInto('announcements').values({ organization_id: school.rows[0]!.id, title: 'مدرسه', body: 'متن', starts_on: TODAY, ends_on: '2026-12-01' })
      .returning('id').executeTakeFirstOrThrow();
    const ministry = await signedIn('0098765434');
    const edit = await ministry.get(`/admin/announcements/${row.id}/edit`);
    assert.match(edit.body, new RegExp(`<option value="${school.rows[0]!.id}" selected>`));
    assert.match(edit.body, /name="public"/, 'the ministry may make one public');
    const saved = await ministry.submit(`/admin/announcements/${row.id}/edit`, { title: 'مدرسه', text: 'متن تازه', organizationId: school.rows[0]!.id, startsOn: '', endsOn: '' });
    assert.equal(saved.statusCode, 303);
    const after = await t.handle.db.selectFrom('announcements').select(['organization_id', 'body']).where('id', '=', row.id).executeTakeFirstOrThrow();
    assert.deepEqual(after, { organization_id: school.rows[0]!.id, body: 'متن تازه' });
  });
});
