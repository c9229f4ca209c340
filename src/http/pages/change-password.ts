/** Change password (F17) and the forced change after a temporary password. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { changePasswordForm } from '../../flows/change-password/form.ts';
import { withErrors, type FormModel } from '../../flows/form.ts';
import { asksCurrentPassword, changePassword } from '../../identity/change-password.ts';
import { activeMemberships, resolveActing, type Acting } from '../../identity/memberships.ts';
import { changePasswordPage, passwordChangedPage } from '../../views/pages/change-password.ts';
import type { RouteContext } from '../context.ts';
import { safeReturnTo } from '../types.ts';
import { formFields, frameFor, sendPage, withReturnTo } from './frame.ts';
import { requirePageSession } from './guards.ts';

export async function changePasswordPages(app: FastifyInstance, ctx: RouteContext) {
  const guard = requirePageSession({ allowMustChange: true, allowPending: true });
  const limits = { min: ctx.policy.minLength, max: ctx.policy.maxLength };
  // The form posts back with the place the sign-in was heading, to go on there afterwards.
  const returnTo = (request: FastifyRequest) => safeReturnTo((request.query as Record<string, unknown>).return_to);
  const page = (request: FastifyRequest, reply: FastifyReply, acting: Acting | null, form: FormModel, status = 200) => sendPage(reply,
    changePasswordPage(frameFor(request, reply, request.t('change_password.title'), acting), form, ctx.policy.minLength, withReturnTo('/password', returnTo(request))), status);

  app.get('/password', { preHandler: guard }, async (request, reply) => {
    const session = request.auth!;
    const acting = session.mustChangePassword ? null : await resolveActing(ctx.db, session, ctx.today());
    return page(request, reply, acting, changePasswordForm(session.mustChangePassword, asksCurrentPassword(session)));
  });

  app.post('/password', { preValidation: app.csrfProtection, preHandler: guard, config: { ownTextCheck: true } }, async (request, reply) => {
    const session = request.auth!;
    const acting = session.mustChangePassword ? null : await resolveActing(ctx.db, session, ctx.today());
    const fields = formFields(request.body, ['current', 'password', 'repeat'] as const);
    const askCurrent = asksCurrentPassword(session);
    const form = changePasswordForm(session.mustChangePassword, askCurrent);
    if ('invalid' in fields) {
      return page(request, reply, acting, withErrors(form, [{ code: fields.code, field: fields.invalid }]), 400);
    }
    const result = await changePassword({ db: ctx.db, clock: ctx.clock, hasher: ctx.hasher, policy: ctx.policy, lockout: ctx.config.lockout }, {
      accountId: session.accountId, sessionId: session.id, nationalId: session.nationalId, userCode: session.userCode,
      ...fields, askCurrent, ip: request.ip, userAgent: request.headers['user-agent'] ?? null,
    });
    if (!result.ok) {
      const errors = result.problems.map((p) => ({ code: p.code, field: p.field, params: p.params ?? limits }));
      return page(request, reply, acting, withErrors(form, errors), result.status);
    }
    const frame = frameFor(request, reply, request.t('change_password.title'), acting);
    if (!session.mustChangePassword) return sendPage(reply, passwordChangedPage(frame, result.endedSessions));
    // The forced change done, say so (as the ordinary change does), then let the sign-in go on
    // where it was heading: the role choice when there are several roles, else return_to or home.
    const memberships = await activeMemberships(ctx.db, session.accountId, ctx.today());
    const next = memberships.length > 1 ? withReturnTo('/role', returnTo(request)) : returnTo(request) ?? '/';
    return sendPage(reply, passwordChangedPage(frame, result.endedSessions, { href: next, label: 'common.continue' }));
  });
}
