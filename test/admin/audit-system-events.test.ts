// Events of no person or school (issue 9, item 6): the SMS budget breaker, the demo load, a
// registry import, sign-ins on unknown identifiers, a self-registered person's doings. On the
// demo data, the ministry administrator (0098765434, acting at the root of the tree) reads them
// in the console and the API; every admin below the root does not, and neither does a
// "ministry admin" appointed below it. The rule stays narrow: nobody's school events spill.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { loadDemoData } from '../../src/demo/demo-data.ts';
import { importRegistry } from '../../src/identity/registry.ts';
import { checkSendAllowed } from '../../src/notify/send-limits.ts';
import { createAgent } from '../helpers/agent.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, nationalIdFor } from '../helpers/fixtures.ts';

const DEMO_PASSWORD = 'Kelid-Demo-1405';
const MINISTRY_ADMIN = '0098765434';
const DISTRICT_ADMIN = '0023456787';
const PRINCIPAL_A = '0012345679';
const SELF_REGISTERED = nationalIdFor(901);
const UNKNOWN = nationalIdFor(902);
const SYSTEM_TYPES = ['sms.budget_exceeded', 'demo.loaded', 'registry.imported'];

type Event = { type: string; subjectNationalId: string | null };

describe('system events in the audit log', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};

  before(async () => {
    t = await startTestApp('postgres', { KELID_ADMIN_MFA: 'optional' });
    await loadDemoData(t.handle, { profile: 'ir', password: DEMO_PASSWORD, hasher: t.hasher, today: '2025-11-20', personalDataKey: Buffer.alloc(32, 5), clientSecretKey: Buffer.alloc(32, 6) });
    const db = t.handle.db;
    const orgId = async (name: string) => (await db.selectFrom('organizations').select(['id', 'parent_id']).where('name', '=', name).executeTakeFirstOrThrow());
    const district = await orgId('تهران منطقه ۶');
    // The demo has no province admin; a deputy of school A is generated.
    await createAccount(db, t.hasher, { nationalId: nationalIdFor(903), password: DEMO_PASSWORD, memberships: [{ organizationId: district.parent_id!, role: 'province_admin' }] });
    // A ministry_admin appointed below the root (the console refuses it; the data may still hold it).
    await createAccount(db, t.hasher, { nationalId: nationalIdFor(904), password: DEMO_PASSWORD, memberships: [{ organizationId: district.parent_id!, role: 'ministry_admin' }] });
    // A second ministry administrator: of the same rank, so their own sign-ins stay theirs.
    const root = await db.selectFrom('organizations').select('id').where('parent_id', 'is', null).executeTakeFirstOrThrow();
    await createAccount(db, t.hasher, { nationalId: nationalIdFor(905), password: DEMO_PASSWORD, memberships: [{ organizationId: root.id, role: 'ministry_admin' }] });
    await createAccount(db, t.hasher, { nationalId: SELF_REGISTERED, password: DEMO_PASSWORD, status: 'pending' });
    const deputy = await db.selectFrom('memberships as m').innerJoin('organizations as o', 'o.id', 'm.organization_id')
      .innerJoin('accounts as a', 'a.id', 'm.account_id').innerJoin('people as p', 'p.id', 'a.person_id')
      .select('p.national_id').where('m.role', '=', 'deputy').where('o.name', '=', 'دبستان پسرانه شهید بهشتی').executeTakeFirstOrThrow();

    const signIn = async (identifier: string, password = DEMO_PASSWORD) =>
      t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier, password } });
    for (const [key, nationalId] of [['ministry', MINISTRY_ADMIN], ['district', DISTRICT_ADMIN], ['principal', PRINCIPAL_A], ['deputy', deputy.national_id!],
      ['province', nationalIdFor(903)], ['lowMinistry', nationalIdFor(904)], ['otherMinistry', nationalIdFor(905)]] as const) {
      const answer = (await signIn(nationalId)).json();
      tokens[key] = answer.token;
      // The demo principal also teaches at school B: act as the principal.
      const admin = answer.memberships.find((m: { role: string }) => m.role !== 'teacher');
      if (answer.memberships.length > 1) {
        await t.app.inject({ method: 'PUT', url: '/api/v1/sessions/current/membership', headers: { authorization: `Bearer ${answer.token}` }, payload: { membershipId: admin.id } });
      }
    }

    // The events of no school, each written by its real producer.
    const limits = { ...t.config.sendLimits, smsBudgetPerHour: 1 };
    for (const to of ['+989120000001', '+989120000002', '+989120000003']) await checkSendAllowed(db, { channel: 'sms', to, ip: '198.51.100.7' }, limits, t.clock.now());
    await importRegistry(db, Readable.from([Buffer.from(`national_id,first_name,last_name,birth_date\n${nationalIdFor(906)},نرگس,امینی,1990-01-01\n`)]), { profile: 'ir', personalDataKey: Buffer.alloc(32, 5), source: 'registry.csv' });
    assert.equal((await signIn(UNKNOWN, 'Wrong-Password-1')).statusCode, 401);
    assert.equal((await signIn(SELF_REGISTERED, 'Wrong-Password-1')).statusCode, 401);
  });
  after(() => t.close());

  const audit = async (who: string, query = '', lang = 'fa'): Promise<Event[]> => {
    const response = await t.app.inject({ url: `/api/v1/admin/audit${query}`, headers: { authorization: `Bearer ${tokens[who]}`, 'accept-language': lang } });
    assert.equal(response.statusCode, 200, `${who}: ${response.body}`);
    return response.json().events;
  };
  const isSystem = (e: Event) => SYSTEM_TYPES.includes(e.type) || (e.type.startsWith('sign_in.') && (e.subjectNationalId === null || e.subjectNationalId === SELF_REGISTERED));

  test('the ministry administrator finds the SMS breaker, the demo load and the registry import, filtered or not', async () => {
    for (const type of SYSTEM_TYPES) assert.equal((await audit('ministry', `?type=${type}`)).length, 1, type);
    assert.equal((await audit('ministry', '?type=sms')).length, 1, 'a filter by prefix finds the breaker too');
    const all = await audit('ministry');
    for (const type of SYSTEM_TYPES) assert.ok(all.some((e) => e.type === type), `${type} in the unfiltered log`);
  });

  test('the ministry administrator sees sign-in failures on unknown identifiers and on people of no school', async () => {
    const failures = await audit('ministry', '?type=sign_in.failed');
    assert.ok(failures.some((e) => e.subjectNationalId === null), 'the unknown identifier (recorded by kind only)');
    assert.ok(failures.some((e) => e.subjectNationalId === SELF_REGISTERED), 'the self-registered person, appointed nowhere');
    const byPerson = await audit('ministry', `?nationalId=${SELF_REGISTERED}`);
    assert.ok(byPerson.length > 0 && byPerson.every((e) => e.subjectNationalId === SELF_REGISTERED));
  });

  test('nobody below the root sees them: province, district, principal, deputy, a ministry admin appointed lower', async () => {
    for (const who of ['province', 'district', 'principal', 'deputy', 'lowMinistry']) {
      for (const query of ['', '?type=sms.budget_exceeded', '?type=demo', '?type=registry.imported', '?type=sign_in', `?nationalId=${SELF_REGISTERED}`]) {
        const leaked = (await audit(who, query)).filter(isSystem);
        assert.deepEqual(leaked, [], `${who} ${query}`);
      }
    }
  });

  test('the rule stays narrow: another ministry administrator’s own sign-ins are still not the first one’s', async () => {
    const signIns = await audit('ministry', '?type=sign_in.succeeded');
    assert.ok(signIns.some((e) => e.subjectNationalId === DISTRICT_ADMIN), 'the district admin below is the ministry’s');
    assert.ok(!signIns.some((e) => e.subjectNationalId === nationalIdFor(905)), 'an equal is not');
  });

  test('the console page shows the breaker in words to the ministry administrator, in every language, and to nobody below', async () => {
    const ministry = createAgent(t.app);
    assert.equal((await ministry.submit('/sign-in', { identifier: MINISTRY_ADMIN, password: DEMO_PASSWORD })).statusCode, 303);
    const district = createAgent(t.app);
    assert.equal((await district.submit('/sign-in', { identifier: DISTRICT_ADMIN, password: DEMO_PASSWORD })).statusCode, 303);
    for (const [lang, label] of [['fa', 'پایان سقف ارسال پیامک'], ['he', 'מכסת ה-SMS נוצלה'], ['en', 'SMS budget spent']] as const) {
      const page = await ministry.get(`/admin/audit?type=sms.budget_exceeded&lang=${lang}`);
      assert.equal(page.statusCode, 200);
      assert.ok(page.body.includes(label), `${lang}: ${label}`);
      assert.ok(page.body.includes('198.51.100.7'));
      assert.ok(!(await district.get(`/admin/audit?type=sms.budget_exceeded&lang=${lang}`)).body.includes(label), `district, ${lang}`);
    }
    const demo = await ministry.get('/admin/audit?type=demo.loaded&lang=fa');
    assert.match(demo.body, /بارگذاری داده‌های نمایشی/);
    assert.doesNotMatch((await district.get('/admin/audit?lang=fa')).body, /بارگذاری داده‌های نمایشی|ورود اطلاعات ثبت احوال|پایان سقف ارسال پیامک/);
  });
});
