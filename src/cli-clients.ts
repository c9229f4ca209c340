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
import { addClient, findClient, listClients, removeClient, rotateClientSecret, updateClient } from './federation/clients.ts';
import { clientSecretKey } from './federation/client-secrets.ts';
import { rotateSigningKeys } from './federation/keys.ts';
import { isUuid } from './domain/uuid.ts';
import { recordAudit } from './identity/audit.ts';
import type { Keys } from './secrets.ts';

/** A registration's problems on one line: `field: code`, a refused URI after it with the rule it broke. */
const problemsLine = (problems: readonly ClientProblem[]) =>
  problems.map((p) => `${p.field}: ${p.code}${p.uri ? ` ("${shownUri(p.uri.value)}": ${p.uri.fault})` : ''}`).join('; ');

export class CliError extends Error {}

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
  clients rotate-secret CLIENT_ID       a new secret (printed once); the old one stops working at once
  keys rotate                           new signing keys; the old ones stay published until what they signed expires`;

export async function runClients(db: Db, keys: Keys, args: string[]): Promise<void> {
  const [action, ...rest] = args;
  const secretKey = clientSecretKey(keys.federation);
  if (action === 'list' && rest.length === 0) {
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
    if (clientId === undefined || positionals.length !== 1) throw new CliError('clients add takes one CLIENT_ID');
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
    const organizationId = values.organization === undefined ? null : await organizationNamed(db, values.organization);
    if (organizationId !== null && !input.scopes.includes('scim')) throw new CliError('--organization binds a SCIM client: give --scope scim');
    const result = await addClient(db, secretKey, { ...input, organizationId }, CLIENT_ROLES, operator);
    if (!result.ok) {
      throw new CliError('exists' in result ? `an app ${clientId} is registered already`
        : problemsLine(result.problems));
    }
    console.log(`Registered ${clientId}.`);
    if (result.secret !== null) console.log(`Client secret (shown once, keep it in the app's secret store): ${result.secret}`);
    return;
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
    if (clientId === undefined || positionals.length !== 1) throw new CliError('clients update takes one CLIENT_ID');
    if (values['post-logout-uri'] !== undefined && values['no-post-logout-uri']) throw new CliError('give one of --post-logout-uri and --no-post-logout-uri');
    if ((values.jwt && values.opaque) || (values.es256 && values.rs256) || (values['backchannel-logout-uri'] !== undefined && values['no-backchannel-logout'])) {
      throw new CliError('give one of --jwt and --opaque, --es256 and --rs256, --backchannel-logout-uri and --no-backchannel-logout');
    }
    const client = await findClient(db, clientId);
    if (!client) throw new CliError(`no app ${clientId}`);
    // What is given; the rest as the store finds it under its lock.
    const names = namesGiven(values);
    const result = await updateClient(db, clientId, {
      name: values.name, names: Object.keys(names).length === 0 ? undefined : { ...client.names, ...names },
      redirectUris: values['redirect-uri'], postLogoutRedirectUris: values['no-post-logout-uri'] ? [] : values['post-logout-uri'],
      scopes: values.scope === undefined ? undefined : list(values.scope) as ClientScope[],
      roles: values.roles === undefined ? undefined : list(values.roles) as Role[],
      accessTokenFormat: values.jwt ? 'jwt' : values.opaque ? 'opaque' : undefined,
      idTokenAlg: values.es256 ? 'ES256' : values.rs256 ? 'RS256' : undefined,
      backchannelLogoutUri: values['no-backchannel-logout'] ? null : values['backchannel-logout-uri'],
    }, CLIENT_ROLES, operator);
    if (!result.ok) {
      throw new CliError('problems' in result ? problemsLine(result.problems)
        : `no app ${clientId}`);
    }
    console.log(result.changed.length === 0 ? `Nothing to change in ${clientId}.` : `Changed ${clientId}: ${result.changed.join(', ')}.`);
    return;
  }
  const [clientId] = rest;
  if (action === 'remove' && clientId !== undefined && rest.length === 1) {
    if (!(await removeClient(db, clientId, operator))) throw new CliError(`no app ${clientId}`);
    console.log(`Removed ${clientId} and every grant and token it held.`);
    return;
  }
  if (action === 'rotate-secret' && clientId !== undefined && rest.length === 1) {
    const secret = await rotateClientSecret(db, secretKey, clientId, operator);
    if (secret === undefined) throw new CliError(`no confidential app ${clientId}`);
    console.log(`New client secret for ${clientId} (shown once; the old one no longer works): ${secret}`);
    return;
  }
  throw new CliError(`unknown clients command: ${args.join(' ')}`);
}

/** An organization by its id or its ministry code; a CliError when there is none. */
async function organizationNamed(db: Db, value: string): Promise<string> {
  const byId = isUuid(value) ? await db.selectFrom('organizations').select('id').where('id', '=', value).executeTakeFirst() : undefined;
  const found = byId ?? await db.selectFrom('organizations').select('id').where('code', '=', value).executeTakeFirst();
  if (!found) throw new CliError(`no organization ${value}`);
  return found.id;
}

export async function runKeysRotate(db: Db, keys: Keys): Promise<void> {
  const rotated = await rotateSigningKeys(db, keys.secretBox, new Date());
  await recordAudit(db, { type: 'keys.rotated', data: { kids: rotated.kids, activatesAt: rotated.activatesAt.toISOString() } });
  console.log(`New signing keys ${rotated.kids.join(', ')}: published now, signing from ${rotated.activatesAt.toISOString()};`);
  console.log('the previous keys stay published until what they signed has expired.');
}
