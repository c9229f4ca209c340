/** Change password (F17) and the forced change after a temporary password. */
import type { FastifyInstance } from 'fastify';
import { changePasswordForm } from '../../flows/change-password/form.ts';
import { withErrors } from '../../flows/form.ts';
import { changePassword } from '../../identity/change-password.ts';
import { activeMemberships, resolveActing } from '../../identity/memberships.ts';
import { changePasswordPage, passwordChangedPage } from '../../views/pages/change-password.ts';
import type { RouteContext } from '../context.ts';
import { safeReturnTo } from '../types.ts';
import { formFields, frameFor, sendPage, withReturnTo } from './frame.ts';
import { requirePageSession } from './guards.ts';

export async function changePasswordPages(app: FastifyInstance, ctx: RouteContext) {
  const guard = requirePageSession({ allowMustChange: true, allowPending: true });
  const limits = { min: ctx.policy.minLength, max: ctx.policy.maxLength };

  app.get('/password', { preHandler: guard }, async (request, reply) => {
    const session = request.auth!;
    const acting = session.mustChangePassword ? null : await resolveActing(ctx.db, session, ctx.today());
    const frame = frameFor(request, reply, request.t('change_password.title'), acting);
    return sendPage(reply, changePasswordPage(frame, changePasswordForm(session.mustChangePassword), ctx.policy.minLength));
  });

  app.post('/password', { preValidation: app.csrfProtection, preHandler: guard }, async (request, reply) => {
    const session = request.auth!;
    const title = request.t('change_password.title');
    const acting = session.mustChangePassword ? null : await resolveActing(ctx.db, session, ctx.today());
    const fields = formFields(request.body, ['current', 'password', 'repeat'] as const);
    const form = changePasswordForm(session.mustChangePassword);
    if ('invalid' in fields) {
      return sendPage(reply, changePasswordPage(frameFor(request, reply, title, acting), withErrors(form, [{ code: 'error.field_invalid', field: fields.invalid }]), ctx.policy.minLength), 400);
    }
    const result = await changePassword({ db: ctx.db, clock: ctx.clock, hasher: ctx.hasher, policy: ctx.policy, lockout: ctx.config.lockout }, {
      accountId: session.accountId, sessionId: session.id, nationalId: session.nationalId, userCode: session.userCode,
      ...fields, ip: request.ip, userAgent: request.headers['user-agent'] ?? null,
    });
    if (!result.ok) {
      const errors = result.problems.map((p) => ({ code: p.code, field: p.field, params: p.params ?? limits }));
      return sendPage(reply, changePasswordPage(frameFor(request, reply, title, acting), withErrors(form, errors), ctx.policy.minLength), result.status);
    }
    const returnTo = safeReturnTo((request.query as Record<string, unknown>).return_to);
    if (session.mustChangePassword) {
      // The forced change done, the sign-in goes on where it was heading.
      const memberships = await activeMemberships(ctx.db, session.accountId, ctx.today());
      return reply.redirect(memberships.length > 1 ? withReturnTo('/role', returnTo) : returnTo ?? '/', 303);
    }
    return sendPage(reply, passwordChangedPage(frameFor(request, reply, title, acting), result.endedSessions));
  });
}
