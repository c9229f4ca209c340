/**
 * The ministry's apps in the admin API, the console's twin (pages/admin-clients.ts): the same
 * permission (`clients.manage`, ministry administrators only), the same rules and problem codes
 * (a 422 naming the field), the same audit. A secret is in the answer that made it, never
 * cached, and nowhere else. An app's registration is changed with PATCH: the fields sent
 * replace the stored ones, the rest stay; `If-Match` with its ETag (the `version` shown) makes
 * the change only if nothing changed it since (RFC 9110 §13.1.1, else 412).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { changesOf, checkDraft, clientProblemParams, type ClientDraft, type ClientFieldProblem } from '../../admin/client-form.ts';
import { can } from '../../admin/permissions.ts';
import { CLIENT_ROLES, isClientId } from '../../domain/oidc-client.ts';
import { AppError } from '../../errors.ts';
import { addClient, findClient, listClients, removeClient, rotateClientSecret, updateClient, type ClientRow } from '../../federation/clients.ts';
import { clientSecretKey } from '../../federation/client-secrets.ts';
import type { RouteContext } from '../context.ts';
import { adminChange, loadAdminScope } from '../plugins/admin.ts';

const text = (maxLength: number) => ({ type: 'string', maxLength }) as const;
const list = (maxItems: number, maxLength: number) => ({ type: 'array', maxItems, items: text(maxLength) }) as const;

// Lengths beyond any valid value: past them the value is no app's; within them checkDraft names the problem.
const clientBody = {
  type: 'object', required: ['clientId', 'name', 'grantTypes'], additionalProperties: false,
  properties: {
    clientId: text(100), name: text(400),
    names: { type: 'object', additionalProperties: false, properties: { fa: text(400), he: text(400), ar: text(400), en: text(400) } },
    firstParty: { type: 'boolean' }, confidential: { type: 'boolean' },
    grantTypes: list(3, 40), scopes: list(20, 40), roles: list(20, 40),
    redirectUris: list(20, 2000), postLogoutRedirectUris: list(20, 2000),
    backchannelLogoutUri: { type: ['string', 'null'], maxLength: 2000 }, accessTokenFormat: { type: 'string', enum: ['opaque', 'jwt'] },
    idTokenAlg: { type: 'string', enum: ['RS256', 'ES256'] },
  },
} as const;
type ClientBody = Partial<ClientDraft> & Pick<ClientDraft, 'clientId' | 'name' | 'grantTypes'>;
// A change: any of the fields, none required; those fixed at registration only as they are.
const changeBody = { ...clientBody, required: [], minProperties: 1 } as const;
const idParams = { type: 'object', required: ['id'], properties: { id: text(100) } } as const;

/**
 * The versions an `If-Match` header accepts (RFC 9110 §13.1.1): its strong entity tags (a bare
 * `version` as the JSON shows it too), or undefined (any) for none or `*`. A weak tag never
 * matches (strong comparison), so a header of weak tags alone accepts nothing.
 */
function ifMatchOf(header: string | undefined): string[] | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  return header.split(',').map((tag) => tag.trim()).flatMap((tag) => (tag.startsWith('W/') ? [] : [tag.replace(/^"(.*)"$/, '$1')]));
}

/** A value sent against one stored: lists as sets. */
const sameValue = (sent: unknown, stored: unknown) => {
  const canonical = (value: unknown) => JSON.stringify(Array.isArray(value) ? [...new Set(value)].sort() : value);
  return canonical(sent) === canonical(stored);
};

/** The app as the API shows it: what the table shows, the secret's version left out; `version` is its ETag. */
/** A registration's first problem as the API's 422, a refused URI named in its message. */
const refusal = (request: FastifyRequest, problem: ClientFieldProblem) =>
  new AppError(422, problem.code, { field: problem.field, params: clientProblemParams(request.t, problem) ?? {} });

const shown = (c: ClientRow) => ({
  clientId: c.clientId, version: c.version, name: c.name, names: c.names, firstParty: c.firstParty, confidential: c.confidential, grantTypes: c.grantTypes, scopes: c.scopes, roles: c.roles,
  redirectUris: c.redirectUris, postLogoutRedirectUris: c.postLogoutRedirectUris, backchannelLogoutUri: c.backchannelLogoutUri,
  accessTokenFormat: c.accessTokenFormat, idTokenAlg: c.idTokenAlg, organizationId: c.organizationId, createdAt: c.createdAt.toISOString(), updatedAt: c.updatedAt.toISOString(),
});

export async function adminClientsApi(app: FastifyInstance, ctx: RouteContext) {
  const gate = async (request: FastifyRequest) => {
    const scope = await loadAdminScope(ctx, request);
    if (!can(scope.role, 'clients.manage')) throw new AppError(403, 'access.denied');
  };
  const secretKey = clientSecretKey(ctx.keys.federation);
  const known = async (id: string) => {
    const client = isClientId(id) ? await findClient(ctx.db, id) : undefined;
    if (!client) throw new AppError(404, 'client.not_found');
    return client;
  };

  app.get('/admin/clients', { onRequest: gate }, async () => ({ clients: (await listClients(ctx.db)).map(shown) }));

  app.post<{ Body: ClientBody }>('/admin/clients', { onRequest: gate, schema: { body: clientBody } }, async (request, reply) => {
    const b = request.body;
    const checked = checkDraft({
      clientId: b.clientId, name: b.name, names: b.names ?? {}, firstParty: b.firstParty ?? true, confidential: b.confidential ?? true, grantTypes: b.grantTypes,
      scopes: b.scopes ?? [], roles: b.roles ?? [], redirectUris: b.redirectUris ?? [], postLogoutRedirectUris: b.postLogoutRedirectUris ?? [],
      backchannelLogoutUri: b.backchannelLogoutUri ?? null, accessTokenFormat: b.accessTokenFormat ?? 'opaque', ...(b.idTokenAlg ? { idTokenAlg: b.idTokenAlg } : {}),
    });
    if (!checked.ok) throw refusal(request, checked.problems[0]!);
    const added = await addClient(ctx.db, secretKey, checked.input, CLIENT_ROLES, adminChange(request));
    if (!added.ok && 'exists' in added) throw new AppError(409, 'client.exists', { field: 'clientId' });
    if (!added.ok) throw refusal(request, added.problems[0]!);
    return reply.code(201).header('cache-control', 'no-store').send({ clientId: checked.input.clientId, clientSecret: added.secret });
  });

  app.get<{ Params: { id: string } }>('/admin/clients/:id', { onRequest: gate, schema: { params: idParams } }, async (request, reply) => {
    const client = await known(request.params.id);
    return reply.header('etag', `"${client.version}"`).send(shown(client));
  });

  app.patch<{ Params: { id: string }; Body: Partial<ClientBody> }>('/admin/clients/:id', { onRequest: gate, schema: { params: idParams, body: changeBody } }, async (request, reply) => {
    const client = await known(request.params.id);
    const b = request.body;
    const fixed = { clientId: client.clientId, firstParty: client.firstParty, confidential: client.confidential, grantTypes: client.grantTypes };
    for (const field of Object.keys(fixed) as (keyof typeof fixed)[]) {
      if (b[field] !== undefined && !sameValue(b[field], fixed[field])) throw new AppError(422, 'client.fixed', { field });
    }
    const checked = checkDraft({
      ...fixed, name: b.name ?? client.name, names: b.names ?? client.names, scopes: b.scopes ?? client.scopes, roles: b.roles ?? client.roles,
      redirectUris: b.redirectUris ?? client.redirectUris, postLogoutRedirectUris: b.postLogoutRedirectUris ?? client.postLogoutRedirectUris,
      backchannelLogoutUri: b.backchannelLogoutUri === undefined ? client.backchannelLogoutUri : b.backchannelLogoutUri, accessTokenFormat: b.accessTokenFormat ?? client.accessTokenFormat,
      idTokenAlg: b.idTokenAlg ?? client.idTokenAlg,
    });
    if (!checked.ok) throw refusal(request, checked.problems[0]!);
    // Only the fields sent: the rest are read again under the store's lock, so a concurrent change of another field stays.
    const changes = Object.fromEntries(Object.entries(changesOf(checked.input)).filter(([field]) => b[field as keyof ClientBody] !== undefined));
    const updated = await updateClient(ctx.db, client.clientId, changes, CLIENT_ROLES, adminChange(request), ifMatchOf(request.headers['if-match']));
    if (!updated.ok && 'problems' in updated) throw refusal(request, updated.problems[0]!);
    if (!updated.ok && updated.reason === 'changed') throw new AppError(412, 'client.changed');
    const now = await known(client.clientId);
    return reply.header('etag', `"${now.version}"`).send(shown(now));
  });

  app.delete<{ Params: { id: string } }>('/admin/clients/:id', { onRequest: gate, schema: { params: idParams } }, async (request, reply) => {
    const { clientId } = await known(request.params.id);
    if (!(await removeClient(ctx.db, clientId, adminChange(request)))) throw new AppError(404, 'client.not_found');
    return reply.code(204).send();
  });

  app.post<{ Params: { id: string } }>('/admin/clients/:id/secret', { onRequest: gate, schema: { params: idParams } }, async (request, reply) => {
    const client = await known(request.params.id);
    if (!client.confidential) throw new AppError(409, 'client.public_no_secret');
    const secret = await rotateClientSecret(ctx.db, secretKey, client.clientId, adminChange(request));
    if (secret === undefined) throw new AppError(404, 'client.not_found');
    return reply.header('cache-control', 'no-store').send({ clientId: client.clientId, clientSecret: secret });
  });
}
