/**
 * Announcements in the console (F30): the list of the subtree's, the publish form, edit and
 * stop. Dates are typed in the locale's calendar (i18n/format.ts parseDate); everything else
 * is admin/announcements.ts's, the same rules as the API. After a change, a redirect (a
 * reload does not publish twice).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  editAnnouncement, publishAnnouncement, publishingPlaces, scopedAnnouncement, scopedAnnouncements, withdrawAnnouncement,
  type Announcement, type AnnouncementInput, type AnnouncementRefusal,
} from '../../admin/announcements.ts';
import { scopedOrganization } from '../../admin/appointments.ts';
import { can, consoleRoles } from '../../admin/permissions.ts';
import { DEFAULT_DAYS } from '../../domain/announcement.ts';
import { AppError } from '../../errors.ts';
import { dateExample, formatDate, parseDate } from '../../i18n/format.ts';
import { announcementFormPage, announcementListPage, type AnnouncementFormView } from '../../views/pages/admin/announcements.ts';
import type { RouteContext } from '../context.ts';
import { frameFor, sendPage } from './frame.ts';
import { requireAdminPage } from './guards.ts';

type Values = AnnouncementFormView['values'];
const notices = { published: 'announcements.published', saved: 'announcements.saved', withdrawn: 'announcements.withdrawn_notice' } as const;

/** The form's fields as typed; a repeated single field or a non-string is undefined (answered 400). */
function readForm(body: unknown): Values | undefined {
  const source = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const one = (name: string) => (source[name] === undefined ? '' : typeof source[name] === 'string' ? source[name] : undefined);
  const roles = source.roles === undefined ? [] : [source.roles].flat();
  const values = { title: one('title'), text: one('text'), organizationId: one('organizationId'), startsOn: one('startsOn'), endsOn: one('endsOn'), public: one('public') };
  if (Object.values(values).some((v) => v === undefined) || roles.some((r) => typeof r !== 'string')) return undefined;
  return { ...(values as Record<keyof typeof values, string>), roles: roles as string[], public: values.public !== '' };
}

export async function adminAnnouncementPages(app: FastifyInstance, ctx: RouteContext) {
  const gate = requireAdminPage(ctx, 'announcements.publish');

  const form = async (request: FastifyRequest, reply: FastifyReply, view: Pick<AnnouncementFormView, 'mode' | 'action' | 'values' | 'errors'>, status = 200) => {
    const scope = request.adminScope!;
    const title = request.t(view.mode === 'new' ? 'announcements.new' : 'announcements.edit_title');
    // The list goes two levels down; an announcement published deeper (a school's, edited by
    // the ministry) keeps its place in the list, or saving would move it to the first one.
    const places = await publishingPlaces(ctx.db, scope);
    const chosen = places.some((p) => p.id === view.values.organizationId) ? undefined : await scopedOrganization(ctx.db, scope, view.values.organizationId);
    return sendPage(reply, announcementFormPage(frameFor(request, reply, title), {
      ...view, places: chosen ? [...places, chosen] : places, roles: consoleRoles, canPublic: can(scope.role, 'announcements.public'),
      dateHint: request.t('announcements.field_dates_hint', { example: dateExample(request.formatting), days: DEFAULT_DAYS }),
    }), status);
  };

  /** The typed values as the store's input, or the date fields' errors. */
  const inputOf = (request: FastifyRequest, values: Values): AnnouncementInput | AnnouncementRefusal[] => {
    const dates = { startsOn: values.startsOn.trim(), endsOn: values.endsOn.trim() };
    const parsed = { startsOn: dates.startsOn === '' ? undefined : parseDate(dates.startsOn, request.formatting), endsOn: dates.endsOn === '' ? undefined : parseDate(dates.endsOn, request.formatting) };
    const errors: AnnouncementRefusal[] = (['startsOn', 'endsOn'] as const).filter((f) => parsed[f] !== undefined && !parsed[f].ok)
      .map((field) => ({ status: 422, code: 'announcement.date_invalid', field }));
    if (errors.length > 0) return errors;
    const date = (r: typeof parsed.startsOn) => (r?.ok ? r.value : undefined);
    return {
      title: values.title, text: values.text, roles: values.roles, startsOn: date(parsed.startsOn), endsOn: date(parsed.endsOn),
      public: values.public, organizationId: values.organizationId === '' ? undefined : values.organizationId,
    };
  };

  const submit = async (request: FastifyRequest, reply: FastifyReply, mode: 'new' | 'edit', action: string, save: (input: AnnouncementInput) => Promise<Announcement | AnnouncementRefusal>) => {
    const values = readForm(request.body);
    if (!values) throw new AppError(400, 'error.field_invalid');
    const input = inputOf(request, values);
    const result = Array.isArray(input) ? input : await save(input);
    if (!Array.isArray(result) && !('status' in result)) return reply.redirect(`/admin/announcements?done=${mode === 'new' ? 'published' : 'saved'}#announcement-${result.id}`, 303);
    const refusals = Array.isArray(result) ? result : [result];
    // An announcement or organization outside the subtree: as for one that does not exist. What
    // the form never offers (public for a district) is refused as forbidden, not redrawn.
    const hidden = refusals.find((r) => r.status === 404 || r.status === 403);
    if (hidden) throw new AppError(hidden.status, hidden.code);
    return form(request, reply, { mode, action, values, errors: refusals.map((r) => ({ code: r.code, field: r.field, ...(r.params ? { params: r.params } : {}) })) }, 422);
  };

  app.get<{ Querystring: { done?: string } }>('/admin/announcements', { preHandler: gate }, async (request, reply) => {
    const done = request.query.done;
    const notice = done !== undefined && Object.hasOwn(notices, done) ? request.t(notices[done as keyof typeof notices]) : null;
    const rows = await scopedAnnouncements(ctx.db, request.adminScope!);
    return sendPage(reply, announcementListPage(frameFor(request, reply, request.t('announcements.title')), { rows, today: ctx.today(), notice }));
  });

  app.get('/admin/announcements/new', { preHandler: gate }, async (request, reply) => form(request, reply, {
    mode: 'new', action: '/admin/announcements/new', errors: [],
    values: { title: '', text: '', organizationId: request.adminScope!.organizationId, roles: [], startsOn: formatDate(ctx.today(), request.formatting), endsOn: '', public: false },
  }));

  app.post('/admin/announcements/new', { preHandler: [...gate, app.csrfProtection] }, async (request, reply) =>
    submit(request, reply, 'new', '/admin/announcements/new', (input) => publishAnnouncement(ctx.db, request.adminScope!, input, { today: ctx.today(), ip: request.ip })));

  const existing = async (request: FastifyRequest<{ Params: { id: string } }>) => {
    const found = await scopedAnnouncement(ctx.db, request.adminScope!, request.params.id);
    if (!found) throw new AppError(404, 'announcement.not_found');
    return found;
  };

  app.get<{ Params: { id: string } }>('/admin/announcements/:id/edit', { preHandler: gate }, async (request, reply) => {
    const a = await existing(request);
    if (a.withdrawnAt !== null) throw new AppError(409, 'announcement.withdrawn');
    return form(request, reply, {
      mode: 'edit', action: `/admin/announcements/${a.id}/edit`, errors: [],
      values: { title: a.title, text: a.text, organizationId: a.organization.id, roles: a.roles, startsOn: formatDate(a.startsOn, request.formatting), endsOn: formatDate(a.endsOn, request.formatting), public: a.public },
    });
  });

  app.post<{ Params: { id: string } }>('/admin/announcements/:id/edit', { preHandler: [...gate, app.csrfProtection] }, async (request, reply) => {
    const a = await existing(request);
    return submit(request, reply, 'edit', `/admin/announcements/${a.id}/edit`, (input) => editAnnouncement(ctx.db, request.adminScope!, a.id, input, { today: ctx.today(), ip: request.ip }));
  });

  app.post<{ Params: { id: string } }>('/admin/announcements/:id/withdraw', { preHandler: [...gate, app.csrfProtection] }, async (request, reply) => {
    const result = await withdrawAnnouncement(ctx.db, request.adminScope!, request.params.id, { today: ctx.today(), ip: request.ip, now: ctx.clock.now() });
    if ('status' in result) throw new AppError(result.status, result.code);
    return reply.redirect('/admin/announcements?done=withdrawn', 303);
  });
}
