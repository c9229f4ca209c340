// Attack (issue 13 review): a background import holds a 20 MB upload in the database and a long
// transaction while it runs, and every job runs at once. An administrator (or a stolen session)
// posting large files in a loop must not start job after job: while one of theirs is running, a
// new large file is refused with 429 and stored nowhere.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor, type Tree } from '../helpers/fixtures.ts';

const PASSWORD = 'Modir-Madreseh-1404!';
const csvOf = (ids: number[]) => `national_id,role\n${ids.map((n) => `${nationalIdFor(n)},student`).join('\n')}\n`;

describe('Background imports cannot be flooded', () => {
  let t: TestApp;
  let tree: Tree;
  let token: string;
  let principal: { accountId: string; membershipId: string };

  before(async () => {
    t = await startTestApp('pglite', { KELID_ADMIN_MFA: 'optional', KELID_IMPORT_BACKGROUND_ROWS: '5' });
    tree = await createTree(t.handle.db);
    const account = await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(1), password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'principal' }] });
    const membership = await t.handle.db.selectFrom('memberships').select('id').where('account_id', '=', account.accountId).executeTakeFirstOrThrow();
    principal = { accountId: account.accountId, membershipId: membership.id };
    for (let n = 100; n < 120; n++) await t.handle.db.insertInto('people').values({ national_id: nationalIdFor(n), first_name: `نفر${n}`, last_name: 'آزمون', birth_date: '2012-01-01' }).execute();
    token = (await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: nationalIdFor(1), password: PASSWORD } })).json().token;
  });
  after(() => t.close());

  test('while one of the actor\'s jobs runs, another large file is 429 and stores nothing', async () => {
    // A job under way (a 100,000-row file takes minutes): as the runner leaves it while it works.
    await t.handle.db.insertInto('import_jobs').values({
      actor_account_id: principal.accountId, acting_membership_id: principal.membershipId, organization_id: tree.schoolA, kind: 'csv',
      file: Buffer.from(csvOf([100, 101, 102, 103, 104, 105, 106])), state: 'running', total: 7,
    }).execute();
    const jobs = async () => Number((await t.handle.db.selectFrom('import_jobs').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    const before_ = await jobs();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const sent = await t.app.inject({ method: 'POST', url: '/api/v1/admin/imports', payload: csvOf([110, 111, 112, 113, 114, 115, 116]),
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' } });
      statuses.push(sent.statusCode);
    }
    assert.deepEqual(statuses, [429, 429, 429, 429, 429]);
    assert.equal(await jobs(), before_, 'no upload stored');
  });
});
