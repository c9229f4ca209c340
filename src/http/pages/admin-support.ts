/**
 * The console's support queue (F29): `/admin/support` (the requests in the actor's subtree,
 * by state), a request with its screenshot, and its three forms: answer, escalate, close.
 * Outside the scope a request is a 404, as one that does not exist (support/store.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SupportState } from '../../db/schema.ts';
import { parseReplyText } from '../../domain/support-request.ts';
import { AppError } from '../../errors.ts';
import type { TextKey } from '../../i18n/catalogs.ts';
import { closeRequest, escalateRequest, replyToRequest } from '../../support/answers.ts';
import { scopedRequest, scopedRequests, screenshotFor } from '../../support/store.ts';
import { supportQueuePage, supportRequestAdminPage } from '../../views/pages/admin/support.ts';
import type { RouteContext } from '../context.ts';
import { formFields, frameFor, noStore, sendPage } from './frame.ts';
import { requireAdminPage } from './guards.ts';
import { sendScreenshot } from './support.ts';

const states: readonly SupportState[] = ['open', 'answered', 'closed'];
const notices = { replied: 'support.replied', replied_unnotified: 'support.replied_unnotified', escalated: 'support.escalated', closed: 'support.closed_notice' } as const satisfies Record<string, TextKey>;
const noticeOf = (value: unknown): TextKey | null => (typeof value === 'string' && Object.hasOwn(notices, value) ? notices[value as keyof typeof notices] : null);

type WithId = FastifyRequest<{ Params: { id: string } }>;

export async function adminSupportPages(app: FastifyInstance, ctx: RouteContext) {
  const gate = requireAdminPage(ctx, 'support.answer');
  const context = (request: FastifyRequest) => ({ now: ctx.clock.now(), ip: request.ip });

  app.get<{ Querystring: { state?: string; done?: string } }>('/admin/support', { preHandler: gate }, async (request, reply) => {
    const state = states.find((s) => s === request.query.state) ?? null;
    const rows = await scopedRequests(ctx.db, request.adminScope!, { state: state ?? undefined });
    return sendPage(noStore(reply), supportQueuePage(frameFor(request, reply, request.t('support.queue_title')), {
      state, rows, timeZone: ctx.timeZone, notice: noticeOf(request.query.done),
    }));
  });

  const detail = async (request: WithId, reply: FastifyReply, view: { notice: TextKey | null; error: TextKey | null; text: string }, status = 200) => {
    const found = await scopedRequest(ctx.db, request.adminScope!, request.params.id);
    if (!found) throw new AppError(404, 'support.not_found');
    return sendPage(noStore(reply), supportRequestAdminPage(frameFor(request, reply, request.t('support.queue_title')), found, { ...view, timeZone: ctx.timeZone }), status);
  };

  app.get<{ Params: { id: string }; Querystring: { done?: string } }>('/admin/support/:id', { preHandler: gate }, async (request, reply) =>
    detail(request, reply, { notice: noticeOf(request.query.done), error: null, text: '' }));

  app.get<{ Params: { id: string } }>('/admin/support/:id/screenshot', { preHandler: gate }, async (request, reply) => {
    const shot = await screenshotFor(ctx.db, { scope: request.adminScope! }, request.params.id);
    if (!shot) throw new AppError(404, 'support.not_found');
    return sendScreenshot(reply, shot);
  });

  app.post<{ Params: { id: string } }>('/admin/support/:id/reply', { preHandler: [...gate, app.csrfProtection] }, async (request, reply) => {
    const form = formFields(request.body, ['text'] as const);
    if ('invalid' in form) throw new AppError(400, form.code, { field: form.invalid });
    const text = parseReplyText(form.text);
    if (!text.ok) return detail(request, reply, { notice: null, error: text.code, text: form.text }, 422);
    const result = await replyToRequest({ db: ctx.db, notifier: ctx.notifier, publicUrl: ctx.config.publicUrl, defaultLocale: ctx.config.defaultLocale },
      request.adminScope!, request.params.id, text.value, context(request));
    if ('status' in result && result.status === 404) throw new AppError(404, result.code);
    if ('status' in result) return detail(request, reply, { notice: null, error: result.code, text: form.text }, result.status);
    // Say so when nobody was told: the requester has neither a mobile nor an email on record.
    return reply.redirect(`/admin/support/${request.params.id}?done=${result.notified === null ? 'replied_unnotified' : 'replied'}`, 303);
  });

  // Escalated, the request leaves this actor's subtree: back to the queue, not to a page that is now a 404.
  app.post<{ Params: { id: string } }>('/admin/support/:id/escalate', { preHandler: [...gate, app.csrfProtection] }, async (request, reply) => {
    const result = await escalateRequest(ctx.db, request.adminScope!, request.params.id, context(request));
    if ('status' in result && result.status === 404) throw new AppError(404, result.code);
    if ('status' in result) return detail(request, reply, { notice: null, error: result.code, text: '' }, result.status);
    return reply.redirect('/admin/support?done=escalated', 303);
  });

  app.post<{ Params: { id: string } }>('/admin/support/:id/close', { preHandler: [...gate, app.csrfProtection] }, async (request, reply) => {
    const result = await closeRequest(ctx.db, request.adminScope!, request.params.id, context(request));
    if ('status' in result) throw new AppError(result.status, result.code);
    return reply.redirect(`/admin/support/${request.params.id}?done=closed`, 303);
  });
}
