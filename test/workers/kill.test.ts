// Issue 12: kill -9 one of two Kelid processes in the middle of registrations and of the
// outbox's dispatch, and count. Two real `node src/main.ts` processes, A and B, share one
// PostgreSQL; their SMS go to a webhook sink and their email to an SMTP sink, both slow (50–200
// ms an answer) so that sends are in flight when the kill lands. Registrations go through the
// JSON flows API, spread over both processes, 8 at a time; A is killed with SIGKILL while the
// sink holds one of its sends unanswered, and B finishes everything: the registrations that A
// died under (read back from the flow, then carried on), and A's claimed messages once their
// lease has run out.
//
// What must hold (docs/decisions.md, "Claim, lease, fence"): no acknowledged registration is
// lost, no account is half written, every message is delivered, and a message is delivered
// twice only when the process that had it died between the provider's acceptance and its record
// of it: first by A, then once by B after A's lease.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import type { Challenge } from 'altcha-lib/types';
import { sql } from 'kysely';
import { SMTPServer } from 'smtp-server';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { toLatinDigits } from '../../src/domain/digits.ts';
import { easyCaptcha, encodePayload } from '../captcha/solve.ts';
import { freePort } from '../helpers/app.ts';
import { nationalIdFor } from '../helpers/fixtures.ts';
import type { FlowJson } from '../helpers/flow-client.ts';
import { startKelid, type KelidProcess } from '../helpers/kelid-process.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { parseMime } from '../notify/mime.ts';
import { startProviderServer, type ProviderServer } from '../notify/provider-server.ts';
import { until } from '../notify/recorder.ts';

const REGISTRATIONS = 40;
const AT_ONCE = 8;
/** A is killed at the first send it makes once this many registrations were acknowledged. */
const KILL_AFTER = 12;
const LEASE_MS = 3000;
const PASSWORD = 'Kill-Nine-1405!';

type Process = 'a' | 'b';
/** One message as a sink received it: which process sent it, when (performance.now()), and which outbox row. */
type Delivery = { id: string; by: Process; at: number; to: string; code: string | undefined; attempt: number | undefined };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const slowly = () => sleep(50 + Math.random() * 150);
const codeIn = (text: string) => /(?<!\d)\d{6}(?!\d)/.exec(toLatinDigits(text))?.[0];

/** A request to A that died with A: whether it was done there is unknown until the flow is read again. */
class Cut extends Error {}

describe('kill -9 one of two processes during registrations and outbox dispatch', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let webhook: ProviderServer;
  let smtp: SMTPServer;
  let a: KelidProcess;
  let b: KelidProcess;
  const deliveries: Delivery[] = [];
  /** National IDs whose registration's last answer, 'done', the client saw. */
  const acknowledgedIds: string[] = [];
  let killedAt: number | undefined;
  /** A's sends a sink holds unanswered now (outbox ids), and those it held when A died. */
  const heldFromA = new Map<string, number>();
  let heldAtKill: string[] = [];
  const hold = (id: string, by: Process) => { if (by === 'a') heldFromA.set(id, (heldFromA.get(id) ?? 0) + 1); };
  const release = (id: string, by: Process) => {
    if (by !== 'a') return;
    const left = (heldFromA.get(id) ?? 1) - 1;
    if (left === 0) heldFromA.delete(id); else heldFromA.set(id, left);
  };

  /** Requests the client has sent to A and not yet had answered, now and when A died. */
  let requestsAtA = 0;
  let cutAtKill = 0;

  // The kill lands once KILL_AFTER registrations are acknowledged, at a moment when a sink holds
  // one of A's sends unanswered and the client waits on requests at A: both kinds of work are
  // cut in the middle (ten registrations later, a held send alone will do). Checked every few
  // milliseconds, and by the webhook sink as a send arrives.
  function killAWhenBusy(): void {
    if (killedAt !== undefined || acknowledgedIds.length < KILL_AFTER || heldFromA.size === 0) return;
    if (requestsAtA < 2 && acknowledgedIds.length < KILL_AFTER + 10) return;
    killedAt = performance.now();
    heldAtKill = [...heldFromA.keys()];
    cutAtKill = requestsAtA;
    process.kill(a.pid, 'SIGKILL');
  }

  before(async () => {
    database = await createTestDatabase();
    handle = await openDatabase({ databaseUrl: database.url, dataDir: '', poolSize: 4 });
    await migrate(handle);
    await handle.db.insertInto('people').values(Array.from({ length: REGISTRATIONS }, (_, i) => ({
      national_id: nationalIdFor(8000 + i), first_name: 'آزمون', last_name: 'کشتن', birth_date: '2005-09-06',
    }))).execute();

    // Each process has its own address at the sinks (a path, an SMTP user), so a sink knows who sent what.
    webhook = await startProviderServer(async (request) => {
      const by: Process = request.path === '/a' ? 'a' : 'b';
      const body = JSON.parse(request.body) as { id: string; to: string; params: { code?: string }; attempt: number };
      deliveries.push({ id: body.id, by, at: performance.now(), to: body.to, code: body.params.code, attempt: body.attempt });
      hold(body.id, by);
      killAWhenBusy();
      await slowly();
      release(body.id, by);
      return { status: 200, json: { id: `sink-${deliveries.length}` } };
    });
    smtp = new SMTPServer({
      authOptional: false, allowInsecureAuth: true, disabledCommands: ['STARTTLS'], logger: false,
      onAuth: (auth, _session, callback) => callback(null, { user: auth.username }),
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const mail = parseMime(Buffer.concat(chunks).toString('utf8'));
          const by: Process = session.user === 'a' ? 'a' : 'b';
          const text = mail.parts.find((part) => part.headers.get('content-type')?.startsWith('text/plain'))?.body ?? '';
          const id = /^<([^@]+)@/.exec(mail.headers.get('message-id') ?? '')?.[1] ?? '';
          deliveries.push({ id, by, at: performance.now(), to: session.envelope.rcptTo[0]?.address ?? '', code: codeIn(text), attempt: undefined });
          hold(id, by);
          void slowly().then(() => {
            release(id, by);
            callback();
          });
        });
      },
    });
    smtp.on('error', () => { /* a killed sender's connection */ });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const smtpPort = (smtp.server.address() as AddressInfo).port;

    const [portA, portB] = [await freePort(), await freePort()];
    const env = (name: Process): Record<string, string> => ({
      DATABASE_URL: database.url, KELID_WORKERS: '1', KELID_PUBLIC_URL: `http://127.0.0.1:${portA}`, LOG_LEVEL: 'warn',
      KELID_OUTBOX_LEASE_MS: String(LEASE_MS), KELID_OUTBOX_POLL_MS: '200',
      KELID_SMS: 'webhook', KELID_SMS_WEBHOOK_URL: `${webhook.url}/${name}`, KELID_SMS_WEBHOOK_SECRET: 'webhook-secret-'.padEnd(40, 'w'),
      KELID_EMAIL: 'smtp', KELID_SMTP_URL: `smtp://${name}:pw@127.0.0.1:${smtpPort}`, KELID_MAIL_FROM: 'Kelid <no-reply@kelid.test>',
      KELID_SEND_PER_ADDRESS_PER_HOUR: '1000000', KELID_SMS_BUDGET_PER_HOUR: '1000000', ...easyCaptcha,
    });
    [a, b] = await Promise.all([startKelid(portA, env('a')), startKelid(portB, env('b'))]);
  });

  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await webhook?.close();
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
    await handle?.close();
    await database?.drop();
  });

  test('0 acknowledged registrations lost, 0 half-written accounts, 0 messages lost, duplicates only of A\'s sends in flight', { timeout: 60_000 }, async () => {
    const unexpected: string[] = [];
    let turn = 0;
    let cut = 0;

    /** One request, to A or B in turn while A lives, then to B; a 503 (shed, nothing written) is tried again. */
    async function call(method: 'GET' | 'POST', path: string, body?: Record<string, string>): Promise<{ status: number; json: FlowJson }> {
      for (;;) {
        const target = killedAt === undefined && turn++ % 2 === 0 ? a : b;
        let response: Response;
        if (target === a) requestsAtA++;
        try {
          response = await fetch(`${target.baseUrl}${path}`, {
            method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : null,
          });
        } catch (error) {
          if (target === a && killedAt !== undefined) {
            cut++;
            throw new Cut();
          }
          throw error;
        } finally {
          if (target === a) requestsAtA--;
        }
        if (response.status === 503) {
          await sleep(200);
          continue;
        }
        const json = await response.json() as FlowJson;
        if (response.status >= 500) unexpected.push(`${method} ${path} at ${target === a ? 'A' : 'B'}: ${response.status} ${JSON.stringify(json)}`);
        return { status: response.status, json };
      }
    }

    const errorsOf = (flow: FlowJson) => flow.form.fields.flatMap((f) => f.errors.map((e) => e.code)).concat(flow.form.messages.map((m) => m.code));
    const expectOk = (answer: { status: number; json: FlowJson }, step: string) => {
      assert.equal(answer.status, 200, `${step}: ${JSON.stringify(errorsOf(answer.json))}`);
      return answer.json;
    };

    async function solvedCaptcha(): Promise<string> {
      for (;;) {
        const target = killedAt === undefined && turn++ % 2 === 0 ? a : b;
        const response = await fetch(`${target.baseUrl}/api/v1/captcha`).catch(() => undefined);
        if (response?.status !== 200) continue; // A gone, or shed: ask again
        const challenge = await response.json() as Challenge;
        const solution = await solveChallenge({ challenge, deriveKey, timeout: 10_000 });
        return encodePayload({ challenge: { parameters: challenge.parameters, signature: challenge.signature }, solution });
      }
    }

    /** The newest code a sink received for this recipient (a message resent by B carries the same code). */
    async function codeFor(to: string): Promise<string> {
      let code: string | undefined;
      await until(() => (code = deliveries.findLast((d) => d.to === to && d.code !== undefined)?.code) !== undefined, 20_000);
      return code!;
    }

    /** One person's registration; says whether its final answer ('done') was seen, or only found afterwards. */
    async function register(i: number): Promise<'acknowledged' | 'found done'> {
      const nationalId = nationalIdFor(8000 + i);
      const mobile = `0912${String(i).padStart(7, '0')}`;
      const email = `kill${i}@example.org`;
      let flow: FlowJson | undefined;
      while (!flow) {
        // A start cut by the kill may have left a flow at 'rules': abandoned, as a closed tab's.
        try { flow = (await call('POST', '/api/v1/flows/registration')).json; } catch (error) { if (!(error instanceof Cut)) throw error; }
      }
      const id = flow.id;
      let mobileAsked = false;
      for (;;) {
        try {
          if (flow.state === 'done') return 'found done';
          if (flow.state === 'rules') flow = expectOk(await call('POST', `/api/v1/flows/${id}`, { accept: 'yes' }), 'accept');
          else if (flow.state === 'details') {
            flow = expectOk(await call('POST', `/api/v1/flows/${id}`, {
              nationality: 'citizen', firstName: 'آزمون', lastName: 'کشتن', nationalId, birthDate: '1384/06/15', mobile, email,
              password: PASSWORD, repeat: PASSWORD, captcha: await solvedCaptcha(),
            }), 'details');
          } else if (!mobileAsked) {
            const sent = await call('POST', `/api/v1/flows/${id}`, { action: 'send_mobile_code', method: 'sms' });
            // A cooldown: the send cut by the kill had committed, and its code is in the outbox.
            assert.ok(sent.status === 200 || errorsOf(sent.json).includes('code.cooldown'), `send: ${JSON.stringify(errorsOf(sent.json))}`);
            mobileAsked = true;
            flow = sent.json;
          } else {
            const mobileCode = await codeFor(`+98${mobile.slice(1)}`);
            const emailCode = await codeFor(email);
            flow = expectOk(await call('POST', `/api/v1/flows/${id}`, { action: 'verify', mobileCode, emailCode }), 'verify');
            assert.equal(flow.state, 'done');
            acknowledgedIds.push(nationalId);
            return 'acknowledged';
          }
        } catch (error) {
          if (!(error instanceof Cut)) throw error;
          // Done or not at A? The flow says (B answers now).
          flow = (await call('GET', `/api/v1/flows/${id}`)).json;
        }
      }
    }

    const outcomes: ('acknowledged' | 'found done')[] = [];
    let next = 0;
    const watch = setInterval(killAWhenBusy, 2);
    try {
      await Promise.all(Array.from({ length: AT_ONCE }, async () => {
        while (next < REGISTRATIONS) outcomes.push(await register(next++));
      }));
    } finally {
      clearInterval(watch);
    }
    assert.ok(killedAt !== undefined, 'A was killed during the registrations');
    assert.equal((await a.exited).signal, 'SIGKILL');

    // B drains the outbox, A's claims included once their lease has run out.
    const undelivered = async () => Number((await sql<{ n: number }>`select count(*)::int as n from outbox where status in ('pending', 'sending')`.execute(handle.db)).rows[0]?.n);
    await until(async () => (await undelivered()) === 0, 20_000);

    // (1) 0 lost: every acknowledged registration has its account and its password (and so has
    // every other, whose answer the kill cut but whose flow B found done).
    const registered = (await sql<{ national_id: string; status: string; has_password: boolean }>`
      select p.national_id, a.status, c.account_id is not null as has_password
      from people p join accounts a on a.person_id = p.id left join credentials c on c.account_id = a.id`.execute(handle.db)).rows;
    const byId = new Map(registered.map((row) => [row.national_id, row]));
    const lostRegistrations = acknowledgedIds.filter((nid) => !byId.get(nid)?.has_password).length;
    assert.equal(lostRegistrations, 0, 'every acknowledged registration has its account with its password');
    assert.equal(registered.length, REGISTRATIONS, 'and every registration finished');

    // (2) Nothing half written: an account without its password, a 'done' flow without its
    // account (or still holding the password hash, or an unspent code), an account without
    // its 'done' flow, a 'verify' flow without the details it needs, a state the machine lacks.
    assert.equal(registered.filter((row) => !row.has_password || row.status !== 'pending').length, 0, 'every account has its credential and is pending');
    const flows = (await sql<{ id: string; state: string; national_id: string | null; username: string | null; hash: boolean; details: boolean; unspent: number }>`
      select f.id, f.state, f.data->'details'->>'nationalId' as national_id, f.data->>'username' as username,
        f.data ? 'passwordHash' as hash, f.data ? 'details' as details,
        (select count(*)::int from verification_codes v where v.flow_id = f.id and v.used_at is null) as unspent
      from flows f where f.kind = 'registration'`.execute(handle.db)).rows;
    const impossible = flows.filter((f) =>
      !['rules', 'details', 'verify', 'done'].includes(f.state)
      || (f.state === 'done' && (f.hash || f.unspent > 0 || f.username === null || f.national_id === null || !byId.has(f.national_id)))
      || (f.state === 'verify' && (!f.hash || !f.details)));
    assert.deepEqual(impossible, [], 'no flow in an impossible state');
    const doneFlows = flows.filter((f) => f.state === 'done');
    assert.equal(doneFlows.length, registered.length, 'one done flow per account');
    assert.equal(new Set(doneFlows.map((f) => f.national_id)).size, registered.length);
    const completedEvents = (await sql<{ n: number }>`select count(*)::int as n from audit_events where type = 'registration.completed'`.execute(handle.db)).rows[0]?.n;
    assert.equal(completedEvents, registered.length, 'one audit event per account');

    // (3) Every message delivered at least once; more than once only as the lease allows.
    const rows = (await sql<{ id: string; status: string; template: string; attempts: number }>`select id, status, template, attempts from outbox`.execute(handle.db)).rows;
    assert.deepEqual(rows.filter((row) => row.status !== 'sent'), [], 'every message sent');
    const doneMessages = rows.filter((row) => row.template.startsWith('registration.done')).length;
    assert.equal(doneMessages, 2 * registered.length, 'each account\'s two confirmations were written with it');
    const received = new Map<string, Delivery[]>();
    for (const delivery of deliveries) received.set(delivery.id, [...(received.get(delivery.id) ?? []), delivery]);
    const lostMessages = rows.filter((row) => !received.has(row.id));
    assert.deepEqual(lostMessages, [], 'every message reached a sink');
    assert.deepEqual([...received.keys()].filter((id) => !rows.some((row) => row.id === id)), [], 'the sinks received only outbox messages');

    // The criterion for an allowed duplicate. A message goes twice only when the process that
    // sent it died after the provider had it but before `sent` was recorded; only A died. So
    // each duplicate was first received from A (the sinks know the sender by its address),
    // while A's claim on it still held when A died (received less than one lease before the
    // kill: a claim never outlives its lease, since a send ends within half of it), and then
    // exactly once from B, after the kill, on a later claim (a higher attempt number, where
    // the channel carries it). A duplicate of B's, two of A's, or A's long before its death
    // would each mean a live dispatcher lost a message it was still handling. (What A wrote to
    // its socket before it died may still reach a sink just after the kill: a second's grace.)
    const duplicates = [...received.values()].filter((list) => list.length > 1);
    // A's sends a sink held unanswered at the kill: A never heard they were accepted, so each
    // must have gone again. Any other duplicate is A's answered send it died before recording.
    for (const id of heldAtKill) assert.ok((received.get(id)?.length ?? 0) >= 2, `held at the kill, sent again: ${id}`);
    for (const list of duplicates) {
      const [first, ...rest] = [...list].sort((x, y) => x.at - y.at);
      const described = JSON.stringify(list.map(({ by, at, attempt }) => ({ by, at: Math.round(at - killedAt!), attempt })));
      assert.equal(first!.by, 'a', `first sent by A: ${described}`);
      assert.ok(first!.at < killedAt! + 1000 && first!.at > killedAt! - LEASE_MS, `A sent it under a claim still held at its death: ${described}`);
      assert.equal(rest.length, 1, `sent again once: ${described}`);
      assert.equal(rest[0]!.by, 'b', `sent again by B: ${described}`);
      assert.ok(rest[0]!.at > killedAt!, `after the kill: ${described}`);
      if (first!.attempt !== undefined) assert.ok(rest[0]!.attempt! > first!.attempt, `on a later claim: ${described}`);
      assert.ok(rows.find((row) => row.id === first!.id)!.attempts >= 2);
    }
    assert.deepEqual(unexpected, [], 'no 5xx but 503');

    console.log(JSON.stringify({
      registrations: REGISTRATIONS,
      acknowledged: acknowledgedIds.length,
      foundDoneAfterCut: outcomes.filter((o) => o === 'found done').length,
      requestsAtAWhenKilled: cutAtKill,
      requestsCutByKill: cut,
      lostRegistrations,
      messages: rows.length,
      deliveries: deliveries.length,
      lostMessages: lostMessages.length,
      duplicates: duplicates.length,
      heldUnansweredAtKill: heldAtKill.length,
      answeredButUnrecordedAtKill: duplicates.length - heldAtKill.length,
    }));
  });
});
