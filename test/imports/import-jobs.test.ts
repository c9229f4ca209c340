// Large imports in the background (issue 13 §4), the threshold lowered to 5 rows: the API
// answers 202 and the job's address, the page redirects to a progress page that refreshes
// itself without JavaScript and ends with the report; a job a stopped process left running is
// taken up again; a file refused whole fails its job with the reason and writes nothing; only
// the sender sees a job.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { createAgent, type Agent } from '../helpers/agent.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor, type Tree } from '../helpers/fixtures.ts';
import { buildXlsx, multipartBody } from '../helpers/xlsx.ts';
import { runImportJob, unfinishedImportJobs } from '../../src/admin/imports/jobs.ts';

const PASSWORD = 'Modir-Madreseh-1404!';
const csvOf = (ids: number[], role = 'student') => `national_id,role\n${ids.map((n) => `${nationalIdFor(n)},${role}`).join('\n')}\n`;

describe('Background imports', () => {
  let t: TestApp;
  let tree: Tree;
  let token: string;
  let principal: Agent;
  let principalId: { accountId: string; membershipId: string };

  before(async () => {
    t = await startTestApp('postgres', { KELID_ADMIN_MFA: 'optional', KELID_IMPORT_BACKGROUND_ROWS: '5' });
    tree = await createTree(t.handle.db);
    const account = await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(1), password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'principal' }] });
    const membership = await t.handle.db.selectFrom('memberships').select('id').where('account_id', '=', account.accountId).executeTakeFirstOrThrow();
    principalId = { accountId: account.accountId, membershipId: membership.id };
    await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(2), password: PASSWORD, memberships: [{ organizationId: tree.schoolB, role: 'principal' }] });
    for (let n = 100; n < 140; n++) await t.handle.db.insertInto('people').values({ national_id: nationalIdFor(n), first_name: `نفر${n}`, last_name: 'آزمون', birth_date: '2012-01-01' }).execute();
    token = (await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: nationalIdFor(1), password: PASSWORD } })).json().token;
    principal = createAgent(t.app);
    assert.equal((await principal.submit('/sign-in', { identifier: nationalIdFor(1), password: PASSWORD })).statusCode, 303);
  });
  after(() => t.close());

  const api = (url: string, token_ = token) => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token_}`, 'accept-language': 'en' } });
  const until = async (url: string, token_ = token) => {
    for (let i = 0; i < 100; i++) {
      const job = (await api(url, token_)).json();
      if (job.state !== 'running') return job;
      await sleep(100);
    }
    throw new Error('the job did not end');
  };
  const memberships = async () => Number((await t.handle.db.selectFrom('memberships').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

  test('API: a small file answers its report at once, a large one 202 and the job, whose report has the same shape', async () => {
    const small = await t.app.inject({ method: 'POST', url: '/api/v1/admin/imports', payload: csvOf([100, 101]), headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' } });
    assert.equal(small.statusCode, 200);
    assert.equal(small.json().created, 2);
    const large = await t.app.inject({
      method: 'POST', url: '/api/v1/admin/imports', payload: `${csvOf([102, 103, 104, 105, 106, 107])}123,teacher\n`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', 'accept-language': 'en' },
    });
    assert.equal(large.statusCode, 202, large.body);
    const { id, location, state } = large.json();
    assert.equal(state, 'running');
    assert.equal(large.headers.location, location);
    assert.equal(location, `/api/v1/admin/imports/${id}`);
    const job = await until(location);
    assert.equal(job.state, 'done');
    assert.deepEqual({ created: job.report.created, updated: job.report.updated, rejected: job.report.rejected, total: job.total, done: job.done }, { created: 6, updated: 0, rejected: 1, total: 7, done: 7 });
    assert.deepEqual(job.report.errors, [{ line: 8, field: 'national_id', code: 'national_id.format', message: job.report.errors[0].message }]);
    assert.match(job.report.errors[0].message, /[a-z]/i, 'in the reader\'s language');
    const stored = await t.handle.db.selectFrom('import_jobs').select(['file', 'state']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual(stored, { file: null, state: 'done' }, 'the file is erased once imported');
    const otherToken = (await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: nationalIdFor(2), password: PASSWORD } })).json().token;
    assert.equal((await api(location, otherToken)).statusCode, 404, 'another administrator\'s job does not exist for them');
    assert.equal((await api('/api/v1/admin/imports/not-a-uuid')).statusCode, 404);
  });

  test('page: a large XLSX redirects to its progress page, which refreshes itself until the report shows', async () => {
    const page = await principal.get('/admin/import');
    const xlsx = await buildXlsx([{ rows: [['national_id', 'role'], ...[110, 111, 112, 113, 114, 115].map((n) => [nationalIdFor(n), 'دانش آموز'])] }]);
    const body = await multipartBody({ name: 'big.xlsx', bytes: xlsx }, { _csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)![1]! });
    const posted = await t.app.inject({
      method: 'POST', url: '/admin/import', payload: body.payload,
      headers: { 'content-type': body.contentType, cookie: [...principal.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    assert.equal(posted.statusCode, 303, posted.body.slice(0, 300));
    const progress = String(posted.headers.location);
    assert.match(progress, /^\/admin\/imports\/[0-9a-f-]{36}$/);
    let shown = await principal.get(progress);
    for (let i = 0; i < 100 && shown.headers.refresh !== undefined; i++) { await sleep(100); shown = await principal.get(progress); }
    assert.equal(shown.statusCode, 200);
    assert.equal(shown.headers.refresh, undefined, 'no refresh once done');
    assert.match(shown.body, /۶ مورد ایجاد شد، ۰ مورد از قبل وجود داشت، ۰ مورد پذیرفته نشد/);
    assert.match(shown.body, /<td>۷<\/td>/, 'the spreadsheet\'s row numbers');
  });

  test('a job left running by a stopped process: its page refreshes, and it is taken up again', async () => {
    const before_ = await memberships();
    const [job] = await t.handle.db.insertInto('import_jobs').values({
      actor_account_id: principalId.accountId, acting_membership_id: principalId.membershipId, organization_id: tree.schoolA, kind: 'csv',
      file: Buffer.from(csvOf([120, 121, 122, 123, 124, 125, 126])), state: 'running', total: 7,
    }).returning('id').execute();
    const waiting = await principal.get(`/admin/imports/${job!.id}`);
    assert.equal(waiting.headers.refresh, '2', 'the page asks to be loaded again');
    assert.match(waiting.body, /<progress/);
    assert.match(waiting.body, /فایل دریافت شد/);
    assert.match(waiting.body, /<a href="\/guides\/admin-import" rel="help">راهنما<\/a>/, 'the progress page links the import guide, as the import page does');
    assert.ok((await unfinishedImportJobs(t.handle.db)).includes(job!.id));
    // What the next start does for each unfinished job.
    await runImportJob({ db: t.handle.db, profile: 'ir', today: () => '2025-11-20', now: () => new Date() }, job!.id);
    assert.equal(await memberships(), before_ + 7);
    const done = await principal.get(`/admin/imports/${job!.id}`);
    assert.equal(done.headers.refresh, undefined);
    assert.match(done.body, /۷ مورد ایجاد شد/);
    // Run again (a second process, or a retry): nothing more is done.
    await runImportJob({ db: t.handle.db, profile: 'ir', today: () => '2025-11-20', now: () => new Date() }, job!.id);
    assert.equal(await memberships(), before_ + 7);
  });

  test('a large file refused whole: its job fails with the reason, nothing written', async () => {
    const before_ = await memberships();
    const bad = await t.app.inject({
      method: 'POST', url: '/api/v1/admin/imports', payload: `nationalid,role\n${csvOf([130, 131, 132, 133, 134, 135]).split('\n').slice(1).join('\n')}`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    });
    assert.equal(bad.statusCode, 202);
    const job = await until(bad.json().location);
    assert.equal(job.state, 'failed');
    assert.equal(job.failure.code, 'import.bad_header_unknown');
    assert.match(job.failure.message, /national_id,role/);
    assert.equal(await memberships(), before_);
    const page = await principal.get(`/admin/imports/${job.id}`);
    assert.match(page.body, /ورود این فایل انجام نشد/);
    // A large file that is not what its name says is refused before it is stored.
    const renamed = await multipartBody({ name: 'users.xlsx', bytes: Buffer.from(csvOf([130, 131, 132, 133, 134, 135])) });
    const refused = await t.app.inject({ method: 'POST', url: '/api/v1/admin/imports', payload: renamed.payload, headers: { authorization: `Bearer ${token}`, 'content-type': renamed.contentType } });
    assert.equal(refused.statusCode, 422, 'a renamed CSV is refused at once, not stored');
    assert.equal(refused.json().error.code, 'import.not_xlsx');
    assert.equal(await t.handle.db.selectFrom('import_jobs').select('id').where('state', '=', 'running').executeTakeFirst(), undefined);
  });
});
