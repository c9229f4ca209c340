/**
 * `npm run kelid -- clients …` and `keys rotate` (issue 10): the ministry's apps as OpenID
 * clients, and the provider's signing keys, from the operator's shell. Every change is
 * audited like the console's (actor: none, the operator).
 */
import { parseArgs } from 'node:util';
import type { Db } from './db/database.ts';
import type { Role } from './db/schema.ts';
import { locales, type Locale } from './config.ts';
import { CLIENT_ROLES, GRANT_TYPES, type ClientInput, type ClientNames, type ClientProblem, type ClientScope, shownUri, type GrantType } from './domain/oidc-client.ts';
import { addClient, findClient, listClients, removeClient, rotateClientSecret, updateClient, type ClientChanges } from './federation/clients.ts';
import { clientSecretKey } from './federation/client-secrets.ts';
import { currentKeysOpened, KEY_REFRESH_SECONDS, rotateSigningKeys } from './federation/keys.ts';
import { isUuid } from './domain/uuid.ts';
import { recordAudit } from './identity/audit.ts';
import type { Keys } from './secrets.ts';

/** A registration's problems on one line: `field: code`, a refused URI after it with the rule it broke. */
const problemsLine = (problems: readonly ClientProblem[]) =>
  problems.map((p) => `${p.field}: ${p.code}${p.uri ? ` ("${shownUri(p.uri.value)}": ${p.uri.fault})` : ''}`).join('; ');

/** A value the command cannot take, or one the database refuses: one line, exit 1. */
export class CliError extends Error {}
/** Arguments that fit no usage (an unknown action or flag, a missing operand): the usage, exit 2. */
export class UsageError extends Error {}

const operator = { actorAccountId: null, actingMembershipId: null, ip: null };
const list = (value: string | undefined) => (value ?? '').split(/[,\s]+/).filter(Boolean);

/** `--name-fa`, `--name-he`…: the app's name in each language given. */
const NAME_OPTIONS = Object.fromEntries(locales.map((locale) => [`name-${locale}`, { type: 'string' }])) as Record<`name-${Locale}`, { type: 'string' }>;
const namesGiven = (values: Partial<Record<`name-${Locale}`, string>>): ClientNames =>
  Object.fromEntries(locales.flatMap((locale) => (values[`name-${locale}`] === undefined ? [] : [[locale, values[`name-${locale}`]]])));

export const CLIENTS_USAGE = `  clients list                          the registered apps
  clients add CLIENT_ID --name NAME [--name-fa|--name-he|--name-ar|--name-en NAME]… [--redirect-uri URI]… [--post-logout-uri URI]…
              [--grant authorization_code,refresh_token | client_credentials] [--scope "openid profile roles…"]
              [--roles student,teacher…] [--third-party] [--public] [--jwt] [--es256] [--backchannel-logout-uri URI]
              [--organization ORGANIZATION_ID_OR_CODE]
                                        register an app; a confidential one's secret is printed once;
                                        --organization binds a SCIM client (scope scim) to that subtree
  clients update CLIENT_ID [--name NAME] [--name-fa|--name-he|--name-ar|--name-en NAME]… [--redirect-uri URI]… [--post-logout-uri URI]… [--scope "…"] [--roles …]
              [--no-post-logout-uri] [--jwt | --opaque] [--es256 | --rs256] [--backchannel-logout-uri URI | --no-backchannel-logout]
                                        change an app: what is given replaces what it had, the rest stays
                                        (--name-en "" leaves the English name out: the name is shown)
                                        (its id, owner, type and grants stay as registered)
  clients remove CLIENT_ID              remove an app and every grant and token it holds
  clients rotate-secret CLIENT_ID       a new secret (printed once); the old one stops working at once`;

export const KEYS_USAGE = `  keys rotate                           new signing keys; the old ones stay published until what they signed expires
  keys rotate --new-secret              the same after KELID_SECRET was changed on purpose (docs/operations.md, "Secrets"):
                                        without it a secret that cannot open the current keys is refused`;

/** `clients …` read from the command line, before any database is opened. */
export type ClientsCommand =
  | { action: 'list' }
  | { action: 'add'; input: ClientInput; organization: string | undefined }
  | { action: 'update'; clientId: string; names: ClientNames; changes: { [F in Exclude<keyof ClientChanges, 'names'>]?: ClientChanges[F] | undefined } }
  | { action: 'remove' | 'rotate-secret'; clientId: string };

/**
 * Reads `clients …`'s arguments (after `clients`). Throws UsageError when they fit no usage (an
 * unknown action or flag, a missing or extra CLIENT_ID: parseArgs's TypeError for flags), and
 * CliError for a value no app may have (an unknown grant, contrary flags).
 */
export function parseClients(args: string[]): ClientsCommand {
  const [action, ...rest] = args;
  if (action === 'list' && rest.length === 0) return { action };
  if (action === 'add') {
    const { values, positionals } = parseArgs({
      args: rest, allowPositionals: true, strict: true,
      options: {
        name: { type: 'string' }, ...NAME_OPTIONS, 'redirect-uri': { type: 'string', multiple: true }, 'post-logout-uri': { type: 'string', multiple: true },
        grant: { type: 'string' }, scope: { type: 'string' }, roles: { type: 'string' }, 'third-party': { type: 'boolean' },
        public: { type: 'boolean' }, jwt: { type: 'boolean' }, es256: { type: 'boolean' }, 'backchannel-logout-uri': { type: 'string' },
        organization: { type: 'string' },
      },
    });
    const [clientId] = positionals;
    if (clientId === undefined || positionals.length !== 1) throw new UsageError('clients add takes one CLIENT_ID');
    const grants = list(values.grant ?? 'authorization_code,refresh_token');
    const input: ClientInput = {
      clientId, name: values.name ?? '', names: namesGiven(values), firstParty: !values['third-party'], confidential: !values.public,
      redirectUris: values['redirect-uri'] ?? [], postLogoutRedirectUris: values['post-logout-uri'] ?? [],
      grantTypes: grants.filter((g): g is GrantType => (GRANT_TYPES as readonly string[]).includes(g)),
      scopes: list(values.scope ?? 'openid profile roles') as ClientScope[],
      accessTokenFormat: values.jwt ? 'jwt' : 'opaque', idTokenAlg: values.es256 ? 'ES256' : 'RS256', backchannelLogoutUri: values['backchannel-logout-uri'] ?? null,
      roles: list(values.roles) as Role[],
    };
    if (input.grantTypes.length !== grants.length) throw new CliError(`--grant takes ${GRANT_TYPES.join(', ')}`);
    if (values.organization !== undefined && !input.scopes.includes('scim')) throw new CliError('--organization binds a SCIM client: give --scope scim');
    return { action, input, organization: values.organization };
  }
  if (action === 'update') {
    const { values, positionals } = parseArgs({
      args: rest, allowPositionals: true, strict: true,
      options: {
        name: { type: 'string' }, ...NAME_OPTIONS, 'redirect-uri': { type: 'string', multiple: true }, 'post-logout-uri': { type: 'string', multiple: true },
        scope: { type: 'string' }, roles: { type: 'string' }, jwt: { type: 'boolean' }, opaque: { type: 'boolean' }, es256: { type: 'boolean' }, rs256: { type: 'boolean' },
        'backchannel-logout-uri': { type: 'string' }, 'no-backchannel-logout': { type: 'boolean' }, 'no-post-logout-uri': { type: 'boolean' },
      },
    });
    const [clientId] = positionals;
    if (clientId === undefined || positionals.length !== 1) throw new UsageError('clients update takes one CLIENT_ID');
    if (values['post-logout-uri'] !== undefined && values['no-post-logout-uri']) throw new CliError('give one of --post-logout-uri and --no-post-logout-uri');
    if ((values.jwt && values.opaque) || (values.es256 && values.rs256) || (values['backchannel-logout-uri'] !== undefined && values['no-backchannel-logout'])) {
      throw new CliError('give one of --jwt and --opaque, --es256 and --rs256, --backchannel-logout-uri and --no-backchannel-logout');
    }
    return {
      action, clientId, names: namesGiven(values),
      changes: {
        name: values.name, redirectUris: values['redirect-uri'], postLogoutRedirectUris: values['no-post-logout-uri'] ? [] : values['post-logout-uri'],
        scopes: values.scope === undefined ? undefined : list(values.scope) as ClientScope[],
        roles: values.roles === undefined ? undefined : list(values.roles) as Role[],
        accessTokenFormat: values.jwt ? 'jwt' : values.opaque ? 'opaque' : undefined,
        idTokenAlg: values.es256 ? 'ES256' : values.rs256 ? 'RS256' : undefined,
        backchannelLogoutUri: values['no-backchannel-logout'] ? null : values['backchannel-logout-uri'],
      },
    };
  }
  if (action === 'remove' || action === 'rotate-secret') {
    const [clientId] = rest;
    if (clientId === undefined || rest.length !== 1) throw new UsageError(`clients ${action} takes one CLIENT_ID`);
    return { action, clientId };
  }
  if (action === 'list') throw new UsageError('clients list takes nothing more');
  throw new UsageError(action === undefined ? 'clients needs an action' : `unknown clients command: ${action}`);
}

/** Runs a command parseClients read. Throws CliError for what the database refuses (no such app, an app already there, a bad registration). */
export async function runClients(db: Db, keys: Keys, command: ClientsCommand): Promise<void> {
  const secretKey = clientSecretKey(keys.federation);
  if (command.action === 'list') {
    const clients = await listClients(db);
    if (clients.length === 0) console.log('No apps registered.');
    for (const c of clients) {
      console.log(`${c.clientId}  ${c.firstParty ? 'first-party' : 'third-party'}  ${c.confidential ? 'confidential' : 'public'}  ${c.name}`);
      for (const [locale, name] of Object.entries(c.names)) console.log(`    name (${locale}) ${name}`);
      console.log(`    grants ${c.grantTypes.join(',')}; scopes ${c.scopes.join(' ')}; roles ${c.roles.join(',') || 'any'}; tokens ${c.accessTokenFormat}`);
      for (const uri of c.redirectUris) console.log(`    redirect ${uri}`);
      for (const uri of c.postLogoutRedirectUris) console.log(`    after sign-out ${uri}`);
      if (c.backchannelLogoutUri) console.log(`    back-channel logout ${c.backchannelLogoutUri}`);
      if (c.organizationId) console.log(`    SCIM for the subtree of organization ${c.organizationId}`);
    }
    return;
  }
  if (command.action === 'add') {
    const { input } = command;
    const organizationId = command.organization === undefined ? null : await organizationNamed(db, command.organization);
    const result = await addClient(db, secretKey, { ...input, organizationId }, CLIENT_ROLES, operator);
    if (!result.ok) {
      throw new CliError('exists' in result ? `an app ${input.clientId} is registered already`
        : problemsLine(result.problems));
    }
    console.log(`Registered ${input.clientId}.`);
    if (result.secret !== null) console.log(`Client secret (shown once, keep it in the app's secret store): ${result.secret}`);
    return;
  }
  const { clientId } = command;
  if (command.action === 'update') {
    const client = await findClient(db, clientId);
    if (!client) throw new CliError(`no app ${clientId}`);
    // What is given; the rest as the store finds it under its lock.
    const names = Object.keys(command.names).length === 0 ? undefined : { ...client.names, ...command.names };
    const result = await updateClient(db, clientId, { ...command.changes, names }, CLIENT_ROLES, operator);
    if (!result.ok) {
      throw new CliError('problems' in result ? problemsLine(result.problems)
        : `no app ${clientId}`);
    }
    console.log(result.changed.length === 0 ? `Nothing to change in ${clientId}.` : `Changed ${clientId}: ${result.changed.join(', ')}.`);
    return;
  }
  if (command.action === 'remove') {
    if (!(await removeClient(db, clientId, operator))) throw new CliError(`no app ${clientId}`);
    console.log(`Removed ${clientId} and every grant and token it held.`);
    return;
  }
  const secret = await rotateClientSecret(db, secretKey, clientId, operator);
  if (secret === undefined) throw new CliError(`no confidential app ${clientId}`);
  console.log(`New client secret for ${clientId} (shown once; the old one no longer works): ${secret}`);
}


/** An organization by its id or its ministry code; a CliError when there is none. */
async function organizationNamed(db: Db, value: string): Promise<string> {
  const byId = isUuid(value) ? await db.selectFrom('organizations').select('id').where('id', '=', value).executeTakeFirst() : undefined;
  const found = byId ?? await db.selectFrom('organizations').select('id').where('code', '=', value).executeTakeFirst();
  if (!found) throw new CliError(`no organization ${value}`);
  return found.id;
}

/**
 * `keys rotate [--new-secret]`: new signing keys (federation/keys.ts, rotateSigningKeys), audited
 * as `keys.rotated` (with `newSecret` when KELID_SECRET was changed on purpose). Running servers
 * publish them at their next reload of the key set (every KEY_REFRESH_SECONDS). `--new-secret`
 * with the secret that opens the current keys is a CliError: nothing to replace, and a second
 * run of it by mistake would only have retired good keys.
 */
export async function runKeysRotate(db: Db, keys: Keys, { newSecret }: { newSecret: boolean }): Promise<void> {
  const opened = await currentKeysOpened(db, keys.secretBox);
  if (newSecret && opened.current > 0 && opened.unopened === 0) {
    throw new CliError('--new-secret: this KELID_SECRET opens the current signing keys, so it is the one the database was written with and nothing needs replacing; ' +
      'to replace the keys under it, run keys rotate without --new-secret');
  }
  const rotated = await rotateSigningKeys(db, keys.secretBox, new Date());
  await recordAudit(db, { type: 'keys.rotated', data: { kids: rotated.kids, activatesAt: rotated.activatesAt.toISOString(), ...(newSecret ? { newSecret } : {}) } });
  console.log(`New signing keys ${rotated.kids.join(', ')}: published by every server within ${KEY_REFRESH_SECONDS} s, signing from ${rotated.activatesAt.toISOString()};`);
  console.log('the previous keys stay published until what they signed has expired.');
}
