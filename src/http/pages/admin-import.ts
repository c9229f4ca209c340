/**
 * Import pages and API (issue 5 §7): a CSV upload (multipart, in its own scope so no other
 * route parses uploads) and `POST /api/v1/admin/imports` with a `text/csv` body; both answer
 * the row-by-row report.
 */
import { Readable } from 'node:stream';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { importAppointments, ImportFileError } from '../../admin/import.ts';
import { can } from '../../admin/permissions.ts';
import { inSubtree } from '../../admin/scope.ts';
import { AppError } from '../../errors.ts';
import { importPage } from '../../views/pages/admin/import.ts';
import type { RouteContext } from '../context.ts';
import { checkInputText } from '../plugins/input-text.ts';
import { requireAdminPage } from './guards.ts';
import { frameFor, noStore, sendPage } from './frame.ts';

const MAX_BYTES = 20 * 1024 * 1024;

export async function adminImportPages(app: FastifyInstance, ctx: RouteContext) {
  await app.register(multipart, { attachFieldsToBody: 'keyValues', limits: { fileSize: MAX_BYTES, files: 1, fields: 6, parts: 7 } });
  const gate = requireAdminPage(ctx, 'users.import');

  const render = async (request: FastifyRequest, reply: FastifyReply, view: Omit<Parameters<typeof importPage>[1], 'organizations' | 'canInvite'>, status = 200) => {
    const organizations = await ctx.db.selectFrom('organizations as o').select(['o.id', 'o.name'])
      .where(inSubtree(request.adminScope!, 'o')).where('o.level', '=', 'school').orderBy('o.name').limit(1000).execute();
    const canInvite = can(request.adminScope!.role, 'users.invite');
    return sendPage(noStore(reply), importPage(frameFor(request, reply, request.t('admin.import')), { ...view, organizations, canInvite }), status);
  };

  app.get('/admin/import', { preHandler: gate }, async (request, reply) => render(request, reply, { error: null, report: null }));

  // The gate runs before the upload is read (an anonymous 20 MB is never parsed); the fields,
  // parsed after the app-wide text check ran, are checked here: a NUL in organizationId is a 400 naming it.
  app.post('/admin/import', { onRequest: gate, preHandler: [app.csrfProtection, async (request) => checkInputText(request.body)] }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const file = body.file;
    if (!Buffer.isBuffer(file) || file.length === 0) return render(request, reply, { error: request.t('import.no_file'), report: null }, 422);
    const organizationId = typeof body.organizationId === 'string' ? body.organizationId : undefined;
    try {
      const report = await importAppointments(ctx.db, request.adminScope!, Readable.from([file]), {
        profile: ctx.config.profile, today: ctx.today(), organizationId, ip: request.ip, now: ctx.clock.now(), sendInvitations: body.sendInvitations === 'yes',
      });
      if ('status' in report) throw new AppError(report.status, report.code);
      if (report.invitations && 'batchId' in report.invitations) ctx.batches.run(report.invitations.batchId);
      return render(request, reply, { error: null, report });
    } catch (error) {
      if (error instanceof ImportFileError) return render(request, reply, { error: request.t(error.code, error.params), report: null }, 422);
      throw error;
    }
  });
}
