// Observability (issue 12): the operators' metrics count sign-ins by way in and outcome, and
// show the hash queue, the outbox and the database pool; every request has an id of Kelid's
// own that its log lines, its X-Request-Id header and the audit events it writes all carry.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { toLatinDigits } from '../../src/domain/digits.ts';
import { isUuid } from '../../src/domain/uuid.ts';
import { enqueue } from '../../src/notify/outbox.ts';
import { csrfTokenOf } from '../helpers/agent.ts';
import { serve, startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, nationalIdFor } from '../helpers/fixtures.ts';
import { flowClient } from '../helpers/flow-client.ts';
import { metricValue } from '../helpers/metrics.ts';

const PASSWORD = 'Sahar-Mehr-1404!';
const MOBILE = '+989121112233';

describe('metrics and request ids', () => {
  let t: TestApp;
  let nationalId: string;
  const lines: Record<string, unknown>[] = [];

  before(async () => {
    const stream = { write: (line: string) => { lines.push(JSON.parse(line) as Record<string, unknown>); } };
    t = await startTestApp('postgres', { KELID_SMS: 'dev', KELID_EMAIL: 'dev' }, { logger: { level: 'info', stream } });
    nationalId = nationalIdFor(9301);
    await createAccount(t.handle.db, t.hasher, { nationalId, password: PASSWORD, mobile: MOBILE });
  });
  after(() => t.close());

  // Listening once for the suite's tests that need a real socket.
  let listening: Promise<string> | undefined;
  const served = () => (listening ??= serve(t.app));
  const metrics = async () => (await t.app.inject('/metrics')).body;
  const signIn = (password: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: nationalId, password }, headers });
  const signIns = (text: string, outcome: string) => metricValue(text, `kelid_sign_ins_total{method="password",outcome="${outcome}"}`);

  test('a success, a failure and a malformed sign-in are counted; the hash queue, its waits, the outbox and the pool are shown', async () => {
    const before = await metrics();
    for (const outcome of ['success', 'failure', 'malformed', 'shed', 'locked']) assert.equal(typeof signIns(before, outcome), 'number', `${outcome} is a series from the start`);
    assert.equal(metricValue(before, 'kelid_requests_shed_total{reason="event_loop"}'), 0);
    assert.equal(metricValue(before, 'kelid_sign_ins_total{method="otp",outcome="success"}'), 0);

    assert.equal((await signIn(PASSWORD)).statusCode, 201);
    assert.equal((await signIn('Wrong-Password-1')).statusCode, 401);
    assert.equal((await signIn('')).statusCode, 400);
    await enqueue(t.handle.db, { channel: 'sms', to: '+989121112233', template: 'password.changed', locale: 'fa', params: { name: 'مریم رضایی' } });

    const now = await metrics();
    assert.equal(signIns(now, 'success'), signIns(before, 'success')! + 1);
    assert.equal(signIns(now, 'failure'), signIns(before, 'failure')! + 1);
    assert.equal(signIns(now, 'malformed'), signIns(before, 'malformed')! + 1);
    assert.equal(signIns(now, 'shed'), signIns(before, 'shed'));
    assert.equal(metricValue(now, 'kelid_hash_queue_length'), 0);
    assert.equal(metricValue(now, 'kelid_hashes_running'), 0);
    assert.equal(metricValue(now, 'kelid_hash_wait_seconds_count'), metricValue(before, 'kelid_hash_wait_seconds_count')! + 2, 'two passwords checked');
    assert.equal(metricValue(now, 'kelid_outbox_backlog'), metricValue(before, 'kelid_outbox_backlog')! + 1);
    assert.ok(metricValue(now, 'kelid_outbox_oldest_age_seconds')! >= 0);
    // KELID_DB_POOL (8) for the general pool and as many for the keyed statements' (db/keyed.ts keyed()).
    assert.equal(metricValue(now, 'kelid_db_pool_max_connections'), 16);
    assert.ok(metricValue(now, 'kelid_db_pool_connections')! >= 1);
    assert.equal(typeof metricValue(now, 'kelid_db_pool_waiting_requests'), 'number');
    assert.equal(metricValue(now, 'kelid_oidc_grants_total{grant_type="client_credentials"}'), 0);
  });

  test('a sign-in\'s audit event carries the request id of its X-Request-Id header and of its log lines; a client\'s own id is not taken', async () => {
    const latest = async (type: string) => (await t.handle.db.selectFrom('audit_events').select(['request_id']).where('type', '=', type)
      .orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()).request_id;
    // Over a real socket: there Fastify reads a body in the request stream's own callbacks, and
    // the id must reach the audit all the same (inject() hands the body over in one piece).
    const baseUrl = await served();
    // The body in two pieces, the second a moment later: read in two of the socket's own callbacks.
    const post = (path: string, body: string, type: string, headers: Record<string, string> = {}) => {
      const pieces = [body.slice(0, body.length >> 1), body.slice(body.length >> 1)];
      const stream = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const piece = pieces.shift();
          if (piece === undefined) return controller.close();
          if (pieces.length === 0) await sleep(30);
          controller.enqueue(new TextEncoder().encode(piece));
        },
      });
      return fetch(`${baseUrl}${path}`, { method: 'POST', body: stream, duplex: 'half', headers: { 'content-type': type, ...headers }, redirect: 'manual' } as RequestInit);
    };

    const api = await post('/api/v1/sessions', JSON.stringify({ identifier: nationalId, password: PASSWORD }), 'application/json', { 'x-request-id': 'chosen-by-the-client' });
    assert.equal(api.status, 201);
    const apiId = String(api.headers.get('x-request-id'));
    assert.ok(isUuid(apiId), apiId);
    assert.equal(await latest('sign_in.succeeded'), apiId);
    const logged = lines.filter((line) => line.reqId === apiId);
    assert.ok(logged.some((line) => line.msg === 'request completed' && (line.res as { statusCode: number }).statusCode === 201), 'the log line of the answer');
    assert.ok(!lines.some((line) => line.reqId === 'chosen-by-the-client'));

    // The sign-in page: a form, its CSRF token and cookie.
    const form = await fetch(`${baseUrl}/sign-in`);
    const cookies = form.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const csrf = csrfTokenOf(await form.text());
    const fields = (password: string) => new URLSearchParams({ _csrf: csrf, identifier: nationalId, password }).toString();
    const failed = await post('/sign-in', fields('Wrong-Password-1'), 'application/x-www-form-urlencoded', { cookie: cookies });
    assert.equal(failed.status, 400);
    const pageId = String(failed.headers.get('x-request-id'));
    assert.ok(isUuid(pageId) && pageId !== apiId);
    assert.equal(await latest('sign_in.failed'), pageId);
    const signedIn = await post('/sign-in', fields(PASSWORD), 'application/x-www-form-urlencoded', { cookie: cookies });
    assert.equal(signedIn.status, 303);
    assert.equal(await latest('sign_in.succeeded'), signedIn.headers.get('x-request-id'));
  });

  test('the OpenID provider\'s answers carry a request id of Kelid\'s own and the security headers; its pages, the rate limit\'s count', async () => {
    const baseUrl = await served();
    const basic = `Basic ${Buffer.from('no-such-app:secret').toString('base64')}`;
    const answers = {
      token: await fetch(`${baseUrl}/oidc/token`, { method: 'POST', body: 'grant_type=client_credentials', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic, 'x-request-id': 'chosen-by-the-client' } }),
      discovery: await fetch(`${baseUrl}/oidc/.well-known/openid-configuration`),
      jwks: await fetch(`${baseUrl}/oidc/jwks`),
      page: await fetch(`${baseUrl}/oidc/auth?client_id=no-such-app&response_type=code&scope=openid`, { redirect: 'manual' }),
    };
    assert.equal(answers.token.status, 401);
    assert.equal(((await answers.token.json()) as { error: string }).error, 'invalid_client');
    assert.equal(answers.discovery.status, 200);
    const ids = new Set<string>();
    for (const [name, answer] of Object.entries(answers)) {
      const id = String(answer.headers.get('x-request-id'));
      assert.ok(isUuid(id), `${name}: ${id}`);
      ids.add(id);
      assert.equal(answer.headers.get('x-content-type-options'), 'nosniff', name);
      assert.match(answer.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/, name);
    }
    assert.equal(ids.size, 4, 'one id per request');
    assert.ok(answers.page.headers.get('x-ratelimit-remaining') !== null, 'a page a browser is sent to is counted');
    assert.equal(answers.token.headers.get('x-ratelimit-remaining'), null, 'an app\'s server is not');
  });

  test('one-time-code sign-ins are counted as otp: a wrong code a failure, the right one a success', async () => {
    const before = await metrics();
    const client = flowClient(t.app);
    const identify = await client.start('otp-login');
    const verify = await client.press(identify, 'send_sms', { identifier: nationalId });
    const sms = await sql<{ text: string }>`select text from outbox where recipient = ${MOBILE} and template = 'sign_in.code.sms' order by seq desc limit 1`.execute(t.handle.db);
    const code = /\d{6}/.exec(toLatinDigits(sms.rows[0]!.text))![0];
    assert.equal((await client.press(verify.flow, 'verify', { code: code === '000000' ? '111111' : '000000' })).status, 422);
    assert.equal((await client.press(verify.flow, 'verify', { code })).flow.state, 'done');
    const now = await metrics();
    for (const outcome of ['failure', 'success']) {
      const series = `kelid_sign_ins_total{method="otp",outcome="${outcome}"}`;
      assert.equal(metricValue(now, series), metricValue(before, series)! + 1, outcome);
    }
  });

  test('the log lines of a request carry its address without its secrets: links\' tokens, QR sign-ins, API flows\' ids, an app\'s hints', async () => {
    const secret = 'S3cr3t-Bearer-Value';
    const flow = await flowClient(t.app).start('recovery');
    const addresses = {
      [`/recover/link?token=${secret}&lang=fa`]: '/recover/link?token=[redacted]&lang=fa',
      [`/set-password?token=${secret}`]: '/set-password?token=[redacted]',
      [`/q/${secret}`]: '/q/[redacted]',
      [`/api/v1/flows/${flow.id}`]: '/api/v1/flows/[redacted]',
      [`/oidc/session/end?id_token_hint=${secret}&client_id=payslips`]: '/oidc/session/end?id_token_hint=[redacted]&client_id=payslips',
      [`/oidc/auth?client_id=payslips&login_hint=${nationalId}&state=${secret}&scope=openid`]: '/oidc/auth?client_id=payslips&login_hint=[redacted]&state=[redacted]&scope=openid',
    };
    for (const [address, logged] of Object.entries(addresses)) {
      const { headers } = await t.app.inject(address);
      const line = lines.find((l) => l.reqId === headers['x-request-id'] && l.msg === 'incoming request');
      assert.equal((line?.req as { url?: string } | undefined)?.url, logged, address);
    }
    const written = JSON.stringify(lines);
    for (const leak of [secret, flow.id, nationalId]) assert.ok(!written.includes(leak), `${leak} is in no log line`);
  });

  test('every metric the Grafana dashboard draws is one /metrics serves', async () => {
    const dashboard = await readFile(new URL('../../deploy/grafana-dashboard.json', import.meta.url), 'utf8');
    const drawn = new Set([...dashboard.matchAll(/\b((?:kelid|process|nodejs)_[a-z0-9_]+)/g)].map((m) => m[1]!.replace(/_(bucket|count|sum)$/, '')));
    const served = new Set([...(await metrics()).matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]!));
    assert.ok(drawn.size >= 15, [...drawn].join(' '));
    assert.deepEqual([...drawn].filter((name) => !served.has(name)), []);
  });
});
