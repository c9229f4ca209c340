/**
 * The operator's command line: `npm run kelid -- <command>` (or `node src/cli.ts <command>`).
 * Every command's arguments are read before the database is opened: `--help` or `-h` after a
 * command prints its usage (exit 0); a wrong command, action, flag or operand prints the usage
 * and exits 2; neither creates, opens nor migrates a database. Expected failures (bad
 * configuration, a bad file, a value the database refuses) print one line and exit 1. Only a
 * bug shows a stack trace.
 */
import { open } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.ts';
import type { Config } from './config.ts';
import { DatabaseInUseError, openDatabase } from './db/database.ts';
import type { DatabaseHandle } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { assertSecretOpensKeys, ensureSigningKeys } from './federation/keys.ts';
import { CLIENTS_USAGE, CliError, KEYS_USAGE, parseClients, runClients, runKeysRotate, UsageError } from './cli-clients.ts';
import type { Keys } from './secrets.ts';
import { isoDateIn, profileTimeZone } from './identity/clock.ts';
import { createPasswordHasher } from './identity/passwords.ts';
import { importRegistry, RegistryFileError } from './identity/registry.ts';
import { deriveKeys, loadOrCreateSecret } from './secrets.ts';

type Context = { config: Config; handle: DatabaseHandle; keys: Keys; personalDataKey: Buffer };
type Run = (context: Context) => Promise<void>;

/**
 * Each command: its lines of the usage, and `parse`, which reads its arguments (those after the
 * command's name) into the work to run on the open database, or throws UsageError (or
 * parseArgs's TypeError) when they fit no usage and CliError for a value it cannot take.
 */
const COMMANDS: Record<string, { usage: string; parse: (args: string[]) => Run }> = {
  migrate: {
    usage: '  migrate                     apply pending database migrations',
    parse: (args) => { none(args); return runMigrate; },
  },
  demo: {
    usage: '  demo                        load the demo data into an empty database, and print the demo accounts',
    parse: (args) => { none(args); return withSecretChecked(runDemo); },
  },
  registry: {
    usage: '  registry import FILE.csv    import the civil registry (see docs/registry-import.md); /dev/stdin or - reads the standard input',
    parse: ([action, file, ...rest]) => {
      if (action !== 'import' || file === undefined || rest.length > 0) throw new UsageError('registry import takes one FILE');
      return withSecretChecked((context) => runRegistryImport(context, file));
    },
  },
  clients: {
    usage: CLIENTS_USAGE,
    parse: (args) => {
      const command = parseClients(args);
      return withSecretChecked(({ handle, keys }) => runClients(handle.db, keys, command), { writes: command.action !== 'list' });
    },
  },
  keys: {
    usage: KEYS_USAGE,
    parse: (args) => {
      const [action, ...rest] = args;
      if (action !== 'rotate') throw new UsageError('keys takes rotate');
      const { values } = parseArgs({ args: rest, strict: true, options: { 'new-secret': { type: 'boolean' } } });
      // --new-secret: KELID_SECRET was changed on purpose, so the keys it cannot open are replaced.
      const rotate: Run = ({ handle, keys }) => runKeysRotate(handle.db, keys, { newSecret: values['new-secret'] === true });
      return values['new-secret'] ? async (context) => { await migrate(context.handle); await rotate(context); } : withSecretChecked(rotate);
    },
  },
};

const usage = (lines: string) => `Usage: npm run kelid -- <command>

${lines}

The database and keys come from the same environment as \`npm start\`
(DATABASE_URL or KELID_DATA_DIR, KELID_SECRET, KELID_PROFILE).`;

const USAGE = usage([...Object.values(COMMANDS).map((command) => command.usage), '  help                        show this text'].join('\n'));

const isHelp = (arg: string | undefined) => arg === 'help' || arg === '--help' || arg === '-h';

/** A command line that fits no usage: `message`, then `usage` (the command's, or all of it), exit 2. */
class WrongCommand extends Error {
  readonly usage: string;
  constructor(message: string, usageText: string) {
    super(message);
    this.usage = usageText;
  }
}

function none(args: string[]): void {
  if (args.length > 0) throw new UsageError(`unexpected ${args.join(' ')}`);
}

async function main(args: string[]): Promise<void> {
  const [name, ...rest] = args;
  if (name === undefined || isHelp(name)) {
    console.log(USAGE);
    return;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) throw new WrongCommand(`unknown command: ${args.join(' ')}`, USAGE);
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(usage(command.usage));
    return;
  }
  let run: Run;
  try {
    run = command.parse(rest);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) throw new WrongCommand(error instanceof UsageError ? error.message : parseArgsMessage(error), usage(command.usage));
    throw error;
  }
  await withContext(run);
}

async function withContext(run: Run): Promise<void> {
  const config = loadConfig();
  const secret = await loadOrCreateSecret(config.secret, config.dataDir, (message) => console.error(`WARNING: ${message}`));
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2, listenUrl: config.databaseListenUrl, preparedStatements: config.databasePreparedStatements });
  // Said, since a command run where DATABASE_URL was meant to be set would otherwise change a database of its own, quietly.
  if (handle.kind === 'pglite') console.error(`kelid: on the embedded database in ${path.resolve(config.dataDir)} (DATABASE_URL is not set)`);
  try {
    const keys = deriveKeys(secret);
    await run({ config, handle, keys, personalDataKey: keys.personalData });
  } finally {
    await handle.close();
  }
}

/**
 * A command that reads or writes what KELID_SECRET protects: the database migrated, the secret
 * checked against it (federation/keys.ts, assertSecretOpensKeys: ConfigError, exit 1), so that
 * a wrong secret neither writes HMACs the right one cannot read nor replaces the keys; then,
 * for one that `writes`, its first signing keys made under this secret if it has none yet (so
 * that the database is bound to the secret from its first write, as a server's first start
 * binds it; a command that only reads binds nothing).
 */
function withSecretChecked(run: Run, { writes }: { writes: boolean } = { writes: true }): Run {
  return async (context) => {
    await migrate(context.handle);
    // Checked first: a wrong secret must not add a key (one of an algorithm new in this release) under itself.
    await assertSecretOpensKeys(context.handle.db, context.keys.secretBox);
    if (writes) await ensureSigningKeys(context.handle.db, context.keys.secretBox, new Date());
    await run(context);
  };
}

async function runMigrate({ handle }: Context): Promise<void> {
  const ran = await migrate(handle);
  console.log(ran.length === 0 ? 'The database is up to date.' : `Applied: ${ran.join(', ')}`);
}

async function runDemo({ config, handle, keys }: Context): Promise<void> {
  // Loaded here only: the demo population is half of the other commands' start-up.
  const { demoKeys, loadDemoData } = await import('./demo/demo-data.ts');
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

/** Names of the standard input for `registry import`. */
const STDIN = new Set(['-', '/dev/stdin']);

async function runRegistryImport({ config, handle, personalDataKey }: Context, file: string): Promise<void> {
  // The standard input is read as the process has it: /dev/stdin cannot be opened when it is a
  // socket (ENXIO), as Node's child-process pipes are. A file is opened before reading, so that a
  // missing or unreadable one is a clear one-line error.
  const input = STDIN.has(file) ? process.stdin : (await open(file).catch((error: NodeJS.ErrnoException) => {
    throw new RegistryFileError(`cannot read ${file} (${error.code ?? error.message})`);
  })).createReadStream();
  const report = await importRegistry(handle.db, input, {
    profile: config.profile, personalDataKey, source: path.basename(file),
  });
  for (const problem of report.problems) console.log(problem);
  if (report.rejected > report.problems.length) console.log(`… and ${report.rejected - report.problems.length} more rejected rows`);
  console.log(`Registry import: ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged, ${report.rejected} rejected.`);
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof WrongCommand) {
    console.error(`kelid: ${error.message}\n\n${error.usage}`);
    process.exitCode = 2;
  } else if (error instanceof ConfigError || error instanceof RegistryFileError || error instanceof CliError || error instanceof DatabaseInUseError) {
    console.error(error instanceof ConfigError ? error.message : `kelid: ${error.message}`);
    process.exitCode = 1;
  } else if (isConnectionError(error)) {
    console.error(`kelid: cannot use the database: ${error.message}`);
    process.exitCode = 1;
  } else {
    throw error;
  }
}

/**
 * parseArgs's refusal in a line of ours: its own text ends in advice about `--` that does not
 * hold under `npm run` and leaves a quote open ("unknown option '--bogus'. To specify…").
 */
function parseArgsMessage(error: TypeError): string {
  const flag = /'(-[^']*)'/.exec(error.message)?.[1];
  const code = (error as TypeError & { code: string }).code;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag) return `unknown option ${flag}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag) {
    return `option ${flag.split(' ')[0]} ${error.message.includes('does not take an argument') ? 'takes no value' : 'needs a value'}`;
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return 'unexpected argument';
  return error.message;
}

/** node:util parseArgs's refusal of a flag (unknown, or missing its value). */
function isParseArgsError(error: unknown): error is TypeError {
  return error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');
}

// Network errors (ECONNREFUSED…) and PostgreSQL's SQLSTATE classes 08 (connection), 28 (authorization)
// and 3D (no such database) are the operator's to fix, not bugs.
function isConnectionError(error: unknown): error is Error & { code: string } {
  if (!(error instanceof Error) || !('code' in error) || typeof error.code !== 'string') return false;
  return /^E[A-Z]+$/.test(error.code) || /^(08|28|3D)/.test(error.code);
}
