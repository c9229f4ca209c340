// The ministry's apps kept in each process (src/federation/client-cache.ts): a change made by
// any process (a rotated secret, a removed app) is announced on the database's channel, and a
// process that hears it reads the app again; while it cannot hear, it keeps nothing. On PGlite
// and PostgreSQL; the process next door is a second connection pool on the same database.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase, type DatabaseHandle, type Listen, type Listener } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { clientCache } from '../../src/federation/client-cache.ts';
import { addClient, removeClient, rotateClientSecret } from '../../src/federation/clients.ts';
import { databaseKinds, openTestDatabase } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';

const change = { actorAccountId: null, actingMembershipId: null, ip: null };
const key = randomBytes(32);
const service = (clientId: string) => ({
  clientId, name: clientId, firstParty: true, confidential: true, redirectUris: [], postLogoutRedirectUris: [],
  grantTypes: ['client_credentials' as const], scopes: [], accessTokenFormat: 'opaque' as const, backchannelLogoutUri: null, roles: [],
});

/** The next message a listener hears. */
function nextMessage(): { listener: Listener; heard: Promise<string> } {
  let resolve: (payload: string) => void = () => undefined;
  const heard = new Promise<string>((r) => { resolve = r; });
  return { listener: { message: (payload) => resolve(payload), listening: () => undefined }, heard };
}

/** A listen whose messages the test can wait for, after the cache has heard them. */
function observed(listen: Listen) {
  const waiting: ((payload: string) => void)[] = [];
  const wrapped: Listen = (channel, listener) => listen(channel, {
    message: (payload) => { listener.message(payload); waiting.shift()?.(payload); },
    listening: (on) => listener.listening(on),
  });
  return { listen: wrapped, next: () => new Promise<string>((resolve) => { waiting.push(resolve); }) };
}

/** A listen the test drives by hand: what a lost and regained connection looks like. */
function manualListen() {
  let current: Listener | undefined;
  const listen: Listen = async (_channel, listener) => { current = listener; listener.listening(true); return async () => undefined; };
  return { listen, say: (payload: string) => current?.message(payload), listening: (on: boolean) => current?.listening(on) };
}

/** Counts the statements that read a client. */
function counting(handle: DatabaseHandle) {
  let reads = 0;
  const db = handle.db.withPlugin({
    transformQuery: (args) => { if (args.node.kind === 'SelectQueryNode') reads++; return args.node; },
    transformResult: async (args) => args.result,
  });
  return { db, reads: () => reads };
}

for (const kind of databaseKinds) {
  describe(`Clients kept in the process, on ${kind}`, () => {
    let handle: DatabaseHandle;
    let close: () => Promise<void>;
    before(async () => {
      ({ handle, close } = await openTestDatabase(kind));
    });
    after(() => close());

    test('a NOTIFY is heard after its transaction commits, and never when it rolls back', async () => {
      const { listener, heard } = nextMessage();
      const stop = await handle.listen('kelid_test_channel', listener);
      await handle.db.transaction().execute(async (trx) => {
        await trx.selectNoFrom((eb) => eb.fn('pg_notify', [eb.val('kelid_test_channel'), eb.val('rolled back')]).as('n')).execute();
        throw new Error('roll back');
      }).catch(() => undefined);
      await handle.db.transaction().execute(async (trx) => {
        await trx.selectNoFrom((eb) => eb.fn('pg_notify', [eb.val('kelid_test_channel'), eb.val('committed')]).as('n')).execute();
      });
      assert.equal(await heard, 'committed');
      await stop();
    });

    test('a client is read once, then kept; its rotation and removal in this process are seen at once', async () => {
      await addClient(handle.db, key, service('kept-app'), [], change);
      const { db, reads } = counting(handle);
      const cache = await clientCache(db, handle.listen);
      const first = await cache.find('kept-app');
      assert.equal((await cache.find('kept-app'))?.client_secret, first?.client_secret);
      assert.equal(reads(), 1, 'the second find reads nothing');
      await rotateClientSecret(handle.db, key, 'kept-app', change);
      assert.notEqual((await cache.find('kept-app'))?.client_secret, first?.client_secret, 'the new secret, at once');
      await removeClient(handle.db, 'kept-app', change);
      assert.equal(await cache.find('kept-app'), undefined, 'gone, at once');
      assert.equal(await cache.find('never-registered'), undefined);
      await cache.stop();
    });

    test('nothing is kept while the channel is not heard, nor a row read while a change was announced', async () => {
      await addClient(handle.db, key, service('deaf-app'), [], change);
      const { db, reads } = counting(handle);
      const manual = manualListen();
      const cache = await clientCache(db, manual.listen);
      manual.listening(false);
      await cache.find('deaf-app');
      await cache.find('deaf-app');
      assert.equal(reads(), 2, 'read every time while deaf');
      manual.listening(true);
      const reading = cache.find('deaf-app');
      manual.say('deaf-app');
      await reading;
      await cache.find('deaf-app');
      assert.equal(reads(), 4, 'a row read across an announcement is not kept');
      await cache.find('deaf-app');
      assert.equal(reads(), 4, 'kept once read in quiet');
      await cache.stop();
    });
  });
}

describe('Clients kept in the process: a change by another process', () => {
  let database: TestDatabase;
  let serving: DatabaseHandle;
  let other: DatabaseHandle;
  before(async () => {
    database = await createTestDatabase();
    serving = await openDatabase({ databaseUrl: database.url, dataDir: '', poolSize: 2 });
    await migrate(serving);
    other = await openDatabase({ databaseUrl: database.url, dataDir: '', poolSize: 2 });
  });
  after(async () => {
    await serving.close();
    await other.close();
    await database.drop();
  });

  test('a secret rotated and an app removed by another process are read again once announced', async () => {
    await addClient(other.db, key, service('shared-app'), [], change);
    const channel = observed(serving.listen);
    const cache = await clientCache(serving.db, channel.listen);
    const before = await cache.find('shared-app');
    const rotated = channel.next();
    await rotateClientSecret(other.db, key, 'shared-app', change);
    assert.equal(await rotated, 'shared-app');
    assert.notEqual((await cache.find('shared-app'))?.client_secret, before?.client_secret);
    const removed = channel.next();
    await removeClient(other.db, 'shared-app', change);
    assert.equal(await removed, 'shared-app');
    assert.equal(await cache.find('shared-app'), undefined);
    await cache.stop();
  });

  test('a listening connection cut by the server is noticed, and listening again once it is back', async () => {
    const states: boolean[] = [];
    let changed: () => void = () => undefined;
    const stop = await serving.listen('kelid_test_cut', {
      message: () => undefined,
      listening: (on) => { states.push(on); changed(); },
    });
    const next = () => new Promise<void>((resolve) => { changed = resolve; });
    assert.deepEqual(states, [true]);
    const lost = next();
    await sql`select pg_terminate_backend(pid) from pg_stat_activity where query = 'listen "kelid_test_cut"'`.execute(other.db);
    await lost;
    await next();
    assert.deepEqual(states, [true, false, true]);
    await stop();
  });
});
