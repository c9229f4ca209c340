// Values the database would refuse never reach it (review i9, finding 5): a value a pattern
// alone checked (`2026-02-30` fits `\d{4}-\d{2}-\d{2}`), or one decoded from a cursor in the
// URL, is checked against its column's type first. Before, each of these was a 500.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { isIsoDate } from '../../src/domain/iso-date.ts';
import { parseCursor } from '../../src/admin/user-table.ts';
import { createAgent } from '../helpers/agent.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor, type Tree } from '../helpers/fixtures.ts';

const PASSWORD = 'Modir-Madreseh-1404!';
const cursor = (value: unknown) => Buffer.from(JSON.stringify([value, randomUUID()])).toString('base64url');

describe('values checked against their column (pure)', () => {
  test('an ISO date is a real day of the calendar, written as the database writes it', () => {
    for (const good of ['2026-02-28', '2028-02-29', '1990-01-01']) assert.equal(isIsoDate(good), true, good);
    for (const bad of ['2026-02-30', '2026-13-45', '2026-00-10', '2027-02-29', '2026-2-3', '۲۰۲۶-۰۱-۰۱', '0000-01-01', ' 2026-01-01']) assert.equal(isIsoDate(bad), false, bad);
  });

  test('a cursor fits its sort column or is ignored', () => {
    assert.equal(parseCursor(cursor('x'), 'starts_on'), undefined);
    assert.equal(parseCursor(cursor('2026-02-30'), 'starts_on'), undefined);
    assert.equal(parseCursor(cursor('2026-02-28'), 'starts_on')?.value, '2026-02-28');
    assert.equal(parseCursor(cursor('\u0000'), 'last_name'), undefined);
    assert.equal(parseCursor(cursor('\ud800'), 'first_name'), undefined);
    assert.equal(parseCursor(cursor('احمدی'), 'last_name')?.value, 'احمدی');
    assert.equal(parseCursor(cursor('wizard'), 'role'), undefined);
    assert.equal(parseCursor(cursor('teacher'), 'role')?.value, 'teacher');
  });
});

describe('values the database would refuse, over HTTP', () => {
  let t: TestApp;
  let tree: Tree;
  let token: string;
  let membershipId: string;
  const adminId = nationalIdFor(4801);

  before(async () => {
    t = await startTestApp('pglite', { KELID_ADMIN_MFA: 'optional' });
    tree = await createTree(t.handle.db);
    await createAccount(t.handle.db, t.hasher, { nationalId: adminId, password: PASSWORD, memberships: [{ organizationId: tree.district, role: 'district_admin' }] });
    membershipId = (await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(4802), password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'teacher' }] })).membershipIds[0]!;
    await t.handle.db.insertInto('people').values({ national_id: nationalIdFor(4803), first_name: 'ثبت', last_name: 'احوال', birth_date: '1990-01-01' }).execute();
    token = (await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: adminId, password: PASSWORD } })).json().token;
  });
  after(() => t.close());

  const api = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: { authorization: `Bearer ${token}`, 'accept-language': 'en' }, ...(payload ? { payload } : {}) });

  test('a cursor that does not fit its sort is ignored, in the API and on the page: the first page, not a 500', async () => {
    const agent = createAgent(t.app);
    await agent.submit('/sign-in', { identifier: adminId, password: PASSWORD });
    for (const [sort, value] of [['starts_on', 'x'], ['starts_on', '2026-02-30'], ['last_name', '\u0000'], ['first_name', '\ud800'], ['role', 'wizard'], ['organization', 'a\u0000b']] as const) {
      const response = await api('GET', `/api/v1/admin/users?sort=${sort}&after=${cursor(value)}`);
      assert.equal(response.statusCode, 200, `${sort} ${JSON.stringify(value)}: ${response.body.slice(0, 200)}`);
      assert.equal(response.json().users.length, 2);
      const page = await agent.get(`/admin/users?sort=${sort}&after=${cursor(value)}`);
      assert.equal(page.statusCode, 200, `page: ${sort} ${JSON.stringify(value)}`);
    }
  });

  test('a sort the API does not have is a 400 naming the field, not a list in another order', async () => {
    for (const sort of ['bogus', 'password_hash', 'LAST_NAME', '']) {
      const response = await api('GET', `/api/v1/admin/users?sort=${encodeURIComponent(sort)}`);
      assert.equal(response.statusCode, 400, `${sort}: ${response.body.slice(0, 200)}`);
      assert.equal(response.json().error.field, 'sort');
    }
    assert.equal((await api('GET', '/api/v1/admin/users?sort=first_name')).statusCode, 200);
  });

  test('a date that is no day of the calendar is a 422 naming the field, when adding and when editing', async () => {
    const edited = await api('POST', `/api/v1/admin/memberships/${membershipId}`, { start: '2026-02-30', end: '2026-13-45' });
    assert.equal(edited.statusCode, 422, edited.body);
    assert.deepEqual([edited.json().error.code, edited.json().error.field], ['date.invalid', 'start']);
    const endOnly = await api('POST', `/api/v1/admin/memberships/${membershipId}`, { start: '2026-02-28', end: '2026-13-45' });
    assert.deepEqual([endOnly.statusCode, endOnly.json().error.field], [422, 'end']);
    for (const [start, end, field] of [['2026-02-30', '2026-06-30', 'start'], ['2026-01-01', '2026-04-31', 'end'], ['0000-00-00', '2026-06-30', 'start']] as const) {
      const added = await api('POST', '/api/v1/admin/users', { nationalId: nationalIdFor(4803), role: 'teacher', organizationId: tree.schoolA, start, end });
      assert.equal(added.statusCode, 422, added.body);
      assert.deepEqual([added.json().error.code, added.json().error.field], ['date.invalid', field]);
    }
    const memberships = await t.handle.db.selectFrom('memberships').select('id').execute();
    assert.equal(memberships.length, 2, 'nothing was added');
  });

  test('ids in the path that are no UUID PostgreSQL takes (an urn:uuid:, braces) answer 404, never 500', async () => {
    const id = randomUUID();
    for (const odd of [`urn:uuid:${id}`, `{${id}}`, id.replaceAll('-', ''), id.toUpperCase(), 'x', '-1']) {
      const session = await api('DELETE', `/api/v1/sessions/${encodeURIComponent(odd)}`);
      assert.ok(session.statusCode >= 400 && session.statusCode < 500, `sessions/${odd}: ${session.statusCode}`);
      for (const [method, url] of [['GET', '/users/:id'], ['POST', '/users/:id/password-reset'], ['POST', '/memberships/:id/end'], ['GET', '/password-batches/:id'], ['POST', '/accounts/:id/approve']] as const) {
        const response = await api(method, `/api/v1/admin${url.replace(':id', encodeURIComponent(odd))}`);
        assert.ok(response.statusCode >= 400 && response.statusCode < 500, `${method} ${url} ${odd}: ${response.statusCode}`);
      }
    }
  });

  test('text the pages cut themselves keeps an emoji whole (a search box never shows half of one as "\ufffd")', async () => {
    const agent = createAgent(t.app);
    await agent.submit('/sign-in', { identifier: adminId, password: PASSWORD });
    const users = await agent.get(`/admin/users?nationalId=${encodeURIComponent(`${'1'.repeat(19)}😀`)}`);
    assert.equal(users.statusCode, 200);
    assert.ok(!users.body.includes('\ufffd'), 'no replacement character on the users page');
    const audit = await agent.get(`/admin/audit?type=${encodeURIComponent(`${'a'.repeat(39)}😀`)}&nationalId=${encodeURIComponent(`${'1'.repeat(19)}😀`)}`);
    assert.equal(audit.statusCode, 200);
    assert.ok(!audit.body.includes('\ufffd'), 'no replacement character on the audit page');
    assert.match(audit.body, new RegExp(`value="${'a'.repeat(39)}"`));
  });
});
