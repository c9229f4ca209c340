/**
 * The ministry's apps in the console (issue 10 §4), for ministry administrators only
 * (`clients.manage`): the table, register an app, edit one (its names, URIs, scopes, roles and
 * token format), remove one and replace its secret, each with a confirmation. A secret is
 * shown once, in the answer to the POST that made it, never cached, never in a URL or a log;
 * Kelid keeps its HMAC. The store audits every change.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { changesOf, checkDraft, clientFormValuesOf, draftOf, readClientForm, type ClientFieldProblem, type ClientFormValues, emptyClientForm } from '../../admin/client-form.ts';
import { appNameIn, clientName, CLIENT_ROLES, isClientId } from '../../domain/oidc-client.ts';
import { AppError } from '../../errors.ts';
import { addClient, findClient, listClients, removeClient, rotateClientSecret, updateClient, type ClientRow } from '../../federation/clients.ts';
import { clientSecretKey } from '../../federation/client-secrets.ts';
import type { TextKey } from '../../i18n/catalogs.ts';
import { clientFormPage } from '../../views/pages/admin/client-form.ts';
import { clientConfirmPage, clientSecretPage, clientsPage, type ClientConfirm } from '../../views/pages/admin/clients.ts';
import type { RouteContext } from '../context.ts';
import { adminChange } from '../plugins/admin.ts';
import { formFields, frameFor, noStore, sendPage } from './frame.ts';
import { requireAdminPage } from './guards.ts';

type IdParams = { Params: { id: string } };

export async function adminClientPages(app: FastifyInstance, ctx: RouteContext) {
  const gate = requireAdminPage(ctx, 'clients.manage');
  const secretKey = clientSecretKey(ctx.keys.federation);
  const frame = (request: FastifyRequest, reply: FastifyReply, title: TextKey) => frameFor(request, reply, request.t(title));

  const clientOr404 = async (id: string): Promise<ClientRow> => {
    const client = isClientId(id) ? await findClient(ctx.db, id) : undefined;
    if (!client) throw new AppError(404, 'client.not_found');
    return client;
  };
  const confirm = (request: FastifyRequest, reply: FastifyReply, view: ClientConfirm, status = 200) =>
    sendPage(reply, clientConfirmPage(frame(request, reply, view.action === 'remove' ? 'clients.remove' : 'clients.rotate'), view), status);
  const form = (request: FastifyRequest, reply: FastifyReply, values: ClientFormValues, problems: ClientFieldProblem[], status: number) =>
    sendPage(noStore(reply), clientFormPage(frame(request, reply, 'clients.new'), { values, problems, roles: CLIENT_ROLES, ownLocale: ctx.config.defaultLocale }), status);
  const editForm = (request: FastifyRequest, reply: FastifyReply, client: ClientRow, values: ClientFormValues, problems: ClientFieldProblem[], status: number, notice?: TextKey) =>
    sendPage(noStore(reply), clientFormPage({ ...frame(request, reply, 'clients.edit'), title: request.t('clients.edit_for', { name: appNameIn(client, request.locale) }) }, {
      values, problems, roles: CLIENT_ROLES, ownLocale: ctx.config.defaultLocale, edit: { name: appNameIn(client, request.locale), grantTypes: client.grantTypes, version: client.version, ...(notice ? { notice } : {}) },
    }), status);

  app.get<{ Querystring: { saved?: string; updated?: string; removed?: string } }>('/admin/clients', { preHandler: gate }, async (request, reply) => {
    const { saved, updated, removed } = request.query;
    const clients = await listClients(ctx.db);
    const edited = clients.find((c) => c.clientId === updated);
    const notice = saved !== undefined ? request.t('clients.saved') : edited ? request.t('clients.updated', { name: appNameIn(edited, request.locale) })
      : removed !== undefined ? request.t('clients.removed') : null;
    const bound = clients.flatMap((c) => (c.organizationId ? [c.organizationId] : []));
    const organizations = new Map(bound.length === 0 ? [] : (await ctx.db.selectFrom('organizations').select(['id', 'name']).where('id', 'in', bound).execute()).map((o) => [o.id, o.name]));
    return sendPage(noStore(reply), clientsPage(frame(request, reply, 'clients.title'), { clients, notice, organizations }));
  });

  app.get('/admin/clients/new', { preHandler: gate }, async (request, reply) => form(request, reply, emptyClientForm, [], 200));

  // The form reads its own text (readClientForm): malformed text is drawn again beside its field.
  app.post('/admin/clients/new', { preHandler: [...gate, app.csrfProtection], config: { ownTextCheck: true } }, async (request, reply) => {
    const read = readClientForm(request.body);
    if ('invalid' in read) throw new AppError(400, 'error.field_invalid', { field: read.invalid });
    const checked = checkDraft(draftOf(read.values));
    // The form's own problems first; the rules' only for the fields the form had no quarrel with.
    const problems = [...read.problems, ...(checked.ok ? [] : checked.problems.filter((p) => !read.problems.some((q) => q.field === p.field)))];
    if (problems.length > 0 || !checked.ok) return form(request, reply, read.values, problems, 422);
    const added = await addClient(ctx.db, secretKey, checked.input, CLIENT_ROLES, adminChange(request));
    if (!added.ok) return form(request, reply, read.values, 'exists' in added ? [{ field: 'clientId', code: 'client.exists' }] : added.problems, 'exists' in added ? 409 : 422);
    if (added.secret === null) return reply.redirect('/admin/clients?saved=1', 303);
    return sendPage(noStore(reply), clientSecretPage(frame(request, reply, 'clients.secret_title_added'), {
      clientId: checked.input.clientId, name: clientName(checked.input.name), secret: added.secret, rotated: false,
    }));
  });

  app.get<IdParams>('/admin/clients/:id/edit', { preHandler: gate }, async (request, reply) => {
    const client = await clientOr404(request.params.id);
    return editForm(request, reply, client, clientFormValuesOf(client), [], 200);
  });

  // What cannot change after registration comes from the app as stored, whatever was posted.
  app.post<IdParams>('/admin/clients/:id/edit', { preHandler: [...gate, app.csrfProtection], config: { ownTextCheck: true } }, async (request, reply) => {
    const client = await clientOr404(request.params.id);
    const posted = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<string, unknown>;
    const version = posted['version'];
    if (typeof version !== 'string' || version.length > 64) throw new AppError(400, 'error.field_invalid', { field: 'version' });
    const { clientId, firstParty, confidential, grantTypes } = clientFormValuesOf(client);
    const read = readClientForm({ ...posted, clientId, firstParty, confidential, grantTypes });
    if ('invalid' in read) throw new AppError(400, 'error.field_invalid', { field: read.invalid });
    const checked = checkDraft(draftOf(read.values));
    const problems = [...read.problems, ...(checked.ok ? [] : checked.problems.filter((p) => !read.problems.some((q) => q.field === p.field)))];
    if (problems.length > 0 || !checked.ok) return editForm(request, reply, client, read.values, problems, 422);
    const updated = await updateClient(ctx.db, client.clientId, changesOf(checked.input), CLIENT_ROLES, adminChange(request), version);
    if (updated.ok) return reply.redirect(`/admin/clients?updated=${encodeURIComponent(client.clientId)}`, 303);
    if ('problems' in updated) return editForm(request, reply, client, read.values, updated.problems, 422);
    // Changed meanwhile (another administrator, a replaced secret): the app as it is now, to edit again.
    const now = await clientOr404(client.clientId);
    return editForm(request, reply, now, clientFormValuesOf(now), [], 409, 'client.changed');
  });

  app.get<IdParams>('/admin/clients/:id/remove', { preHandler: gate }, async (request, reply) =>
    confirm(request, reply, { action: 'remove', client: await clientOr404(request.params.id) }));

  app.post<IdParams>('/admin/clients/:id/remove', { preHandler: [...gate, app.csrfProtection] }, async (request, reply) => {
    const { clientId } = await clientOr404(request.params.id);
    if (!(await removeClient(ctx.db, clientId, adminChange(request)))) throw new AppError(404, 'client.not_found');
    return reply.redirect('/admin/clients?removed=1', 303);
  });

  app.get<IdParams>('/admin/clients/:id/secret', { preHandler: gate }, async (request, reply) => {
    const client = await clientOr404(request.params.id);
    if (!client.confidential) throw new AppError(409, 'client.public_no_secret');
    return confirm(request, reply, { action: 'secret', client });
  });

  app.post<IdParams>('/admin/clients/:id/secret', { preHandler: [...gate, app.csrfProtection] }, async (request, reply) => {
    const fields = formFields(request.body, ['version'] as const);
    if ('invalid' in fields || fields.version.length > 64) throw new AppError(400, 'error.field_invalid', { field: 'version' });
    const client = await clientOr404(request.params.id);
    if (!client.confidential) throw new AppError(409, 'client.public_no_secret');
    // Only the secret the confirmation was drawn for: a reloaded answer or a second click must
    // not replace the secret just shown (then it would be shown once and never work).
    const secret = await rotateClientSecret(ctx.db, secretKey, client.clientId, adminChange(request), { ifVersion: fields.version });
    if (secret === undefined) {
      const now = await clientOr404(client.clientId);
      return confirm(request, reply, { action: 'secret', client: now, problem: 'clients.secret_changed' }, 409);
    }
    return sendPage(noStore(reply), clientSecretPage(frame(request, reply, 'clients.secret_title_rotated'), {
      clientId: client.clientId, name: client.name, secret, rotated: true,
    }));
  });
}
