/**
 * The OneRoster import page (issue 13 §5): a zip upload (multipart, in its own scope so no
 * other route parses uploads) and its report. The gate runs before the upload is read, CSRF
 * before the import; a zip or file refused whole answers 422 with its reason, nothing written.
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { importOneRosterZip, OneRosterFileError, ZipError } from '../../admin/oneroster/import.ts';
import { withMessages } from '../../admin/oneroster/report.ts';
import { AppError } from '../../errors.ts';
import { oneRosterPage, type OneRosterView } from '../../views/pages/admin/oneroster.ts';
import type { RouteContext } from '../context.ts';
import { requireAdminPage } from './guards.ts';
import { frameFor, noStore, sendPage } from './frame.ts';

/** A zip of 100,000 users is a few megabytes; the reader's own limits bound what it inflates. */
const MAX_BYTES = 40 * 1024 * 1024;

export async function adminOneRosterPages(app: FastifyInstance, ctx: RouteContext) {
  await app.register(multipart, { attachFieldsToBody: 'keyValues', limits: { fileSize: MAX_BYTES, files: 1, fields: 2, parts: 3 } });
  const gate = requireAdminPage(ctx, 'users.import');
  const render = (request: FastifyRequest, reply: FastifyReply, view: OneRosterView, status = 200) =>
    sendPage(noStore(reply), oneRosterPage(frameFor(request, reply, request.t('oneroster.title')), view), status);

  app.get('/admin/import/oneroster', { preHandler: gate }, async (request, reply) => render(request, reply, { error: null, report: null }));

  app.post('/admin/import/oneroster', { onRequest: gate, preHandler: app.csrfProtection }, async (request, reply) => {
    const file = ((request.body ?? {}) as Record<string, unknown>).file;
    if (!Buffer.isBuffer(file) || file.length === 0) return render(request, reply, { error: request.t('oneroster.no_file'), report: null }, 422);
    try {
      const report = await importOneRosterZip(ctx.db, request.adminScope!, file, { profile: ctx.config.profile, today: ctx.today(), ip: request.ip, now: ctx.clock.now() });
      if ('status' in report) throw new AppError(report.status, report.code);
      return render(request, reply, { error: null, report: withMessages(report, request.t) });
    } catch (error) {
      if (error instanceof ZipError) return render(request, reply, { error: request.t(error.code), report: null }, 422);
      if (error instanceof OneRosterFileError) return render(request, reply, { error: request.t(error.code, error.params), report: null }, 422);
      throw error;
    }
  });
}
