// A database that goes away (a failover, a restart): requests fail at once with a 503 and
// Retry-After, never a 500 or a hung request, and Kelid is served again, by itself, once the
// database is back. The database is reached through a TCP relay the test cuts and restores.
import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { isDatabaseUnavailable } from '../../src/db/unavailable.ts';
import { createPasswordHasher } from '../../src/identity/passwords.ts';
import { deriveKeys } from '../../src/secrets.ts';
import { cheapArgon2, testClock } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';

/** A TCP relay to PostgreSQL that can be cut (every connection reset, new ones refused) and restored. */
function relay(target: URL) {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const open = () => new Promise<void>((resolve) => {
    server = createServer((client) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    server.listen(port, '127.0.0.1', () => {
      port = (server!.address() as { port: number }).port;
      resolve();
    });
  });
  const cut = () => new Promise<void>((resolve) => {
    for (const socket of sockets) socket.resetAndDestroy();
    server?.close(() => resolve());
  });
  return { open, cut, url: () => { const url = new URL(target); url.hostname = '127.0.0.1'; url.port = String(port); return url.toString(); } };
}

describe('A database that goes away', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let link: ReturnType<typeof relay>;
  let app: Awaited<ReturnType<typeof buildApp>>;
  before(async () => {
    database = await createTestDatabase();
    link = relay(new URL(database.url));
    await link.open();
    handle = await openDatabase({ databaseUrl: link.url(), dataDir: '', poolSize: 4 });
    await migrate(handle);
    const config = loadConfig({ KELID_SECRET: 'test-secret-'.padEnd(48, 'x'), KELID_DEMO: '0', LOG_LEVEL: 'silent', KELID_SMS: 'dev', KELID_EMAIL: 'dev', ...cheapArgon2 });
    app = await buildApp({ config, db: handle.db, listen: handle.listen, clock: testClock(), hasher: createPasswordHasher(config.argon2, 1), keys: deriveKeys(config.secret!) });
    await app.ready();
  });
  after(async () => {
    await app.close();
    await handle.close();
    await link.cut();
    await database.drop();
  });

  const signIn = () => app.inject({
    method: 'POST', url: '/api/v1/sessions', headers: { 'accept-language': 'en' },
    payload: { identifier: '0012345679', password: 'Kelid-Demo-1405' },
  });

  test('is answered 503 with Retry-After (JSON under /api and from OpenID endpoints that answer JSON, a page elsewhere), then served again once it is back', async () => {
    assert.equal((await signIn()).statusCode, 401, 'served while the database is there');
    await link.cut();

    const api = await signIn();
    assert.equal(api.statusCode, 503);
    assert.equal(api.headers['retry-after'], '5');
    assert.equal(api.json().error.code, 'error.unavailable');
    assert.match(api.json().error.message, /try again/);

    const page = await app.inject({ url: '/register', headers: { 'accept-language': 'en' } });
    assert.equal(page.statusCode, 503);
    assert.equal(page.headers['retry-after'], '5');
    assert.match(String(page.headers['content-type']), /text\/html/);
    assert.match(page.body, /چند لحظه در دسترس نیست/, 'in the page language (Persian by default)');

    const token = await app.inject({
      method: 'POST', url: '/oidc/token', headers: { authorization: `Basic ${Buffer.from('some-app:secret').toString('base64')}` },
      payload: 'grant_type=client_credentials',
    });
    assert.equal(token.statusCode, 503, token.body);
    assert.equal(token.headers['retry-after'], '5');
    assert.equal(token.json().error, 'temporarily_unavailable');
    const authorize = await app.inject({
      url: '/oidc/auth?client_id=some-app&response_type=code&scope=openid&redirect_uri=https%3A%2F%2Fapp.example%2Fcb',
      headers: { accept: 'text/html' },
    });
    assert.equal(authorize.statusCode, 503, authorize.body);
    assert.equal(authorize.headers['retry-after'], '5');
    assert.match(authorize.body, /چند لحظه در دسترس نیست/);

    assert.equal((await app.inject('/readyz')).statusCode, 503);
    await link.open();
    assert.equal((await signIn()).statusCode, 401, 'served again, on new connections');
    // Readiness asks the database at most once a second (ops.ts): ready again within it.
    let ready = 0;
    for (let i = 0; i < 30 && ready !== 200; i++) {
      ready = (await app.inject('/readyz')).statusCode;
      if (ready !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(ready, 200);
  });
});

describe('What counts as a database that cannot serve for now', () => {
  const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

  test('connection exceptions, shutdowns, a standby reached for a write and lost sockets do', () => {
    for (const code of ['08006', '08001', '08P01', '57P01', '57P02', '57P03', '25006', '53300', 'ECONNREFUSED', 'ECONNRESET']) {
      assert.ok(isDatabaseUnavailable(withCode(code)), code);
    }
    assert.ok(isDatabaseUnavailable(new Error('Connection terminated unexpectedly')));
    assert.ok(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect')));
    assert.ok(isDatabaseUnavailable(new Error('wrapped', { cause: withCode('57P01') })));
    assert.ok(isDatabaseUnavailable(new AggregateError([withCode('ECONNREFUSED')], 'connect')));
  });

  test('mistakes in the statement or the data do not', () => {
    for (const code of ['23505', '42P01', '22P02', '40001', '26000', '42P05']) assert.equal(isDatabaseUnavailable(withCode(code)), false, code);
    assert.equal(isDatabaseUnavailable(new Error('Cannot read properties of undefined')), false);
    assert.equal(isDatabaseUnavailable('a string'), false);
  });

  test('a server that refuses connections, and a backend terminated mid-query, are recognized as pg reports them', async () => {
    const closed = new pg.Client({ host: '127.0.0.1', port: 1, connectionTimeoutMillis: 2000 });
    const refused = await closed.connect().then(() => undefined, (error: unknown) => error);
    assert.ok(isDatabaseUnavailable(refused), String(refused));

    const database = await createTestDatabase();
    const victim = new pg.Client(database.url);
    const killer = new pg.Client(database.url);
    victim.on('error', () => undefined);
    await Promise.all([victim.connect(), killer.connect()]);
    try {
      const pid = (await victim.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
      const sleeping = victim.query('select pg_sleep(30)').then(() => undefined, (error: unknown) => error);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await killer.query('select pg_terminate_backend($1)', [pid]);
      const terminated = await sleeping;
      assert.ok(isDatabaseUnavailable(terminated), String(terminated));
    } finally {
      await victim.end().catch(() => undefined);
      await killer.end();
      await database.drop();
    }
  });
});
