// Announcements over the JSON API with the demo data (F30): the demo district admin posts for
// teachers; the teacher at school A sees it acting as teacher, not as a mother; a student and
// a principal of another district do not; dates, scope (404), public ones (ministry only),
// and hostile input (HTML, bidi controls, NUL, huge text, wrong JSON types, Persian digits).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { demoKeys, loadDemoData } from '../../src/demo/demo-data.ts';
import { deriveKeys } from '../../src/secrets.ts';
import { databaseKinds, startTestApp, type TestApp } from '../helpers/app.ts';

const DEMO_PASSWORD = 'Kelid-Demo-1405';
const TODAY = '2026-11-25';
const DISTRICT_ADMIN = '0023456787';
const TEACHER_A = '0067891233';
const STUDENT_A = '0045678911';
const MINISTRY_ADMIN = '0098765434';

type Shown = { id: string; title: string; text: string; public: boolean };

for (const kind of databaseKinds) describe(`announcements API on ${kind}`, () => {
  let t: TestApp;
  let district: string;
  let ministry: string;
  let otherPrincipal: string;
  let otherSchool: string;

  async function signIn(identifier: string, role?: string): Promise<string> {
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier, password: DEMO_PASSWORD } });
    assert.equal(response.statusCode, 201, response.body);
    const body = response.json<{ token: string; memberships: { id: string; role: string }[] }>();
    if (role !== undefined) {
      const membership = body.memberships.find((m) => m.role === role);
      assert.ok(membership, `${identifier} acts as ${role}`);
      const chosen = await t.app.inject({ method: 'PUT', url: '/api/v1/sessions/current/membership', headers: { authorization: `Bearer ${body.token}` }, payload: { membershipId: membership.id } });
      assert.equal(chosen.statusCode, 200, chosen.body);
    }
    return body.token;
  }
  const post = (token: string, payload: unknown, language = 'fa') => t.app.inject({
    method: 'POST', url: '/api/v1/admin/announcements', headers: { authorization: `Bearer ${token}`, 'accept-language': language }, payload: payload as object,
  });
  const shownTo = async (token: string): Promise<Shown[]> => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/announcements', headers: { authorization: `Bearer ${token}` } });
    assert.equal(response.statusCode, 200, response.body);
    return response.json<{ announcements: Shown[] }>().announcements;
  };

  before(async () => {
    t = await startTestApp(kind, { KELID_ADMIN_MFA: 'optional' });
    t.clock.set(new Date(`${TODAY}T08:00:00Z`));
    await loadDemoData(t.handle, { profile: 'ir', password: DEMO_PASSWORD, hasher: t.hasher, today: TODAY, ...demoKeys(deriveKeys(t.config.secret!)) });
    // A principal of a school in another district than schools A and B (the demo's generated people share the demo password).
    const other = await sql<{ national_id: string; organization_id: string }>`
      select p.national_id, m.organization_id from memberships m join accounts a on a.id = m.account_id join people p on p.id = a.person_id
      join organizations o on o.id = m.organization_id
      where m.role = 'principal' and o.parent_id <> (select s.parent_id from memberships sm join accounts sa on sa.id = sm.account_id
        join people sp on sp.id = sa.person_id join organizations s on s.id = sm.organization_id where sp.national_id = ${TEACHER_A} and sm.role = 'teacher')
        and (select count(*) from memberships x where x.account_id = a.id) = 1
      limit 1`.execute(t.handle.db);
    assert.ok(other.rows[0], 'a principal in another district');
    otherPrincipal = other.rows[0].national_id;
    otherSchool = other.rows[0].organization_id;
    district = await signIn(DISTRICT_ADMIN);
    ministry = await signIn(MINISTRY_ADMIN);
  });
  after(() => t?.close());

  test('a district admin posts for teachers: 201 with the announcement; the teacher at school A sees it, acting as teacher only', async () => {
    const response = await post(district, { title: 'بازدید از مدارس', text: 'بازدید روز دوشنبه.\nبا سپاس', roles: ['teacher'] });
    assert.equal(response.statusCode, 201, response.body);
    const created = response.json<{ id: string; roles: string[]; startsOn: string; endsOn: string; public: boolean; organization: { name: string } }>();
    assert.deepEqual(created.roles, ['teacher']);
    assert.equal(created.startsOn, TODAY, 'starts today by default');
    assert.equal(created.endsOn, '2026-12-24', 'thirty days in all by default');
    assert.equal(created.public, false);
    assert.equal(created.organization.name, 'تهران منطقه ۶');
    const audit = await t.handle.db.selectFrom('audit_events').select(['type', 'data']).where('type', '=', 'announcement.published').execute();
    assert.ok(audit.some((e) => JSON.stringify(e.data).includes(created.id)), 'the publication is audited');

    const asTeacher = await shownTo(await signIn(TEACHER_A, 'teacher'));
    assert.ok(asTeacher.some((a) => a.id === created.id), 'the teacher sees it');
    assert.equal(asTeacher.find((a) => a.id === created.id)?.text, 'بازدید روز دوشنبه.\nبا سپاس', 'lines kept');
    const asMother = await shownTo(await signIn(TEACHER_A, 'mother'));
    assert.ok(!asMother.some((a) => a.id === created.id), 'not for her as a mother');
    assert.ok(!(await shownTo(await signIn(STUDENT_A))).some((a) => a.id === created.id), 'not for a student');
    assert.ok(!(await shownTo(await signIn(otherPrincipal))).some((a) => a.id === created.id), 'not in another district');
  });

  test('for all roles when none are given; the district\'s own list holds it, the ministry\'s public ones are everyone\'s', async () => {
    const created = (await post(district, { title: 'تعطیلی مدارس', text: 'مدارس منطقه فردا تعطیل است.' })).json<{ id: string }>();
    const student = await shownTo(await signIn(STUDENT_A));
    assert.ok(student.some((a) => a.id === created.id));
    assert.ok(student.some((a) => a.public), 'the demo ministry\'s public announcements');
    const principal = await shownTo(await signIn(otherPrincipal));
    assert.ok(!principal.some((a) => a.id === created.id));
    assert.ok(principal.some((a) => a.public));
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/admin/announcements', headers: { authorization: `Bearer ${district}` } });
    const ids = list.json<{ announcements: { id: string; public: boolean }[] }>().announcements;
    assert.ok(ids.some((a) => a.id === created.id));
    assert.ok(!ids.some((a) => a.public), 'the ministry\'s are not in the district\'s scope');
  });

  test('newest first: a later start comes before an earlier one', async () => {
    const first = (await post(district, { title: 'اول', text: 'الف', startsOn: '2026-11-20', endsOn: '2026-12-01' })).json<{ id: string }>();
    const second = (await post(district, { title: 'دوم', text: 'ب', startsOn: '2026-11-24' })).json<{ id: string }>();
    const ids = (await shownTo(await signIn(STUDENT_A))).map((a) => a.id);
    assert.ok(ids.indexOf(second.id) < ids.indexOf(first.id));
  });

  test('a future start is not shown yet; a past end is refused; one whose end has passed stops showing', async () => {
    const future = await post(district, { title: 'آینده', text: 'بعداً', startsOn: '۲۰۲۶-۱۲-۰۱', endsOn: '2026-12-10' });
    assert.equal(future.statusCode, 201, 'Persian digits in a date are read');
    assert.equal(future.json<{ startsOn: string }>().startsOn, '2026-12-01');
    const lastDay = (await post(district, { title: 'فقط امروز', text: 'امروز', endsOn: TODAY })).json<{ id: string }>();
    const past = await post(district, { title: 'گذشته', text: 'قبلاً', startsOn: '2026-11-01', endsOn: '2026-11-10' });
    assert.equal(past.statusCode, 422);
    assert.equal(past.json<{ error: { code: string; field: string } }>().error.code, 'announcement.ends_in_past');
    const student = await signIn(STUDENT_A);
    let ids = (await shownTo(student)).map((a) => a.id);
    assert.ok(!ids.includes(future.json<{ id: string }>().id), 'not before its start');
    assert.ok(ids.includes(lastDay.id), 'shown on its last day');
    t.clock.set(new Date('2026-11-26T08:00:00Z'));
    try {
      ids = (await shownTo(await signIn(STUDENT_A))).map((a) => a.id);
      assert.ok(!ids.includes(lastDay.id), 'gone the day after its end');
    } finally {
      t.clock.set(new Date(`${TODAY}T08:00:00Z`));
    }
  });

  test('outside the district: an organization, an announcement to edit, stop or read answer 404 as for nothing', async () => {
    const outside = await post(district, { title: 'بیرون', text: 'متن', organizationId: otherSchool });
    assert.equal(outside.statusCode, 404);
    const ministryRoot = (await t.handle.db.selectFrom('organizations').select('id').where('level', '=', 'ministry').executeTakeFirstOrThrow()).id;
    assert.equal((await post(district, { title: 'بالا', text: 'متن', organizationId: ministryRoot })).statusCode, 404);
    assert.equal((await post(district, { title: 'نادرست', text: 'متن', organizationId: 'not-a-uuid' })).statusCode, 404);
    const theirs = (await post(ministry, { title: 'وزارت', text: 'متن' })).json<{ id: string }>();
    const auth = { authorization: `Bearer ${district}` };
    assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/admin/announcements/${theirs.id}`, headers: auth })).statusCode, 404);
    assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/admin/announcements/${theirs.id}`, headers: auth, payload: { title: 'x', text: 'y' } })).statusCode, 404);
    assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/admin/announcements/${theirs.id}/withdraw`, headers: auth })).statusCode, 404);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/admin/announcements/00000000-0000-4000-8000-000000000000/withdraw', headers: auth })).statusCode, 404);
    // Inside: a school of the district.
    const schoolA = await sql<{ organization_id: string }>`select m.organization_id from memberships m join accounts a on a.id = m.account_id
      join people p on p.id = a.person_id where p.national_id = ${TEACHER_A} and m.role = 'teacher'`.execute(t.handle.db);
    const inside = await post(district, { title: 'مدرسه الف', text: 'فقط مدرسه الف', organizationId: schoolA.rows[0]!.organization_id });
    assert.equal(inside.statusCode, 201);
    assert.ok(!(await shownTo(await signIn(otherPrincipal))).some((a) => a.id === inside.json<{ id: string }>().id));
  });

  test('a teacher, a student and nobody cannot publish', async () => {
    assert.equal((await post(await signIn(TEACHER_A, 'teacher'), { title: 'x', text: 'y' })).statusCode, 403);
    assert.equal((await post(await signIn(STUDENT_A), { title: 'x', text: 'y' })).statusCode, 403);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/admin/announcements', payload: { title: 'x', text: 'y' } })).statusCode, 401);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/announcements' })).statusCode, 401);
  });

  test('public: the ministry\'s only, for every role; shown on the sign-in page to someone signed out', async () => {
    const refused = await post(district, { title: 'همگانی', text: 'متن', public: true });
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json<{ error: { code: string } }>().error.code, 'announcement.public_not_allowed');
    const withRoles = await post(ministry, { title: 'همگانی', text: 'متن', public: true, roles: ['teacher'] });
    assert.equal(withRoles.statusCode, 422);
    const created = await post(ministry, { title: 'اطلاعیه همگانی وزارت', text: 'برای همه: https://example.org/news', public: true });
    assert.equal(created.statusCode, 201, created.body);
    const page = await t.app.inject({ method: 'GET', url: '/sign-in' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h2 id="news-title">اخبار<\/h2>/);
    assert.match(page.body, /اطلاعیه همگانی وزارت/);
    assert.match(page.body, /<a href="https:\/\/example.org\/news" rel="noopener noreferrer nofollow" dir="ltr">https:\/\/example.org\/news<\/a>/);
    assert.match((await t.app.inject({ method: 'GET', url: '/sign-in?lang=he' })).body, /<h2 id="news-title">חדשות<\/h2>/);
    assert.doesNotMatch(page.body, /بازدید از مدارس/, 'the district\'s are not public');
    // Stopped: gone from the sign-in page at once; stopping again changes nothing.
    const id = created.json<{ id: string }>().id;
    const stop = () => t.app.inject({ method: 'POST', url: `/api/v1/admin/announcements/${id}/withdraw`, headers: { authorization: `Bearer ${ministry}` } });
    assert.equal((await stop()).statusCode, 200);
    assert.equal((await stop()).statusCode, 200);
    assert.doesNotMatch((await t.app.inject({ method: 'GET', url: '/sign-in' })).body, /اطلاعیه همگانی وزارت/);
    const events = await t.handle.db.selectFrom('audit_events').select('data').where('type', '=', 'announcement.withdrawn').execute();
    assert.equal(events.filter((e) => JSON.stringify(e.data).includes(id)).length, 1, 'one withdrawal audited');
    const edit = await t.app.inject({ method: 'POST', url: `/api/v1/admin/announcements/${id}`, headers: { authorization: `Bearer ${ministry}` }, payload: { title: 'x', text: 'y', public: true } });
    assert.equal(edit.statusCode, 409);
  });

  test('two stops racing: one is audited, both answer the stopped announcement', async () => {
    const id = (await post(district, { title: 'مسابقه', text: 'متن' })).json<{ id: string }>().id;
    const stop = () => t.app.inject({ method: 'POST', url: `/api/v1/admin/announcements/${id}/withdraw`, headers: { authorization: `Bearer ${district}` } });
    const answers = await Promise.all([stop(), stop()]);
    assert.deepEqual(answers.map((a) => a.statusCode), [200, 200]);
    assert.ok(answers.every((a) => a.json<{ withdrawnAt: string | null }>().withdrawnAt !== null));
    const events = await t.handle.db.selectFrom('audit_events').select('data').where('type', '=', 'announcement.withdrawn').execute();
    assert.equal(events.filter((e) => JSON.stringify(e.data).includes(id)).length, 1);
  });

  test('edit: replaces text and roles, audited; the edit is checked like a publication', async () => {
    const created = (await post(district, { title: 'قبل', text: 'متن قبل', roles: ['student'] })).json<{ id: string }>();
    const edit = (payload: object) => t.app.inject({ method: 'POST', url: `/api/v1/admin/announcements/${created.id}`, headers: { authorization: `Bearer ${district}` }, payload });
    const edited = await edit({ title: 'بعد', text: 'متن بعد', roles: ['teacher', 'teacher'] });
    assert.equal(edited.statusCode, 200, edited.body);
    assert.deepEqual(edited.json<{ roles: string[] }>().roles, ['teacher'], 'a role given twice is one role');
    assert.equal((await edit({ title: 'بعد', text: '\u202eمتن' })).statusCode, 422);
    assert.equal((await t.handle.db.selectFrom('audit_events').select('id').where('type', '=', 'announcement.edited').execute()).length, 1);
  });

  test('hostile input: bidi controls, NUL, huge text, wrong JSON types, bad dates, unknown roles: 4xx, localized, nothing written', async () => {
    const before = await t.handle.db.selectFrom('announcements').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    const refusal = async (payload: unknown, status: number, code: string, language = 'fa') => {
      const response = await post(district, payload, language);
      assert.equal(response.statusCode, status, `${JSON.stringify(payload).slice(0, 80)}: ${response.body.slice(0, 300)}`);
      const error = response.json<{ error: { code: string; message: string; field?: string } }>().error;
      assert.equal(error.code, code);
      assert.ok(error.message.length > 0 && error.message !== code, 'a message in words');
      return error;
    };
    const rlo = await refusal({ title: 'عادی', text: 'پرداخت \u202Egnp.exe' }, 422, 'announcement.bidi_control');
    assert.equal(rlo.field, 'text');
    assert.match(rlo.message, /جهت/);
    assert.match((await refusal({ title: 'a\u2066b', text: 'متن' }, 422, 'announcement.bidi_control', 'he')).message, /כיוון/);
    await refusal({ title: 'x', text: 'a\u0000b' }, 400, 'error.field_invalid');
    await refusal({ title: 'x', text: '\ud800' }, 400, 'error.text_malformed');
    const long = await refusal({ title: 'x', text: 'ب'.repeat(4001) }, 422, 'announcement.text_too_long');
    assert.match(long.message, /۴۰۰۰/);
    await refusal({ title: 'x'.repeat(201), text: 'y' }, 422, 'announcement.title_too_long', 'en');
    await refusal({ title: 'x', text: 'y'.repeat(50_000) }, 400, 'error.field_too_long');
    await refusal({ title: '   \u200b ', text: 'y' }, 422, 'announcement.title_required');
    await refusal({ title: 5, text: 'y' }, 400, 'error.field_invalid');
    await refusal({ title: 'x', text: 'y', roles: 'teacher' }, 400, 'error.field_invalid');
    await refusal({ title: 'x', text: 'y', public: 'yes' }, 400, 'error.field_invalid');
    await refusal({ title: 'x', text: 'y', admin: true }, 400, 'error.field_invalid');
    await refusal({ title: 'x', text: 'y', roles: ['superuser'] }, 422, 'announcement.role_unknown');
    assert.equal((await refusal({ title: 'x', text: 'y', startsOn: '2026-02-30' }, 422, 'announcement.date_invalid')).field, 'startsOn');
    await refusal({ title: 'x', text: 'y', startsOn: '1405/09/04' }, 422, 'announcement.date_invalid');
    await refusal({ title: 'x', text: 'y', endsOn: "2026-12-01'; drop table announcements; --" }, 422, 'announcement.date_invalid');
    await refusal({ title: 'x', text: 'y', startsOn: '2026-12-10', endsOn: '2026-12-01' }, 422, 'announcement.ends_before_start');
    await refusal({ title: 'x', text: 'y', endsOn: '2028-01-01' }, 422, 'announcement.too_long_period');
    const after = await t.handle.db.selectFrom('announcements').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    assert.equal(after.n, before.n, 'nothing written');
  });

  test('the OpenAPI document describes both routes', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{ paths: Record<string, Record<string, { requestBody?: unknown }>> }>();
    assert.ok(doc.paths['/api/v1/admin/announcements']?.post?.requestBody);
    assert.ok(doc.paths['/api/v1/announcements']?.get);
  });
});
