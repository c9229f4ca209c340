/**
 * Second factor pages (B3): `/account/mfa` enrols an authenticator app (then shows the
 * recovery codes once), `/mfa` asks for a code before the admin console opens.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.ts';
import { confirmTotp, hasConfirmedTotp, markSessionMfa, startTotpEnrolment, verifySecondFactor } from '../../identity/mfa.ts';
import { enrolPage, recoveryCodesPage, verifyPage } from '../../views/pages/mfa.ts';
import type { RouteContext } from '../context.ts';
import { safeReturnTo } from '../types.ts';
import { formFields, frameFor, sendPage, withReturnTo } from './frame.ts';
import { requirePageSession } from './guards.ts';

export async function mfaPages(app: FastifyInstance, ctx: RouteContext) {
  const returnTo = (request: FastifyRequest) => safeReturnTo((request.query as Record<string, unknown>).return_to) ?? '/admin/users';
  const label = (request: FastifyRequest) => request.auth!.nationalId ?? request.auth!.userCode;
  const code = (request: FastifyRequest) => {
    const fields = formFields(request.body, ['code'] as const);
    if ('invalid' in fields) throw new AppError(400, 'error.field_invalid', { field: 'code' });
    return fields.code.slice(0, 32);
  };
  const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

  const enrol = async (request: FastifyRequest, reply: FastifyReply, error: string | null, status = 200) => {
    const started = await startTotpEnrolment(ctx.db, ctx.keys, request.auth!.accountId, label(request));
    if (started === 'already_enrolled') return reply.redirect(withReturnTo('/mfa', returnTo(request)), 303);
    return sendPage(noStore(reply), enrolPage(frameFor(request, reply, request.t('mfa.enrol_title')), {
      ...started, action: withReturnTo('/account/mfa', returnTo(request)), error,
    }), status);
  };

  app.get('/account/mfa', { preHandler: requirePageSession() }, async (request, reply) => enrol(request, reply, null));

  app.post('/account/mfa', { preHandler: [requirePageSession(), app.csrfProtection] }, async (request, reply) => {
    const result = await confirmTotp(ctx.db, ctx.keys, request.auth!.accountId, code(request), ctx.clock.now());
    if (!result.ok) return enrol(request, reply, request.t(result.code), 422);
    await markSessionMfa(ctx.db, request.auth!.id, ctx.clock.now());
    return sendPage(noStore(reply), recoveryCodesPage(frameFor(request, reply, request.t('mfa.recovery_title')), result.recoveryCodes ?? [], returnTo(request)));
  });

  app.get('/mfa', { preHandler: requirePageSession() }, async (request, reply) => {
    if (!(await hasConfirmedTotp(ctx.db, request.auth!.accountId))) return reply.redirect(withReturnTo('/account/mfa', returnTo(request)), 303);
    return sendPage(reply, verifyPage(frameFor(request, reply, request.t('mfa.verify_title')), { action: withReturnTo('/mfa', returnTo(request)), error: null }));
  });

  app.post('/mfa', { preHandler: [requirePageSession(), app.csrfProtection] }, async (request, reply) => {
    const result = await verifySecondFactor(ctx.db, ctx.keys, request.auth!, code(request), { now: ctx.clock.now(), lockout: ctx.config.lockout, ip: request.ip });
    if (result.ok) return reply.redirect(returnTo(request), 303);
    return sendPage(reply, verifyPage(frameFor(request, reply, request.t('mfa.verify_title')), {
      action: withReturnTo('/mfa', returnTo(request)), error: request.t(result.code, result.params),
    }), result.code === 'mfa.locked' ? 429 : 422);
  });
}
