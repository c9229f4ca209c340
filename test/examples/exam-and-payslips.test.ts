// The exam registration registers a student once; payslips show a teacher their own months.
// Both check the role again even though Kelid refuses people without it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildApp as examApp } from '../../examples/exam-registration/server.ts';
import { buildApp as payslipsApp } from '../../examples/payslips/server.ts';
import type { RoleClaim } from '../../examples/shared/claims.ts';
import { readConfig } from '../../examples/shared/config.ts';
import { fakeKelid, person, signIn } from './fake-kelid.ts';

const role = (name: string, organization: string): RoleClaim =>
  ({ role: name, organization, organization_type: 'public', district: null, province: null, starts_on: null, ends_on: null });
const student = person({ sub: 'student-1', roles: [role('student', 'دبستان پسرانه شهید بهشتی')], acting_as: { role: 'student', organization: 'دبستان پسرانه شهید بهشتی' } });
const teacher = person({ sub: 'teacher-1', roles: [role('teacher', 'School A')], acting_as: { role: 'teacher', organization: 'School A' } });
const now = () => new Date('2025-10-20T08:00:00Z');

async function form(app: Awaited<ReturnType<typeof examApp>>, cookie: string, fields: Record<string, string>) {
  return app.inject({ method: 'POST', url: '/register', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString() });
}

describe('exam registration', () => {
  const config = readConfig({}, { clientId: 'exam-registration', clientSecret: 'exam-registration-secret', port: 4001 });

  test('a student sees name and school, must choose an exam, registers once; a second time is told so', async () => {
    const app = await examApp(config, { kelid: fakeKelid(student), now });
    const { cookie } = await signIn(app);
    const home = await app.inject({ url: '/', headers: { cookie } });
    assert.match(home.body, /دبستان پسرانه شهید بهشتی/);
    assert.match(home.body, /سمپاد هفتم[\s\S]*سمپاد دهم/);
    assert.doesNotMatch(home.body, /checked/);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(home.body)?.[1] ?? '';
    assert.equal((await form(app, cookie, { _csrf: csrf })).statusCode, 422);
    assert.equal((await form(app, cookie, { _csrf: 'forged', exam: 'sampad7' })).statusCode, 403);
    const first = await form(app, cookie, { _csrf: csrf, exam: 'sampad10' });
    assert.equal(first.headers.location, '/?registered=1');
    const again = await form(app, cookie, { _csrf: csrf, exam: 'sampad7' });
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /قبلاً ثبت نام کرده‌اید/);
    assert.match(again.body, /سمپاد دهم/);
  });

  test('someone without a student role cannot register', async () => {
    const app = await examApp(config, { kelid: fakeKelid(teacher), now });
    const { cookie } = await signIn(app);
    const home = await app.inject({ url: '/', headers: { cookie } });
    assert.equal(home.statusCode, 403);
    assert.doesNotMatch(home.body, /name="exam"/);
  });
});

describe('payslips', () => {
  const config = readConfig({}, { clientId: 'payslips', clientSecret: 'payslips-secret', port: 4003 });

  test('a teacher sees six Solar Hijri months in rials, and only those', async () => {
    const app = await payslipsApp(config, { kelid: fakeKelid(teacher), now });
    const { cookie } = await signIn(app);
    const list = await app.inject({ url: '/', headers: { cookie } });
    const links = [...list.body.matchAll(/href="\/payslips\/(\d{4}-\d{2})"/g)].map((match) => match[1]);
    assert.deepEqual(links, ['1404-06', '1404-05', '1404-04', '1404-03', '1404-02', '1404-01']);
    const slip = await app.inject({ url: '/payslips/1404-06', headers: { cookie } });
    assert.equal(slip.statusCode, 200);
    assert.match(slip.body, /شهریور ۱۴۰۴/);
    assert.match(slip.body, /ریال/);
    assert.equal((await app.inject({ url: '/payslips/1404-07', headers: { cookie } })).statusCode, 404);
    assert.equal((await app.inject({ url: '/payslips/x', headers: { cookie } })).statusCode, 404);
  });

  test('with KELID_PROFILE=il: Gregorian months and shekels', async () => {
    const app = await payslipsApp(readConfig({ KELID_PROFILE: 'il' }, { clientId: 'payslips', clientSecret: 's', port: 4003 }), { kelid: fakeKelid(teacher), now });
    const { cookie } = await signIn(app);
    const slip = await app.inject({ url: '/payslips/2025-09?lang=he', headers: { cookie } });
    assert.equal(slip.statusCode, 200);
    assert.match(slip.body, /ספטמבר 2025/);
    assert.match(slip.body, /₪/);
  });

  test('a student who got this far sees no payslips', async () => {
    const app = await payslipsApp(config, { kelid: fakeKelid(student), now });
    const { cookie } = await signIn(app);
    assert.equal((await app.inject({ url: '/', headers: { cookie } })).statusCode, 403);
    assert.equal((await app.inject({ url: '/payslips/1404-06', headers: { cookie } })).statusCode, 403);
  });
});
