/**
 * Announcements over JSON (F30, DESIGN.md Contracts): `POST /admin/announcements {title, text,
 * roles?, startsOn?, endsOn?, public?}` → 201 with the announcement (and the console's list,
 * edit and stop, scoped like every admin call: outside the subtree a 404); `GET /announcements`,
 * those for the role and organization the bearer's session acts as. Dates are `YYYY-MM-DD`
 * (Persian or Arabic digits taken); a date that is not one is a 422 naming the field.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  editAnnouncement, publishAnnouncement, scopedAnnouncement, scopedAnnouncements, withdrawAnnouncement,
  type Announcement, type AnnouncementInput, type AnnouncementRefusal,
} from '../../admin/announcements.ts';
import { can, type AdminAction } from '../../admin/permissions.ts';
import { parseApiDate } from '../../domain/announcement.ts';
import { AppError } from '../../errors.ts';
import { resolveActing } from '../../identity/memberships.ts';
import { announcementsFor } from '../../portal/announcements.ts';
import type { RouteContext } from '../context.ts';
import { loadAdminScope } from '../plugins/admin.ts';
import { requireSession } from '../plugins/auth.ts';

// Lengths well above the stored limits (TITLE_MAX, TEXT_MAX): a text a little too long gets
// the localized 422 that names the limit; only a body past these is refused as malformed.
const body = {
  type: 'object', required: ['title', 'text'], additionalProperties: false,
  properties: {
    title: { type: 'string', maxLength: 2000 }, text: { type: 'string', maxLength: 40_000 },
    roles: { type: 'array', maxItems: 20, items: { type: 'string', maxLength: 40 } },
    startsOn: { type: 'string', maxLength: 64, description: 'YYYY-MM-DD; default today' },
    endsOn: { type: 'string', maxLength: 64, description: 'YYYY-MM-DD, inclusive; default 30 days in all, at most 366' },
    public: { type: 'boolean', description: 'Also on the sign-in page (ministry administrators only; every role)' },
    organizationId: { type: 'string', maxLength: 36, description: 'Where in the subtree; default the organization acted in' },
  },
} as const;
type Body = { title: string; text: string; roles?: string[]; startsOn?: string; endsOn?: string; public?: boolean; organizationId?: string };
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 36 } } } as const;

const announcementJson = (a: Announcement) => ({
  id: a.id, title: a.title, text: a.text, organization: a.organization, roles: a.roles, startsOn: a.startsOn, endsOn: a.endsOn,
  public: a.public, withdrawnAt: a.withdrawnAt?.toISOString() ?? null, createdAt: a.createdAt.toISOString(),
});

const refuse = (r: AnnouncementRefusal) => new AppError(r.status, r.code, { ...(r.field ? { field: r.field } : {}), ...(r.params ? { params: r.params } : {}) });

/** The body as the store's input; a date that is not `YYYY-MM-DD` is a 422 naming its field. */
function inputOf(b: Body): AnnouncementInput {
  const startsOn = parseApiDate(b.startsOn);
  if (!startsOn.ok) throw refuse({ status: 422, code: startsOn.code, field: 'startsOn' });
  const endsOn = parseApiDate(b.endsOn);
  if (!endsOn.ok) throw refuse({ status: 422, code: endsOn.code, field: 'endsOn' });
  return { title: b.title, text: b.text, roles: b.roles ?? [], startsOn: startsOn.value, endsOn: endsOn.value, public: b.public ?? false, organizationId: b.organizationId };
}

export async function announcementsApi(app: FastifyInstance, ctx: RouteContext) {
  const gate = (action: AdminAction) => async (request: FastifyRequest) => {
    const scope = await loadAdminScope(ctx, request);
    if (!can(scope.role, action)) throw new AppError(403, 'access.denied');
  };
  const context = (request: FastifyRequest) => ({ today: ctx.today(), ip: request.ip });
  const done = (result: Announcement | AnnouncementRefusal) => {
    if ('status' in result) throw refuse(result);
    return announcementJson(result);
  };

  app.post<{ Body: Body }>('/admin/announcements', {
    onRequest: gate('announcements.publish'), schema: { body, summary: 'Publish an announcement in the actor\'s subtree (201)' },
  }, async (request, reply) => reply.code(201).send(done(await publishAnnouncement(ctx.db, request.adminScope!, inputOf(request.body), context(request)))));

  app.get('/admin/announcements', {
    onRequest: gate('announcements.publish'), schema: { summary: 'The announcements published in the actor\'s subtree, newest first' },
  }, async (request) => ({ announcements: (await scopedAnnouncements(ctx.db, request.adminScope!)).map(announcementJson) }));

  app.get<{ Params: { id: string } }>('/admin/announcements/:id', { onRequest: gate('announcements.publish'), schema: { params: idParams } }, async (request) => {
    const found = await scopedAnnouncement(ctx.db, request.adminScope!, request.params.id);
    if (!found) throw new AppError(404, 'announcement.not_found');
    return announcementJson(found);
  });

  app.post<{ Params: { id: string }; Body: Body }>('/admin/announcements/:id', {
    onRequest: gate('announcements.publish'), schema: { params: idParams, body, summary: 'Edit an announcement of the subtree (a stopped one: 409)' },
  }, async (request) => done(await editAnnouncement(ctx.db, request.adminScope!, request.params.id, inputOf(request.body), context(request))));

  app.post<{ Params: { id: string } }>('/admin/announcements/:id/withdraw', {
    onRequest: gate('announcements.publish'), schema: { params: idParams, summary: 'Stop showing an announcement now (repeating it changes nothing)' },
  }, async (request) => done(await withdrawAnnouncement(ctx.db, request.adminScope!, request.params.id, { ...context(request), now: ctx.clock.now() })));

  app.get('/announcements', {
    preHandler: requireSession(), schema: { summary: 'The announcements for the role and organization the session acts as (none chosen: the public ones)' },
  }, async (request) => {
    const acting = await resolveActing(ctx.db, request.auth!, ctx.today());
    const current = acting.current && { role: acting.current.role, organizationId: acting.current.organization.id };
    return { announcements: await announcementsFor(ctx.db, current, ctx.today()) };
  });
}

