/**
 * Starting apps from the command line: read each one's config, warn loudly about demo
 * defaults, listen, and close cleanly on Ctrl-C. Used by each app's server.ts when run
 * directly and by examples/start.ts; tests never listen (they call buildApp and inject).
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

export async function runApps(apps: readonly { app: ExampleApp; env: Env }[]): Promise<void> {
  let configs: ExampleConfig[];
  try {
    configs = apps.map(({ app, env }) => readConfig(env, app.defaults));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`Configuration: ${error.message}`);
    process.exit(1);
  }
  const servers: FastifyInstance[] = [];
  for (const [i, { app }] of apps.entries()) {
    const config = configs[i];
    if (config === undefined) continue;
    if (config.demoSecret) {
      console.warn(`!! ${app.name}: CLIENT_SECRET is not set, so the published demo secret of client "${config.clientId}" is in use: demo only.`);
    }
    // Warnings and errors only: request logs would carry addresses with national IDs.
    const server = await app.buildApp(config, { logLevel: 'warn' });
    await server.listen({ port: config.port, host: config.host });
    servers.push(server);
    console.log(`${app.name}: ${config.publicUrl}  (signs in with Kelid at ${config.issuer})`);
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void Promise.all(servers.map((server) => server.close())).then(() => process.exit(0));
    });
  }
}
