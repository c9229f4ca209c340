/**
 * The import page (issue 5 §7, issue 13 §4–5): a CSV or XLSX upload, or a OneRoster zip (from
 * its own form, admin-oneroster.ts), multipart in its own scope so no other route parses
 * uploads, answered with the row-by-row report (a zip's by the OneRoster page). The API's twin
 * is api/admin-imports.ts; both go through import-upload.ts.
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ImportFileError } from '../../admin/import-report.ts';
import { can } from '../../admin/permissions.ts';
import { inSubtree } from '../../admin/scope.ts';
import { AppError } from '../../errors.ts';
import { importJobStatus, unfinishedImportJobs } from '../../admin/imports/jobs.ts';
import { importJobPage, importPage } from '../../views/pages/admin/import.ts';
import { oneRosterPage, type OneRosterView } from '../../views/pages/admin/oneroster.ts';
import { withMessages } from '../../admin/oneroster/report.ts';
import type { RouteContext } from '../context.ts';
import { importJobs, importMultipart, importUpload, MAX_UPLOAD_BYTES, uploadOf } from '../import-upload.ts';
import { checkInputText } from '../plugins/input-text.ts';
import { homeOrganization } from './admin-oneroster.ts';
import { requireAdminPage } from './guards.ts';
import { frameFor, noStore, sendPage } from './frame.ts';

export async function adminImportPages(app: FastifyInstance, ctx: RouteContext) {
  await app.register(multipart, importMultipart);
  const gate = requireAdminPage(ctx, 'users.import');

  const render = async (request: FastifyRequest, reply: FastifyReply, view: Omit<Parameters<typeof importPage>[1], 'organizations' | 'canInvite' | 'profile'>, status = 200) => {
    const organizations = await ctx.db.selectFrom('organizations as o').select(['o.id', 'o.name'])
      .where(inSubtree(request.adminScope!, 'o')).where('o.level', '=', 'school').orderBy('o.name').limit(1000).execute();
    const canInvite = can(request.adminScope!.role, 'users.invite');
    return sendPage(noStore(reply), importPage(frameFor(request, reply, request.t('admin.import')), { ...view, organizations, canInvite, profile: ctx.config.profile }), status);
  };

  // A OneRoster zip's report is drawn by its own page (admin-oneroster.ts has its form).
  // Drawn after a POST to /admin/import too: its language links lead back to the OneRoster page, not the CSV import's.
  const renderOneRoster = async (request: FastifyRequest, reply: FastifyReply, view: Omit<OneRosterView, 'home'>, status = 200) =>
    sendPage(noStore(reply), oneRosterPage({ ...frameFor(request, reply, request.t('oneroster.title')), path: '/admin/import/oneroster' }, { ...view, home: await homeOrganization(ctx.db, request.adminScope!) }), status);

  app.get('/admin/import', { preHandler: gate }, async (request, reply) => render(request, reply, { error: null, report: null }));

  // A background import (a large file): the progress without JavaScript (the page asks to be loaded again), then the report.
  app.get<{ Params: { id: string } }>('/admin/imports/:id', { preHandler: gate }, async (request, reply) => {
    const job = await importJobStatus(ctx.db, request.adminScope!, request.params.id);
    if (!job) throw new AppError(404, 'error.not_found');
    if (job.state === 'running') reply.header('refresh', '2');
    return sendPage(noStore(reply), importJobPage(frameFor(request, reply, request.t('imports.job_title')), job));
  });

  // Jobs a stopped process left running go on at the start; the app waits for those under way when it closes.
  const jobs = importJobs(ctx, app.log);
  app.addHook('onReady', async () => { for (const id of await unfinishedImportJobs(ctx.db)) jobs.run(id); });
  app.addHook('onClose', async () => jobs.idle());

  // The gate runs before the upload is read (an anonymous 20 MB is never parsed); the fields,
  // parsed after the app-wide text check ran, are checked here: a NUL in organizationId is a 400 naming it.
  app.post('/admin/import', { config: { uploadLimitBytes: MAX_UPLOAD_BYTES }, onRequest: gate, preHandler: [app.csrfProtection, async (request) => checkInputText(request.body)] }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const upload = uploadOf(body.file);
    // A refusal is drawn on the page the file came from: the OneRoster page says so in its form, a zip is one anyway.
    const onOneRosterPage = body.form === 'oneroster' || upload?.filename?.toLowerCase().endsWith('.zip') === true;
    const refuse = (error: string, status: number) => (onOneRosterPage
      ? renderOneRoster(request, reply, { error, report: null }, status)
      : render(request, reply, { error, report: null }, status));
    if (!upload) return refuse(request.t('import.no_file'), 422);
    const organizationId = typeof body.organizationId === 'string' ? body.organizationId : undefined;
    try {
      const outcome = await importUpload(ctx, request, request.adminScope!, upload, { organizationId, sendInvitations: body.sendInvitations === 'yes', oneRoster: body.form === 'oneroster' });
      if ('status' in outcome && (outcome.status === 415 || outcome.status === 422)) {
        return refuse(refusedWhole(request, request.t(outcome.code, 'params' in outcome ? outcome.params : undefined)), outcome.status);
      }
      if ('status' in outcome) throw new AppError(outcome.status, outcome.code);
      if ('oneRoster' in outcome) return renderOneRoster(request, reply, { error: null, report: withMessages(outcome.oneRoster, request.t) });
      if ('jobId' in outcome) return reply.redirect(`/admin/imports/${outcome.jobId}`, 303);
      return render(request, reply, { error: null, report: outcome.report });
    } catch (error) {
      if (error instanceof ImportFileError) return refuse(refusedWhole(request, request.t(error.code, error.params)), 422);
      throw error;
    }
  });
}

/** A file refused whole says so first (nothing of it was written), then why, as the background import's page does. */
const refusedWhole = (request: FastifyRequest, why: string) => `${request.t('imports.job_failed')} ${why}`;
