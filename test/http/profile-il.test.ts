// The Israeli profile: Hebrew by default, 9-digit IDs, the demo principal's role choice.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { demoKeys, loadDemoData } from '../../src/demo/demo-data.ts';
import { deriveKeys } from '../../src/secrets.ts';
import { createAgent } from '../helpers/agent.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

describe('the il profile', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp('pglite', { KELID_PROFILE: 'il', KELID_ADMIN_MFA: 'optional' });
    t.clock.set(new Date('2026-11-25T08:00:00Z'));
    await loadDemoData(t.handle, { profile: 'il', password: 'Kelid-Demo-1405', hasher: t.hasher, today: '2026-11-25', ...demoKeys(deriveKeys(t.config.secret!)) });
  });
  after(() => t.close());

  test('pages are Hebrew and right to left by default', async () => {
    const page = await createAgent(t.app).get('/sign-in');
    assert.match(page.body, /<html lang="he" dir="rtl">/);
  });

  test('the demo principal signs in with a short ID (padded to 9 digits) and is asked to choose a role', async () => {
    const agent = createAgent(t.app);
    const response = await agent.submit('/sign-in', { identifier: '12345674', password: 'Kelid-Demo-1405' });
    assert.equal(response.headers.location, '/role');
    const role = await agent.get('/role');
    assert.match(role.body, /בחרו תפקיד וארגון/);
    assert.equal([...role.body.matchAll(/name="membershipId"/g)].length, 2);
  });

  test('Hebrew has one date format, DD.MM.YYYY, in the tables, forms, hints, home page and activity, and takes it back', async () => {
    const principal = createAgent(t.app);
    await principal.submit('/sign-in', { identifier: '012345674', password: 'Kelid-Demo-1405' });
    const rolePage = await principal.get('/role');
    const principalRole = /value="([^"]+)"[^>]*>\s*<span><strong>מנהל/.exec(rolePage.body)?.[1];
    assert.ok(principalRole);
    await principal.submit('/role', { membershipId: principalRole });
    const isoDate = /\b20\d\d-\d\d-\d\d\b/;

    const home = await principal.get('/');
    assert.match(home.body, /מ-01\.09\.2026 עד 30\.06\.2027/, 'the appointment on the home page');
    const table = await principal.get('/admin/users?role=teacher');
    assert.match(table.body, /<td>01\.09\.2026<\/td><td>30\.06\.2027<\/td>/);
    assert.doesNotMatch(table.body, isoDate);

    const form = await principal.get('/admin/users/new');
    assert.match(form.body, /value="01\.09\.2026"/, 'the default start, as the table shows it');
    assert.match(form.body, /לדוגמה: 23\.09\.2025/);
    assert.doesNotMatch(form.body, isoDate);
    const saved = await principal.submit('/admin/users/new', { action: 'save', nationalId: '039337423', role: 'teacher', start: '01.09.2026', end: '30.06.2027', childNationalId: '', organizationId: '' });
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 400));
    const added = await t.handle.db.selectFrom('memberships as m').innerJoin('accounts as a', 'a.id', 'm.account_id').innerJoin('people as p', 'p.id', 'a.person_id')
      .select(['m.id', 'm.starts_on', 'm.ends_on']).where('p.national_id', '=', '039337423').executeTakeFirstOrThrow();
    assert.deepEqual([added.starts_on, added.ends_on], ['2026-09-01', '2027-06-30']);

    const edit = await principal.get(`/admin/memberships/${added.id}/edit`);
    assert.match(edit.body, /value="01\.09\.2026"/);
    assert.match(edit.body, /לדוגמה: 23\.09\.2025/);
    assert.equal((await principal.submit(`/admin/memberships/${added.id}/edit`, { start: '15.09.2026', end: '2027-06-29' })).statusCode, 303, 'day first, or ISO as before');
    const edited = await t.handle.db.selectFrom('memberships').select(['starts_on', 'ends_on']).where('id', '=', added.id).executeTakeFirstOrThrow();
    assert.deepEqual([edited.starts_on, edited.ends_on], ['2026-09-15', '2027-06-29']);

    assert.match((await principal.get('/account/activity')).body, /<span class="when">\d\d\.\d\d\.20\d\d \d\d:\d\d<\/span>/);
    const english = await principal.get('/admin/users?role=teacher&lang=en');
    assert.match(english.body, /<td>2026-09-15<\/td><td>2027-06-29<\/td>/, 'English: ISO, shown as typed');
    assert.doesNotMatch(english.body, /\d\d\/\d\d\/20\d\d/, 'never the ambiguous 01/09/2026');
    assert.match((await principal.get('/admin/users/new')).body, /value="2026-09-01"[\s\S]*e\.g\. 2025-09-23/);
  });

  test('a Hebrew registration asks the birth date day first and reads it', async () => {
    const agent = createAgent(t.app);
    const flowUrl = String((await agent.get('/register?lang=he')).headers.location);
    await agent.submit(flowUrl, { accept: 'yes' });
    const details = await agent.get(flowUrl);
    assert.match(details.body, /תאריך לידה \(לדוגמה 19\.02\.2008\)/);
    const submitted = await agent.submit(flowUrl, {
      nationality: 'citizen', firstName: 'תמר', lastName: 'שפירא', nationalId: '001153709', birthDate: '19.02.2008',
      mobile: '0502345699', email: 'tamar@example.org', password: 'Tamar-Shapira-2008!', repeat: 'Tamar-Shapira-2008!', captcha: '',
    });
    assert.equal(submitted.statusCode, 422);
    assert.doesNotMatch(submitted.body, /התאריך אינו תקין/);
    assert.match(submitted.body, /class="errors" id="captcha-error"/, 'only the (unsolved) captcha is left');
  });

  test('an Israeli ID with a wrong check digit is refused in Hebrew', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', headers: { 'accept-language': 'he' }, payload: { identifier: '039337422', password: 'x' } });
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().error.message, 'מספר הזהות אינו תקין');
  });
});
