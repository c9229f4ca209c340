/**
 * Home: the person, the role acted as, and the services menu (only with an active role): the
 * services whose app serves one of the person's current roles, so a student is not offered
 * payslips only to be refused there. System support (F29) is in the menu for everyone signed
 * in, with a role or without one.
 */
import type { FastifyInstance } from 'fastify';
import { isAdminRole } from '../../admin/permissions.ts';
import { servicesServing } from '../../federation/services-served.ts';
import { formatUserCode } from '../../identity/accounts.ts';
import { resolveActing } from '../../identity/memberships.ts';
import { formatDate, localizeDigits } from '../../i18n/format.ts';
import { announcementsFor } from '../../portal/announcements.ts';
import { homePage, type HomeView } from '../../views/pages/home.ts';
import type { RouteContext } from '../context.ts';
import { frameFor, sendPage } from './frame.ts';
import { requirePageSession } from './guards.ts';

export async function homePages(app: FastifyInstance, ctx: RouteContext) {
  const services: HomeView['services'] = [
    { key: 'service.exams', url: ctx.config.services.exams },
    { key: 'service.payslips', url: ctx.config.services.payslips },
    { key: 'service.parents', url: ctx.config.services.parents },
  ];

  app.get('/', { preHandler: requirePageSession() }, async (request, reply) => {
    const session = request.auth!;
    const acting = await resolveActing(ctx.db, session, ctx.today());
    if (acting.current === null && acting.memberships.length > 1) return reply.redirect('/role', 303);
    const frame = frameFor(request, reply, request.t('home.title'), acting);
    const news = await announcementsFor(ctx.db, acting.current && { role: acting.current.role, organizationId: acting.current.organization.id }, ctx.today());
    const served = acting.current ? await servicesServing(ctx.db, services.map((s) => s.url), acting.memberships.map((m) => m.role)) : new Set<string>();
    return sendPage(reply, homePage(frame, {
      name: `${session.firstName} ${session.lastName}`,
      username: session.nationalId === null ? formatUserCode(session.userCode) : localizeDigits(session.nationalId, request.formatting),
      userCode: formatUserCode(session.userCode),
      acting: acting.current && {
        role: request.t(`role.${acting.current.role}`),
        organization: acting.current.organization.name,
        period: request.t(acting.current.endsOn ? 'home.appointment_period' : 'home.appointment_open', {
          start: formatDate(acting.current.startsOn, request.formatting),
          end: acting.current.endsOn ? formatDate(acting.current.endsOn, request.formatting) : '',
        }),
      },
      services: services.filter((s) => served.has(s.url)),
      admin: acting.current !== null && isAdminRole(acting.current.role),
      news: news.map((a) => ({ id: a.id, title: a.title, text: a.text, organization: a.organization.name, startsOn: a.startsOn })),
    }));
  });
}
