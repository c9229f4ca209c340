// The OneRoster import page (issue 13 §5) through the app: a district admin uploads a zip made
// in the test and reads the report by file and line in Persian; a bomb is a 422 with its
// reason; no CSRF token, no upload; a teacher cannot open the page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createAgent, type Agent } from '../helpers/agent.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { multipartBody } from '../helpers/xlsx.ts';
import { createAccount, createTree, nationalIdFor, type Tree } from '../helpers/fixtures.ts';
import { registryPeople } from './helpers.ts';
import { buildZip, csv, enrollment, ENROLLMENT_COLUMNS, MANIFEST_BULK, ORG_COLUMNS, SESSION_COLUMNS, user, USER_COLUMNS } from './zip-builder.ts';

const PASSWORD = 'Modir-Mantagheh-1404!';

describe('OneRoster import page', () => {
  let t: TestApp;
  let tree: Tree;
  let admin: Agent;

  before(async () => {
    t = await startTestApp('postgres', { KELID_ADMIN_MFA: 'optional' });
    tree = await createTree(t.handle.db);
    await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(1), password: PASSWORD, memberships: [{ organizationId: tree.district, role: 'district_admin' }] });
    await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(2), password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'teacher' }] });
    await registryPeople(t.handle.db, [70, 71]);
    admin = createAgent(t.app);
    assert.equal((await admin.submit('/sign-in', { identifier: nationalIdFor(1), password: PASSWORD })).statusCode, 303);
  });
  after(() => t.close());

  const upload = async (agent: Agent, zip: Buffer | undefined, options: { csrf?: boolean; locale?: string; filename?: string; fromImportPage?: boolean } = {}) => {
    const page = await agent.get('/admin/import/oneroster');
    const form = new FormData();
    if (options.csrf !== false) form.set('_csrf', /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!);
    // The page's own hidden field, as a browser sends it (the CSV import page has none).
    if (options.fromImportPage !== true) form.set('form', /name="form" value="([^"]+)"/.exec(page.body)![1]!);
    form.set('file', new Blob(zip === undefined ? [] : [new Uint8Array(zip)], { type: 'application/zip' }), options.filename ?? 'roster.zip');
    const encoded = new Response(form);
    return t.app.inject({
      method: 'POST', url: '/admin/import', payload: Buffer.from(await encoded.arrayBuffer()),
      headers: { 'content-type': encoded.headers.get('content-type')!, 'accept-language': options.locale ?? 'fa', cookie: [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
  };
  const roster = () => buildZip([
    { name: 'manifest.csv', data: MANIFEST_BULK.replace('file.academicSessions,bulk', 'file.academicSessions,absent') },
    { name: 'orgs.csv', data: csv(ORG_COLUMNS, [['sch1', '', '', 'دبستان <b>نو</b>', 'school', '', tree.district]]) },
    { name: 'users.csv', data: csv(USER_COLUMNS, [
      user({ id: 't1', nationalId: nationalIdFor(70), role: 'teacher', orgs: 'sch1' }),
      user({ id: 't2', nationalId: nationalIdFor(999), role: 'teacher', orgs: 'sch1' }),
    ]) },
    { name: 'enrollments.csv', data: csv(ENROLLMENT_COLUMNS, [enrollment('e1', 'sch1', 't1', 'teacher')]) },
  ]);

  test('the form has its CSRF token; an upload shows the counts and each error with its file and line', async () => {
    const page = await admin.get('/admin/import/oneroster');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /enctype="multipart\/form-data"/);
    assert.match(page.body, /name="_csrf"/);
    assert.match(page.body, new RegExp(`سطری است که sourcedId آن <code dir="ltr">${tree.district}</code>`), 'the page says how a file names the importer\'s organization');
    const response = await upload(admin, roster());
    assert.equal(response.statusCode, 200, response.body.slice(0, 500));
    assert.match(response.body, /ایجاد شده: ۳، به‌روز شده: ۰، پایان یافته: ۰، بدون تغییر: ۰، خطا: ۱/);
    assert.match(response.body, /<th scope="row">انتصاب‌ها، از همه فایل‌ها<\/th><td><\/td><td>۱<\/td><td>۰<\/td><td>۰<\/td>/);
    assert.match(response.body, /<h2>سطرهای دارای خطا<\/h2><div class="table-wrap" [^>]*aria-label="سطرهای دارای خطا"/, 'the errors have a heading, and their table its own name');
    assert.match(response.body, /academicSessions\.csv سال تحصیلی نمی‌دهد .+ از ۱۴۰[۰-۹]\/۰۷\/۰۱ تا ۱۴۰[۰-۹]\/۰۶\/۳۱\./, 'the school year the rows took, in the reader\'s calendar');
    assert.match(response.body, /<td dir="ltr">users\.csv<\/td><td>۳<\/td>/);
    assert.doesNotMatch(response.body, /<td dir="ltr">(roles|academicSessions)\.csv<\/td>/, 'no row for a file the zip does not have (a trial read roles.csv: 0 for a 1.1 zip)');
    assert.match(response.body, /<td>۳<\/td><td dir="ltr">userIds<\/td><td><bdi dir="auto">[^<]*\d{10}[^<]*<\/bdi><\/td><td dir="ltr">[۰-۹]{10}<\/td><td>این کد ملی در اطلاعات ثبت احوال یافت نشد/, 'the cell\'s value and whose row it is, beside its problem');
    const school = await t.handle.db.selectFrom('organizations').select('name').where('parent_id', '=', tree.district).where('name', 'like', '%<b>%').executeTakeFirst();
    assert.equal(school?.name, 'دبستان <b>نو</b>', 'stored as text');
    const again = await upload(admin, roster(), { locale: 'he' });
    assert.match(again.body, /נוצרו: 0, עודכנו: 0, הסתיימו: 0, ללא שינוי: 3, שגיאות: 1/);
    assert.doesNotMatch(again.body, /מינויים שהייבוא הזה סיים/, 'nothing ended, no list');
  });

  test('a refusal is drawn on the OneRoster page the file came from: no file, or one file of the export uploaded alone', async () => {
    const empty = await upload(admin, undefined, { filename: '' });
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /<h1>ورود اطلاعات از OneRoster<\/h1>/);
    assert.match(empty.body, /<a lang="he" hreflang="he" href="\/admin\/import\/oneroster\?lang=he">/, 'another language leads back to this page');
    const alone = await upload(admin, Buffer.from(csv(USER_COLUMNS, [user({ id: 't1', nationalId: nationalIdFor(70), role: 'teacher', orgs: 'sch1' })])), { filename: 'users.csv' });
    assert.equal(alone.statusCode, 422);
    assert.match(alone.body, /<h1>ورود اطلاعات از OneRoster<\/h1>/);
    assert.match(alone.body, /یکی از فایل‌های خروجی OneRoster است/);
    assert.match(alone.body, /همین‌جا بارگذاری کنید/, 'the OneRoster page asks for the zip here');
    assert.doesNotMatch(alone.body, /از «ورود اطلاعات از OneRoster» بارگذاری/, 'and does not send the reader to the page they are on');
    // However large: checked before anything is stored (a users.csv over the background threshold was a CSV import's job).
    const large = await upload(admin, Buffer.from(csv(USER_COLUMNS, Array.from({ length: 2100 }, (_, i) => user({ id: `t${i}`, nationalId: nationalIdFor(70), role: 'teacher', orgs: 'sch1' })))), { filename: 'users.csv' });
    assert.equal(large.statusCode, 422);
    assert.match(large.body, /همین‌جا بارگذاری کنید/);
    const other = await upload(admin, Buffer.from(`national_id,role\n${nationalIdFor(70)},teacher\n`), { filename: 'teachers.csv' });
    assert.equal(other.statusCode, 422, 'the CSV import\'s own file is not imported from the OneRoster page');
    assert.match(other.body, /این فایل، فایل zip خروجی OneRoster نیست/);
    const unnamed = await upload(admin, roster(), { filename: 'export' });
    assert.equal(unnamed.statusCode, 200, 'a zip is read as the export whatever its name');
    assert.match(unnamed.body, /انتصاب‌ها، از همه فایل‌ها/);
    const onImportPage = await upload(admin, Buffer.from(csv(USER_COLUMNS, [user({ id: 't1', nationalId: nationalIdFor(70), role: 'teacher', orgs: 'sch1' })])), { filename: 'users.csv', fromImportPage: true });
    assert.equal(onImportPage.statusCode, 422);
    assert.match(onImportPage.body, /<h1>ورود از فایل<\/h1>/, 'a CSV sent to the import page is answered there');
    assert.match(onImportPage.body, /را از «ورود اطلاعات از OneRoster» بارگذاری کنید/, 'which names the OneRoster page');
  });

  test('a later bulk file without a teacher: the report names whose appointment it ended, in the reader\'s digits', async () => {
    const without = buildZip([
      { name: 'manifest.csv', data: MANIFEST_BULK.replace('file.academicSessions,bulk', 'file.academicSessions,absent') },
      { name: 'orgs.csv', data: csv(ORG_COLUMNS, [['sch1', '', '', 'دبستان <b>نو</b>', 'school', '', tree.district]]) },
      { name: 'users.csv', data: csv(USER_COLUMNS, [user({ id: 't2', nationalId: nationalIdFor(999), role: 'teacher', orgs: 'sch1' })]) },
      { name: 'enrollments.csv', data: csv(ENROLLMENT_COLUMNS, []) },
    ]);
    const response = await upload(admin, without);
    assert.equal(response.statusCode, 200);
    const digits = nationalIdFor(70).replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d)));
    assert.match(response.body, /<h2>انتصاب‌هایی که این ورود پایان داد<\/h2>/);
    assert.match(response.body, new RegExp(`<td dir="ltr">${digits}</td><td>معلم</td><td>دبستان &lt;b&gt;نو&lt;/b&gt;</td><td>۱۴۰[۰-۹]/[۰-۹]{2}/[۰-۹]{2}</td>`),
      'the teacher, the role in words, the school escaped, the last day in the reader\'s calendar');
    assert.match(response.body, /<th scope="col">آخرین روز<\/th>/);
  });

  test('the API\'s report carries each error\'s cell value and the role it names, and the lists of moved and ended appointments', async () => {
    const token = (await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: nationalIdFor(1), password: PASSWORD } })).json().token as string;
    const zip = buildZip([
      { name: 'manifest.csv', data: MANIFEST_BULK.replace('file.academicSessions,bulk', 'file.academicSessions,absent') },
      { name: 'orgs.csv', data: csv(ORG_COLUMNS, [['sch1', '', '', 'دبستان <b>نو</b>', 'school', '', tree.district]]) },
      { name: 'users.csv', data: csv(USER_COLUMNS, [
        user({ id: 't1', nationalId: nationalIdFor(70), role: 'teacher', orgs: 'sch1' }),
        user({ id: 'x9', nationalId: nationalIdFor(71), role: '', orgs: '' }),
      ]) },
      { name: 'enrollments.csv', data: csv(ENROLLMENT_COLUMNS, [enrollment('e1', 'sch1', 't1', 'teacher', '2025-13-45'), enrollment('e2', 'sch1', 'x9', 'districtAdministrator')]) },
    ]);
    const body = await multipartBody({ name: 'roster.zip', bytes: zip, type: 'application/zip' });
    const api = await t.app.inject({ method: 'POST', url: '/api/v1/admin/imports', payload: body.payload, headers: { authorization: `Bearer ${token}`, 'content-type': body.contentType, 'accept-language': 'en' } });
    assert.equal(api.statusCode, 200, api.body.slice(0, 500));
    const report = api.json() as { errors: { file: string; line: number; value?: string; params?: { role: string } }[]; updatedAppointments: unknown[]; endedAppointments: unknown[] };
    assert.ok(report.errors.some((e) => e.file === 'enrollments.csv' && e.value === '2025-13-45' && (e as { nationalId?: string }).nationalId === nationalIdFor(70)), JSON.stringify(report.errors));
    assert.ok(report.errors.some((e) => e.file === 'enrollments.csv' && e.params?.role === 'district_admin'), JSON.stringify(report.errors));
    assert.ok(Array.isArray(report.updatedAppointments) && Array.isArray(report.endedAppointments));
  });

  test('a file whose every school year is over says so, which year it held and which it gave the rows, not that it has none', async () => {
    const delta = MANIFEST_BULK.replace('file.users,bulk', 'file.users,delta').replace('file.enrollments,bulk', 'file.enrollments,delta');
    const lastYears = buildZip([
      { name: 'manifest.csv', data: delta },
      { name: 'academicSessions.csv', data: csv(SESSION_COLUMNS, [['y19', '', '', 'תש"ף', 'schoolYear', '2019-09-01', '2020-06-30', '', '2020'], ['y20', '', '', 'תשפ"א', 'schoolYear', '2020-09-01', '2021-06-30', '', '2021']]) },
      { name: 'orgs.csv', data: csv(ORG_COLUMNS, [['sch1', '', '', 'دبستان <b>نو</b>', 'school', '', tree.district]]) },
      { name: 'users.csv', data: csv(USER_COLUMNS, []) },
      { name: 'enrollments.csv', data: csv(ENROLLMENT_COLUMNS, []) },
    ]);
    const response = await upload(admin, lastYears, { locale: 'he' });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /כל שנות הלימודים ב-academicSessions.csv כבר הסתיימו \(האחרונה: מ-01\.09\.2020 עד 30\.06\.2021\)/, 'the latest of the file\'s years, in the reader\'s dates');
    assert.doesNotMatch(response.body, /אינו נותן שנת לימודים/, 'not "the file gives no school year"');
    const none = await upload(admin, buildZip([
      { name: 'manifest.csv', data: delta.replace('file.academicSessions,bulk', 'file.academicSessions,absent') },
      { name: 'orgs.csv', data: csv(ORG_COLUMNS, [['sch1', '', '', 'دبستان <b>نو</b>', 'school', '', tree.district]]) },
      { name: 'users.csv', data: csv(USER_COLUMNS, []) }, { name: 'enrollments.csv', data: csv(ENROLLMENT_COLUMNS, []) },
    ]), { locale: 'he' });
    assert.match(none.body, /academicSessions.csv אינו נותן שנת לימודים/, 'without the file, the message it had');
    const broken = await upload(admin, buildZip([
      { name: 'manifest.csv', data: delta },
      { name: 'academicSessions.csv', data: csv(SESSION_COLUMNS, [['y20', '', '', 'תשפ"א', 'schoolYear', '2020-09-01', '2021-06-30', '', '2021'], ['y26', '', '', 'תשפ"ז', 'schoolYear', '2026-13-01', '2027-06-30', '', '2027']]) },
      { name: 'orgs.csv', data: csv(ORG_COLUMNS, [['sch1', '', '', 'دبستان <b>نو</b>', 'school', '', tree.district]]) },
      { name: 'users.csv', data: csv(USER_COLUMNS, []) }, { name: 'enrollments.csv', data: csv(ENROLLMENT_COLUMNS, []) },
    ]), { locale: 'he' });
    assert.doesNotMatch(broken.body, /כבר הסתיימו/, 'a year in error may have been this one: not "all are over"');
  });

  test('a parent linked to one child and not another is a row to check, in its own table, not an error; what the import made and linked is listed by name', async () => {
    await registryPeople(t.handle.db, [72, 73]);
    const delta = MANIFEST_BULK.replace('file.users,bulk', 'file.users,delta').replace('file.enrollments,bulk', 'file.enrollments,delta').replace('file.academicSessions,bulk', 'file.academicSessions,absent');
    const lastZip = buildZip([
      { name: 'manifest.csv', data: delta },
      { name: 'orgs.csv', data: csv(ORG_COLUMNS, [['sch1', '', '', 'دبستان <b>نو</b>', 'school', '', tree.district]]) },
      { name: 'users.csv', data: csv(USER_COLUMNS, [
        user({ id: 'k1', nationalId: nationalIdFor(72), role: 'student', orgs: 'sch1' }),
        user({ id: 'g1', nationalId: nationalIdFor(73), role: 'parent', orgs: 'sch1', agents: 'k1,<k2>' }),
      ]) },
      { name: 'enrollments.csv', data: csv(ENROLLMENT_COLUMNS, [enrollment('ek1', 'sch1', 'k1', 'student')]) },
    ]);
    const response = await upload(admin, lastZip, { locale: 'he' });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /<h2>לבדיקה: שורות שיובאו, אך משהו בהן לא יובא<\/h2>/);
    assert.match(response.body, /<p role="status" class="alert info">/, 'not the all-well colour');
    assert.match(response.body, /<h2>הורים שהייבוא הזה קישר לילדיהם<\/h2>/);
    assert.match(response.body, new RegExp(`<tr><td>آزمون نفر</td><td dir="ltr">${nationalIdFor(73)}</td><td>آزمون نفر</td><td dir="ltr">${nationalIdFor(72)}</td></tr>`), 'the parent, then the child linked');
    assert.match(response.body, /<h2>מינויים שהייבוא הזה יצר<\/h2>/);
    assert.match(response.body, new RegExp(`<td dir="ltr">${nationalIdFor(72)}</td><td>תלמיד</td>`), 'the student\'s appointment made, its role in words');
    // The same zip again makes nothing: no list of what was made, no link listed.
    const again = await upload(admin, lastZip, { locale: 'he' });
    assert.doesNotMatch(again.body, /<h2>מינויים שהייבוא הזה יצר<\/h2>|<h2>הורים שהייבוא הזה קישר/);
    assert.match(response.body, /<td><bdi dir="auto">&lt;k2&gt;<\/bdi><\/td>/, 'the child left out, escaped');
    assert.doesNotMatch(response.body, /<h2>שורות עם שגיאות<\/h2>/, 'no errors table');
  });

  test('a bomb is a 422 with its reason; no CSRF token is refused; a teacher cannot open the page', async () => {
    const bomb = buildZip([{ name: 'manifest.csv', data: MANIFEST_BULK }, { name: 'users.csv', data: Buffer.alloc(20 * 1024 * 1024), declaredSize: 100 }]);
    const refused = await upload(admin, bomb);
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /فایل zip بیش از حد بزرگ است/);
    const traversal = await upload(admin, buildZip([{ name: '../orgs.csv', data: 'x' }]));
    assert.equal(traversal.statusCode, 422);
    assert.match(traversal.body, /فقط باید فایل‌های OneRoster را داشته باشد، همه در ریشه خود یا همه در یک پوشه/);
    assert.equal((await upload(admin, roster(), { csrf: false })).statusCode, 403);
    const teacher = createAgent(t.app);
    assert.equal((await teacher.submit('/sign-in', { identifier: nationalIdFor(2), password: PASSWORD })).statusCode, 303);
    assert.notEqual((await teacher.get('/admin/import/oneroster')).statusCode, 200);
  });
});
