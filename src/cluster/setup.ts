/**
 * The cluster's setup process, run by the primary before any worker: the configuration
 * checked (what the primary needs of it sent back), then start-up.ts's once-only work
 * (channels checked, warnings said once, migrations, demo data), then exit 0; or say why not
 * and exit 1, and the primary stops too.
 */
import '../runtime-tuning.ts';
import pino from 'pino';
import { loadConfig } from '../config.ts';
import { closeChannels } from '../notify/channels/from-config.ts';
import { startUp } from '../start-up.ts';
import { failStart } from '../start-failure.ts';
import type { ClusterSettings } from './messages.ts';

try {
  const config = loadConfig();
  const settings: ClusterSettings = { kelid: 'settings', workers: config.workers, logLevel: config.logLevel };
  await new Promise((resolve) => process.send?.(settings, undefined, undefined, resolve) ?? resolve(undefined));
  const opened = await startUp(config, pino({ level: config.logLevel }));
  await closeChannels(opened.channels);
  await opened.handle.close();
  process.exit(0);
} catch (error) {
  failStart(error);
}
