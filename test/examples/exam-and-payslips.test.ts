// The exam registration registers a student once; payslips show a teacher their own months.
// Both check the role again even though Kelid refuses people without it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildApp as examApp } from '../../examples/exam-registration/server.ts';
import { buildApp as payslipsApp } from '../../examples/payslips/server.ts';
import type { RoleClaim } from '../../examples/shared/claims.ts';
import { readConfig } from '../../examples/shared/config.ts';
import { fakeKelid, person, signIn } from './fake-kelid.ts';

const role = (name: string, organization: string, grade: number | null = null): RoleClaim =>
  ({ role: name, organization, organization_id: `id-of-${organization}`, organization_type: 'public', district: null, province: null, starts_on: null, ends_on: null, grade });
const acting = (name: string, organization: string) => ({ role: name, organization, organization_id: `id-of-${organization}` });
const schoolA = 'دبستان پسرانه شهید بهشتی';
const studentIn = (grade: number | null, sub = `student-${grade}`) => person({ sub, roles: [role('student', schoolA, grade)], acting_as: acting('student', schoolA) });
const student = studentIn(6);
const teacher = person({ sub: 'teacher-1', roles: [role('teacher', 'School A')], acting_as: acting('teacher', 'School A') });
const now = () => new Date('2025-10-20T08:00:00Z');

async function form(app: Awaited<ReturnType<typeof examApp>>, cookie: string, fields: Record<string, string>) {
  return app.inject({ method: 'POST', url: '/register', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString() });
}
const csrfOf = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? '';

describe('exam registration', () => {
  const config = readConfig({}, { clientId: 'exam-registration', clientSecret: 'exam-registration-secret', port: 4001 });

  test('a student in grade 6 sees name, school and grade, is offered SAMPAD 7th only, registers once; a second time is told so', async () => {
    const app = await examApp(config, { kelid: fakeKelid(student), now });
    const { cookie } = await signIn(app);
    const home = await app.inject({ url: '/', headers: { cookie } });
    assert.match(home.body, /دبستان پسرانه شهید بهشتی/);
    assert.match(home.body, /<dt>پایه<\/dt><dd>۶<\/dd>/);
    assert.match(home.body, /name="exam" value="sampad7"/);
    assert.match(home.body, /ثبت نام در آزمون سمپاد هفتم/);
    assert.doesNotMatch(home.body, /sampad10/);
    const csrf = csrfOf(home.body);
    assert.equal((await form(app, cookie, { _csrf: csrf })).statusCode, 422, 'no exam named');
    const wrong = await form(app, cookie, { _csrf: csrf, exam: 'sampad10' });
    assert.equal(wrong.statusCode, 422, 'the other grade\'s exam');
    assert.match(wrong.body, /این آزمون برای پایه شما نیست/);
    assert.equal((await form(app, cookie, { _csrf: 'forged', exam: 'sampad7' })).statusCode, 403);
    const first = await form(app, cookie, { _csrf: csrf, exam: 'sampad7' });
    assert.equal(first.headers.location, '/?registered=1');
    const again = await form(app, cookie, { _csrf: csrf, exam: 'sampad7' });
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /قبلاً ثبت نام کرده‌اید/);
    assert.match(again.body, /سمپاد هفتم/);
  });

  test('grade 9 is offered SAMPAD 10th; the grade is the acting appointment\'s, not another school\'s', async () => {
    const ninth = person({ sub: 'ninth', roles: [role('student', 'Old school', 6), role('student', 'New school', 9)], acting_as: acting('student', 'New school') });
    const app = await examApp(config, { kelid: fakeKelid(ninth), now });
    const { cookie } = await signIn(app);
    const home = await app.inject({ url: '/?lang=en', headers: { cookie } });
    assert.match(home.body, /name="exam" value="sampad10"/);
    assert.match(home.body, /Register for SAMPAD grade 10/);
    assert.equal((await form(app, cookie, { _csrf: csrfOf(home.body), exam: 'sampad10' })).statusCode, 303);
  });

  test('other grades, and a student with no grade, are told why there is nothing to register for, in their language', async () => {
    for (const [grade, lang, why] of [
      [8, 'fa', /پایه شما در کلید ۸ است، پس امسال آزمونی برای ثبت نام شما نیست/],
      [10, 'he', /לפי קליד הכיתה שלך היא 10/],
      [null, 'en', /Kelid has no grade recorded for you/],
    ] as const) {
      const app = await examApp(config, { kelid: fakeKelid(studentIn(grade)), now });
      const { cookie } = await signIn(app);
      const home = await app.inject({ url: `/?lang=${lang}`, headers: { cookie } });
      assert.equal(home.statusCode, 200);
      assert.match(home.body, why);
      assert.doesNotMatch(home.body, /name="exam"/);
      const posted = await form(app, cookie, { _csrf: csrfOf(home.body), exam: 'sampad7' });
      assert.equal(posted.statusCode, 422, `grade ${grade} cannot register`);
    }
  });

  test('the user code and the tracking code keep Latin digits, left to right, in Persian; the national ID takes Persian digits', async () => {
    const app = await examApp(config, { kelid: fakeKelid(person({ ...student, user_code: 'GATC2RXN' })), now });
    const { cookie } = await signIn(app);
    const home = await app.inject({ url: '/', headers: { cookie } });
    assert.match(home.body, /<bdi dir="ltr" class="code">GATC-2RXN<\/bdi>/);
    assert.match(home.body, /۰۰۵۶۷۸۹۱۲۲/);
    await form(app, cookie, { _csrf: csrfOf(home.body), exam: 'sampad7' });
    const receipt = await app.inject({ url: '/?registered=1', headers: { cookie } });
    assert.match(receipt.body, /<bdi dir="ltr" class="code">\d{10}<\/bdi>/);
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
