/**
 * PostgreSQL through `pg` (DATABASE_URL): a general pool and one for keyed statements, LISTEN on
 * a connection of its own, advisory locks on another; safe behind a transaction-pooling
 * PgBouncer (openPostgres says how).
 */
import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import pg from 'pg';
import type { DatabaseHandle, Listener } from './handle.ts';
import { KEYED, keyedName } from './keyed.ts';
import type { Database } from './schema.ts';
import { DATE_OID, INT8_OID, keepText } from './wire-types.ts';

/**
 * The pool as Kysely takes it, dealing each checkout a connection of the keyed pool or of the
 * general one by the first statement it runs: a keyed statement (they run alone) takes a keyed
 * connection and runs by name; anything else, a transaction included (its BEGIN comes first),
 * takes a general one, where a keyed statement runs unnamed, planned for its parameters.
 * Without a keyed pool every statement is unnamed (behind a transaction-pooling PgBouncer).
 */
function routingPool(general: pg.Pool, keyedPool: pg.Pool | undefined): PostgresPool {
  return {
    options: general.options,
    async connect() {
      let bound: pg.PoolClient | undefined;
      let onKeyed = false;
      const bind = async (first: unknown) => {
        if (bound) return bound;
        onKeyed = keyedPool !== undefined && typeof first === 'string' && first.startsWith(KEYED);
        bound = await (onKeyed ? keyedPool! : general).connect();
        return bound;
      };
      return {
        // Kysely's two shapes: a statement with its parameters, or a cursor (streams), passed on as it is.
        query: (async (text: string | Parameters<pg.PoolClient['query']>[0], parameters: readonly unknown[] = []) => {
          const client = await bind(text);
          if (typeof text !== 'string') return client.query(text);
          const name = onKeyed ? keyedName(text) : undefined;
          return client.query(name === undefined ? { text, values: [...parameters] } : { name, text, values: [...parameters] });
        }) as unknown as PostgresPoolClient['query'],
        release: (destroy?: boolean) => { bound?.release(destroy); bound = undefined; },
      };
    },
    end: () => endPools([general, keyedPool]),
  };
}

/** Ends each pool not ended yet: pg throws on a second `end()`, and close() may follow Kysely's own. */
async function endPools(pools: (pg.Pool | undefined)[]): Promise<void> {
  await Promise.all(pools.map((p) => (p === undefined || p.ending ? undefined : p.end())));
}

/**
 * How long a new connection may take before the attempt fails (pg waits forever by default):
 * while a failover has no primary to offer, a request then fails in seconds, with a 503
 * (src/db/unavailable.ts), instead of hanging.
 */
const CONNECT_TIMEOUT_MS = 5_000;

/** A keyed connection's planner: generic plans, by index scans and nested loops only (openPostgres says why). */
export const KEYED_SESSION_SETTINGS = 'set plan_cache_mode = force_generic_plan; set enable_seqscan = off; set enable_hashjoin = off; set enable_mergejoin = off';

/**
 * Behind PgBouncer in transaction mode (deploy/patroni/), each transaction may run on another
 * server connection, so nothing here may rely on a session: LISTEN has its own URL, named
 * prepared statements can be turned off (PgBouncer before 1.21 does not carry them from one
 * server to the next), and migrations lock per transaction (migrate.ts).
 */
export function openPostgres(connectionString: string, max: number, listenString: string, preparedStatements: boolean): DatabaseHandle {
  // `onConnect` runs on each new connection before the pool lends it (pg-pool awaits it).
  const newPool = (onConnect?: (client: pg.ClientBase) => Promise<void>) => {
    const created = new pg.Pool({
      connectionString,
      ...(onConnect ? { onConnect } : {}),
      max,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === DATE_OID || oid === INT8_OID ? keepText : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    });
    // An idle client that loses its connection must not crash the process.
    created.on('error', () => {});
    // Nor a client in use: pg fails its queries (a 503, src/db/unavailable.ts) and also emits
    // 'error' on the client, which the pool listens to only while the client is idle; unheard,
    // that 'error' is an uncaught exception, and a failover would kill every process that had
    // a statement running. The pool drops the client when it comes back.
    created.on('connect', (client) => { client.on('error', () => {}); });
    return created;
  };
  const pool = newPool();
  // Keyed statements (keyed(), db/keyed.ts) on connections of their own, planned once each: a generic
  // plan, kept for the connection's life. PostgreSQL would choose that plan by the tables' sizes
  // of the moment, and one chosen while a table was small (a fresh install: oidc_models, the
  // sessions) scans the table whole once it has grown (issue 10's benchmark: 6–10 ms per find by
  // id instead of ~0.1), so these connections may use only index scans and nested loops, the
  // right plan for a statement that finds rows by their keys at any size. One way around it is
  // left to the statements: a plan made on a table of next to no rows may read it through its
  // index (no seq scan, but all of it) for a join with the keys' arrays, until autovacuum's next
  // ANALYZE; so a find by keys takes each key's row in a lateral subquery with `limit 1`, which
  // no plan can turn into such a join (federation/adapter.ts, identity/sessions.ts). Planning each run
  // instead (what was done before) cost PostgreSQL 1.4 ms of a sign-in's 2.5 and 1.8 ms of a
  // code flow's 3.1. Settings for the session: behind a transaction-pooling PgBouncer a SET
  // lands on one server connection, for whoever uses it next, so there (prepared statements off,
  // KELID_DB_PREPARED_STATEMENTS=0) there is no keyed pool and every statement is planned for
  // its parameters. The settings are made before the connection is lent, so no statement runs
  // without them (and pg runs one query at a time on a connection: pg 9 refuses a second).
  const keyedPool = preparedStatements
    ? newPool(async (client) => { await client.query(KEYED_SESSION_SETTINGS); })
    : undefined;
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: routingPool(pool, keyedPool) }) });
  const listening = new Set<() => Promise<void>>();
  return {
    db,
    kind: 'postgres',
    // Both pools together: the general one and the keyed one (when there is one).
    poolUse: () => {
      const pools = keyedPool ? [pool, keyedPool] : [pool];
      const sum = (read: (p: pg.Pool) => number) => pools.reduce((total, p) => total + read(p), 0);
      return { total: sum((p) => p.totalCount), idle: sum((p) => p.idleCount), waiting: sum((p) => p.waitingCount), max: max * pools.length };
    },
    async listen(channel, listener) {
      const stop = await listenOnPostgres(listenString, channel, listener);
      const remove = async () => { listening.delete(remove); await stop(); };
      listening.add(remove);
      return remove;
    },
    // A session's lock, so on the listener's address: one past a transaction-pooling PgBouncer.
    tryLock: (name) => advisoryLock(listenString, name),
    async withScriptSession(work) {
      const client = await pool.connect();
      try {
        return await work({
          async script(text) { await client.query(text); },
          async rows<T>(text: string) { return (await client.query(text)).rows as T[]; },
        });
      } finally {
        client.release();
      }
    },
    close: async () => {
      await Promise.all([...listening].map((stop) => stop()));
      await db.destroy();
      // Kysely ends the pools only if it ever ran a statement; a process that used them only
      // through withScriptSession (`npm run kelid -- migrate`) would otherwise wait out the idle
      // connections' 10 s before it could exit.
      await endPools([pool, keyedPool]);
    },
  };
}

async function advisoryLock(connectionString: string, name: string): Promise<(() => Promise<void>) | undefined> {
  // Its own connection, not a pooled one: the lock lives as long as the session, and a pool of one must not be starved.
  const client = new pg.Client({ connectionString, keepAlive: true });
  client.on('error', () => {});
  await client.connect();
  try {
    const { rows } = await client.query<{ taken: boolean }>('select pg_try_advisory_lock(hashtextextended($1, 0)) as taken', [name]);
    if (rows[0]?.taken === true) return async () => { await client.end().catch(() => undefined); };
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  await client.end().catch(() => undefined);
  return undefined;
}

/**
 * LISTEN on a connection of its own (a pooled one would be handed to queries), kept open. It
 * needs a session of its own on the server: through PgBouncer in transaction mode the LISTEN
 * would land on a server connection lent to others right after, and nothing would be heard
 * while `listening(true)` said otherwise; KELID_DATABASE_LISTEN_URL then points past it.
 */
async function listenOnPostgres(connectionString: string, channel: string, listener: Listener): Promise<() => Promise<void>> {
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const lost = () => {
    if (!client || stopped) return;
    client.removeAllListeners();
    client.on('error', () => {});
    void client.end().catch(() => undefined);
    client = undefined;
    listener.listening(false);
    retry = setTimeout(() => void open().catch(lost), 1000);
    retry.unref();
  };
  const open = async () => {
    // keepAlive: a connection cut without a word (a dropped route) is noticed as lost, not trusted forever.
    const next = new pg.Client({ connectionString, keepAlive: true, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
    client = next;
    next.on('error', lost);
    next.on('end', lost);
    next.on('notification', (n) => { if (n.channel === channel) listener.message(n.payload ?? ''); });
    await next.connect();
    await next.query(`listen ${pg.escapeIdentifier(channel)}`);
    if (!stopped) listener.listening(true);
  };
  try {
    await open();
  } catch {
    lost();
  }
  return async () => {
    stopped = true;
    clearTimeout(retry);
    const last = client;
    client = undefined;
    last?.removeAllListeners();
    last?.on('error', () => {});
    await last?.end().catch(() => undefined);
  };
}
