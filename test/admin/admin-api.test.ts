// The admin API and its scope (F20–F26, B1): two schools in one district and a school in
// another. Every route is tried from inside and from outside the scope: outside answers
// exactly like a user that does not exist.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor, type NewAccount, type Tree } from '../helpers/fixtures.ts';

const PASSWORD = 'Modir-Madreseh-1404!';

describe('admin API scope', () => {
  let t: TestApp;
  let tree: Tree;
  const tokens: Record<string, string> = {};
  const people: Record<string, { accountId: string; nationalId: string; membershipIds: string[] }> = {};

  before(async () => {
    t = await startTestApp('postgres', { KELID_ADMIN_MFA: 'optional' });
    tree = await createTree(t.handle.db);
    const add = async (key: string, n: number, memberships: NonNullable<NewAccount['memberships']>) => {
      const nationalId = nationalIdFor(n);
      const made = await createAccount(t.handle.db, t.hasher, { nationalId, password: PASSWORD, firstName: key, memberships });
      people[key] = { accountId: made.accountId, nationalId, membershipIds: made.membershipIds };
    };
    await add('principalA', 1, [{ organizationId: tree.schoolA, role: 'principal' }]);
    await add('principalB', 2, [{ organizationId: tree.schoolB, role: 'principal' }]);
    await add('districtAdmin', 3, [{ organizationId: tree.district, role: 'district_admin' }]);
    await add('teacherA', 4, [{ organizationId: tree.schoolA, role: 'teacher' }]);
    await add('teacherB', 5, [{ organizationId: tree.schoolB, role: 'teacher' }]);
    await add('studentA', 6, [{ organizationId: tree.schoolA, role: 'student' }]);
    await add('teacherC', 7, [{ organizationId: tree.schoolC, role: 'teacher' }]);
    await add('ministryAdmin', 9, [{ organizationId: tree.ministry, role: 'ministry_admin' }]);
    await add('pendingPerson', 10, []);
    await t.handle.db.updateTable('accounts').set({ status: 'pending', profile_completed_at: new Date('2025-11-19T10:00:00Z') }).where('id', '=', people.pendingPerson!.accountId).execute();
    await add('formerPrincipal', 8, [{ organizationId: tree.schoolB, role: 'principal', startsOn: '2024-09-22', endsOn: '2025-09-22' }]);
    // People in the registry with no account yet.
    for (const n of [20, 21, 22]) await t.handle.db.insertInto('people').values({ national_id: nationalIdFor(n), first_name: `ثبت${n}`, last_name: 'احوال', birth_date: '1990-01-01' }).execute();
    for (const key of ['principalA', 'principalB', 'districtAdmin', 'teacherA', 'formerPrincipal', 'ministryAdmin']) {
      tokens[key] = (await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: people[key]!.nationalId, password: PASSWORD } })).json().token;
    }
  });
  after(() => t.close());

  const call = (who: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({ method, url: `/api/v1/admin${url}`, headers: { authorization: `Bearer ${tokens[who]}`, 'accept-language': 'fa' }, ...(payload ? { payload } : {}) });
  const notFound = (response: { statusCode: number; json(): { error: { code: string } } }) => {
    assert.equal(response.statusCode, 404);
    assert.equal(response.json().error.code, 'admin.user_not_found');
  };

  test('the table holds the subtree only: a principal sees the school, the district admin both schools, nobody the other district', async () => {
    const listed = async (who: string) => (await call(who, 'GET', '/users')).json().users.map((u: { firstName: string }) => u.firstName).sort();
    assert.deepEqual(await listed('principalA'), ['principalA', 'studentA', 'teacherA']);
    const district = await listed('districtAdmin');
    assert.ok(district.includes('teacherB') && district.includes('teacherA') && !district.includes('teacherC'), district.join());
    const searched = await call('principalA', 'GET', `/users?nationalId=${people.teacherB!.nationalId}`);
    assert.deepEqual(searched.json().users, [], 'searching another school finds nothing');
    const byRole = await call('principalA', 'GET', '/users?role=teacher');
    assert.deepEqual(byRole.json().users.map((u: { firstName: string }) => u.firstName), ['teacherA']);
    const row = (await call('districtAdmin', 'GET', `/users?nationalId=${people.teacherA!.nationalId}`)).json().users[0];
    assert.equal(row.district, 'مشهد ناحیه ۵');
    assert.equal(row.province, 'خراسان رضوی');
    assert.equal(row.organizationType, 'public');
  });

  test('reading, resetting and ending outside the scope answer like a user that does not exist', async () => {
    const ghost = '00000000-0000-4000-8000-000000000000';
    for (const id of [people.teacherB!.accountId, people.teacherC!.accountId, ghost]) {
      notFound(await call('principalA', 'GET', `/users/${id}`));
      notFound(await call('principalA', 'POST', `/users/${id}/password-reset`));
    }
    const other = (await call('principalA', 'GET', `/users/${people.teacherB!.accountId}`)).body;
    assert.equal(other, (await call('principalA', 'GET', `/users/${ghost}`)).body, 'the very same answer');
    notFound(await call('principalA', 'POST', `/memberships/${people.teacherB!.membershipIds[0]}/end`));
    notFound(await call('principalA', 'POST', `/users/${people.principalB!.accountId}/password-reset`));
    // Inside the subtree but not below the actor's rank: a principal does not reset a principal.
    notFound(await call('districtAdmin', 'POST', `/users/${people.districtAdmin!.accountId}/password-reset`));
    const outside = await call('principalA', 'POST', '/users', { nationalId: nationalIdFor(20), role: 'teacher', organizationId: tree.schoolB });
    assert.equal(outside.statusCode, 404);
    assert.equal((await call('principalA', 'GET', '/users/not-a-uuid')).statusCode, 404);
  });

  test('an ended appointment grants nothing; a teacher is no admin', async () => {
    const former = await call('formerPrincipal', 'GET', '/users');
    assert.equal(former.statusCode, 403);
    assert.equal(former.json().error.code, 'admin.not_admin');
    assert.equal((await call('teacherA', 'GET', '/users')).statusCode, 403);
    assert.equal((await t.app.inject('/api/v1/admin/users')).statusCode, 401);
  });

  test('new user: the registry name and the school-year dates; an existing account gets a membership, never a second account', async () => {
    const added = await call('principalA', 'POST', '/users', { nationalId: nationalIdFor(20), role: 'teacher' });
    assert.equal(added.statusCode, 201, added.body);
    const { accountId: _a, membershipId: _m, ...shown } = added.json() as Record<string, unknown>;
    assert.deepEqual(shown, { firstName: 'ثبت20', lastName: 'احوال', start: '2025-09-23', end: '2026-09-22', newAccount: true });
    const again = await call('principalA', 'POST', '/users', { nationalId: nationalIdFor(20), role: 'teacher' });
    assert.equal(again.json().error.code, 'admin.membership_exists');
    assert.equal((await call('principalA', 'POST', '/users', { nationalId: nationalIdFor(999), role: 'teacher' })).json().error.code, 'registry.not_found');
    assert.equal((await call('principalA', 'POST', '/users', { nationalId: '0012345678', role: 'teacher' })).json().error.code, 'national_id.checksum');
    assert.equal((await call('principalA', 'POST', '/users', { nationalId: nationalIdFor(21), role: 'principal' })).json().error.code, 'admin.role_not_allowed');

    const teacherBHere = await call('principalA', 'POST', '/users', { nationalId: people.teacherB!.nationalId, role: 'teacher', start: '2025-10-01', end: '2026-06-30' });
    assert.equal(teacherBHere.statusCode, 201);
    assert.equal(teacherBHere.json().accountId, people.teacherB!.accountId);
    assert.equal(teacherBHere.json().newAccount, false);
    const principal = await call('districtAdmin', 'POST', '/users', { nationalId: nationalIdFor(22), role: 'principal', organizationId: tree.schoolB });
    assert.equal(principal.statusCode, 201, 'the district admin appoints principals below it');
  });

  test('the same appointment asked for several times at once (a double submit, two tabs, two administrators) is made once; an edit racing them makes no overlap', async () => {
    const count = async (accountId: string) => Number((await t.handle.db.selectFrom('memberships').select((eb) => eb.fn.countAll<string>().as('n'))
      .where('account_id', '=', accountId).where('organization_id', '=', tree.schoolA).where('role', '=', 'staff').executeTakeFirstOrThrow()).n);
    // An existing account (teacherB: its account decides no race) and a new one (person 23: the unique account key would decide that one).
    await t.handle.db.insertInto('people').values({ national_id: nationalIdFor(23), first_name: 'ثبت23', last_name: 'احوال', birth_date: '1990-01-01' }).execute();
    for (const nationalId of [people.teacherB!.nationalId, nationalIdFor(23)]) {
      const answers = await Promise.all(['principalA', 'principalA', 'districtAdmin', 'principalA', 'districtAdmin', 'principalA']
        .map((who) => call(who, 'POST', '/users', { nationalId, role: 'staff', organizationId: tree.schoolA })));
      assert.deepEqual(answers.map((answer) => answer.statusCode).sort(), [201, 422, 422, 422, 422, 422], nationalId);
      assert.ok(answers.filter((answer) => answer.statusCode === 422).every((answer) => answer.json().error.code === 'admin.membership_exists'));
      const accountId = answers.find((answer) => answer.statusCode === 201)!.json().accountId as string;
      assert.equal(await count(accountId), 1, nationalId);
    }
    // Next year's appointment added while this year's is stretched into next year: one of the two is refused.
    const accountId = people.teacherB!.accountId;
    const current = await t.handle.db.selectFrom('memberships').select('id').where('account_id', '=', accountId).where('organization_id', '=', tree.schoolA).where('role', '=', 'staff').executeTakeFirstOrThrow();
    const [stretched, next] = await Promise.all([
      call('principalA', 'POST', `/memberships/${current.id}`, { start: '2025-09-23', end: '2027-06-30' }),
      call('principalA', 'POST', '/users', { nationalId: people.teacherB!.nationalId, role: 'staff', start: '2026-09-23', end: '2027-09-22' }),
    ]);
    assert.equal([stretched.statusCode, next.statusCode].filter((status) => status === 422).length, 1, `${stretched.body} ${next.body}`);
  });

  test('parents are linked to a student of the school (F25)', async () => {
    const father = await call('principalA', 'POST', '/users', { nationalId: nationalIdFor(21), role: 'father', childNationalId: people.studentA!.nationalId });
    assert.equal(father.statusCode, 201, father.body);
    const detail = (await call('principalA', 'GET', `/users/${father.json().accountId}`)).json();
    assert.deepEqual(detail.children.map((c: { nationalId: string; relation: string }) => [c.nationalId, c.relation]), [[people.studentA!.nationalId, 'father']]);
    const notAStudent = await call('principalA', 'POST', '/users', { nationalId: nationalIdFor(21), role: 'mother', childNationalId: people.teacherB!.nationalId });
    assert.equal(notAStudent.json().error.code, 'admin.child_not_found');
    assert.equal((await call('principalA', 'POST', '/users', { nationalId: nationalIdFor(21), role: 'guardian' })).json().error.code, 'admin.child_required');
  });

  test('reset: a temporary password shown once, changed at the next sign-in, every session ended, audited', async () => {
    const teacherSession = tokens.teacherA!;
    const reset = await call('principalA', 'POST', `/users/${people.teacherA!.accountId}/password-reset`);
    assert.equal(reset.statusCode, 200);
    const temporary = reset.json().temporaryPassword;
    assert.match(temporary, /^[A-Z][a-z]{3}-\d{4}$/);
    assert.equal((await t.app.inject({ url: '/api/v1/sessions/current', headers: { authorization: `Bearer ${teacherSession}` } })).statusCode, 401);
    const signIn = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: people.teacherA!.nationalId, password: temporary } });
    assert.equal(signIn.statusCode, 201);
    assert.equal(signIn.json().mustChangePassword, true);
    const audit = (await call('principalA', 'GET', '/audit?type=admin.password_reset')).json().events;
    assert.equal(audit[0].subjectNationalId, people.teacherA!.nationalId);
    assert.equal(audit[0].actingRole, 'principal');
    const elsewhere = (await call('principalB', 'GET', '/audit')).json().events;
    assert.ok(!elsewhere.some((e: { subjectNationalId: string }) => e.subjectNationalId === people.teacherA!.nationalId), 'school B sees nothing of school A');
  });

  test('ending and renewing appointments (F26)', async () => {
    const renewed = await call('principalA', 'POST', '/memberships/renew', { all: true, role: 'student' });
    assert.deepEqual(renewed.json(), { renewed: 1, skipped: 0 });
    assert.deepEqual((await call('principalA', 'POST', '/memberships/renew', { all: true, role: 'student' })).json(), { renewed: 0, skipped: 2 }, 'once: the renewed one has not started, the old one has a successor');
    const ended = await call('principalA', 'POST', `/memberships/${people.studentA!.membershipIds[0]}/end`);
    assert.deepEqual(ended.json(), { endsOn: '2025-11-19' });
    const student = (await call('principalA', 'GET', `/users/${people.studentA!.accountId}`)).json();
    assert.deepEqual(student.memberships.map((m: { startsOn: string; endsOn: string }) => [m.startsOn, m.endsOn]), [['2026-09-23', '2027-09-22'], ['2025-09-23', '2025-11-19']]);
  });

  test('approvals of pre-registrations (F14): the ministry approves, a principal may not', async () => {
    assert.equal((await call('principalA', 'GET', '/approvals')).statusCode, 403);
    assert.equal((await call('principalA', 'POST', `/accounts/${people.pendingPerson!.accountId}/approve`)).statusCode, 403);
    const waiting = (await call('ministryAdmin', 'GET', '/approvals')).json().accounts;
    assert.deepEqual(waiting.map((a: { accountId: string }) => a.accountId), [people.pendingPerson!.accountId]);
    assert.equal((await call('ministryAdmin', 'POST', `/accounts/${people.pendingPerson!.accountId}/approve`)).statusCode, 200);
    assert.equal((await call('ministryAdmin', 'POST', `/accounts/${people.pendingPerson!.accountId}/approve`)).statusCode, 404, 'once');
    const account = await t.handle.db.selectFrom('accounts').select('status').where('id', '=', people.pendingPerson!.accountId).executeTakeFirstOrThrow();
    assert.equal(account.status, 'active');
  });

  test('hostile input on every admin call: a 4xx naming the problem, never a 500, nothing written', async () => {
    const before = await t.handle.db.selectFrom('memberships').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const bad: unknown[] = [['a'], { $gt: '' }, 12345, null, true, 'abc\u0000def', 'ی'.repeat(100_000), '\u200f\u200e', "' or 1=1 --"];
    for (const value of bad) {
      for (const [method, url, body] of [
        ['POST', '/users', { nationalId: value, role: 'teacher' }], ['POST', '/users', { nationalId: nationalIdFor(21), role: value }],
        ['POST', '/users', { nationalId: nationalIdFor(21), role: 'teacher', start: value }], ['POST', '/users', { nationalId: nationalIdFor(21), role: 'teacher', organizationId: value }],
        ['POST', '/password-batches', { userIds: value }], ['POST', '/memberships/renew', { membershipIds: value }],
        ['GET', `/users?nationalId=${encodeURIComponent(String(value))}`, undefined], ['GET', `/users?sort=${encodeURIComponent(String(value))}&page=${encodeURIComponent(String(value))}`, undefined],
        ['GET', `/audit?type=${encodeURIComponent(String(value).slice(0, 100))}`, undefined],
      ] as const) {
        const response = await call('principalA', method, url, body as object | undefined);
        assert.ok(response.statusCode < 500, `${method} ${url} ${JSON.stringify(body)?.slice(0, 60)}: ${response.statusCode}`);
        assert.doesNotMatch(response.body, /\bat .+\.(ts|js):\d+|select |insert into/i);
      }
    }
    const after = await t.handle.db.selectFrom('memberships').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    assert.equal(after.n, before.n);
  });

  test("appointing a higher rank or another school's principal as a teacher gives no hold on their password; an ended teacher neither", async () => {
    for (const key of ['ministryAdmin', 'principalB']) {
      const added = await call('principalA', 'POST', '/users', { nationalId: people[key]!.nationalId, role: 'teacher' });
      assert.equal(added.statusCode, 201, added.body);
      notFound(await call('principalA', 'POST', `/users/${people[key]!.accountId}/password-reset`));
      const batch = await call('principalA', 'POST', '/password-batches', { userIds: [people[key]!.accountId] });
      assert.equal(batch.json().error.code, 'admin.batch_empty');
    }
    const ended = await t.handle.db.selectFrom('memberships').select('id').where('account_id', '=', people.teacherC!.accountId).executeTakeFirstOrThrow();
    await t.handle.db.insertInto('memberships').values({ account_id: people.teacherC!.accountId, organization_id: tree.schoolA, role: 'teacher', starts_on: '2024-09-22', ends_on: '2025-06-30' }).execute();
    notFound(await call('principalA', 'POST', `/users/${people.teacherC!.accountId}/password-reset`));
    assert.ok(ended.id);
  });

  test("a teacher of two schools is reset by the district above both; the audit log keeps each scope's doings and nobody else's sign-ins", async () => {
    const shared = people.teacherB!; // also a teacher at school A since an earlier test
    notFound(await call('principalA', 'POST', `/users/${shared.accountId}/password-reset`));
    notFound(await call('principalB', 'POST', `/users/${shared.accountId}/password-reset`));
    assert.equal((await call('districtAdmin', 'POST', `/users/${shared.accountId}/password-reset`)).statusCode, 200);
    const seenByA = (await call('principalA', 'GET', '/audit')).json().events;
    assert.ok(!seenByA.some((e: { type: string; subjectNationalId: string }) => e.type === 'admin.password_reset' && e.subjectNationalId === shared.nationalId), 'the district acted, not school A');
    const seenByDistrict = (await call('districtAdmin', 'GET', '/audit?type=admin.password_reset')).json().events;
    assert.ok(seenByDistrict.some((e: { subjectNationalId: string }) => e.subjectNationalId === shared.nationalId));
    // The ministry admin was appointed a "teacher" of school A by an earlier test (A sees that act): their sign-ins stay theirs.
    const signIns = (await call('principalA', 'GET', '/audit?type=sign_in')).json().events;
    assert.ok(signIns.some((e: { subjectNationalId: string }) => e.subjectNationalId === people.teacherA!.nationalId), "school A's own people's sign-ins are there");
    assert.ok(!signIns.some((e: { subjectNationalId: string }) => e.subjectNationalId === people.ministryAdmin!.nationalId));
  });

  test('keyset pages (after=) give the very rows of numbered pages, both ways, ties included; a forged cursor is ignored', async () => {
    const ids = Array.from({ length: 130 }, (_, i) => nationalIdFor(5000 + i));
    await sql`insert into people (national_id, first_name, last_name, birth_date)
      select id, 'نام', 'خانواده' || (ord % 5), '2010-01-01' from unnest(${ids}::text[]) with ordinality as t(id, ord)`.execute(t.handle.db);
    await sql`insert into accounts (person_id, user_code) select id, 'K' || lpad((row_number() over ())::text, 7, '0') from people where national_id = any(${ids}::text[])`.execute(t.handle.db);
    await sql`insert into memberships (account_id, organization_id, role, starts_on, ends_on)
      select a.id, ${tree.schoolA}::uuid, 'student', '2025-09-23', '2026-09-22' from accounts a join people p on p.id = a.person_id where p.national_id = any(${ids}::text[])`.execute(t.handle.db);
    for (const [sort, dir] of [['last_name', 'asc'], ['last_name', 'desc'], ['starts_on', 'asc'], ['role', 'desc']] as const) {
      const numbered: string[] = [];
      for (let page = 1; page <= 3; page++) numbered.push(...(await call('principalA', 'GET', `/users?role=student&sort=${sort}&dir=${dir}&page=${page}`)).json().users.map((u: { membershipId: string }) => u.membershipId));
      const keyed: string[] = [];
      let after: string | null = null;
      for (let page = 1; page <= 3; page++) {
        const answer: { users: { membershipId: string }[]; next: string | null } = (await call('principalA', 'GET', `/users?role=student&sort=${sort}&dir=${dir}&page=${page}${after ? `&after=${after}` : ''}`)).json();
        keyed.push(...answer.users.map((u: { membershipId: string }) => u.membershipId));
        after = answer.next;
      }
      assert.deepEqual(keyed, numbered, `${sort} ${dir}`);
      assert.equal(new Set(keyed).size, keyed.length);
    }
    const forged = await call('principalA', 'GET', `/users?role=student&page=2&after=${Buffer.from('["x","not-a-uuid"]').toString('base64url')}`);
    assert.equal(forged.statusCode, 200, 'a malformed cursor falls back to the page number');
  });
});

