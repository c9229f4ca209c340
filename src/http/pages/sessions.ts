/**
 * `/account/sessions` (B7): one's own live sessions, end one, end all the others. Post, then
 * redirect (303) back to the list with what happened; ending the session of this browser is a
 * sign-out, apps included. Thin: the work is in identity/sessions.ts.
 */
import type { FastifyInstance } from 'fastify';
import { describeDevice } from '../../domain/device.ts';
import { notFound } from '../../errors.ts';
import { endProviderSession } from '../../federation/interactions.ts';
import { endOwnOtherSessions, endOwnSession, listSessions } from '../../identity/sessions.ts';
import { sessionsPage } from '../../views/pages/sessions.ts';
import type { RouteContext } from '../context.ts';
import { frameFor, noStore, sendPage } from './frame.ts';
import { requirePageSession } from './guards.ts';

export async function sessionPages(app: FastifyInstance, ctx: RouteContext) {
  // A temporary password or an unfinished profile does not stop anyone from seeing who else is signed in as them.
  const guard = requirePageSession({ allowMustChange: true, allowPending: true });

  app.get<{ Querystring: { ended?: string; others?: string } }>('/account/sessions', { preHandler: guard }, async (request, reply) => {
    const session = request.auth!;
    const rows = await listSessions(ctx.db, session.accountId, ctx.clock.now(), ctx.config.session);
    const others = request.query.others;
    const notice = request.query.ended !== undefined ? request.t('sessions.ended')
      : typeof others === 'string' && /^\d{1,6}$/.test(others) ? request.t(others === '0' ? 'sessions.no_others' : 'sessions.others_ended', { count: Number(others) }) : null;
    return sendPage(noStore(reply), sessionsPage(frameFor(request, reply, request.t('sessions.title')), {
      // This session first, then the others newest first.
      rows: rows.toSorted((a, b) => Number(b.id === session.id) - Number(a.id === session.id)).map((row) => ({
        id: row.id, current: row.id === session.id, kind: row.kind, device: describeDevice(row.user_agent), ip: row.ip, amr: row.amr,
        createdAt: row.created_at, lastSeenAt: row.last_seen_at,
      })),
      notice, timeZone: ctx.timeZone,
    }));
  });

  app.post<{ Params: { id: string } }>('/account/sessions/:id/end', { preValidation: app.csrfProtection, preHandler: guard }, async (request, reply) => {
    const session = request.auth!;
    const current = request.params.id === session.id;
    // This browser's own session: a sign-out, so the apps signed in through it are told too (as POST /sign-out does).
    if (current) await endProviderSession(ctx.federation, { req: request.raw, res: reply.raw }, (error) => request.log.warn({ err: error }, 'back-channel logout failed'));
    if (await endOwnSession(ctx.db, request.params.id, { session, ip: request.ip, via: 'page' }) === 'not_found') throw notFound('error.not_found');
    if (!current) return reply.redirect('/account/sessions?ended=1', 303);
    reply.clearCookie(request.server.siteCookies.session, request.server.siteCookies.attributes);
    return reply.redirect('/sign-in?signed_out', 303);
  });

  app.post('/account/sessions/end-others', { preValidation: app.csrfProtection, preHandler: guard }, async (request, reply) => {
    const ended = await endOwnOtherSessions(ctx.db, { session: request.auth!, ip: request.ip, via: 'page' });
    return reply.redirect(`/account/sessions?others=${ended}`, 303);
  });
}
