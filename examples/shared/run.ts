/**
 * Starting apps from the command line: read each one's config, warn loudly about demo
 * defaults, listen, and close cleanly. `runApps` is for each app's server.ts when run directly
 * and for examples/start.ts (it also stops on Ctrl-C); `startApps` for a runner that owns the
 * signals itself (examples/demo.ts). Tests never listen this way: they call buildApp.
 */
import type { FastifyInstance } from 'fastify';
import { ConfigError, readConfig, type AppDefaults, type Env, type ExampleConfig } from './config.ts';
import type { ExampleAppOptions } from './app.ts';

export type AppDeps = Pick<ExampleAppOptions, 'kelid' | 'now' | 'logLevel'>;

export type ExampleApp = {
  name: string;
  defaults: AppDefaults;
  buildApp(config: ExampleConfig, deps?: AppDeps): Promise<FastifyInstance>;
};

export type RunningApps = {
  apps: { name: string; config: ExampleConfig }[];
  close(): Promise<void>;
};

/** Listens with every app, or with none (a bad setting or a busy port closes those started and throws). */
export async function startApps(apps: readonly { app: ExampleApp; env: Env }[]): Promise<RunningApps> {
  const configs = apps.map(({ app, env }) => ({ app, config: readConfig(env, app.defaults) }));
  const servers: FastifyInstance[] = [];
  const close = async () => { await Promise.all(servers.map((server) => server.close())); };
  try {
    for (const { app, config } of configs) {
      if (config.demoSecret) {
        console.warn(`!! ${app.name}: CLIENT_SECRET is not set, so the published demo secret of client "${config.clientId}" is in use: demo only.`);
      }
      // Warnings and errors only: request logs would carry addresses with national IDs.
      const server = await app.buildApp(config, { logLevel: 'warn' });
      servers.push(server);
      await server.listen({ port: config.port, host: config.host });
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { apps: configs.map(({ app, config }) => ({ name: app.name, config })), close };
}

export async function runApps(apps: readonly { app: ExampleApp; env: Env }[]): Promise<void> {
  let running: RunningApps;
  try {
    running = await startApps(apps);
  } catch (error) {
    console.error(error instanceof ConfigError ? `Configuration: ${error.message}` : `Could not start: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
  for (const { name, config } of running.apps) console.log(`${name}: ${config.publicUrl}  (signs in with Kelid at ${config.issuer})`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void running.close().then(() => process.exit(0)));
  }
}
