// Overload (issue 12): when the password-hash queue is full, whatever must hash is answered at
// once with 503 and Retry-After (a localized page, or the API's JSON error) before anything is
// written: no failure counted, no session, no audit, no captcha or code try spent. Health and
// metrics answer all along. A saturated event loop sheds every request but those.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { toLatinDigits } from '../../src/domain/digits.ts';
import { newUserCode } from '../../src/identity/accounts.ts';
import type { HashReservation } from '../../src/identity/passwords.ts';
import { deriveKeys, hmacHex } from '../../src/secrets.ts';
import { easyCaptcha, solvedPayload } from '../captcha/solve.ts';
import { createAgent, csrfTokenOf } from '../helpers/agent.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, nationalIdFor } from '../helpers/fixtures.ts';
import { metricValue } from '../helpers/metrics.ts';

const PASSWORD = 'Sahar-Mehr-1404!';
const NEW = 'Tazeh-Ramz-1405#';
const MOBILE = '+989121112233';

/** The busy message in each language, for `seconds` (Persian digits in Persian). */
const busyText = {
  fa: (seconds: number) => `سامانه در حال حاضر شلوغ است. لطفاً ${String(seconds).replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d)))} ثانیه دیگر دوباره تلاش کنید.`,
  he: (seconds: number) => `המערכת עמוסה כרגע. נסו שוב בעוד ${seconds === 1 ? 'שנייה אחת' : `${seconds} שניות`}.`,
  en: (seconds: number) => `The system is busy right now. Please try again in ${seconds === 1 ? '1 second' : `${seconds} seconds`}.`,
};

describe('a full password-hash queue', () => {
  let t: TestApp;
  let x: { nationalId: string; accountId: string };
  let y: { nationalId: string; accountId: string };

  before(async () => {
    // One hash at a time, one may wait, each slow (8 MiB × 100 passes: a few hundred ms); the test's one address may take both places.
    t = await startTestApp('postgres', {
      ...easyCaptcha, KELID_HASH_CONCURRENCY: '1', KELID_HASH_QUEUE_MAX: '1', KELID_HASH_QUEUE_PER_ADDRESS: '2', KELID_ARGON2_MEMORY_KIB: '8192', KELID_ARGON2_ITERATIONS: '100',
      KELID_SMS: 'dev', KELID_EMAIL: 'dev', KELID_RECOVERY_PER_ADDRESS_PER_HOUR: '1000', KELID_SEND_PER_ADDRESS_PER_HOUR: '1000',
    });
    for (const person of [{ nationalId: '0076229645', firstName: 'سارا', lastName: 'احمدی', birthIso: '2005-09-06' }]) {
      await t.handle.db.insertInto('people').values({ national_id: person.nationalId, first_name: person.firstName, last_name: person.lastName, birth_date: person.birthIso }).execute();
    }
    const a = await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(9101), password: PASSWORD });
    const b = await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(9102), password: PASSWORD });
    x = { nationalId: nationalIdFor(9101), accountId: a.accountId };
    y = { nationalId: nationalIdFor(9102), accountId: b.accountId };
  });
  after(() => t.close());

  /**
   * Runs `work` while the queue is full: the two places a hashing thread and the one waiting
   * hash would take are held, exactly as two sign-ins hold theirs (PasswordHasher.reserve).
   */
  async function whileFull<T>(work: () => Promise<T>): Promise<T> {
    const held: HashReservation[] = [t.hasher.reserve(), t.hasher.reserve()];
    assert.equal(t.hasher.load().full, true);
    try {
      return await work();
    } finally {
      for (const place of held) place.release();
    }
  }

  /** Nothing of `accountId`'s was written: no failure counted, no session, no audit event. */
  async function untouched(accountId: string) {
    const db = t.handle.db;
    assert.deepEqual(await db.selectFrom('sign_in_failures').select('key').where('key', 'like', `%${accountId}%`).execute(), []);
    assert.deepEqual(await db.selectFrom('sessions').select('id').where('account_id', '=', accountId).execute(), []);
    assert.deepEqual(await db.selectFrom('audit_events').select('type').where('subject_account_id', '=', accountId).execute(), []);
  }

  const busy = (response: LightMyRequestResponse) => {
    assert.equal(response.statusCode, 503, response.body);
    const seconds = Number(response.headers['retry-after']);
    assert.ok(Number.isInteger(seconds) && seconds >= 1, `Retry-After: ${response.headers['retry-after']}`);
    return seconds;
  };
  const apiSignIn = (identifier: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier, password }, headers: { 'accept-language': 'en' } });

  test('sign-ins in flight fill the queue; the next is refused at once with 503 and Retry-After, and nothing of it is written', async () => {
    // Two real sign-ins: one hashing, one waiting behind it.
    const first = apiSignIn(x.nationalId, PASSWORD);
    const second = apiSignIn(x.nationalId, 'Wrong-Password-1');
    for (let i = 0; i < 2000 && !t.hasher.load().full; i++) await sleep(2);
    assert.equal(t.hasher.load().full, true, 'two sign-ins hold the thread and the one place');

    const refused = await apiSignIn(y.nationalId, 'Wrong-Password-1');
    const seconds = busy(refused);
    assert.deepEqual(refused.json(), { error: { code: 'error.busy', message: busyText.en(seconds) } });

    assert.equal((await first).statusCode, 201, 'those already in the queue are served');
    assert.equal((await second).statusCode, 401);
    await untouched(y.accountId);
    assert.equal((await apiSignIn(y.nationalId, PASSWORD)).statusCode, 201, 'with room again, the same person signs in');
  });

  test('the sign-in page answers a page in Persian or Hebrew with Retry-After; no flow, counter, session or audit is written', async () => {
    const nationalId = nationalIdFor(9103);
    const account = await createAccount(t.handle.db, t.hasher, { nationalId, password: PASSWORD });
    const flows = async () => (await sql<{ n: number }>`select count(*)::int as n from flows`.execute(t.handle.db)).rows[0]!.n;
    const before = await flows();
    for (const lang of ['fa', 'he'] as const) {
      const agent = createAgent(t.app);
      const form = await agent.get(`/sign-in?lang=${lang}`);
      assert.equal(form.statusCode, 200, 'drawing the form hashes nothing: it is served');
      const page = await whileFull(() => agent.post('/sign-in', { _csrf: csrfTokenOf(form.body), identifier: nationalId, password: PASSWORD }));
      const seconds = busy(page);
      assert.match(String(page.headers['content-type']), /^text\/html/);
      assert.ok(page.body.includes(`lang="${lang}"`), lang);
      assert.ok(page.body.includes(busyText[lang](seconds)), `${lang}: ${page.body}`);
      assert.ok(!/HashQueueFull|at .*\.ts/.test(page.body), 'no stack');
    }
    assert.equal(await flows(), before, 'no login flow was started');
    await untouched(account.accountId);
  });

  test('a login flow step through the API answers 503 JSON; the flow stays as it was', async () => {
    const started = await t.app.inject({ method: 'POST', url: '/api/v1/flows/login', headers: { 'accept-language': 'fa' } });
    const flow = started.json();
    const stranger = nationalIdFor(9150);
    const step = await whileFull(() => t.app.inject({
      method: 'POST', url: `/api/v1/flows/${flow.id}`, payload: { identifier: stranger, password: 'Wrong-Password-1' }, headers: { 'accept-language': 'fa' },
    }));
    assert.deepEqual(step.json(), { error: { code: 'error.busy', message: busyText.fa(busy(step)) } });
    const now = (await t.app.inject(`/api/v1/flows/${flow.id}`)).json();
    assert.equal(now.state, 'identify');
    assert.deepEqual(now.form.fields.find((f: { name: string }) => f.name === 'identifier').value, '', 'not even the identifier was kept');
    const counted = await t.handle.db.selectFrom('sign_in_failures').select('key').where('key', 'like', `%${stranger}%`).execute();
    assert.deepEqual(counted, [], 'an unknown identifier\'s attempt is not counted either');
  });

  test('health and readiness stay green and /metrics answers while shedding; the sheds are counted', async () => {
    const metricsBefore = (await t.app.inject('/metrics')).body;
    const shedBefore = metricValue(metricsBefore, 'kelid_requests_shed_total{reason="hash_queue"}') ?? 0;
    const signInsShedBefore = metricValue(metricsBefore, 'kelid_sign_ins_total{method="password",outcome="shed"}') ?? 0;
    await whileFull(async () => {
      busy(await apiSignIn(y.nationalId, PASSWORD));
      assert.equal((await t.app.inject('/healthz')).statusCode, 200);
      assert.equal((await t.app.inject('/readyz')).statusCode, 200);
      const metrics = await t.app.inject('/metrics');
      assert.equal(metrics.statusCode, 200);
      assert.equal(metricValue(metrics.body, 'kelid_hash_queue_length'), 1, 'one place beyond the thread');
      assert.equal(metricValue(metrics.body, 'kelid_requests_shed_total{reason="hash_queue"}'), shedBefore + 1);
      assert.equal(metricValue(metrics.body, 'kelid_sign_ins_total{method="password",outcome="shed"}'), signInsShedBefore + 1);
    });
    assert.equal(metricValue((await t.app.inject('/metrics')).body, 'kelid_hash_queue_length'), 0);
  });

  test('registration: the details are refused before the captcha is spent; the same solution works once there is room', async () => {
    const post = (url: string, payload: Record<string, string> = {}) => t.app.inject({ method: 'POST', url, payload, headers: { 'accept-language': 'fa' } });
    const id = (await post('/api/v1/flows/registration')).json().id;
    assert.equal((await post(`/api/v1/flows/${id}`, { accept: 'yes' })).json().state, 'details');
    const details = {
      nationality: 'citizen', firstName: 'سارا', lastName: 'احمدی', nationalId: '0076229645', birthDate: '۱۳۸۴/۰۶/۱۵',
      mobile: '09123456789', email: 'sara@example.org', password: PASSWORD, repeat: PASSWORD, captcha: await solvedPayload(t.app),
    };
    busy(await whileFull(() => post(`/api/v1/flows/${id}`, details)));
    assert.equal((await t.app.inject(`/api/v1/flows/${id}`)).json().state, 'details');
    const emails = await sql<{ id: string }>`select id from outbox where recipient = 'sara@example.org'`.execute(t.handle.db);
    assert.deepEqual(emails.rows, [], 'no code was sent');
    const later = await post(`/api/v1/flows/${id}`, details);
    assert.equal(later.statusCode, 200, later.body);
    assert.equal(later.json().state, 'verify');
  });

  test('recovery: a new password refused for load spends none of the code\'s tries and changes nothing', async () => {
    const nationalId = nationalIdFor(9200);
    const db = t.handle.db;
    const person = await db.insertInto('people').values({
      national_id: nationalId, first_name: 'نرگس', last_name: 'امینی', birth_date: '2009-03-01', birth_serial_hmac: hmacHex(deriveKeys(t.config.secret!).personalData, '123456'),
    }).returning('id').executeTakeFirstOrThrow();
    const account = await db.insertInto('accounts').values({ person_id: person.id, user_code: newUserCode(), status: 'active', mobile: MOBILE }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('credentials').values({ account_id: account.id, password_hash: await t.hasher.hash(PASSWORD) }).execute();
    const post = (url: string, payload: Record<string, string> = {}) => t.app.inject({ method: 'POST', url, payload, headers: { 'accept-language': 'he' } });
    const id = (await post('/api/v1/flows/recovery')).json().id;
    const identified = await post(`/api/v1/flows/${id}`, { nationalId, serial: '123456', mobile: '09121112233', captcha: await solvedPayload(t.app) });
    assert.equal(identified.json().state, 'verify', identified.body);
    const sms = await sql<{ text: string }>`select text from outbox where recipient = ${MOBILE} and template = 'recovery.sms' order by seq desc limit 1`.execute(db);
    const code = /\d{6}/.exec(toLatinDigits(sms.rows[0]!.text))![0];
    const stored = async () => (await db.selectFrom('credentials').select('password_hash').where('account_id', '=', account.id).executeTakeFirstOrThrow()).password_hash;
    const hashBefore = await stored();

    const refused = await whileFull(() => post(`/api/v1/flows/${id}`, { code, password: NEW, repeat: NEW }));
    assert.equal(refused.json().error.message, busyText.he(busy(refused)));
    const tries = await db.selectFrom('verification_codes').select(['tries', 'used_at']).where('flow_id', '=', id).execute();
    assert.deepEqual(tries.map((row) => [row.tries, row.used_at]), [[0, null]], 'the code is neither tried nor spent');
    assert.equal(await stored(), hashBefore);

    const done = await post(`/api/v1/flows/${id}`, { code, password: NEW, repeat: NEW });
    assert.equal(done.json().state, 'done', done.body);
  });
});

describe('a saturated event loop', () => {
  let t: TestApp;
  before(async () => {
    // A low threshold and short windows, so a test can saturate the loop for a moment.
    t = await startTestApp('pglite', { KELID_EVENT_LOOP_MAX_DELAY_MS: '30', KELID_EVENT_LOOP_SAMPLE_MS: '100' });
  });
  after(() => t.close());

  /** Keeps the event loop busy: every turn of it blocked for 60 ms, until stopped. */
  function saturate() {
    let running = true;
    const done = (async () => {
      while (running) {
        const end = performance.now() + 60;
        while (performance.now() < end) { /* the loop's turn, taken */ }
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    return async () => { running = false; await done; };
  }

  test('one long stall (a collection, the machine busy elsewhere) is a spike, not saturation: nothing is refused after it', async () => {
    await sleep(300); // two quiet windows first
    for (let round = 0; round < 3; round++) {
      const end = performance.now() + 250;
      while (performance.now() < end) { /* one stall, longer than a window */ }
      const answers: number[] = [];
      for (let i = 0; i < 15; i++) {
        answers.push((await t.app.inject('/sign-in?lang=en')).statusCode);
        await sleep(10);
      }
      assert.deepEqual(answers.filter((status) => status !== 200), [], `round ${round}: ${answers.join(' ')}`);
      await sleep(250);
    }
  });

  test('every request but health, readiness and metrics is refused with 503 and Retry-After while it lasts', async () => {
    const stop = saturate();
    let page: LightMyRequestResponse | undefined;
    let api: LightMyRequestResponse | undefined;
    let token: LightMyRequestResponse | undefined;
    let userinfo: LightMyRequestResponse | undefined;
    try {
      // Each try after a pause, so that the loop turns (and the monitor's windows pass) between them.
      for (let i = 0; i < 100 && page?.statusCode !== 503; i++) {
        await sleep(20);
        page = await t.app.inject('/sign-in?lang=en');
      }
      api = await t.app.inject({ url: '/api/v1/sessions/current', headers: { 'accept-language': 'en' } });
      token = await t.app.inject({ method: 'POST', url: '/oidc/token', headers: { 'accept-language': 'en' } });
      userinfo = await t.app.inject({ url: '/oidc/me', headers: { authorization: 'Bearer x' } });
      assert.equal((await t.app.inject('/healthz')).statusCode, 200);
      assert.equal((await t.app.inject('/readyz')).statusCode, 200);
      assert.equal((await t.app.inject('/metrics')).statusCode, 200);
    } finally {
      await stop();
    }
    assert.equal(page?.statusCode, 503, 'the page is shed');
    assert.equal(page.headers['retry-after'], '1');
    assert.ok(page.body.includes(busyText.en(1)));
    assert.equal(api.statusCode, 503);
    assert.equal(api.json().error.code, 'error.busy');
    // An app's server at the provider reads OAuth's error (RFC 6749 §5.2), as from upstream's own refusals.
    assert.equal(token?.statusCode, 503);
    assert.equal(token.headers['retry-after'], '1');
    assert.deepEqual(token.json(), { error: 'temporarily_unavailable', error_description: busyText.en(1) });
    assert.equal(userinfo?.statusCode, 503);
    assert.equal(userinfo.headers['www-authenticate'], 'Bearer error="temporarily_unavailable"');
    const metrics = (await t.app.inject('/metrics')).body;
    assert.ok((metricValue(metrics, 'kelid_requests_shed_total{reason="event_loop"}') ?? 0) >= 2, metrics);

    let again: LightMyRequestResponse | undefined;
    for (let i = 0; i < 100 && again?.statusCode !== 200; i++) {
      await sleep(50);
      again = await t.app.inject('/sign-in');
    }
    assert.equal(again?.statusCode, 200, 'served again once the loop is free');
  });
});
