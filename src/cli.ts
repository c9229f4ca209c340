/**
 * The operator's command line: `npm run kelid -- <command>` (or `node src/cli.ts <command>`).
 * Expected failures (bad configuration, a bad file) print one line and exit 1; a wrong
 * command prints the usage and exits 2. Only a bug shows a stack trace.
 */
import { open } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, loadConfig } from './config.ts';
import type { Config } from './config.ts';
import { DatabaseInUseError, openDatabase } from './db/database.ts';
import type { DatabaseHandle } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { CLIENTS_USAGE, CliError, runClients, runKeysRotate } from './cli-clients.ts';
import type { Keys } from './secrets.ts';
import { isoDateIn, profileTimeZone } from './identity/clock.ts';
import { createPasswordHasher } from './identity/passwords.ts';
import { importRegistry, RegistryFileError } from './identity/registry.ts';
import { deriveKeys, loadOrCreateSecret } from './secrets.ts';

const USAGE = `Usage: npm run kelid -- <command>

  migrate                     apply pending database migrations
  demo                        load the demo data into an empty database, and print the demo accounts
  registry import FILE.csv    import the civil registry (see docs/registry-import.md)
${CLIENTS_USAGE}
  help                        show this text

The database and keys come from the same environment as \`npm start\`
(DATABASE_URL or KELID_DATA_DIR, KELID_SECRET, KELID_PROFILE).`;

class UsageError extends Error {}

type Context = { config: Config; handle: DatabaseHandle; keys: Keys; personalDataKey: Buffer };

async function main(args: string[]): Promise<void> {
  const [command, sub, ...rest] = args;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    console.log(USAGE);
    return;
  }
  if (command === 'migrate' && sub === undefined) return withContext(runMigrate);
  if (command === 'demo' && sub === undefined) return withContext(runDemo);
  if (command === 'clients' && sub !== undefined) return withContext(async ({ handle, keys }) => { await migrate(handle); await runClients(handle.db, keys, [sub, ...rest]); });
  if (command === 'keys' && sub === 'rotate' && rest.length === 0) return withContext(async ({ handle, keys }) => { await migrate(handle); await runKeysRotate(handle.db, keys); });
  if (command === 'registry' && sub === 'import' && rest.length === 1 && rest[0] !== undefined) {
    const file = rest[0];
    return withContext((context) => runRegistryImport(context, file));
  }
  throw new UsageError(`unknown command: ${args.join(' ')}`);
}

async function withContext(run: (context: Context) => Promise<void>): Promise<void> {
  const config = loadConfig();
  const secret = await loadOrCreateSecret(config.secret, config.dataDir, (message) => console.error(`WARNING: ${message}`));
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2, listenUrl: config.databaseListenUrl, preparedStatements: config.databasePreparedStatements });
  try {
    const keys = deriveKeys(secret);
    await run({ config, handle, keys, personalDataKey: keys.personalData });
  } finally {
    await handle.close();
  }
}

async function runMigrate({ handle }: Context): Promise<void> {
  const ran = await migrate(handle);
  console.log(ran.length === 0 ? 'The database is up to date.' : `Applied: ${ran.join(', ')}`);
}

async function runDemo({ config, handle, keys }: Context): Promise<void> {
  // Loaded here only: the demo population is half of the other commands' start-up.
  const { demoKeys, loadDemoData } = await import('./demo/demo-data.ts');
  await migrate(handle);
  const summary = await loadDemoData(handle, {
    profile: config.profile,
    password: config.demoPassword,
    hasher: createPasswordHasher(config.argon2),
    today: isoDateIn(new Date(), profileTimeZone[config.profile]),
    ...demoKeys(keys),
  });
  if (summary.loaded) {
    const { counts } = summary;
    console.log(`Demo data loaded in ${summary.milliseconds} ms: ${counts.organizations} organizations (${counts.schools} schools), ` +
      `${counts.accounts} accounts, ${counts.students} students with their fathers, ${counts.teachers} teachers.`);
  } else {
    console.log('The database is not empty (it has people in the registry): demo data not loaded.');
  }
  // The accounts are printed either way: whoever loaded the demo data earlier (the first
  // `npm start` does) still needs to know how to sign in (README, "Demo data").
  console.log(`Demo accounts${summary.loaded ? '' : ' (if the demo data was loaded before)'}; every password is KELID_DEMO_PASSWORD (default Kelid-Demo-1405): demo only.`);
  for (const account of summary.fixedAccounts) console.log(`  ${account.nationalId}  ${account.role.padEnd(15)} ${account.note}`);
  console.log('Registry only (no account yet, for trying registration):');
  for (const person of summary.registryOnly) console.log(`  ${person.nationalId}  ${person.birthDate}  ${person.name}`);
}

async function runRegistryImport({ config, handle, personalDataKey }: Context, file: string): Promise<void> {
  await migrate(handle);
  // Opened first so that a missing or unreadable file is a clear one-line error.
  const fileHandle = await open(file).catch((error: NodeJS.ErrnoException) => {
    throw new RegistryFileError(`cannot read ${file} (${error.code ?? error.message})`);
  });
  const report = await importRegistry(handle.db, fileHandle.createReadStream(), {
    profile: config.profile, personalDataKey, source: path.basename(file),
  });
  for (const problem of report.problems) console.log(problem);
  if (report.rejected > report.problems.length) console.log(`… and ${report.rejected - report.problems.length} more rejected rows`);
  console.log(`Registry import: ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged, ${report.rejected} rejected.`);
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`kelid: ${error.message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else if (error instanceof ConfigError || error instanceof RegistryFileError || error instanceof CliError || error instanceof DatabaseInUseError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
    console.error(error instanceof ConfigError ? error.message : `kelid: ${error.message}`);
    process.exitCode = 1;
  } else if (isConnectionError(error)) {
    console.error(`kelid: cannot use the database: ${error.message}`);
    process.exitCode = 1;
  } else {
    throw error;
  }
}

// Network errors (ECONNREFUSED…) and PostgreSQL's SQLSTATE classes 08 (connection), 28 (authorization)
// and 3D (no such database) are the operator's to fix, not bugs.
function isConnectionError(error: unknown): error is Error & { code: string } {
  if (!(error instanceof Error) || !('code' in error) || typeof error.code !== 'string') return false;
  return /^E[A-Z]+$/.test(error.code) || /^(08|28|3D)/.test(error.code);
}
