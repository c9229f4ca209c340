/**
 * Second factor pages (B3): `/account/mfa` enrols an authenticator app (then shows the
 * recovery codes once), `/mfa` asks for a code before the admin console opens.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.ts';
import type { TextKey } from '../../i18n/catalogs.ts';
import { confirmTotp, hasConfirmedTotp, markSessionMfa, startTotpEnrolment, verifySecondFactor } from '../../identity/mfa.ts';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { authenticationOptions, finishAuthentication, finishRegistration, hasPasskey, MAX_PASSKEYS, registrationOptions, relyingPartyFor } from '../../identity/passkeys.ts';
import { enrolPage, recoveryCodesPage, verifyPage } from '../../views/pages/mfa.ts';
import type { RouteContext } from '../context.ts';
import { statusOfRefusal } from '../../errors.ts';
import { safeReturnTo } from '../types.ts';
import { formFields, frameFor, noStore, sendPage, withReturnTo } from './frame.ts';
import { requirePageSession } from './guards.ts';
import { clip } from '../../domain/text.ts';

export async function mfaPages(app: FastifyInstance, ctx: RouteContext) {
  const returnTo = (request: FastifyRequest) => safeReturnTo((request.query as Record<string, unknown>).return_to) ?? '/admin/users';
  const label = (request: FastifyRequest) => request.auth!.nationalId ?? request.auth!.userCode;
  const code = (request: FastifyRequest) => {
    const fields = formFields(request.body, ['code'] as const);
    if ('invalid' in fields) throw new AppError(400, 'error.field_invalid', { field: 'code' });
    return clip(fields.code, 32);
  };

  const rp = relyingPartyFor(ctx.config.publicUrl);
  /** The second factors the signed-in account has. */
  const factors = async (request: FastifyRequest) => {
    const accountId = request.auth!.accountId;
    const [totp, passkey] = await Promise.all([hasConfirmedTotp(ctx.db, accountId), hasPasskey(ctx.db, accountId)]);
    return { totp, passkey };
  };
  /**
   * A first factor may be added by a session that has only the password (trust on first use);
   * once the account has one, another is added only by a session that passed it, or a stolen
   * password would add the thief's own passkey and walk in.
   */
  const mayEnrol = async (request: FastifyRequest) => {
    if (request.auth!.mfaAt !== null) return true;
    const { totp, passkey } = await factors(request);
    return !totp && !passkey;
  };
  /** Where an enrolled account goes instead: the check, which says setup is done when it was an enrolment form sent (another tab's or window's won). */
  const toCheck = (request: FastifyRequest, reply: FastifyReply) =>
    reply.redirect(`${withReturnTo('/mfa', returnTo(request))}${request.method === 'POST' ? '&enrolled=meanwhile' : ''}`, 303);
  const enrolGate = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!(await mayEnrol(request))) return toCheck(request, reply);
    return undefined;
  };
  const enrolApiGate = async (request: FastifyRequest) => {
    if (!(await mayEnrol(request))) throw new AppError(403, 'admin.mfa_required');
  };
  const enrol = async (request: FastifyRequest, reply: FastifyReply, error: string | null, status = 200) => {
    const started = await startTotpEnrolment(ctx.db, ctx.keys, request.auth!, label(request), error === null);
    if (started === 'already_enrolled') return toCheck(request, reply);
    return sendPage(noStore(reply), enrolPage(frameFor(request, reply, request.t('mfa.enrol_title')), {
      ...started, action: withReturnTo('/account/mfa', returnTo(request)), error,
      passkey: { mode: 'register', options: '/account/passkeys/options', verify: '/account/passkeys', next: returnTo(request) },
    }), status);
  };
  const jsonError = (reply: FastifyReply, request: FastifyRequest, code: TextKey, params?: Record<string, number>) =>
    reply.code(422).send({ error: { code, message: request.t(code, params) } });
  const tooMany = (reply: FastifyReply, request: FastifyRequest) => jsonError(reply, request, 'mfa.passkey_limit', { max: MAX_PASSKEYS });

  // Passkeys (JSON, for assets/passkey.js): options, then the authenticator's answer.
  app.post('/account/passkeys/options', { preHandler: [requirePageSession(), app.csrfProtection, enrolApiGate] }, async (request, reply) => {
    const options = await registrationOptions(ctx.db, rp, request.auth!, ctx.clock.now());
    return options === 'too_many' ? tooMany(reply, request) : options;
  });
  app.post('/account/passkeys', { preHandler: [requirePageSession(), app.csrfProtection, enrolApiGate] }, async (request, reply) => {
    const outcome = await finishRegistration(ctx.db, rp, request.auth!, request.body as RegistrationResponseJSON, ctx.clock.now());
    if (outcome === 'too_many') return tooMany(reply, request);
    return outcome === 'enrolled' ? { ok: true } : jsonError(reply, request, 'mfa.passkey_failed');
  });
  app.post('/mfa/passkey/options', { preHandler: [requirePageSession(), app.csrfProtection] }, async (request) =>
    authenticationOptions(ctx.db, rp, request.auth!, ctx.clock.now()));
  app.post('/mfa/passkey', { preHandler: [requirePageSession(), app.csrfProtection] }, async (request, reply) =>
    (await finishAuthentication(ctx.db, rp, request.auth!, request.body as AuthenticationResponseJSON, { now: ctx.clock.now(), ip: request.ip })) ? { ok: true } : jsonError(reply, request, 'mfa.passkey_failed'));

  app.get('/account/mfa', { compress: false, preHandler: [requirePageSession(), enrolGate] }, async (request, reply) => enrol(request, reply, null));

  app.post('/account/mfa', { compress: false, preHandler: [requirePageSession(), app.csrfProtection, enrolGate] }, async (request, reply) => {
    const result = await confirmTotp(ctx.db, ctx.keys, request.auth!, code(request), ctx.clock.now());
    // Confirmed a moment ago by this same code from another tab or click: its page holds the recovery codes; this one goes on as enrolled, and says so.
    if (!result.ok && result.code === 'enrolled_meanwhile') return toCheck(request, reply);
    if (!result.ok) return enrol(request, reply, request.t(result.code), 422);
    await markSessionMfa(ctx.db, request.auth!.id, ctx.clock.now());
    return sendPage(noStore(reply), recoveryCodesPage(frameFor(request, reply, request.t('mfa.recovery_title')), result.recoveryCodes ?? [], returnTo(request)));
  });

  const verifyView = async (request: FastifyRequest, error: string | null) => {
    const { totp, passkey } = await factors(request);
    // Said only where it is true: a code app set up (a passkey shows no recovery codes), nothing refused since.
    const enrolledMeanwhile = totp && error === null && (request.query as { enrolled?: unknown } | undefined)?.enrolled === 'meanwhile';
    return {
      totp, enrolled: totp || passkey, enrolledMeanwhile, action: withReturnTo('/mfa', returnTo(request)), error,
      passkey: passkey ? { mode: 'authenticate' as const, options: '/mfa/passkey/options', verify: '/mfa/passkey', next: returnTo(request) } : null,
    };
  };

  app.get('/mfa', { preHandler: requirePageSession() }, async (request, reply) => {
    const view = await verifyView(request, null);
    if (!view.enrolled) return reply.redirect(withReturnTo('/account/mfa', returnTo(request)), 303);
    return sendPage(reply, verifyPage(frameFor(request, reply, request.t('mfa.verify_title')), view));
  });

  app.post('/mfa', { preHandler: [requirePageSession(), app.csrfProtection] }, async (request, reply) => {
    const result = await verifySecondFactor(ctx.db, ctx.keys, request.auth!, code(request), { now: ctx.clock.now(), lockout: ctx.config.lockout, ip: request.ip });
    if (result.ok) return reply.redirect(returnTo(request), 303);
    return sendPage(reply, verifyPage(frameFor(request, reply, request.t('mfa.verify_title')), await verifyView(request, request.t(result.code, result.params))),
      statusOfRefusal(result.code));
  });
}
