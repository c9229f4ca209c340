/**
 * Support requests as JSON (F29, DESIGN.md Contracts): one's own (`POST|GET /support-requests`,
 * a bearer token; signed out, a contact and a captcha instead), and the administrators' queue
 * (`/admin/support-requests`), scoped like every admin call: outside the actor's subtree a
 * request answers 404, as one that does not exist.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { can } from '../../admin/permissions.ts';
import type { SupportState } from '../../db/schema.ts';
import { parseReplyText, SUPPORT_LIMITS, supportCategories } from '../../domain/support-request.ts';
import { AppError, unauthorized } from '../../errors.ts';
import { resolveActing } from '../../identity/memberships.ts';
import { closeRequest, escalateRequest, replyToRequest, type AnswerRefusal } from '../../support/answers.ts';
import { ownRequests, scopedRequests, type QueuedRequest, type SupportRequestView } from '../../support/store.ts';
import { submitSupportRequest } from '../../support/submit.ts';
import type { RouteContext } from '../context.ts';
import { loadAdminScope } from '../plugins/admin.ts';
import { requireSession } from '../plugins/auth.ts';

const states = ['open', 'answered', 'closed'] as const;
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 36 } } } as const;
// Generous bounds in the schema (wrong types and absurd sizes stop here); the exact limits,
// after normalization, are the domain's, with their own localized codes.
const longText = (max: number) => ({ type: 'string', maxLength: max * 4 }) as const;
// Base64 of the largest screenshot, with room: the decoded size is checked exactly.
const SCREENSHOT_BASE64 = Math.ceil(SUPPORT_LIMITS.screenshotBytes / 3) * 4 + 1024;

const newRequestBody = {
  type: 'object', required: ['category', 'subject', 'text'], additionalProperties: false,
  properties: {
    category: { type: 'string', enum: supportCategories },
    subject: longText(SUPPORT_LIMITS.subject), text: longText(SUPPORT_LIMITS.text), from: longText(SUPPORT_LIMITS.from),
    screenshot: { type: 'string', maxLength: SCREENSHOT_BASE64, description: 'A PNG or JPEG (at most 1 MB), base64' },
    contact: { type: 'string', maxLength: 300, description: 'Signed out only: a mobile number or an email address for the answer' },
    captcha: { type: 'string', maxLength: 10_000, description: 'Signed out only: the solved challenge of GET /api/v1/captcha' },
    captchaId: { type: 'string', maxLength: 1000 },
  },
} as const;
type NewRequestBody = { category: string; subject: string; text: string; from?: string; screenshot?: string; contact?: string; captcha?: string; captchaId?: string };

const replyJson = { type: 'object', properties: { id: { type: 'string' }, text: { type: 'string' }, createdAt: { type: 'string' }, organization: { type: 'string' } } } as const;
const requestJson = {
  type: 'object',
  properties: {
    id: { type: 'string' }, reference: { type: 'string' }, category: { type: 'string', enum: supportCategories }, subject: { type: 'string' }, text: { type: 'string' },
    from: { type: 'string', nullable: true }, state: { type: 'string', enum: states }, createdAt: { type: 'string' }, updatedAt: { type: 'string' },
    organization: { type: 'string' }, hasScreenshot: { type: 'boolean' }, replies: { type: 'array', items: replyJson },
  },
} as const;
const queuedJson = {
  type: 'object',
  properties: {
    ...requestJson.properties,
    requester: { type: 'object', nullable: true, properties: { accountId: { type: 'string' }, name: { type: 'string' } } },
    contact: { type: 'string', nullable: true }, origin: { type: 'string' }, canEscalate: { type: 'boolean' },
  },
} as const;

const asJson = (r: SupportRequestView) => ({
  id: r.id, reference: r.reference, category: r.category, subject: r.subject, text: r.text, from: r.from, state: r.state,
  createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(), organization: r.organization, hasScreenshot: r.hasScreenshot,
  replies: r.replies.map((p) => ({ id: p.id, text: p.text, createdAt: p.createdAt.toISOString(), organization: p.organization })),
});
const queuedAsJson = (r: QueuedRequest) => ({ ...asJson(r), requester: r.requester, contact: r.contact, origin: r.origin, canEscalate: r.canEscalate });

/** Decodes a base64 screenshot; anything that is not base64 is refused naming the field. */
function screenshotBytes(value: string | undefined): Buffer | null {
  if (value === undefined || value === '') return null;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) throw new AppError(422, 'support.screenshot_type', { field: 'screenshot' });
  return Buffer.from(value, 'base64');
}

const refuse = (r: AnswerRefusal) => new AppError(r.status, r.code);

export async function supportApi(app: FastifyInstance, ctx: RouteContext) {
  app.post<{ Body: NewRequestBody }>('/support-requests', {
    // Room for the base64 screenshot beside the text.
    bodyLimit: SCREENSHOT_BASE64 + 64 * 1024,
    schema: {
      summary: 'Send a support request (201 {id, reference}); signed out: with contact and captcha', body: newRequestBody,
      // A bearer token, or none at all (then `contact` and `captcha` are required).
      security: [{ bearer: [] }, {}],
      response: { 201: { type: 'object', properties: { id: { type: 'string' }, reference: { type: 'string' } } } },
    },
  }, async (request, reply) => {
    const session = request.auth;
    // A token that no longer works is not "signed out": the caller should sign in again, not solve a captcha.
    if (session === null && request.headers.authorization !== undefined) throw unauthorized();
    const asker = session && { accountId: session.accountId, acting: (await resolveActing(ctx.db, session, ctx.today())).current };
    const b = request.body;
    const result = await submitSupportRequest({ db: ctx.db, profile: ctx.config.profile, captcha: ctx.captcha }, asker, {
      ...b, screenshot: screenshotBytes(b.screenshot),
    }, { now: ctx.clock.now(), ip: request.ip, locale: request.locale });
    if (!result.ok && result.status === 429) throw new AppError(429, result.code);
    if (!result.ok) throw new AppError(422, result.errors[0]!.code, { field: result.errors[0]!.field });
    return reply.code(201).send({ id: result.id, reference: result.reference });
  });

  app.get('/support-requests', {
    preHandler: requireSession({ allowMustChange: true }),
    schema: { summary: 'One\'s own support requests, newest first, with their answers', security: [{ bearer: [] }], response: { 200: { type: 'object', properties: { requests: { type: 'array', items: requestJson } } } } },
  }, async (request) => ({ requests: (await ownRequests(ctx.db, request.auth!.accountId)).map(asJson) }));

  const gate = async (request: FastifyRequest) => {
    const scope = await loadAdminScope(ctx, request);
    if (!can(scope.role, 'support.answer')) throw new AppError(403, 'access.denied');
  };

  app.get<{ Querystring: { state?: SupportState } }>('/admin/support-requests', {
    onRequest: gate,
    schema: {
      summary: 'The support requests in the actor\'s subtree, newest first', security: [{ bearer: [] }],
      querystring: { type: 'object', additionalProperties: false, properties: { state: { type: 'string', enum: states } } },
      response: { 200: { type: 'object', properties: { requests: { type: 'array', items: queuedJson } } } },
    },
  }, async (request) => ({ requests: (await scopedRequests(ctx.db, request.adminScope!, { state: request.query.state })).map(queuedAsJson) }));

  app.post<{ Params: { id: string }; Body: { text: string } }>('/admin/support-requests/:id/replies', {
    onRequest: gate,
    schema: {
      summary: 'Answer a support request in scope (201); the requester is told by SMS or email; 404 outside the scope', security: [{ bearer: [] }],
      params: idParams, body: { type: 'object', required: ['text'], additionalProperties: false, properties: { text: longText(SUPPORT_LIMITS.text) } },
      response: { 201: { type: 'object', properties: { id: { type: 'string' }, notified: { type: 'string', nullable: true, enum: ['sms', 'email', null] } } } },
    },
  }, async (request, reply) => {
    const text = parseReplyText(request.body.text);
    if (!text.ok) throw new AppError(422, text.code, { field: 'text' });
    const result = await replyToRequest({ db: ctx.db, notifier: ctx.notifier, publicUrl: ctx.config.publicUrl, defaultLocale: ctx.config.defaultLocale },
      request.adminScope!, request.params.id, text.value, { now: ctx.clock.now(), ip: request.ip });
    if ('status' in result) throw refuse(result);
    return reply.code(201).send(result);
  });

  app.post<{ Params: { id: string } }>('/admin/support-requests/:id/escalation', {
    onRequest: gate,
    schema: { summary: 'Send a support request in scope to the parent organization\'s administrators', security: [{ bearer: [] }], params: idParams },
  }, async (request) => {
    const result = await escalateRequest(ctx.db, request.adminScope!, request.params.id, { now: ctx.clock.now(), ip: request.ip });
    if ('status' in result) throw refuse(result);
    return result;
  });

  app.post<{ Params: { id: string } }>('/admin/support-requests/:id/close', {
    onRequest: gate,
    schema: { summary: 'Close a support request in scope', security: [{ bearer: [] }], params: idParams },
  }, async (request) => {
    const result = await closeRequest(ctx.db, request.adminScope!, request.params.id, { now: ctx.clock.now(), ip: request.ip });
    if ('status' in result) throw refuse(result);
    return result;
  });
}
