import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from '../../src/db/database.ts';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { loadDemoData } from '../../src/demo/demo-data.ts';
import { checkIdentificationAnswer } from '../../src/identity/identification-answers.ts';
import type { DemoOptions, DemoSummary } from '../../src/demo/demo-data.ts';
import { buildDemoPopulation } from '../../src/demo/demo-population.ts';
import { isValidNationalId } from '../../src/domain/national-id.ts';
import { appointmentDefaults } from '../../src/domain/school-year.ts';
import { activeMemberships } from '../../src/identity/memberships.ts';
import { createPasswordHasher } from '../../src/identity/passwords.ts';
import { hmacHex } from '../../src/secrets.ts';
import { openTestDatabase } from '../helpers/app.ts';

const TODAY = '2025-11-20';
const PASSWORD = 'Kelid-Demo-1405';
const hasher = createPasswordHasher({ memoryCost: 8192, timeCost: 1, parallelism: 1 });
const key = Buffer.alloc(32, 3);
const options = (profile: 'ir' | 'il'): DemoOptions => ({ profile, password: PASSWORD, hasher, today: TODAY, personalDataKey: key, clientSecretKey: Buffer.alloc(32, 6) });

let database: Awaited<ReturnType<typeof openTestDatabase>>;
let handle: DatabaseHandle;
let summary: DemoSummary;

before(async () => {
  database = await openTestDatabase('postgres');
  handle = database.handle;
  summary = await loadDemoData(handle, options('ir'));
});
after(async () => {
  await database.close();
});

async function accountOf(nationalId: string) {
  return handle.db.selectFrom('people as p').innerJoin('accounts as a', 'a.person_id', 'p.id')
    .innerJoin('credentials as c', 'c.account_id', 'a.id')
    .select(['p.id as personId', 'a.id as accountId', 'a.status', 'a.mobile', 'a.email', 'p.birth_serial_hmac', 'c.password_hash', 'c.must_change'])
    .where('p.national_id', '=', nationalId).executeTakeFirstOrThrow();
}

async function rolesOf(nationalId: string) {
  const memberships = await activeMemberships(handle.db, (await accountOf(nationalId)).accountId, TODAY);
  return memberships.map((membership) => `${membership.role}@${membership.organization.name}`).sort();
}

describe('demo data (Iran, PostgreSQL)', () => {
  test('loads about 2,000 students and 100 teachers into a tree with every school type', async (t) => {
    t.diagnostic(`demo loaded on PostgreSQL in ${summary.milliseconds} ms`);
    assert.equal(summary.loaded, true);
    assert.ok(summary.counts.students >= 1900 && summary.counts.students <= 2100, `${summary.counts.students} students`);
    assert.ok(summary.counts.teachers >= 100, `${summary.counts.teachers} teachers`);
    const types = await handle.db.selectFrom('organizations').select('type').distinct().execute();
    assert.deepEqual(types.map((row) => row.type).sort(), ['district', 'gifted', 'ministry', 'non_public', 'province', 'public', 'special']);
    const students = await handle.db.selectFrom('memberships').select((eb) => eb.fn.countAll<string>().as('n')).where('role', '=', 'student').executeTakeFirstOrThrow();
    assert.equal(Number(students.n), summary.counts.students);
  });

  test('every organization path is its parent path plus its own id', async () => {
    const rows = await handle.db.selectFrom('organizations as o').leftJoin('organizations as parent', 'parent.id', 'o.parent_id')
      .select(['o.id', 'o.path', 'o.level', 'o.code', 'parent.path as parentPath']).execute();
    for (const row of rows) {
      assert.equal(row.path, `${row.parentPath ?? '/'}${row.id}/`);
      if (row.level === 'school') assert.ok(row.code, 'schools have a code');
    }
  });

  test('the principal of school A also teaches at school B, with the documented contact details and serial', async () => {
    assert.deepEqual(await rolesOf('0012345679'), ['principal@دبستان پسرانه شهید بهشتی', 'teacher@دبیرستان پسرانه البرز']);
    const principal = await accountOf('0012345679');
    assert.deepEqual([principal.mobile, principal.email], ['+989121234567', 'principal@example.org']);
    assert.equal(principal.birth_serial_hmac, hmacHex(key, '123456'));
  });

  test('the other fixed accounts hold their documented roles', async () => {
    assert.deepEqual(await rolesOf('0034567895'), ['principal@دبیرستان پسرانه البرز']);
    assert.deepEqual(await rolesOf('0023456787'), ['district_admin@تهران منطقه ۶']);
    // The teacher is also a pupil's mother there: one person, two apps (payslips, the parents portal).
    assert.deepEqual(await rolesOf('0067891233'), ['mother@دبستان پسرانه شهید بهشتی', 'teacher@دبستان پسرانه شهید بهشتی']);
    assert.deepEqual(await rolesOf('0045678911'), ['student@دبستان پسرانه شهید بهشتی']);
    assert.deepEqual(await rolesOf('0056789122'), ['father@دبستان پسرانه شهید بهشتی']);
    assert.deepEqual(await rolesOf('0098765434'), ['ministry_admin@وزارت آموزش و پرورش']);
    const schools = await handle.db.selectFrom('organizations as s').innerJoin('organizations as d', 'd.id', 's.parent_id')
      .select(['s.name', 'd.name as district']).where('s.name', 'in', ['دبستان پسرانه شهید بهشتی', 'دبیرستان پسرانه البرز']).execute();
    assert.deepEqual(schools.map((school) => school.district), ['تهران منطقه ۶', 'تهران منطقه ۶']);
  });

  test('the ministry administrator is appointed at the root of the tree', async () => {
    assert.ok(isValidNationalId('0098765434', 'ir'));
    const ministry = await handle.db.selectFrom('memberships as m').innerJoin('organizations as o', 'o.id', 'm.organization_id')
      .select(['o.parent_id', 'o.level']).where('m.account_id', '=', (await accountOf('0098765434')).accountId).execute();
    assert.deepEqual(ministry, [{ parent_id: null, level: 'ministry' }]);
    assert.deepEqual(summary.fixedAccounts.find((account) => account.nationalId === '0098765434')?.role, 'ministry_admin');
  });

  test('the teacher is the mother of a pupil at school A; the fixed student is in grade 6; the father has a mobile and an email', async () => {
    const teacher = await accountOf('0067891233');
    const children = await handle.db.selectFrom('guardianships as g').innerJoin('accounts as a', 'a.person_id', 'g.child_person_id')
      .innerJoin('memberships as m', 'm.account_id', 'a.id').innerJoin('organizations as o', 'o.id', 'm.organization_id')
      .select(['g.relation', 'o.name', 'm.role', 'm.grade']).where('g.parent_person_id', '=', (await handle.db.selectFrom('accounts').select('person_id').where('id', '=', teacher.accountId).executeTakeFirstOrThrow()).person_id).execute();
    assert.equal(children.length, 1);
    assert.deepEqual({ ...children[0], grade: undefined }, { relation: 'mother', name: 'دبستان پسرانه شهید بهشتی', role: 'student', grade: undefined });
    assert.ok(children[0]!.grade !== null && children[0]!.grade >= 1 && children[0]!.grade <= 6, 'a primary-school grade');
    const student = await handle.db.selectFrom('memberships').select('grade').where('account_id', '=', (await accountOf('0045678911')).accountId).executeTakeFirstOrThrow();
    assert.equal(student.grade, 6);
    const father = await handle.db.selectFrom('accounts').select(['mobile', 'email']).where('id', '=', (await accountOf('0056789122')).accountId).executeTakeFirstOrThrow();
    assert.deepEqual(father, { mobile: '+989121112233', email: 'father@example.org' });
  });

  test('the demo OpenID clients of DESIGN.md are registered, their secrets only as HMACs', async () => {
    const clients = await handle.db.selectFrom('oidc_clients').select(['client_id', 'roles', 'redirect_uris', 'grant_types', 'scopes', 'secret_hmac', 'organization_id']).orderBy('client_id').execute();
    assert.deepEqual(clients.map((c) => c.client_id), ['demo-service', 'exam-registration', 'parents-portal', 'payslips', 'school-sis']);
    const byId = Object.fromEntries(clients.map((c) => [c.client_id, c]));
    assert.deepEqual(byId['exam-registration']!.redirect_uris, ['http://localhost:4001/callback']);
    assert.deepEqual(byId['parents-portal']!.roles, ['father', 'mother', 'guardian']);
    // Each app may ask for every scope of the contract: `children` of a student is an empty list, not invalid_scope.
    for (const app of ['exam-registration', 'parents-portal', 'payslips']) {
      assert.deepEqual([...byId[app]!.scopes].sort(), ['children', 'email', 'national_id', 'offline_access', 'openid', 'phone', 'profile', 'roles'], app);
    }
    assert.deepEqual(byId['payslips']!.redirect_uris, ['http://localhost:4003/callback']);
    assert.ok(byId['payslips']!.roles.includes('teacher') && !byId['payslips']!.roles.includes('student'));
    assert.deepEqual(byId['demo-service']!.grant_types, ['client_credentials']);
    assert.deepEqual(byId['school-sis']!.scopes, ['scim']);
    assert.notEqual(byId['school-sis']!.organization_id, null);
    assert.ok(clients.every((c) => c.secret_hmac !== null && !c.secret_hmac.includes('secret')));
  });

  test('the fixed student’s father is linked as father', async () => {
    const [father, student] = [await accountOf('0056789122'), await accountOf('0045678911')];
    const link = await handle.db.selectFrom('guardianships').selectAll()
      .where('parent_person_id', '=', father.personId).where('child_person_id', '=', student.personId).executeTakeFirst();
    assert.equal(link?.relation, 'father');
  });

  test('the registry holds the people without an account', async () => {
    const rows = await handle.db.selectFrom('people as p').leftJoin('accounts as a', 'a.person_id', 'p.id')
      .select(['p.national_id', 'p.first_name', 'p.last_name', 'p.birth_date', 'a.id as account'])
      .where('p.national_id', 'in', ['0076229645', '1583250689', '0011537027']).orderBy('p.national_id').execute();
    assert.deepEqual(rows.map((row) => [row.national_id, `${row.first_name} ${row.last_name}`, row.birth_date, row.account]), [
      ['0011537027', 'مریم رضایی', '2008-02-19', null],
      ['0076229645', 'سارا احمدی', '2005-09-06', null],
      ['1583250689', 'رضا کریمی', '2011-05-10', null],
    ]);
  });

  test('every student has a father with a father membership at the student’s school', async () => {
    const orphans = await sql<{ n: string }>`
      select count(*) as n from memberships sm
      join accounts sa on sa.id = sm.account_id
      where sm.role = 'student' and not exists (
        select 1 from guardianships g
        join accounts fa on fa.person_id = g.parent_person_id
        join memberships fm on fm.account_id = fa.id and fm.role = 'father' and fm.organization_id = sm.organization_id
        where g.child_person_id = sa.person_id and g.relation = 'father')`.execute(handle.db);
    assert.equal(Number(orphans.rows[0]?.n), 0);
  });

  test('every national ID is valid and every account is active with the demo password', async () => {
    const people = await handle.db.selectFrom('people').select('national_id').execute();
    assert.equal(people.length, summary.counts.people);
    for (const { national_id } of people) assert.ok(national_id !== null && isValidNationalId(national_id, 'ir'), national_id ?? 'null');
    const accounts = await handle.db.selectFrom('accounts as a').innerJoin('credentials as c', 'c.account_id', 'a.id')
      .select(['a.status', 'c.must_change', 'c.password_hash']).execute();
    assert.ok(accounts.every((account) => account.status === 'active' && !account.must_change));
    const hashes = new Set(accounts.map((account) => account.password_hash));
    assert.equal(hashes.size, 1, 'one hash, computed once');
    assert.ok((await hasher.check([...hashes][0] ?? '', PASSWORD)).valid);
  });

  test('appointments run over the current school year; a non-public school’s end in Ordibehesht', async () => {
    const rows = await handle.db.selectFrom('memberships as m').innerJoin('organizations as o', 'o.id', 'm.organization_id')
      .select(['o.type', 'm.starts_on', 'm.ends_on']).distinct().execute();
    for (const row of rows) {
      const expected = appointmentDefaults('ir', row.type, TODAY);
      assert.deepEqual([row.starts_on, row.ends_on], [expected.start, expected.end], row.type);
    }
    assert.deepEqual(appointmentDefaults('ir', 'non_public', TODAY).end, '2026-05-21');
  });

  test('records one demo.loaded audit event', async () => {
    const events = await handle.db.selectFrom('audit_events').select('data').where('type', '=', 'demo.loaded').execute();
    assert.equal(events.length, 1);
    assert.equal(events[0]?.data.students, summary.counts.students);
  });

  test('a second load writes nothing', async () => {
    const again = await loadDemoData(handle, options('ir'));
    assert.equal(again.loaded, false);
    assert.equal(again.counts.people, 0);
    const people = await handle.db.selectFrom('people').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(people.n), summary.counts.people);
  });

  test('the generated people are the same every time', () => {
    const build = () => buildDemoPopulation({ profile: 'ir', today: TODAY, passwordHash: 'x', serialHmac: (serial) => serial })
      .people.map((person) => `${person.national_id} ${person.first_name} ${person.last_name} ${person.birth_date}`);
    assert.deepEqual(build(), build());
  });
});

describe('demo data (Israel, PGlite)', () => {
  test('loads on a fresh embedded database with valid Israeli IDs and Hebrew names', async (t) => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'kelid-demo-'));
    const embedded = await openDatabase({ databaseUrl: undefined, dataDir, poolSize: 1 });
    try {
      await migrate(embedded);
      const result = await loadDemoData(embedded, options('il'));
      t.diagnostic(`demo loaded on PGlite in ${result.milliseconds} ms`);
      assert.equal(result.loaded, true);
      assert.ok(result.milliseconds < 15_000, `${result.milliseconds} ms`);
      assert.deepEqual(result.fixedAccounts.map((account) => account.role),
        ['principal', 'principal', 'district_admin', 'teacher', 'student', 'father', 'ministry_admin']);
      // The same memorable digit runs as Iran's codes: 0098765434 becomes 09876543 and its check digit.
      const ministryAdmin = result.fixedAccounts.find((account) => account.role === 'ministry_admin')?.nationalId ?? '';
      assert.equal(ministryAdmin, '098765431');
      const root = await embedded.db.selectFrom('memberships as m').innerJoin('accounts as a', 'a.id', 'm.account_id')
        .innerJoin('people as p', 'p.id', 'a.person_id').innerJoin('organizations as o', 'o.id', 'm.organization_id')
        .select(['m.role', 'o.parent_id']).where('p.national_id', '=', ministryAdmin).execute();
      assert.deepEqual(root, [{ role: 'ministry_admin', parent_id: null }]);
      // Recovery in Israel's profile asks the identification question: the principal's answer is the README's.
      const principalIl = await embedded.db.selectFrom('people as p').innerJoin('accounts as a', 'a.person_id', 'p.id').select('a.id')
        .where('p.national_id', '=', '012345674').executeTakeFirstOrThrow();
      assert.equal(await checkIdentificationAnswer(embedded.db, hasher, principalIl.id, ' הרצל '), true);
      assert.equal(await checkIdentificationAnswer(embedded.db, hasher, principalIl.id, 'البرز'), false);
      const people = await embedded.db.selectFrom('people').select(['national_id', 'first_name']).execute();
      for (const person of people) {
        assert.ok(person.national_id !== null && /^[0-9]{9}$/.test(person.national_id) && isValidNationalId(person.national_id, 'il'), person.national_id ?? 'null');
        assert.match(person.first_name, /^[\u0590-\u05ff ]+$/);
      }
      const principal = result.fixedAccounts[0]?.nationalId ?? '';
      const memberships = await embedded.db.selectFrom('memberships as m').innerJoin('accounts as a', 'a.id', 'm.account_id')
        .innerJoin('people as p', 'p.id', 'a.person_id').select(['m.role', 'm.starts_on', 'm.ends_on'])
        .where('p.national_id', '=', principal).orderBy('m.role').execute();
      assert.deepEqual(memberships, [
        { role: 'principal', starts_on: '2025-09-01', ends_on: '2026-06-30' },
        { role: 'teacher', starts_on: '2025-09-01', ends_on: '2026-06-30' },
      ]);
    } finally {
      await embedded.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
