// A real Kelid app for tests: a real database (PGlite from the migrated template, or a fresh
// database on the test PostgreSQL server), a movable clock, cheap argon2 parameters unless
// a test asks for the real ones. Tests talk to it through inject() or a real listening port.
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import type { Clock } from '../../src/identity/clock.ts';
import { createPasswordHasher, type PasswordHasher } from '../../src/identity/passwords.ts';
import { deriveKeys } from '../../src/secrets.ts';
import { readPgliteTemplate } from './pglite-template.ts';
import { createTestDatabase } from './postgres.ts';
import { postgresTemplate } from './postgres-template.ts';

export type DatabaseKind = 'pglite' | 'postgres';
export const databaseKinds: DatabaseKind[] = ['pglite', 'postgres'];

export async function openTestDatabase(kind: DatabaseKind): Promise<{ handle: DatabaseHandle; close(): Promise<void>; url?: string }> {
  if (kind === 'pglite') {
    const handle = await openDatabase({ databaseUrl: undefined, dataDir: '', poolSize: 1, inMemory: { from: await readPgliteTemplate() } });
    return { handle, close: () => handle.close() };
  }
  // A copy of the run's migrated template (test/global-setup.ts); migrate() then finds nothing to do.
  const database = await createTestDatabase({ template: postgresTemplate() });
  const handle = await openDatabase({ databaseUrl: database.url, dataDir: '', poolSize: 8 });
  await migrate(handle);
  return { handle, url: database.url, close: async () => { await handle.close(); await database.drop(); } };
}

export type TestClock = Clock & { set(date: Date): void; advance(ms: number): void };

export function testClock(start = new Date('2025-11-20T08:00:00Z')): TestClock {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    set: (date) => { current = date.getTime(); },
    advance: (ms) => { current += ms; },
  };
}

/**
 * A clock that follows real time (moved by set and advance like the test clock), for a Kelid
 * that a real browser and oidc-provider (which reads Date.now itself) talk to: sign-in times
 * and the provider's interaction times must be of one timeline.
 */
export function realTimeClock(): TestClock {
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    set: (date) => { offset = date.getTime() - Date.now(); },
    advance: (ms) => { offset += ms; },
  };
}

export const cheapArgon2 = { KELID_ARGON2_MEMORY_KIB: '8192', KELID_ARGON2_ITERATIONS: '1' };

export type TestApp = {
  app: FastifyInstance;
  handle: DatabaseHandle;
  config: Config;
  clock: TestClock;
  hasher: PasswordHasher;
  close(): Promise<void>;
};

/**
 * Shedding for a saturated event loop is off unless a test asks for it: PGlite runs on the
 * test's own event loop, and a heavy fixture (thousands of rows) would otherwise get the next
 * request refused for the load the test itself made.
 */
const noEventLoopShedding = { KELID_EVENT_LOOP_MAX_DELAY_MS: '0' };

export async function startTestApp(
  kind: DatabaseKind, env: Record<string, string> = {}, options: { clock?: TestClock; logger?: FastifyServerOptions['logger'] } = {},
): Promise<TestApp> {
  const config = loadConfig({ KELID_SECRET: 'test-secret-'.padEnd(48, 'x'), KELID_DEMO: '0', LOG_LEVEL: 'silent', ...cheapArgon2, ...noEventLoopShedding, ...env });
  const { handle, close } = await openTestDatabase(kind);
  const clock = options.clock ?? testClock();
  const hasher = createPasswordHasher(config.argon2, config.hashConcurrency, config.hashQueueMax, config.hashQueuePerAddress);
  const app = await buildApp({ config, db: handle.db, listen: handle.listen, clock, hasher, keys: deriveKeys(config.secret!), poolUse: handle.poolUse, logger: options.logger });
  await app.ready();
  return { app, handle, config, clock, hasher, close: async () => { await app.close(); await close(); } };
}

/** Makes a test app listen on a free loopback port, for a real browser; answers its base URL. */
export async function serve(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address !== 'object') throw new Error('the app is not listening on a port');
  return `http://127.0.0.1:${address.port}`;
}

/** A free loopback port (listen on 0, note it, close). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A test app listening on a loopback port that its public URL names (the OpenID provider
 * advertises its public URL, so it must be known before the app is built).
 */
export async function startListeningApp(kind: DatabaseKind, env: Record<string, string> = {}, options: Parameters<typeof startTestApp>[2] = {}): Promise<TestApp & { baseUrl: string }> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const t = await startTestApp(kind, { KELID_PUBLIC_URL: baseUrl, PORT: String(port), KELID_RATE_LIMIT_PER_MINUTE: '100000', ...env }, options);
  await t.app.listen({ port, host: '127.0.0.1' });
  return { ...t, baseUrl };
}
