/**
 * System support pages (F29): `/support` (the form, for everyone: signed out with a contact
 * and the captcha), `/support/requests` (one's own, with their answers) and a request's
 * screenshot. The form is multipart (the screenshot), parsed only in this plugin's scope.
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseFromPath, SUPPORT_LIMITS } from '../../domain/support-request.ts';
import { AppError } from '../../errors.ts';
import { resolveActing } from '../../identity/memberships.ts';
import type { Screenshot } from '../../support/store.ts';
import { ownRequest, ownRequests, screenshotFor } from '../../support/store.ts';
import { destinationName } from '../../support/file-request.ts';
import { submitSupportRequest } from '../../support/submit.ts';
import { myRequestPage, myRequestsPage, supportFormPage, supportSentPage, type SupportFormView } from '../../views/pages/support.ts';
import type { RouteContext } from '../context.ts';
import { checkInputText } from '../plugins/input-text.ts';
import { formFields, frameFor, noStore, sendPage } from './frame.ts';
import { requirePageSession } from './guards.ts';

// The parser's hard cap: twice the screenshot limit, so a file a little too large gets the
// form back with its own error (checked exactly in domain/support-request.ts), not a bare 413.
const UPLOAD_CAP = 2 * SUPPORT_LIMITS.screenshotBytes;
const fields = ['category', 'subject', 'text', 'from', 'contact', 'captcha', 'captchaId'] as const;

/** A screenshot as an image and nothing else: its checked type, never sniffed, never run as a page. */
export function sendScreenshot(reply: FastifyReply, shot: Screenshot) {
  return noStore(reply).type(shot.contentType).header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('content-disposition', `inline; filename="screenshot.${shot.contentType === 'image/png' ? 'png' : 'jpg'}"`)
    .send(shot.bytes);
}

/** A request's reference as formatUserCode writes it. */
const REFERENCE = /^[A-Z0-9]{4}-[A-Z0-9]{4}$/;

export async function supportPages(app: FastifyInstance, ctx: RouteContext) {
  await app.register(multipart, { attachFieldsToBody: 'keyValues', limits: { fileSize: UPLOAD_CAP, files: 1, fields: fields.length + 1, parts: fields.length + 2 } });

  /** The signed-in asker and the role they act in now (the request's routing reads it), or null. */
  const askerOf = async (request: FastifyRequest) => {
    const session = request.auth;
    return session && { kind: 'account' as const, accountId: session.accountId, acting: (await resolveActing(ctx.db, session, ctx.today())).current };
  };

  const render = async (request: FastifyRequest, reply: FastifyReply, view: Omit<SupportFormView, 'signedIn' | 'destination' | 'image'>, status = 200) => {
    const asker = await askerOf(request);
    const issued = asker ? null : ctx.captcha.imageChallenge();
    return sendPage(noStore(reply), supportFormPage(frameFor(request, reply, request.t('support.title')), {
      ...view, signedIn: asker !== null, destination: asker && await destinationName(ctx.db, asker), image: issued && { id: issued.id, src: issued.image, question: issued.question },
    }), status);
  };

  app.get<{ Querystring: { from?: string } }>('/support', async (request, reply) => {
    // A `from` that is not a path of this site is dropped here (and refused if posted back).
    const from = parseFromPath(typeof request.query.from === 'string' ? request.query.from : undefined);
    return render(request, reply, { values: { category: 'sign_in', subject: '', text: '', contact: '' }, from: from.ok ? from.value : null, errors: [] });
  });

  // CSRF, then the fields (parsed after the app-wide text check ran) are checked here: a NUL is a 400 naming its field.
  app.post('/support', { config: { uploadLimitBytes: SUPPORT_LIMITS.screenshotBytes }, preHandler: [app.csrfProtection, async (request) => checkInputText(request.body)] }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const form = formFields(body, fields);
    if ('invalid' in form) throw new AppError(400, form.code, { field: form.invalid });
    const screenshot = Buffer.isBuffer(body.screenshot) && body.screenshot.length > 0 ? body.screenshot : null;
    if (body.screenshot !== undefined && !Buffer.isBuffer(body.screenshot)) throw new AppError(400, 'error.field_invalid', { field: 'screenshot' });
    const asker = await askerOf(request);
    const result = await submitSupportRequest({ db: ctx.db, profile: ctx.config.profile, captcha: ctx.captcha }, asker, { ...form, screenshot }, {
      now: ctx.clock.now(), ip: request.ip, locale: request.locale,
    });
    if (!result.ok) {
      const from = parseFromPath(form.from);
      const errors = result.status === 429 ? [{ field: 'text' as const, code: result.code }] : result.errors;
      return render(request, reply, { values: form, from: from.ok ? from.value : null, errors }, result.status);
    }
    if (asker) return reply.redirect(`/support/requests/${result.id}?created=1`, 303);
    // To a page of its own, so a reload shows the reference again rather than sending the form (whose captcha is spent) once more.
    return reply.redirect(`/support/sent?reference=${encodeURIComponent(result.reference)}`, 303);
  });

  // Signed out, after sending: the reference to keep. Only a reference's shape is shown (what it opens needs a sign-in).
  app.get<{ Querystring: { reference?: string } }>('/support/sent', async (request, reply) => {
    const reference = request.query.reference;
    if (typeof reference !== 'string' || !REFERENCE.test(reference)) return reply.redirect('/support', 303);
    return sendPage(noStore(reply), supportSentPage(frameFor(request, reply, request.t('support.title')), reference));
  });

  const signedIn = requirePageSession({ allowMustChange: true, allowPending: true });

  app.get('/support/requests', { preHandler: signedIn }, async (request, reply) => {
    const requests = await ownRequests(ctx.db, request.auth!.accountId);
    return sendPage(noStore(reply), myRequestsPage(frameFor(request, reply, request.t('support.my_requests')), requests, ctx.timeZone));
  });

  app.get<{ Params: { id: string }; Querystring: { created?: string } }>('/support/requests/:id', { preHandler: signedIn }, async (request, reply) => {
    const found = await ownRequest(ctx.db, request.auth!.accountId, request.params.id);
    if (!found) throw new AppError(404, 'support.not_found');
    const notice = request.query.created === '1' ? request.t('support.created', { reference: found.reference }) : null;
    return sendPage(noStore(reply), myRequestPage(frameFor(request, reply, request.t('support.title')), found, ctx.timeZone, notice));
  });

  app.get<{ Params: { id: string } }>('/support/requests/:id/screenshot', { preHandler: signedIn }, async (request, reply) => {
    const shot = await screenshotFor(ctx.db, { accountId: request.auth!.accountId }, request.params.id);
    if (!shot) throw new AppError(404, 'support.not_found');
    return sendScreenshot(reply, shot);
  });
}
