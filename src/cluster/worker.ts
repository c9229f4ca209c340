/**
 * A cluster worker: serves (serve.ts) on the shared port with its own pool (KELID_DB_POOL
 * connections), after the setup process did the once-only work. It stops gracefully when the
 * primary says so, when the primary is gone (the channel to it closes), or on SIGTERM (the
 * primary then replaces it). SIGINT is left to the primary: a terminal's Ctrl+C reaches every
 * process of the group, and the primary stops the workers itself.
 */
import pino from 'pino';
import { loadConfig } from '../config.ts';
import { serve, type Serving } from '../serve.ts';
import { openForWorker } from '../start-up.ts';
import { isStop } from './messages.ts';

export async function runWorker(): Promise<void> {
  process.on('SIGINT', () => {});
  const config = loadConfig();
  const log = pino({ level: config.logLevel });
  let serving: Serving | undefined;
  let stopAsked: string | undefined;
  let stopping: Promise<void> | undefined;
  const finish = () => {
    stopping ??= (async () => {
      log.info({ why: stopAsked }, 'worker stopping');
      try {
        await serving?.stop();
        process.exit(0);
      } catch (error) {
        log.error({ err: error }, 'worker did not stop cleanly');
        process.exit(1);
      }
    })();
  };
  // Asked while still starting: stop as soon as serving has begun.
  const stop = (why: string) => {
    stopAsked ??= why;
    if (serving) finish();
  };
  process.on('message', (message) => { if (isStop(message)) stop('asked by the primary'); });
  process.once('disconnect', () => stop('the primary is gone'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  serving = await serve(await openForWorker(config, log));
  if (stopAsked) finish();
}
