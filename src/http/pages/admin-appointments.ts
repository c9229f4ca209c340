/**
 * Appointment pages (F24, F26): edit an appointment's dates, end one, and renew the
 * appointments of a role for the next school year in one go, after a page that says what
 * would be renewed (GET) and a confirmation (POST).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { editMembership, endMembership, membershipForEdit, renewalPreview, renewMemberships } from '../../admin/appointments.ts';
import { consoleRoles } from '../../admin/permissions.ts';
import { matchingMemberships } from '../../admin/user-table.ts';
import type { Role } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { html } from '../../views/html.ts';
import { layout } from '../../views/layout.ts';
import { renewConfirmPage } from '../../views/pages/admin/renew.ts';
import type { RouteContext } from '../context.ts';
import { dateExample, formatDate, parseDate } from '../../i18n/format.ts';
import { formFields, frameFor, sendPage } from './frame.ts';
import { requireAdminPage } from './guards.ts';
import { clip } from '../../domain/text.ts';
import { guideLink } from '../../views/components/guide-link.ts';
import { errorSummary } from '../../views/components/error-summary.ts';


export async function adminAppointmentPages(app: FastifyInstance, ctx: RouteContext) {
  const membership = async (request: FastifyRequest, id: string) => {
    const found = await membershipForEdit(ctx.db, request.adminScope!, id);
    if (!found) throw new AppError(404, 'admin.user_not_found');
    return found;
  };

  const editPage = (request: FastifyRequest, reply: Parameters<typeof sendPage>[0], m: { id: string; role: Role }, values: { start: string; end: string }, error: string | null, status = 200) => {
    const frame = frameFor(request, reply, request.t('admin.edit_appointment'));
    const { t } = frame;
    const hint = html`<small class="hint">${t('admin.date_hint', { example: dateExample(request.formatting) })}</small>`;
    return sendPage(reply, layout(frame, html`<section class="card narrow">
      <h1>${t('admin.edit_appointment')}</h1>${guideLink(t, 'admin-appointment')}
      <p>${t(`role.${m.role}`)}</p>
      ${errorSummary(t, error ? [{ text: error }] : [])}
      <form method="post" action="/admin/memberships/${m.id}/edit">
        <input type="hidden" name="_csrf" value="${frame.csrfToken}">
        <div class="field"><label for="start">${t('admin.issue_date')}</label><input type="text" id="start" name="start" value="${values.start}" maxlength="20" dir="auto">${hint}</div>
        <div class="field"><label for="end">${t('admin.end_date')}</label><input type="text" id="end" name="end" value="${values.end}" maxlength="20" dir="auto">${hint}</div>
        <button type="submit" class="primary">${t('common.save')}</button>
      </form>
    </section>`), status);
  };

  app.get<{ Params: { id: string } }>('/admin/memberships/:id/edit', { preHandler: requireAdminPage(ctx, 'users.edit') }, async (request, reply) => {
    const m = await membership(request, request.params.id);
    return editPage(request, reply, m, { start: formatDate(m.starts_on, request.formatting), end: m.ends_on === null ? '' : formatDate(m.ends_on, request.formatting) }, null);
  });

  app.post<{ Params: { id: string } }>('/admin/memberships/:id/edit', { preHandler: [...requireAdminPage(ctx, 'users.edit'), app.csrfProtection] }, async (request, reply) => {
    const m = await membership(request, request.params.id);
    const fields = formFields(request.body, ['start', 'end'] as const);
    if ('invalid' in fields) throw new AppError(400, fields.code, { field: fields.invalid });
    const values = { start: clip(fields.start, 20), end: clip(fields.end, 20) };
    const start = parseDate(values.start, request.formatting);
    const end = parseDate(values.end, request.formatting);
    if (!start.ok) return editPage(request, reply, m, values, request.t(start.code), 422);
    if (!end.ok) return editPage(request, reply, m, values, request.t(end.code), 422);
    const result = await editMembership(ctx.db, request.adminScope!, m.id, { start: start.value, end: end.value }, { ip: request.ip });
    if ('status' in result) return editPage(request, reply, m, values, request.t(result.code), result.status === 404 ? 404 : 422);
    return reply.redirect(`/admin/users/${m.account_id}?saved=1`, 303);
  });

  app.post<{ Params: { id: string } }>('/admin/memberships/:id/end', { preHandler: [...requireAdminPage(ctx, 'memberships.end'), app.csrfProtection] }, async (request, reply) => {
    const m = await membership(request, request.params.id);
    const result = await endMembership(ctx.db, request.adminScope!, m.id, { today: ctx.today(), ip: request.ip });
    if ('status' in result) throw new AppError(result.status, result.code);
    return reply.redirect(`/admin/users/${m.account_id}?ended=1`, 303);
  });

  // F26, step one: what renewing would do, and Confirm. Nothing changes on a GET.
  /**
   * The role a renewal is for: none given (or empty), every role; one the console offers; else
   * a 400, for a renewal writes for all it matches and must not widen to every role.
   */
  const renewalRole = (value: unknown) => {
    if (value === undefined || value === '') return undefined;
    const role = consoleRoles.find((r) => r === value);
    if (role === undefined) throw new AppError(400, 'admin.renew_role_unknown');
    return role;
  };

  app.get<{ Querystring: { role?: unknown } }>('/admin/memberships/renew', { preHandler: requireAdminPage(ctx, 'memberships.renew') }, async (request, reply) => {
    const role = renewalRole(request.query.role);
    const scope = request.adminScope!;
    const groups = await renewalPreview(ctx.db, scope, role, { profile: ctx.config.profile, today: ctx.today() });
    const frame = frameFor(request, reply, request.t('admin.renew_title'));
    return sendPage(reply, renewConfirmPage(frame, { role, scope: scope.organizationName, groups }));
  });

  // F26, confirmed: every appointment of a role in the scope, one school year on (each person once).
  app.post('/admin/memberships/renew', { preHandler: [...requireAdminPage(ctx, 'memberships.renew'), app.csrfProtection] }, async (request, reply) => {
    const fields = formFields(request.body, ['role'] as const);
    if ('invalid' in fields) throw new AppError(400, 'admin.renew_role_unknown');
    const role = renewalRole(fields.role);
    const ids = (await matchingMemberships(ctx.db, request.adminScope!, { roles: role ? [role] : undefined })).map((m) => m.membershipId);
    const result = await renewMemberships(ctx.db, request.adminScope!, ids, { profile: ctx.config.profile, today: ctx.today(), ip: request.ip });
    if ('status' in result) throw new AppError(result.status, result.code);
    return reply.redirect(`/admin/users?${new URLSearchParams({ ...(role ? { role } : {}), renewed: String(result.renewed) }).toString()}`, 303);
  });
}
