/** Role choice (F2): the active memberships as options; the choice is kept in the session. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldErrors } from '../../flows/flow.ts';
import { withErrors } from '../../flows/form.ts';
import { roleChoiceForm } from '../../flows/role-choice/form.ts';
import { activeMemberships, chooseMembership, lastChosenMembership } from '../../identity/memberships.ts';
import { roleChoicePage } from '../../views/pages/role-choice.ts';
import type { RouteContext } from '../context.ts';
import { safeReturnTo } from '../types.ts';
import { formFields, frameFor, sendPage, withReturnTo } from './frame.ts';
import { requirePageSession } from './guards.ts';

export async function roleChoicePages(app: FastifyInstance, ctx: RouteContext) {
  const render = async (request: FastifyRequest, reply: FastifyReply, errors: FieldErrors, status = 200) => {
    const session = request.auth!;
    const memberships = await activeMemberships(ctx.db, session.accountId, ctx.today());
    const returnTo = safeReturnTo((request.query as Record<string, unknown>).return_to);
    const preselected = session.membershipId ?? await lastChosenMembership(ctx.db, session.accountId);
    const form = withErrors(roleChoiceForm(memberships, preselected), errors);
    const frame = frameFor(request, reply, request.t('role_choice.title'), { memberships, current: memberships.find((m) => m.id === session.membershipId) ?? null });
    return sendPage(reply, roleChoicePage(frame, form, withReturnTo('/role', returnTo)), status);
  };

  app.get('/role', { preHandler: requirePageSession() }, (request, reply) => render(request, reply, []));

  app.post('/role', { preValidation: app.csrfProtection, preHandler: requirePageSession() }, async (request, reply) => {
    const session = request.auth!;
    const fields = formFields(request.body, ['membershipId'] as const);
    if ('invalid' in fields) return render(request, reply, [{ code: 'error.field_invalid', field: 'membershipId' }], 400);
    if (fields.membershipId === '') return render(request, reply, [{ code: 'role_choice.required', field: 'membershipId' }], 400);
    const chosen = await chooseMembership(ctx.db, session, fields.membershipId, { today: ctx.today(), ip: request.ip, via: 'page' });
    if (!chosen) return render(request, reply, [{ code: 'role_choice.invalid', field: 'membershipId' }], 400);
    return reply.redirect(safeReturnTo((request.query as Record<string, unknown>).return_to) ?? '/', 303);
  });
}
