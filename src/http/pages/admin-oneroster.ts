/**
 * The OneRoster import page (issue 13 §5): the zip upload form. Its form posts to the one
 * import route (`POST /admin/import`, admin-import.ts, through import-upload.ts like the API),
 * which draws the report with this page's view.
 */
import type { FastifyInstance } from 'fastify';
import type { Scope } from '../../admin/scope.ts';
import type { Db } from '../../db/database.ts';
import { oneRosterPage, type HomeOrganization } from '../../views/pages/admin/oneroster.ts';
import type { RouteContext } from '../context.ts';
import { requireAdminPage } from './guards.ts';
import { frameFor, noStore, sendPage } from './frame.ts';

/** The organization the admin acts in, with its code: the page tells how a file names it. */
export async function homeOrganization(db: Db, scope: Scope): Promise<HomeOrganization> {
  const row = await db.selectFrom('organizations').select(['id', 'name', 'code']).where('id', '=', scope.organizationId).executeTakeFirstOrThrow();
  return { id: row.id, name: row.name, code: row.code };
}

export async function adminOneRosterPages(app: FastifyInstance, ctx: RouteContext) {
  const gate = requireAdminPage(ctx, 'users.import');
  app.get('/admin/import/oneroster', { preHandler: gate }, async (request, reply) =>
    sendPage(noStore(reply), oneRosterPage(frameFor(request, reply, request.t('oneroster.title')), { error: null, report: null, home: await homeOrganization(ctx.db, request.adminScope!) })));
}
