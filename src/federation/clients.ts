/**
 * The ministry's apps as OpenID clients (issue 10 §4): stored in `oidc_clients`, handed to the
 * provider through the adapter's Client model (so a change shows at once in every process),
 * with the secret kept only as an HMAC. Client secrets are 256 random bits, so a keyed hash
 * (not argon2) is enough: nobody can guess one from its HMAC, and checking costs nothing at
 * the token endpoint's rate. provider.ts makes the provider compare HMACs.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Database, Role } from '../db/schema.ts';
import { checkClient, clientName, clientNames, OIDC_SCOPES, type ClientInput, type ClientNames, type ClientProblem } from '../domain/oidc-client.ts';
import { auditRow, type Executor } from '../identity/audit.ts';
import { hashClientSecret } from './client-secrets.ts';

/**
 * Which secret a confidential client has now, without saying anything about it: a short hash of
 * its HMAC. A rotation form carries it, so that a reloaded or double-clicked form finds the
 * secret already replaced instead of silently replacing the one just shown.
 */
const secretVersionOf = (hmac: string) => createHash('sha256').update(hmac).digest('base64url').slice(0, 16);

export type ClientRow = {
  clientId: string; name: string; names: ClientNames; firstParty: boolean; confidential: boolean; secretVersion: string | null;
  /** Which registration this is (a short hash of what may change, and when it last did): an edit carries it (updateClient). */
  version: string;
  redirectUris: string[]; postLogoutRedirectUris: string[]; grantTypes: string[]; scopes: string[];
  accessTokenFormat: 'opaque' | 'jwt'; idTokenAlg: 'RS256' | 'ES256'; backchannelLogoutUri: string | null; roles: Role[]; organizationId: string | null;
  createdAt: Date; updatedAt: Date;
};

const columns = ['client_id', 'name', 'names', 'first_party', 'secret_hmac', 'redirect_uris', 'post_logout_redirect_uris', 'grant_types', 'scopes',
  'access_token_format', 'id_token_alg', 'backchannel_logout_uri', 'roles', 'organization_id', 'pairwise_sector', 'created_at', 'updated_at'] as const;

type Stored = Pick<Selectable<Database['oidc_clients']>, (typeof columns)[number]>;

/** jsonb gives an object's keys back in its own order: the names in a fixed one, to compare and hash. */
const sortedNames = (names: Partial<Record<string, string>>) => Object.fromEntries(Object.entries(names).sort(([a], [b]) => a.localeCompare(b)));

const versionOf = (r: Stored) => createHash('sha256').update(JSON.stringify([
  r.updated_at.toISOString(), r.name, sortedNames(r.names), r.redirect_uris, r.post_logout_redirect_uris, r.scopes, r.roles, r.backchannel_logout_uri, r.access_token_format, r.id_token_alg,
])).digest('base64url').slice(0, 16);

const toRow = (r: Stored): ClientRow => ({
  clientId: r.client_id, name: r.name, names: sortedNames(r.names) as ClientNames, firstParty: r.first_party, confidential: r.secret_hmac !== null,
  secretVersion: r.secret_hmac === null ? null : secretVersionOf(r.secret_hmac), version: versionOf(r),
  redirectUris: r.redirect_uris, postLogoutRedirectUris: r.post_logout_redirect_uris, grantTypes: r.grant_types, scopes: r.scopes,
  accessTokenFormat: r.access_token_format, idTokenAlg: r.id_token_alg, backchannelLogoutUri: r.backchannel_logout_uri, roles: r.roles, organizationId: r.organization_id,
  createdAt: r.created_at, updatedAt: r.updated_at,
});

/** Kelid's own extension of the client metadata (oidc-provider's extraClientMetadata). */
export const KELID_CLIENT_METADATA = ['kelid_first_party', 'kelid_roles', 'kelid_access_token_format', 'kelid_organization_id', 'kelid_names', 'kelid_pairwise_sector'] as const;

/**
 * The sector a third-party app's pairwise `sub` is made from (claims.ts pairwiseSubject): its
 * registration's own (migration 0030), else, for an app registered before there was one, the
 * host of its redirect URIs, as oidc-provider makes its `sectorIdentifier`.
 */
export const pairwiseSectorOf = (client: { clientId: string; sectorIdentifier?: unknown; kelid_pairwise_sector?: unknown }): string =>
  String(client.kelid_pairwise_sector ?? client.sectorIdentifier ?? client.clientId);

/** The host of an app's first redirect URI (its pairwise sector before migration 0030), if it has one. */
const hostOf = (redirectUris: readonly string[]) => (redirectUris[0] === undefined ? undefined : new URL(redirectUris[0]).host);

/** The client's metadata as oidc-provider reads it (the Client model of the adapter). Never changed once made: caches share it. */
export type ProviderClient = Readonly<Record<string, unknown>>;

/** The client as oidc-provider reads it (the Client model of the adapter), or undefined. */
export async function providerClient(db: Db, clientId: string): Promise<ProviderClient | undefined> {
  const r = await db.selectFrom('oidc_clients').select(columns).where('client_id', '=', clientId).executeTakeFirst();
  if (!r) return undefined;
  const usesCode = r.grant_types.includes('authorization_code');
  return Object.freeze({
    client_id: r.client_id,
    client_name: r.name,
    ...(r.secret_hmac === null ? { token_endpoint_auth_method: 'none' } : { client_secret: r.secret_hmac, token_endpoint_auth_method: 'client_secret_basic' }),
    redirect_uris: r.redirect_uris,
    post_logout_redirect_uris: r.post_logout_redirect_uris,
    grant_types: r.grant_types,
    response_types: usesCode ? ['code'] : [],
    // What the app may ask for. Never empty: the provider reads a missing scope as "anything".
    scope: r.scopes.length > 0 ? r.scopes.join(' ') : 'openid',
    // Third-party apps get an identifier of their own for each person, which no other app can link.
    subject_type: r.first_party ? 'public' : 'pairwise',
    id_token_signed_response_alg: r.id_token_alg,
    ...(r.backchannel_logout_uri === null ? {} : { backchannel_logout_uri: r.backchannel_logout_uri, backchannel_logout_session_required: true }),
    kelid_first_party: r.first_party,
    kelid_roles: r.roles,
    kelid_access_token_format: r.access_token_format,
    kelid_organization_id: r.organization_id,
    // The name in other languages (ClientNames): interactions.ts names the app in the person's.
    kelid_names: r.names,
    ...(r.pairwise_sector === null ? {} : { kelid_pairwise_sector: r.pairwise_sector }),
  });
}

/**
 * Every change of a client is announced (client-cache.ts keeps clients in each process): on
 * this channel, by NOTIFY in the change's transaction, to every process; and in this process
 * at once, after the commit (a cache of another database here forgets a row for nothing).
 */
export const CLIENT_CHANNEL = 'kelid_clients';
const localListeners = new Set<(clientId: string) => void>();

export function onLocalClientChange(listener: (clientId: string) => void): () => void {
  localListeners.add(listener);
  return () => localListeners.delete(listener);
}

async function announce(trx: Executor, clientId: string): Promise<void> {
  await sql`select pg_notify(${CLIENT_CHANNEL}, ${clientId})`.execute(trx);
}

function announced<T>(clientId: string, result: T): T {
  for (const listener of localListeners) listener(clientId);
  return result;
}

export async function listClients(db: Db): Promise<ClientRow[]> {
  return (await db.selectFrom('oidc_clients').select(columns).orderBy('client_id').execute()).map(toRow);
}

export async function findClient(db: Db, clientId: string): Promise<ClientRow | undefined> {
  const row = await db.selectFrom('oidc_clients').select(columns).where('client_id', '=', clientId).executeTakeFirst();
  return row && toRow(row);
}

export type ClientChange = { actorAccountId: string | null; actingMembershipId: string | null; ip: string | null };

/**
 * Registers an app; answers its secret (shown once; confidential clients only), or the problems
 * of the input, or `client.exists`. Audited as `client.added`.
 */
export async function addClient(
  db: Db, secretKey: Buffer, input: ClientInput & { organizationId?: string | null; secret?: string }, knownRoles: readonly Role[], change: ClientChange,
): Promise<{ ok: true; secret: string | null } | { ok: false; problems: ClientProblem[] } | { ok: false; exists: true }> {
  const problems = checkClient(input, knownRoles);
  if (problems.length > 0) return { ok: false, problems };
  const secret = input.confidential ? input.secret ?? randomBytes(32).toString('base64url') : null;
  const result = await db.transaction().execute(async (trx) => {
    const inserted = await trx.insertInto('oidc_clients').values({
      client_id: input.clientId, name: clientName(input.name), names: JSON.stringify(clientNames(input.names)), first_party: input.firstParty,
      secret_hmac: secret === null ? null : hashClientSecret(secretKey, secret),
      redirect_uris: input.redirectUris, post_logout_redirect_uris: input.postLogoutRedirectUris,
      grant_types: input.grantTypes, scopes: scopesFor(input), access_token_format: input.accessTokenFormat, id_token_alg: input.idTokenAlg ?? 'RS256',
      backchannel_logout_uri: input.backchannelLogoutUri, roles: input.roles, organization_id: input.organizationId ?? null,
      // A sector of this registration's own: nothing but this app's people's pairwise `sub` is made from it.
      pairwise_sector: input.firstParty ? null : randomBytes(32).toString('base64url'),
    }).onConflict((oc) => oc.column('client_id').doNothing()).returning('client_id').executeTakeFirst();
    if (!inserted) return { ok: false as const, exists: true as const };
    await audit(trx, 'client.added', input.clientId, change, { firstParty: input.firstParty, grantTypes: input.grantTypes, roles: input.roles });
    await announce(trx, input.clientId);
    return { ok: true as const, secret };
  });
  return announced(input.clientId, result);
}

/** What a registration may change later (updateClient): how people see it and sign in to it, what it may ask for. */
export type ClientChanges = Pick<ClientInput, 'name' | 'names' | 'redirectUris' | 'postLogoutRedirectUris' | 'scopes' | 'accessTokenFormat' | 'idTokenAlg' | 'backchannelLogoutUri' | 'roles'>;

const CHANGEABLE = {
  name: 'name', names: 'names', redirectUris: 'redirect_uris', postLogoutRedirectUris: 'post_logout_redirect_uris', scopes: 'scopes',
  accessTokenFormat: 'access_token_format', idTokenAlg: 'id_token_alg', backchannelLogoutUri: 'backchannel_logout_uri', roles: 'roles',
} as const satisfies Record<keyof ClientChanges, keyof Stored>;

/** Whether `next` lets the app receive less than `before` did: a scope or a role served taken away (no roles: every role). */
const narrowed = (before: readonly string[], next: readonly string[], emptyMeansAll: boolean) =>
  emptyMeansAll ? next.length > 0 && (before.length === 0 || before.some((item) => !next.includes(item))) : before.some((item) => !next.includes(item));

/**
 * Changes a registered app: the fields of `changes` given replace the stored ones, read under
 * the row lock (the rest stay as they are then). Its id, owner (first or third party), kind (a
 * secret comes and goes only with the app), the ways it uses Kelid and the school it may be
 * bound to stay as registered: `changes` is checked with them by the same rules as a new app (`names` and
 * `idTokenAlg` left out: as they were). A third-party app may move to another host (its redirect
 * URIs on one host still): its people keep their pairwise `sub` (pairwiseSectorOf), and are
 * asked their consent again there.
 * `ifVersion` (ClientRow.version), when given: the registration the change was made on, or any
 * of several; another change since (someone else's, a rotated secret) answers `changed`, under
 * a row lock. A change that gives the app less than it had (a scope or a role served taken
 * away, another access-token format, a third-party app's other host) ends its grants and tokens, as a removal does: its people
 * sign in to it again (without typing, while signed in to Kelid) and get what it has now;
 * anything else leaves them as they are. Audited as `client.updated` with each changed field's
 * value before and after (`grantsEnded` when they ended).
 */
export async function updateClient(
  db: Db, clientId: string, changes: { [F in keyof ClientChanges]?: ClientChanges[F] | undefined }, knownRoles: readonly Role[], change: ClientChange, ifVersion?: string | readonly string[],
): Promise<{ ok: true; changed: string[]; grantsEnded: boolean } | { ok: false; problems: ClientProblem[] } | { ok: false; reason: 'not_found' | 'changed' }> {
  const result = await db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('oidc_clients').select(columns).where('client_id', '=', clientId).forUpdate().executeTakeFirst();
    if (!current) return { ok: false as const, reason: 'not_found' as const };
    if (ifVersion !== undefined && ![ifVersion].flat().includes(versionOf(current))) return { ok: false as const, reason: 'changed' as const };
    const row = toRow(current);
    // What was not given stays as read under the lock: two callers changing different fields both land.
    const given = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as Partial<ClientChanges>;
    const input: ClientInput = {
      clientId, firstParty: row.firstParty, confidential: row.confidential, grantTypes: row.grantTypes as ClientInput['grantTypes'],
      name: row.name, names: row.names, redirectUris: row.redirectUris, postLogoutRedirectUris: row.postLogoutRedirectUris, scopes: row.scopes as ClientInput['scopes'],
      accessTokenFormat: row.accessTokenFormat, idTokenAlg: row.idTokenAlg, backchannelLogoutUri: row.backchannelLogoutUri, roles: row.roles,
      ...given,
    };
    const problems = checkClient(input, knownRoles);
    if (problems.length > 0) return { ok: false as const, problems };
    const next = {
      name: clientName(input.name), names: sortedNames(clientNames(input.names)), redirect_uris: input.redirectUris, post_logout_redirect_uris: input.postLogoutRedirectUris, scopes: scopesFor(input),
      access_token_format: input.accessTokenFormat, id_token_alg: input.idTokenAlg ?? 'RS256', backchannel_logout_uri: input.backchannelLogoutUri, roles: input.roles,
    };
    const was = { ...current, names: sortedNames(current.names) };
    // By the names of ClientInput, as the form and the API name them; scopes and roles are sets (another order is no change).
    const canonical = (field: keyof ClientChanges, value: unknown) => JSON.stringify(Array.isArray(value) && (field === 'scopes' || field === 'roles') ? [...value].sort() : value);
    const changed = (Object.keys(CHANGEABLE) as (keyof ClientChanges)[])
      .filter((field) => canonical(field, next[CHANGEABLE[field]]) !== canonical(field, was[CHANGEABLE[field]]));
    if (changed.length === 0) return { ok: true as const, changed, grantsEnded: false };
    // A third-party app moved to another host is asked its people's consent again there.
    const hostMoved = !current.first_party && hostOf(input.redirectUris) !== hostOf(current.redirect_uris);
    const grantsEnded = narrowed(current.scopes, next.scopes, false) || narrowed(current.roles, next.roles, true) || next.access_token_format !== current.access_token_format || hostMoved;
    // Registered before its sector was drawn: the host its people's `sub` was made from is kept as its sector.
    const sector = !current.first_party && current.pairwise_sector === null ? { pairwise_sector: hostOf(current.redirect_uris) ?? null } : {};
    await trx.updateTable('oidc_clients').set({ ...next, ...sector, names: JSON.stringify(next.names), updated_at: new Date() }).where('client_id', '=', clientId).execute();
    if (grantsEnded) await endGrantsOf(trx, clientId);
    const values = (from: Record<string, unknown>) => Object.fromEntries(changed.map((field) => [field, from[CHANGEABLE[field]]]));
    await audit(trx, 'client.updated', clientId, change, { changed, before: values(was), after: values(next), ...(grantsEnded ? { grantsEnded } : {}) });
    await announce(trx, clientId);
    return { ok: true as const, changed, grantsEnded };
  });
  return result.ok && result.changed.length > 0 ? announced(clientId, result) : result;
}

/**
 * Every grant, code and token of an app (they carry its id): they stop working at once; and its
 * sign-ins in progress (an interaction names the app in its parameters), which would otherwise
 * come back from a page drawn for the app as it was (a consent asked again and again, a role
 * chosen for scopes it no longer has) and must start over. Not indexed by the app: a removal or
 * a narrowing reads the whole table once, which an administrator's rare change can afford and
 * every grant's write, on exam morning, need not pay for.
 */
const endGrantsOf = (trx: Executor, clientId: string) => trx.deleteFrom('oidc_models')
  .where(sql<boolean>`(payload->>'clientId' = ${clientId} or (model = 'Interaction' and payload->'params'->>'client_id' = ${clientId}))`).execute();

// A client that signs people in always has `openid`: the provider refuses an authorization request without it.
const scopesFor = (input: ClientInput) => (input.grantTypes.includes('authorization_code') && !input.scopes.includes('openid') ? ['openid', ...input.scopes] : input.scopes);

/**
 * A new secret for a confidential client; the old one stops working at once. Undefined for an
 * unknown or public client, or when `ifVersion` (ClientRow.secretVersion) is given and the
 * secret is no longer that one (someone, or the same form posted twice, replaced it already).
 */
export async function rotateClientSecret(
  db: Db, secretKey: Buffer, clientId: string, change: ClientChange, options: { ifVersion?: string } = {},
): Promise<string | undefined> {
  const secret = randomBytes(32).toString('base64url');
  const result = await db.transaction().execute(async (trx) => {
    // Locked until the end of the transaction: two rotations of one version cannot both pass.
    const current = await trx.selectFrom('oidc_clients').select('secret_hmac').where('client_id', '=', clientId).forUpdate().executeTakeFirst();
    if (!current || current.secret_hmac === null) return undefined;
    if (options.ifVersion !== undefined && options.ifVersion !== secretVersionOf(current.secret_hmac)) return undefined;
    await trx.updateTable('oidc_clients').set({ secret_hmac: hashClientSecret(secretKey, secret), updated_at: new Date() })
      .where('client_id', '=', clientId).execute();
    await audit(trx, 'client.secret_rotated', clientId, change, {});
    await announce(trx, clientId);
    return secret;
  });
  return announced(clientId, result);
}

/** Removes an app and every grant, code and token it holds. False when there was none. */
export async function removeClient(db: Db, clientId: string, change: ClientChange): Promise<boolean> {
  const result = await db.transaction().execute(async (trx) => {
    const removed = await trx.deleteFrom('oidc_clients').where('client_id', '=', clientId).returning('client_id').executeTakeFirst();
    if (!removed) return false;
    // Its grants, codes and tokens stop working with it.
    await endGrantsOf(trx, clientId);
    await audit(trx, 'client.removed', clientId, change, {});
    await announce(trx, clientId);
    return true;
  });
  return announced(clientId, result);
}

async function audit(db: Executor, type: 'client.added' | 'client.updated' | 'client.removed' | 'client.secret_rotated', clientId: string, change: ClientChange, data: Record<string, unknown>) {
  await db.insertInto('audit_events').values(auditRow({
    type, actorAccountId: change.actorAccountId, actingMembershipId: change.actingMembershipId, ip: change.ip, data: { clientId, ...data },
  })).execute();
}

export const supportedScopes: readonly string[] = OIDC_SCOPES;
