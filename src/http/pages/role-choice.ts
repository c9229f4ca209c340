/**
 * Role choice (F2): the active memberships as options; the choice is kept in the session.
 * From the staff entry (F4, `?staff=1`) only staff roles are offered.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldErrors } from '../../flows/flow.ts';
import { withErrors } from '../../flows/form.ts';
import { roleChoiceForm } from '../../flows/role-choice/form.ts';
import { activeMemberships, chooseMembership, lastChosenMembership, STAFF_ROLES } from '../../identity/memberships.ts';
import { roleChoicePage } from '../../views/pages/role-choice.ts';
import type { RouteContext } from '../context.ts';
import { safeReturnTo } from '../types.ts';
import { formFields, frameFor, sendPage, withReturnTo } from './frame.ts';
import { requirePageSession } from './guards.ts';

export async function roleChoicePages(app: FastifyInstance, ctx: RouteContext) {
  const staffOnly = (request: FastifyRequest) => (request.query as Record<string, unknown>).staff === '1';
  const offered = async (request: FastifyRequest) => {
    const memberships = await activeMemberships(ctx.db, request.auth!.accountId, ctx.today());
    return staffOnly(request) ? memberships.filter((m) => STAFF_ROLES.includes(m.role)) : memberships;
  };
  const action = (request: FastifyRequest) => {
    const returnTo = safeReturnTo((request.query as Record<string, unknown>).return_to);
    return staffOnly(request) ? `/role?staff=1${returnTo ? `&return_to=${encodeURIComponent(returnTo)}` : ''}` : withReturnTo('/role', returnTo);
  };

  const render = async (request: FastifyRequest, reply: FastifyReply, errors: FieldErrors, status = 200) => {
    const session = request.auth!;
    const memberships = await offered(request);
    const preselected = session.membershipId ?? await lastChosenMembership(ctx.db, session.accountId);
    const form = withErrors(roleChoiceForm(memberships, preselected), errors);
    const frame = frameFor(request, reply, request.t('role_choice.title'), { memberships, current: memberships.find((m) => m.id === session.membershipId) ?? null });
    return sendPage(reply, roleChoicePage(frame, form, action(request), staffOnly(request)), status);
  };

  app.get('/role', { preHandler: requirePageSession() }, async (request, reply) => {
    // The staff entry with one staff role: it is the one, nothing to choose.
    const memberships = staffOnly(request) ? await offered(request) : [];
    if (memberships.length === 1) {
      await chooseMembership(ctx.db, request.auth!, memberships[0]!.id, { today: ctx.today(), ip: request.ip, via: 'page' });
      return reply.redirect(safeReturnTo((request.query as Record<string, unknown>).return_to) ?? '/', 303);
    }
    return render(request, reply, []);
  });

  app.post('/role', { preValidation: app.csrfProtection, preHandler: requirePageSession() }, async (request, reply) => {
    const session = request.auth!;
    const fields = formFields(request.body, ['membershipId'] as const);
    if ('invalid' in fields) return render(request, reply, [{ code: 'error.field_invalid', field: 'membershipId' }], 400);
    if (fields.membershipId === '') return render(request, reply, [{ code: 'role_choice.required', field: 'membershipId' }], 400);
    if (!(await offered(request)).some((m) => m.id === fields.membershipId)) return render(request, reply, [{ code: 'role_choice.invalid', field: 'membershipId' }], 400);
    const chosen = await chooseMembership(ctx.db, session, fields.membershipId, { today: ctx.today(), ip: request.ip, via: 'page' });
    if (!chosen) return render(request, reply, [{ code: 'role_choice.invalid', field: 'membershipId' }], 400);
    return reply.redirect(safeReturnTo((request.query as Record<string, unknown>).return_to) ?? '/', 303);
  });
}
