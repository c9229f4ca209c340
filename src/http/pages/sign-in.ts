/**
 * The sign-in page (F1), also the interaction page of the OpenID provider to come: after
 * success it goes on to the forced password change, the role choice, or `return_to`.
 */
import type { FastifyInstance } from 'fastify';
import { signInForm } from '../../flows/login/form.ts';
import { withErrors, withValues, type Message } from '../../flows/form.ts';
import { endSession } from '../../identity/sessions.ts';
import { recordAudit } from '../../identity/audit.ts';
import { DEVICE_COOKIE } from '../../identity/devices.ts';
import { signIn } from '../../identity/sign-in.ts';
import { clip } from '../../domain/text.ts';
import { statusOfRefusal } from '../../errors.ts';
import { signInPage } from '../../views/pages/sign-in.ts';
import type { RouteContext } from '../context.ts';
import { SESSION_COOKIE } from '../plugins/auth.ts';
import { safeReturnTo } from '../types.ts';
import { formFields, frameFor, sendPage, withReturnTo } from './frame.ts';

export async function signInPages(app: FastifyInstance, ctx: RouteContext) {
  const cookie = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: ctx.secureCookies };

  app.get('/sign-in', async (request, reply) => {
    const returnTo = safeReturnTo((request.query as Record<string, unknown>).return_to);
    if (request.auth) return reply.redirect(returnTo ?? '/');
    const form = signInForm();
    const messages: Message[] = 'signed_out' in (request.query as object) ? [{ kind: 'info', code: 'sign_in.signed_out' }] : [];
    return sendPage(reply, signInPage(frameFor(request, reply, request.t('sign_in.title')), { ...form, messages }, withReturnTo('/sign-in', returnTo)));
  });

  app.post('/sign-in', { preValidation: app.csrfProtection }, async (request, reply) => {
    const returnTo = safeReturnTo((request.query as Record<string, unknown>).return_to);
    const fields = formFields(request.body, ['identifier', 'password', 'captcha'] as const);
    const action = withReturnTo('/sign-in', returnTo);
    const title = request.t('sign_in.title');
    if ('invalid' in fields) {
      return sendPage(reply, signInPage(frameFor(request, reply, title), withErrors(signInForm(), [{ code: 'error.field_invalid', field: fields.invalid }]), action), 400);
    }
    const result = await signIn(ctx.signIn, {
      identifier: fields.identifier, password: fields.password, kind: 'browser', ip: request.ip, userAgent: request.headers['user-agent'] ?? null,
      deviceTokens: request.cookies[DEVICE_COOKIE], captcha: fields.captcha,
    });
    if (!result.ok) {
      // The captcha is shown as soon as the next try will need it, so nobody is refused for lack of it.
      const form = withErrors(withValues(signInForm({ captcha: result.captchaNext ?? false }), { identifier: clip(fields.identifier, 64) }), [{ code: result.code, field: result.field, params: result.params }]);
      if (result.params?.seconds !== undefined) reply.header('retry-after', String(result.params.seconds));
      const status = statusOfRefusal(result.code);
      return sendPage(reply, signInPage(frameFor(request, reply, title), form, action), status === 401 ? 400 : status);
    }
    // This browser got in: its own counter from now on (identity/devices.ts).
    reply.setCookie(DEVICE_COOKIE, result.deviceCookie, { ...cookie, maxAge: 365 * 86_400 });
    // A new token at every sign-in: whatever session cookie came before is void (no fixation).
    const previous = request.auth;
    if (previous) await endSession(ctx.db, previous.id);
    reply.setCookie(SESSION_COOKIE, result.token, { ...cookie, maxAge: ctx.config.session.maxHours * 3600 });
    if (result.mustChangePassword) return reply.redirect(withReturnTo('/password', returnTo), 303);
    if (result.memberships.length > 1) return reply.redirect(withReturnTo('/role', returnTo), 303);
    return reply.redirect(returnTo ?? '/', 303);
  });

  app.post('/sign-out', { preValidation: app.csrfProtection }, async (request, reply) => {
    if (request.auth) {
      await ctx.db.transaction().execute(async (trx) => {
        await endSession(trx, request.auth!.id);
        await recordAudit(trx, { type: 'sign_out', actorAccountId: request.auth!.accountId, subjectAccountId: request.auth!.accountId, ip: request.ip });
      });
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/sign-in?signed_out', 303);
  });
}
