/**
 * The OneRoster import page (issue 13 §5): the zip upload form. Its form posts to the one
 * import route (`POST /admin/import`, admin-import.ts, through import-upload.ts like the API),
 * which draws the report with this page's view.
 */
import type { FastifyInstance } from 'fastify';
import { oneRosterPage } from '../../views/pages/admin/oneroster.ts';
import type { RouteContext } from '../context.ts';
import { requireAdminPage } from './guards.ts';
import { frameFor, noStore, sendPage } from './frame.ts';

export async function adminOneRosterPages(app: FastifyInstance, ctx: RouteContext) {
  const gate = requireAdminPage(ctx, 'users.import');
  app.get('/admin/import/oneroster', { preHandler: gate }, async (request, reply) =>
    sendPage(noStore(reply), oneRosterPage(frameFor(request, reply, request.t('oneroster.title')), { error: null, report: null })));
}
