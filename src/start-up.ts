/**
 * What Kelid does once when it starts, before anything serves: the channels checked (a
 * deployment without its SMS or email channel does not start), the warnings an operator must
 * not miss, the secret read (or made: embedded only), the database opened and migrated, the
 * demo data loaded on an empty one. A single process goes on to serve with what this answers;
 * a cluster's primary has it done by a setup process of its own (cluster/setup.ts), so the
 * primary never holds what this loads.
 */
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { openDatabase, type DatabaseHandle } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { demoKeys } from './demo/demo-data.ts';
import { assertSecretOpensKeys } from './federation/keys.ts';
import { loadDemoIfEmpty } from './demo/load-on-start.ts';
import { isoDateIn, profileTimeZone, systemClock } from './identity/clock.ts';
import { createPasswordHasher, type PasswordHasher } from './identity/passwords.ts';
import type { Channels } from './notify/channels/channel.ts';
import { channelsFromConfig } from './notify/channels/from-config.ts';
import { deriveKeys, loadOrCreateSecret, type Keys } from './secrets.ts';

/** Everything a serving process needs (serve.ts), opened and ready. */
export type Opened = { config: Config; log: Logger; channels: Channels; keys: Keys; handle: DatabaseHandle; hasher: PasswordHasher };

/** Warnings an operator must not miss: plain text on stderr for a person, and in the structured log. */
export function loudly(log: Logger): (message: string) => void {
  return (message) => {
    console.error(`\n${'!'.repeat(78)}\n!! ${message}\n${'!'.repeat(78)}\n`);
    log.warn(message);
  };
}

/** The once-only work; answers the opened parts. Throws ConfigError for a channel not configured. */
export async function startUp(config: Config, log: Logger): Promise<Opened> {
  const loud = loudly(log);
  // Before anything else: a deployment without its SMS or email channel must not start.
  const channels = channelsFromConfig(config.notify, systemClock);
  if (config.notify.sms === 'dev' || config.notify.email === 'dev') {
    loud(`Dev channels (SMS ${config.notify.sms}, email ${config.notify.email}): those messages are NOT delivered; anyone can read them at /dev/outbox. Set KELID_SMS and KELID_EMAIL for real use.`);
  }

  if (config.adminMfa === 'optional') {
    loud('KELID_ADMIN_MFA=optional: the admin console opens WITHOUT a second factor (the default only with the demo data). Set KELID_ADMIN_MFA=required for real use.');
  } else {
    log.info('KELID_ADMIN_MFA=required: principals and above pass a second factor (TOTP) before the admin console or admin API opens');
  }

  const secret = await loadOrCreateSecret(config.secret, config.dataDir, loud);
  const keys = deriveKeys(secret);
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize, listenUrl: config.databaseListenUrl, preparedStatements: config.databasePreparedStatements });
  const applied = await migrate(handle);
  // Said only now: PostgreSQL's pools connect at their first statement, migrate's.
  log.info({ database: handle.kind, dataDir: handle.kind === 'pglite' ? config.dataDir : undefined }, 'database opened');
  if (applied.length > 0) log.info({ migrations: applied }, 'migrations applied');
  await assertSecretOpensKeys(handle.db, keys.secretBox).catch(async (error: unknown) => {
    await handle.close();
    throw error;
  });

  const hasher = createPasswordHasher(config.argon2, config.hashConcurrency, config.hashQueueMax, config.hashQueuePerAddress);
  if (config.demo) {
    const today = isoDateIn(systemClock.now(), profileTimeZone[config.profile]);
    await loadDemoIfEmpty(handle, { profile: config.profile, password: config.demoPassword, hasher, today, ...demoKeys(keys) }, loud);
  }
  return { config, log, channels, keys, handle, hasher };
}

/**
 * A cluster worker's opening, after the setup process did the once-only work: the same parts,
 * quietly (the warnings were said once), on PostgreSQL (a cluster runs only there, where
 * KELID_SECRET is required).
 */
export async function openForWorker(config: Config, log: Logger): Promise<Opened> {
  if (config.secret === undefined) throw new Error('a cluster worker needs KELID_SECRET');
  const channels = channelsFromConfig(config.notify, systemClock);
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize, listenUrl: config.databaseListenUrl, preparedStatements: config.databasePreparedStatements });
  return { config, log, channels, keys: deriveKeys(config.secret), handle, hasher: createPasswordHasher(config.argon2, config.hashConcurrency, config.hashQueueMax, config.hashQueuePerAddress) };
}
