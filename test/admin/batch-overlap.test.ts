// One set of temporary passwords per person at a time (issue 9, item 7): a batch that is
// running or not yet shown holds its people. A second batch over any of them, or an admin
// reset of one, is refused with admin.batch_overlaps, whoever asks (the principal, the district
// admin above), from the API and the console, with or without an Idempotency-Key; the same
// actor asking again for exactly the same people gets that very batch. Ten parallel clicks on
// real PostgreSQL make one batch. A batch left unshown for a day lets its people go.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SHOW_WITHIN_HOURS } from '../../src/admin/batch-overlap.ts';
import { translator } from '../../src/i18n/catalogs.ts';
import { createAgent, csrfTokenOf, hiddenFieldsOf, type Agent } from '../helpers/agent.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor, type Tree } from '../helpers/fixtures.ts';

const PASSWORD = 'Modir-Madreseh-1404!';

describe('password batches do not overlap', () => {
  let t: TestApp;
  let tree: Tree;
  const tokens: Record<'principal' | 'district' | 'principalB', string> = { principal: '', district: '', principalB: '' };
  const agents: Record<'principal' | 'district', Agent | undefined> = { principal: undefined, district: undefined };
  const teachers: string[] = [];
  let teacherB: string;

  before(async () => {
    t = await startTestApp('postgres', { KELID_ADMIN_MFA: 'optional' });
    tree = await createTree(t.handle.db);
    const add = (n: number, organizationId: string, role: 'principal' | 'district_admin' | 'teacher') =>
      createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(n), password: PASSWORD, lastName: `کاربر${n}`, memberships: [{ organizationId, role }] });
    await add(1, tree.schoolA, 'principal');
    await add(2, tree.schoolB, 'principal');
    await add(3, tree.district, 'district_admin');
    for (let i = 0; i < 12; i++) teachers.push((await add(100 + i, tree.schoolA, 'teacher')).accountId);
    teacherB = (await add(200, tree.schoolB, 'teacher')).accountId;
    await signInEveryone();
    for (const [key, n] of [['principal', 1], ['district', 3]] as const) {
      const agent = createAgent(t.app);
      assert.equal((await agent.submit('/sign-in', { identifier: nationalIdFor(n), password: PASSWORD })).statusCode, 303);
      agents[key] = agent;
    }
  });
  after(() => t.close());

  /** API sessions for the three actors (again after the clock jumps past a session's life). */
  async function signInEveryone() {
    for (const [key, n] of [['principal', 1], ['principalB', 2], ['district', 3]] as const) {
      tokens[key] = (await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: nationalIdFor(n), password: PASSWORD } })).json().token;
    }
  }

  const api = (who: keyof typeof tokens, method: 'GET' | 'POST', url: string, payload?: object, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url: `/api/v1/admin${url}`, headers: { authorization: `Bearer ${tokens[who]}`, 'accept-language': 'fa', ...headers }, ...(payload ? { payload } : {}) });
  const refused = (response: { statusCode: number; body: string; json(): { error: { code: string } } }, message?: string) => {
    assert.equal(response.statusCode, 409, `${message ?? ''} ${response.body}`);
    assert.equal(response.json().error.code, 'admin.batch_overlaps');
  };
  const batchesOver = async (accountId: string) =>
    (await t.handle.db.selectFrom('password_batch_items').select('batch_id').where('account_id', '=', accountId).execute()).map((r) => r.batch_id);
  const heldBy = async (accountId: string) => (await t.handle.db.selectFrom('password_batch_items as i').innerJoin('password_batches as b', 'b.id', 'i.batch_id')
    .select('b.id').where('i.account_id', '=', accountId).where('b.state', 'in', ['running', 'done']).execute()).map((r) => r.id);
  /** The batch's passwords, taken by its actor: it holds its people no longer. */
  const show = async (who: keyof typeof tokens, batchId: string) => {
    await waitIdle();
    const shown = await api(who, 'POST', `/password-batches/${batchId}/passwords`);
    assert.equal(shown.statusCode, 200, shown.body);
    return shown.json().passwords as { nationalId: string; temporaryPassword: string }[];
  };

  test('ten parallel requests for the same three teachers, without a key or each with its own, in any order: one batch, and every answer is it', async () => {
    const three = teachers.slice(0, 3);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => {
      const userIds = i % 3 === 0 ? [...three].reverse() : i % 3 === 1 ? [...three, three[0]!] : three;
      return api('principal', 'POST', '/password-batches', { userIds }, i % 2 ? { 'idempotency-key': `click-number-${i}-xyz` } : {});
    }));
    for (const answer of answers) assert.equal(answer.statusCode, 202, answer.body);
    assert.equal(new Set(answers.map((a) => a.json().id)).size, 1, 'one batch id in every answer');
    for (const id of three) assert.equal((await batchesOver(id)).length, 1, 'one batch holds each teacher');
    // Slips that all sign in: nothing replaced their passwords.
    for (const slip of await show('principal', answers[0]!.json().id)) {
      const signIn = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: slip.nationalId, password: slip.temporaryPassword } });
      assert.equal(signIn.statusCode, 201, 'the printed password works');
    }
  });

  test('the same actor over an overlapping set is refused, in fa, he and en, with or without a key; a disjoint set goes ahead; the original key still finds its batch', async () => {
    const first = await api('principal', 'POST', '/password-batches', { userIds: teachers.slice(3, 5) }, { 'idempotency-key': 'overlap-first-0001' });
    assert.equal(first.statusCode, 202);
    for (const [lang, headers] of [['fa', {}], ['he', { 'idempotency-key': 'overlap-other-0002' }], ['en', {}]] as const) {
      const answer = await api('principal', 'POST', '/password-batches', { userIds: teachers.slice(4, 6) }, { ...headers, 'accept-language': lang });
      refused(answer);
      assert.equal(answer.json().error.message, translator(lang)('admin.batch_overlaps'));
    }
    refused(await api('principal', 'POST', '/password-batches', { userIds: [teachers[3]] }), 'a subset is not the same set');
    refused(await api('principal', 'POST', '/password-batches', { all: true, role: 'teacher' }));
    assert.equal((await api('principal', 'POST', '/password-batches', { userIds: teachers.slice(3, 5) }, { 'idempotency-key': 'overlap-first-0001' })).json().id, first.json().id);
    const disjoint = await api('principal', 'POST', '/password-batches', { userIds: [teachers[6]] });
    assert.equal(disjoint.statusCode, 202, 'people no batch holds');
    await show('principal', first.json().id);
    await show('principal', disjoint.json().id);
    assert.equal((await api('principal', 'POST', '/password-batches', { userIds: teachers.slice(4, 6) })).statusCode, 202, 'shown: the people are free again');
    await showAllOf('principal');
  });

  test('whoever asks: the district admin above cannot issue for or reset a teacher the principal’s batch holds, nor can the principal reset them; once shown, both may', async () => {
    const held = teachers[7]!;
    const batch = await api('principal', 'POST', '/password-batches', { userIds: [held, teachers[8]] });
    assert.equal(batch.statusCode, 202);
    refused(await api('district', 'POST', '/password-batches', { userIds: [held] }));
    refused(await api('district', 'POST', '/password-batches', { userIds: [held, teachers[8]] }), 'the same people, but not the same actor');
    refused(await api('district', 'POST', `/users/${held}/password-reset`));
    refused(await api('principal', 'POST', `/users/${held}/password-reset`));
    refused(await api('principal', 'POST', `/users/${teachers[8]}/password-reset`), 'the batch’s other teacher');
    await show('principal', batch.json().id);
    assert.equal((await api('district', 'POST', `/users/${held}/password-reset`)).statusCode, 200);
    const districtBatch = await api('district', 'POST', '/password-batches', { userIds: [held] });
    assert.equal(districtBatch.statusCode, 202);
    refused(await api('principal', 'POST', `/users/${held}/password-reset`), 'and the other way round');
    await show('district', districtBatch.json().id);
  });

  test('a batch elsewhere tells nothing: people outside the scope are left out, never the reason for a refusal', async () => {
    const elsewhere = await api('principalB', 'POST', '/password-batches', { userIds: [teacherB] });
    assert.equal(elsewhere.statusCode, 202);
    const mine = await api('principal', 'POST', '/password-batches', { userIds: [teacherB, teachers[9]] });
    assert.equal(mine.statusCode, 202, mine.body);
    assert.equal(mine.json().total, 1);
    await show('principalB', elsewhere.json().id);
    await show('principal', mine.json().id);
  });

  test('races on PostgreSQL: the principal and the district admin over overlapping people at once make exactly one batch; every other answer is that batch or a refusal', async () => {
    const [x, y, z] = [teachers[9]!, teachers[10]!, teachers[11]!];
    const sets: [keyof typeof tokens, string[]][] = [['principal', [x, y]], ['district', [y, z]], ['principal', [x, z]], ['district', [x, y, z]]];
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => {
      const [who, userIds] = sets[i % sets.length]!;
      return api(who, 'POST', '/password-batches', { userIds });
    }));
    const made = new Set(answers.filter((a) => a.statusCode === 202).map((a) => a.json().id));
    assert.equal(made.size, 1, `one batch, not ${made.size}`);
    for (const answer of answers) if (answer.statusCode !== 202) refused(answer);
    for (const id of [x, y, z]) assert.ok((await heldBy(id)).length <= 1, 'held by one batch at most');
    await showAllOf('principal');
    await showAllOf('district');
  });

  test('pages: a second batch over held teachers shows why and links the actor’s own batch; the district admin gets the reason without the link; the reset page too', async () => {
    const principal = agents.principal!;
    const district = agents.district!;
    const issue = async (agent: Agent, accountIds: string[]) => {
      const page = await agent.get('/admin/passwords?type=teachers');
      const requestKey = /name="requestKey" value="([^"]+)"/.exec(page.body)![1]!;
      return agent.post('/admin/password-batches', { _csrf: csrfTokenOf(page.body), requestKey, type: 'teachers', scope: 'selected', accountId: accountIds });
    };
    const first = await issue(principal, [teachers[0]!, teachers[1]!]);
    assert.equal(first.statusCode, 303);
    const batchUrl = String(first.headers.location);
    const again = await issue(principal, [teachers[0]!, teachers[1]!]);
    assert.equal(again.headers.location, batchUrl, 'a new form over the same people finds the same batch');

    const overlap = await issue(principal, [teachers[1]!, teachers[2]!]);
    assert.equal(overlap.statusCode, 409);
    assert.ok(overlap.body.includes(translator('fa')('admin.batch_overlaps')));
    assert.ok(overlap.body.includes(`href="${batchUrl}"`), 'a link to the batch that holds them');
    assert.match(overlap.body, /مشاهده آن دسته/);
    const byDistrict = await issue(district, [teachers[1]!]);
    assert.equal(byDistrict.statusCode, 409);
    assert.ok(byDistrict.body.includes(translator('fa')('admin.batch_overlaps')));
    assert.ok(!byDistrict.body.includes(batchUrl), 'another actor’s batch is not named');

    const resetUrl = `/admin/users/${teachers[0]}/reset`;
    const confirmReset = async (agent: Agent, query = '') => {
      const page = await agent.get(`${resetUrl}${query}`);
      return agent.post(resetUrl, { _csrf: csrfTokenOf(page.body), ...hiddenFieldsOf(page.body, resetUrl) });
    };
    const reset = await confirmReset(principal);
    assert.equal(reset.statusCode, 409);
    assert.ok(reset.body.includes(`href="${batchUrl}"`));
    assert.doesNotMatch(reset.body, /class="secret"/, 'no password shown');
    const resetByDistrict = await confirmReset(district, '?lang=en');
    assert.equal(resetByDistrict.statusCode, 409);
    assert.ok(resetByDistrict.body.includes(translator('en')('admin.batch_overlaps')));
    assert.ok(!resetByDistrict.body.includes(batchUrl));

    await waitIdle();
    const shown = await principal.submit(batchUrl, {}, `${batchUrl}/show`);
    assert.equal(shown.statusCode, 200);
    const freed = await confirmReset(district);
    assert.equal(freed.statusCode, 200);
    assert.match(freed.body, /class="secret"/);
  });

  test(`a batch left unshown for ${SHOW_WITHIN_HOURS} hours lets its people go, and its passwords are no longer shown`, async () => {
    const batch = await api('principal', 'POST', '/password-batches', { userIds: [teachers[2]] });
    assert.equal(batch.statusCode, 202);
    await waitIdle();
    refused(await api('district', 'POST', `/users/${teachers[2]}/password-reset`));
    // The last test: the clock moves on for good (sessions end with it, so everyone signs in again).
    t.clock.advance(SHOW_WITHIN_HOURS * 3_600_000 - 60_000);
    await signInEveryone();
    refused(await api('district', 'POST', `/users/${teachers[2]}/password-reset`), 'a minute before the deadline it still holds');
    t.clock.advance(2 * 60_000);
    assert.equal((await api('district', 'POST', `/users/${teachers[2]}/password-reset`)).statusCode, 200, 'abandoned: the district may reset');
    assert.equal((await api('principal', 'GET', `/password-batches/${batch.json().id}`)).json().state, 'expired');
    const late = await api('principal', 'POST', `/password-batches/${batch.json().id}/passwords`);
    assert.equal(late.statusCode, 410);
    assert.equal(late.json().error.code, 'admin.batch_expired');
    const principal = createAgent(t.app);
    assert.equal((await principal.submit('/sign-in', { identifier: nationalIdFor(1), password: PASSWORD })).statusCode, 303);
    const page = await principal.get(`/admin/password-batches/${batch.json().id}`);
    assert.ok(page.body.includes(translator('fa')('admin.batch_expired', { hours: SHOW_WITHIN_HOURS })));
    assert.doesNotMatch(page.body, /\/show"/, 'no button to show them');
    const shown = await principal.post(`/admin/password-batches/${batch.json().id}/show`, { _csrf: csrfTokenOf(page.body) });
    assert.equal(shown.statusCode, 410);
  });

  /** Shows every batch of this actor still waiting, so the next test starts with free people. */
  async function showAllOf(who: 'principal' | 'district') {
    await waitIdle();
    const actor = who === 'principal' ? nationalIdFor(1) : nationalIdFor(3);
    const waiting = await t.handle.db.selectFrom('password_batches as b').innerJoin('accounts as a', 'a.id', 'b.actor_account_id')
      .innerJoin('people as p', 'p.id', 'a.person_id').select('b.id').where('p.national_id', '=', actor).where('b.state', '=', 'done').execute();
    for (const { id } of waiting) await show(who, id);
  }

  async function waitIdle() {
    for (let i = 0; i < 400; i++) {
      const running = await t.handle.db.selectFrom('password_batches').select('id').where('state', '=', 'running').execute();
      if (running.length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('batches did not finish');
  }
});
