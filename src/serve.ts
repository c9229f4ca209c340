/**
 * Serving, in one process or in each worker of a cluster: the outbox dispatcher (woken from
 * any process on PostgreSQL: notify/wake-up.ts), the batch runner (unfinished batches resumed,
 * each by one process), housekeeping every ten minutes (one process at a time), and the app
 * listening on PORT: the only place that listens. Everything here is safe with any number of
 * processes on any number of machines sharing one PostgreSQL.
 */
import { createBatchRunner } from './admin/batch-runner.ts';
import { unfinishedBatches } from './admin/batches.ts';
import { buildApp } from './app.ts';
import { compactWhenQuiet } from './heap-compaction.ts';
import { housekeepingAlone } from './housekeeping.ts';
import { systemClock } from './identity/clock.ts';
import { closeChannels } from './notify/channels/from-config.ts';
import { defaultRetry, startDispatcher } from './notify/dispatcher.ts';
import { outboxNotifier } from './notify/outbox.ts';
import { outboxWakeUp } from './notify/wake-up.ts';
import type { Opened } from './start-up.ts';
import { invitationSender } from './wiring.ts';

const HOUSEKEEPING_EVERY_MS = 10 * 60_000;

export type Serving = {
  /**
   * Stops gracefully: no new connections, the requests in flight answered, the background work
   * stopped (the batch in flight is left to be resumed), the channels and the pool closed.
   */
  stop(): Promise<void>;
};

export async function serve(opened: Opened): Promise<Serving> {
  const { config, log, channels, keys, handle, hasher } = opened;
  const dispatcher = startDispatcher({
    db: handle.db, channels, clock: systemClock, log, pollMs: config.notify.pollMs, leaseMs: config.notify.leaseMs,
    retry: { ...defaultRetry, maxAttempts: config.notify.maxAttempts },
  });
  const wakeUp = await outboxWakeUp(dispatcher, handle.kind === 'postgres' ? handle.listen : undefined, (state) => {
    if (state === 'heard') log.info('LISTEN connection (KELID_DATABASE_LISTEN_URL) open: new messages and client changes are heard at once');
    else log.warn(`LISTEN connection (KELID_DATABASE_LISTEN_URL) ${state === 'lost' ? 'lost' : 'cannot be opened'}: retrying every second; meanwhile messages wait for the dispatcher's poll and clients are read from the database each time`);
  });
  const notifier = outboxNotifier({ profile: config.profile, wake: wakeUp.wake });
  const batches = createBatchRunner(
    { db: handle.db, hasher: hasher.background, clock: systemClock, secretBox: keys.secretBox, qrDays: 30, concurrency: config.hashConcurrency, invitations: invitationSender(config, notifier) },
    (error, batchId) => log.error({ err: error, batchId }, 'batch stopped'),
    handle.tryLock,
  );
  const app = await buildApp({ config, db: handle.db, listen: handle.listen, clock: systemClock, hasher, keys, logger: { level: config.logLevel }, notifier, batches, poolUse: handle.poolUse });
  const sweeper = setInterval(() => {
    housekeepingAlone({ db: handle.db, clock: systemClock, config, notifier, tryLock: handle.tryLock })
      .then((done) => { if (done && done.reminded + done.deleted > 0) log.info(done, 'pre-registrations swept'); })
      .catch((error: unknown) => log.error({ err: error }, 'housekeeping failed'));
  }, HOUSEKEEPING_EVERY_MS);
  sweeper.unref();

  await app.listen({ port: config.port, host: config.host });
  // Start-up's garbage, and each load's, given back once requests stop (heap-compaction.ts).
  const compaction = compactWhenQuiet(app.server, {
    onCompacted: ({ beforeBytes, afterBytes, ms }) => log.debug({ heapMb: [beforeBytes, afterBytes].map((b) => Math.round(b / 1048576)), ms: Math.round(ms) }, 'heap compacted'),
    onUnavailable: (error) => log.warn({ err: error }, 'heap compaction is off: this runtime gives no gc()'),
  });
  // Batches a stopped process left half done go on where they stopped (each account once; each batch in one process).
  for (const batchId of await unfinishedBatches(handle.db)) batches.run(batchId);
  log.info(`Kelid is serving ${config.publicUrl} (profile ${config.profile}, ${handle.kind})`);

  return {
    async stop() {
      clearInterval(sweeper);
      compaction.stop();
      await app.close();
      await wakeUp.stop();
      await dispatcher.stop();
      await closeChannels(channels);
      await handle.close();
    },
  };
}
