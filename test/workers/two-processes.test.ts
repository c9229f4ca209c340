// Two Kelid processes on one PostgreSQL, as behind a load balancer: a session, a flow and an
// OpenID grant begun at one are used or finished at the other, and a message written anywhere
// is sent once, by one of their dispatchers, woken through the database (not by its poll).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import * as oidc from 'openid-client';
import { loadConfig } from '../../src/config.ts';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { createPasswordHasher } from '../../src/identity/passwords.ts';
import { enqueue } from '../../src/notify/outbox.ts';
import { cheapArgon2, freePort } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor } from '../helpers/fixtures.ts';
import { startKelid, kelidTestEnv, type KelidProcess } from '../helpers/kelid-process.ts';
import { authorizationRequest, authorize, cookieBrowser, exchange, registerClient } from '../helpers/oidc.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { startProviderServer, type ProviderServer } from '../notify/provider-server.ts';
import { until } from '../notify/recorder.ts';

const PASSWORD = 'Two-Processes-1405!';

describe('two Kelid processes on one PostgreSQL', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let sink: ProviderServer;
  let a: KelidProcess;
  let b: KelidProcess;
  const nationalId = nationalIdFor(7101);
  const config = loadConfig({ KELID_SECRET: kelidTestEnv.KELID_SECRET, ...cheapArgon2 });

  before(async () => {
    database = await createTestDatabase();
    handle = await openDatabase({ databaseUrl: database.url, dataDir: '', poolSize: 4 });
    await migrate(handle);
    const tree = await createTree(handle.db);
    await createAccount(handle.db, createPasswordHasher(config.argon2, 1), {
      nationalId, password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'teacher', startsOn: '2020-01-01', endsOn: null }],
    });
    sink = await startProviderServer(() => ({ status: 200, json: {} }));
    const [portA, portB] = [await freePort(), await freePort()];
    // One public address for both, as behind a load balancer: the provider's issuer is the same.
    const env = {
      DATABASE_URL: database.url, KELID_WORKERS: '1', KELID_PUBLIC_URL: `http://127.0.0.1:${portA}`,
      // A poll far beyond the test's patience: only a wake-up can deliver in time.
      KELID_OUTBOX_POLL_MS: '60000', KELID_SMS: 'webhook', KELID_SMS_WEBHOOK_URL: sink.url, KELID_SMS_WEBHOOK_SECRET: 'webhook-secret-'.padEnd(40, 'w'),
    };
    [a, b] = await Promise.all([startKelid(portA, env), startKelid(portB, env)]);
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await sink?.close();
    await handle?.close();
    await database?.drop();
  });

  test('a session made at one process works at the other, and ends everywhere', async () => {
    const signIn = await fetch(`${a.baseUrl}/api/v1/sessions`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identifier: nationalId, password: PASSWORD }),
    });
    assert.equal(signIn.status, 201, await signIn.clone().text());
    const { token } = await signIn.json() as { token: string };
    const listed = await fetch(`${b.baseUrl}/api/v1/sessions`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(listed.status, 200);
    const { sessions } = await listed.json() as { sessions: { id: string; current: boolean }[] };
    const current = sessions.find((s) => s.current);
    assert.ok(current, 'the other process knows the session');
    assert.equal((await fetch(`${b.baseUrl}/api/v1/sessions/${current.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } })).status, 204);
    assert.equal((await fetch(`${a.baseUrl}/api/v1/sessions`, { headers: { authorization: `Bearer ${token}` } })).status, 401, 'ended at the other process, ended here');
  });

  test('a sign-in flow started at one process is finished at the other', async () => {
    const started = await fetch(`${a.baseUrl}/api/v1/flows/login`, { method: 'POST', headers: { 'accept-language': 'en' } });
    assert.equal(started.status, 201);
    const flow = await started.json() as { id: string; state: string };
    const read = await fetch(`${b.baseUrl}/api/v1/flows/${flow.id}`);
    assert.equal((await read.json() as { state: string }).state, 'identify');
    const done = await fetch(`${b.baseUrl}/api/v1/flows/${flow.id}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'submit', identifier: nationalId, password: PASSWORD }),
    });
    const body = await done.json() as { state: string; session?: { token: string } };
    assert.equal(done.status, 200, JSON.stringify(body));
    assert.equal(body.state, 'done');
    assert.equal((await fetch(`${a.baseUrl}/api/v1/sessions`, { headers: { authorization: `Bearer ${body.session?.token}` } })).status, 200);
  });

  test('an authorization code issued by one process is redeemed at the other', async () => {
    const client = await registerClient({ handle, config }, { clientId: 'two-processes', roles: ['teacher'] });
    const discovered = await oidc.discovery(new URL(`${a.baseUrl}/oidc`), client.id, client.secret!, undefined, { execute: [oidc.allowInsecureRequests] });
    const request = await authorizationRequest(discovered);
    const page = await authorize(cookieBrowser(), request, { identifier: nationalId, password: PASSWORD });
    // The same app, whose token requests reach the other process (the issuer stays the one public address).
    const metadata = JSON.parse(JSON.stringify(discovered.serverMetadata())) as oidc.ServerMetadata; // its data, without its methods
    const atB = new oidc.Configuration({ ...metadata, token_endpoint: `${b.baseUrl}/oidc/token` }, client.id, client.secret!);
    oidc.allowInsecureRequests(atB);
    const tokens = await exchange(atB, page, request);
    assert.ok(tokens.access_token);
    assert.equal(tokens.claims()?.iss, `${a.baseUrl}/oidc`);
  });

  test('messages written outside both processes are each sent once, woken at once rather than at the next poll', async () => {
    const before = sink.requests.length;
    const ids = await handle.db.transaction().execute(async (trx) => Promise.all(Array.from({ length: 20 }, (_, i) =>
      enqueue(trx, { channel: 'sms', to: '+989121234567', template: 'verification.sms', locale: 'fa', params: { code: String(100000 + i) } }))));
    // Far less than the 60 s poll; a dispatcher that missed the NOTIFY would not be here in time.
    await until(() => sink.requests.length - before >= ids.length, 15_000);
    const rows = async () => (await sql<{ status: string; attempts: number }>`select status, attempts from outbox where id = any(${ids}::uuid[])`.execute(handle.db)).rows;
    await until(async () => (await rows()).every((row) => row.status === 'sent'), 5000);
    const sent = sink.requests.slice(before).map((r) => (JSON.parse(r.body) as { id: string }).id);
    assert.deepEqual([...sent].sort(), [...ids].sort(), 'each message once');
    assert.ok((await rows()).every((row) => row.attempts === 1), 'each claimed once');
  });
});
