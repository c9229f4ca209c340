/**
 * Kelid's entry point: read the configuration, open and migrate the database, load the demo
 * data on an empty one (loudly), build the app and listen. The only file that listens.
 */
import './runtime-tuning.ts';
import { createBatchRunner } from './admin/batch-runner.ts';
import { unfinishedBatches } from './admin/batches.ts';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { demoKeys } from './demo/demo-data.ts';
import { loadDemoIfEmpty } from './demo/load-on-start.ts';
import { isoDateIn, profileTimeZone, systemClock } from './identity/clock.ts';
import { createPasswordHasher } from './identity/passwords.ts';
import { housekeeping } from './housekeeping.ts';
import { deriveKeys, loadOrCreateSecret } from './secrets.ts';
import { channelsFromConfig, closeChannels } from './notify/channels/from-config.ts';
import { defaultRetry, startDispatcher } from './notify/dispatcher.ts';
import { outboxNotifier } from './notify/outbox.ts';
import { invitationSender } from './wiring.ts';
import pino from 'pino';

async function main() {
  const config = loadConfig();
  const log = pino({ level: config.logLevel });
  // Warnings an operator must not miss: plain text on stderr for a person, and in the structured log.
  const loud = (message: string) => {
    console.error(`\n${'!'.repeat(78)}\n!! ${message}\n${'!'.repeat(78)}\n`);
    log.warn(message);
  };
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
  log.info({ database: handle.kind, dataDir: handle.kind === 'pglite' ? config.dataDir : undefined }, 'database opened');
  const applied = await migrate(handle);
  if (applied.length > 0) log.info({ migrations: applied }, 'migrations applied');

  const hasher = createPasswordHasher(config.argon2, config.hashConcurrency);
  if (config.demo) {
    const today = isoDateIn(systemClock.now(), profileTimeZone[config.profile]);
    await loadDemoIfEmpty(handle, { profile: config.profile, password: config.demoPassword, hasher, today, ...demoKeys(keys) }, loud);
  }

  const dispatcher = startDispatcher({
    db: handle.db, channels, clock: systemClock, log, pollMs: config.notify.pollMs,
    retry: { ...defaultRetry, maxAttempts: config.notify.maxAttempts },
  });
  const notifier = outboxNotifier(dispatcher);
  const batches = createBatchRunner(
    { db: handle.db, hasher, clock: systemClock, secretBox: keys.secretBox, qrDays: 30, concurrency: config.hashConcurrency, invitations: invitationSender(config, notifier) },
    (error, batchId) => log.error({ err: error, batchId }, 'batch stopped'),
  );
  const app = await buildApp({ config, db: handle.db, listen: handle.listen, clock: systemClock, hasher, keys, logger: { level: config.logLevel }, notifier, batches });
  const sweeper = setInterval(() => {
    housekeeping({ db: handle.db, clock: systemClock, config, notifier })
      .then((done) => { if (done.reminded + done.deleted > 0) log.info(done, 'pre-registrations swept'); })
      .catch((error: unknown) => log.error({ err: error }, 'housekeeping failed'));
  }, 10 * 60_000);
  sweeper.unref();

  const stop = async (signal: string) => {
    log.info({ signal }, 'shutting down');
    clearInterval(sweeper);
    await app.close();
    await dispatcher.stop();
    await closeChannels(channels);
    await handle.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
  // Batches a stopped process left half done go on where they stopped (each account once).
  for (const batchId of await unfinishedBatches(handle.db)) batches.run(batchId);
  log.info(`Kelid is serving ${config.publicUrl} (profile ${config.profile}, ${handle.kind})`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('Kelid could not start:', error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
