/**
 * SCIM 2.0 at /scim/v2 (RFC 7644) for school information systems: its own encapsulated scope
 * (no cookies, no CSRF, no HTML error pages), JSON bodies as `application/scim+json` or
 * `application/json`, every answer and error in SCIM's format. A request carries an access
 * token of Kelid's provider (client credentials, scope `scim`: federation/scim-token.ts); the
 * client's bound organization limits every query (src/scim/context.ts). Handlers are thin: the
 * work is in src/scim/.
 */
import { isUtf8 } from 'node:buffer';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { scimPatch, ScimError as PatchRefusal, type ScimPatchOperation } from 'scim-patch';
import { isDatabaseUnavailable, UNAVAILABLE_RETRY_SECONDS } from '../db/unavailable.ts';
import { clip } from '../domain/text.ts';
import { AppError } from '../errors.ts';
import { scimCaller } from '../federation/scim-token.ts';
import { hitCounter, type WindowLimit } from '../identity/rate-limits.ts';
import { translator } from '../i18n/catalogs.ts';
import { organizationPath, type ScimContext } from '../scim/context.ts';
import { DEFAULT_PAGE, MAX_PAGE, resourceTypes, schemas, serviceProviderConfig } from '../scim/discovery.ts';
import { badRequest, errorBody, notFound, refusalDetail, ScimError } from '../scim/errors.ts';
import { patchOperations } from '../scim/patch-input.ts';
import { findGroup, listGroups } from '../scim/groups.ts';
import { project } from '../scim/projection.ts';
import { createUser, deleteUser, patchUser, replaceUser } from '../scim/user-writes.ts';
import { findUser, LIST_SCHEMA, listUsers, type Page } from '../scim/users.ts';
import type { RouteContext } from './context.ts';
import { bearerToken } from './plugins/auth.ts';

const SCIM_JSON = 'application/scim+json; charset=utf-8';

declare module 'fastify' {
  interface FastifyRequest { scim: ScimContext | null }
}

const scimOf = (request: FastifyRequest): ScimContext => request.scim!;
const one = (value: unknown, name: string): string | undefined => {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badRequest('invalidValue', `"${name}" is given once`);
  return value;
};
const whole = (value: string | undefined, name: string, fallback: number): number => {
  if (value === undefined) return fallback;
  if (!/^-?\d{1,9}$/.test(value)) throw badRequest('invalidValue', `"${name}" is an integer`);
  return Number(value);
};

/** RFC 7644 §3.4.2: `filter`, `startIndex` (1-based; below 1 counts as 1), `count` (0 to MAX_PAGE), `sortBy`, `sortOrder`. */
function pageOf(query: Record<string, unknown>): Page & { attributes?: string | undefined; excludedAttributes?: string | undefined } {
  const sortOrder = one(query.sortOrder, 'sortOrder');
  if (sortOrder !== undefined && sortOrder !== 'ascending' && sortOrder !== 'descending') throw badRequest('invalidValue', '"sortOrder" is ascending or descending');
  return {
    filter: one(query.filter, 'filter'),
    startIndex: Math.max(1, whole(one(query.startIndex, 'startIndex'), 'startIndex', 1)),
    count: Math.min(MAX_PAGE, Math.max(0, whole(one(query.count, 'count'), 'count', DEFAULT_PAGE))),
    sortBy: one(query.sortBy, 'sortBy'),
    descending: sortOrder === 'descending',
    attributes: one(query.attributes, 'attributes'),
    excludedAttributes: one(query.excludedAttributes, 'excludedAttributes'),
  };
}

const listResponse = (totalResults: number, startIndex: number, resources: object[]) =>
  ({ schemas: [LIST_SCHEMA], totalResults, startIndex, itemsPerPage: resources.length, Resources: resources });

/** The bearer token's client, its bound organization and the client's request count: 401, 403 or 429 in SCIM's format. */
function authenticate(ctx: RouteContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const token = bearerToken(request.headers.authorization);
    if (token === undefined) {
      reply.header('www-authenticate', 'Bearer realm="scim"');
      throw new ScimError(401, 'an access token is required: Authorization: Bearer <token> (client credentials, scope scim)');
    }
    const caller = await scimCaller(ctx.federation, ctx.config.publicUrl, token);
    if (caller === 'invalid') {
      reply.header('www-authenticate', 'Bearer realm="scim", error="invalid_token"');
      throw new ScimError(401, 'the access token is not valid (unknown, expired or revoked)');
    }
    if (caller === 'forbidden') throw new ScimError(403, 'the token has no scope scim, or its client is bound to no organization');
    // Requests per client and minute (KELID_SCIM_RATE_PER_MINUTE), over every process (rate_counters).
    const rate: WindowLimit = { limit: ctx.config.scimRequestsPerMinute, windowMinutes: 1 };
    const hits = await hitCounter(ctx.db, 'scim', caller.clientId, rate, ctx.clock.now());
    if (hits > rate.limit) {
      reply.header('retry-after', String(rate.windowMinutes * 60));
      throw new ScimError(429, 'too many requests from this client; try again in a minute');
    }
    const path = await organizationPath(ctx.db, caller.organizationId);
    if (path === undefined) throw new ScimError(403, 'the client\'s organization no longer exists');
    request.scim = {
      db: ctx.db, clientId: caller.clientId, organizationId: caller.organizationId, path, today: ctx.today(),
      profile: ctx.config.profile, baseUrl: `${ctx.config.publicUrl}/scim/v2`,
    };
  };
}

/** SCIM's details are English, whoever asks (scim/errors.ts). */
const english = translator('en');

/** Any error as SCIM's (RFC 7644 §3.12); a bug is a bare 500 with nothing of it told. */
function scimErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  let status = 500;
  let detail = 'internal error';
  let scimType: ScimError['scimType'];
  if (error instanceof ScimError) {
    status = error.status;
    scimType = error.scimType;
    detail = error.message;
    if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
  } else if (error instanceof AppError) { status = error.status; detail = refusalDetail(english(error.code, error.params), error.field); if (status === 400) scimType = 'invalidValue'; }
  else if (isDatabaseUnavailable(error)) { status = 503; detail = 'unavailable for a moment; try again'; reply.header('retry-after', String(UNAVAILABLE_RETRY_SECONDS)); }
  else if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    status = error.statusCode;
    detail = error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'send application/scim+json' : status === 413 ? 'the body is too large' : 'the request is not valid JSON';
    if (status === 400) scimType = 'invalidSyntax';
  }
  if (status >= 500 && status !== 503) request.log.error({ err: error }, 'SCIM request failed');
  return reply.code(status).type(SCIM_JSON).send(errorBody(status, detail, scimType));
}

export async function scimRoutes(app: FastifyInstance, ctx: RouteContext) {
  app.decorateRequest('scim', null);
  // As the root's application/json (plugins/input-text.ts): UTF-8 only, no __proto__ keys.
  const json = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/scim+json', { parseAs: 'buffer', bodyLimit: 1024 * 1024 }, (request, body, done) => {
    if (!isUtf8(body as Buffer)) return done(badRequest('invalidSyntax', 'the body is not UTF-8'), undefined);
    return json(request, (body as Buffer).toString('utf8'), done);
  });
  app.setErrorHandler(scimErrorHandler);
  app.setNotFoundHandler((_request, reply) => reply.code(404).type(SCIM_JSON).send(errorBody(404, 'no such SCIM endpoint')));
  app.addHook('onRequest', authenticate(ctx));
  app.addHook('onSend', async (_request, reply, payload) => {
    if (String(reply.getHeader('content-type') ?? '').startsWith('application/json')) reply.type(SCIM_JSON);
    reply.header('cache-control', 'no-store');
    return payload;
  });
  const base = () => `${ctx.config.publicUrl}/scim/v2`;
  const ip = (request: FastifyRequest) => request.ip;
  const ifMatch = (request: FastifyRequest) => (typeof request.headers['if-match'] === 'string' ? request.headers['if-match'] : undefined);

  app.get('/ServiceProviderConfig', async () => serviceProviderConfig(base()));
  app.get('/ResourceTypes', async () => { const all = resourceTypes(base()); return listResponse(all.length, 1, all); });
  app.get<{ Params: { id: string } }>('/ResourceTypes/:id', async (request) => resourceTypes(base()).find((r) => r.id === request.params.id) ?? Promise.reject(notFound('resource type')));
  app.get('/Schemas', async () => { const all = schemas(base()); return listResponse(all.length, 1, all); });
  app.get<{ Params: { id: string } }>('/Schemas/:id', async (request) => schemas(base()).find((s) => s.id === request.params.id) ?? Promise.reject(notFound('schema')));

  app.get('/Users', async (request) => {
    const page = pageOf(request.query as Record<string, unknown>);
    const result = await listUsers(scimOf(request), page);
    return listResponse(result.totalResults, page.startIndex, result.resources.map((u) => project(u, page.attributes, page.excludedAttributes)));
  });
  // RFC 7644 §3.4.3: the same query in a body (filters that must not appear in URLs and logs).
  app.post('/Users/.search', async (request) => {
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('invalidSyntax', 'a search body is a JSON object');
    const { schemas: _schemas, ...fields } = body as Record<string, unknown>;
    // Numbers as the query's strings; `attributes` and `excludedAttributes` are lists of names here (§3.4.3).
    const names = new Set(['attributes', 'excludedAttributes']);
    const asQuery = (key: string, value: unknown) => (typeof value === 'number' ? String(value)
      : names.has(key) && Array.isArray(value) && value.length <= 50 && value.every((v) => typeof v === 'string') ? value.join(',') : value);
    const query = Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, asQuery(key, value)]));
    const page = pageOf(query);
    const result = await listUsers(scimOf(request), page);
    return listResponse(result.totalResults, page.startIndex, result.resources.map((u) => project(u, page.attributes, page.excludedAttributes)));
  });
  app.get<{ Params: { id: string } }>('/Users/:id', async (request, reply) => {
    const user = await findUser(scimOf(request), request.params.id);
    if (!user) throw notFound('User');
    const q = pageOf(request.query as Record<string, unknown>);
    return reply.header('etag', user.meta.version).send(project(user, q.attributes, q.excludedAttributes));
  });
  app.post('/Users', async (request, reply) => {
    const user = await createUser(ctx.db, scimOf(request), request.body, { ip: ip(request) });
    return reply.code(201).header('location', user.meta.location).header('etag', user.meta.version).send(user);
  });
  app.put<{ Params: { id: string } }>('/Users/:id', async (request, reply) => {
    const user = await replaceUser(ctx.db, scimOf(request), request.params.id, request.body, { ip: ip(request), ifMatch: ifMatch(request) });
    return reply.header('etag', user.meta.version).send(user);
  });
  app.patch<{ Params: { id: string } }>('/Users/:id', async (request, reply) => {
    const operations = patchOperations(request.body);
    const patched = (current: object) => {
      try {
        return scimPatch(structuredClone(current) as never, operations as ScimPatchOperation[], { mutateDocument: false, treatMissingAsAdd: true }) as Record<string, unknown>;
      } catch (error) {
        // scim-patch's own refusals say what was wrong; anything else is no text for a client.
        throw badRequest('invalidValue', error instanceof PatchRefusal
          ? `the operations cannot be applied: ${clip(error.message, 200)}`
          : 'the operations cannot be applied to this User');
      }
    };
    const user = await patchUser(ctx.db, scimOf(request), request.params.id, patched, { ip: ip(request), ifMatch: ifMatch(request) });
    return reply.header('etag', user.meta.version).send(user);
  });
  app.delete<{ Params: { id: string } }>('/Users/:id', async (request, reply) => {
    await deleteUser(ctx.db, scimOf(request), request.params.id, { ip: ip(request), ifMatch: ifMatch(request) });
    return reply.code(204).send();
  });

  app.get('/Groups', async (request) => {
    const page = pageOf(request.query as Record<string, unknown>);
    const withMembers = !(page.excludedAttributes ?? '').toLowerCase().split(',').map((a) => a.trim()).includes('members');
    const result = await listGroups(scimOf(request), page, withMembers);
    return listResponse(result.totalResults, page.startIndex, result.resources.map((g) => project(g, page.attributes, page.excludedAttributes)));
  });
  // Groups are the ministry's schools: a school system reads them; membership is written as a User's appointments.
  app.route({ method: ['POST', 'PUT', 'PATCH', 'DELETE'], url: '/Groups/:id', handler: async () => {
    throw new ScimError(405, 'Groups are read-only: a User\'s appointments (the Kelid extension) make their members');
  } });
  app.get<{ Params: { id: string } }>('/Groups/:id', async (request, reply) => {
    const group = await findGroup(scimOf(request), request.params.id);
    if (!group) throw notFound('Group');
    const q = pageOf(request.query as Record<string, unknown>);
    return reply.header('etag', group.meta.version).send(project(group, q.attributes, q.excludedAttributes));
  });
}
