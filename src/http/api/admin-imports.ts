/**
 * The import API (issue 5 §7, issue 13 §4): `POST /api/v1/admin/imports` takes a user file
 * (multipart `.csv`/`.xlsx`, a OneRoster `.zip` for its importer, or a `text/csv` body) and
 * answers its report, or 202 and the address of the background job a large file became;
 * `GET /api/v1/admin/imports/{id}` answers the job's progress and report.
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ImportFileError, importErrors } from '../../admin/import-report.ts';
import { importJobStatus } from '../../admin/imports/jobs.ts';
import { withMessages } from '../../admin/oneroster/report.ts';
import { can } from '../../admin/permissions.ts';
import { AppError } from '../../errors.ts';
import type { TextKey } from '../../i18n/catalogs.ts';
import type { RouteContext } from '../context.ts';
import { importMultipart, importUpload, MAX_UPLOAD_BYTES, uploadOf } from '../import-upload.ts';
import { loadAdminScope } from '../plugins/admin.ts';

const uuid = { type: 'string', maxLength: 36 } as const;
const idParams = { type: 'object', required: ['id'], properties: { id: uuid } } as const;

/** The import's report (import-report.ts); its rows and errors as the description says. */
const importReportSchema = {
  type: 'object', additionalProperties: true, required: ['created', 'updated', 'errors'],
  properties: {
    created: { type: 'integer' }, updated: { type: 'integer' }, existing: { type: 'integer' }, rejected: { type: 'integer' },
    rows: { type: 'array', items: { type: 'object', additionalProperties: true } },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          file: { type: 'string' }, line: { type: 'integer' }, field: { type: 'string', nullable: true }, code: { type: 'string' }, message: { type: 'string' },
          // A OneRoster row error's role (a role refused), what its cell holds, and whose row it is.
          params: { type: 'object', properties: { role: { type: 'string' } } }, value: { type: 'string' }, nationalId: { type: 'string' },
        },
      },
    },
    notices: { type: 'array', items: { type: 'object', additionalProperties: true } },
    invitations: { type: 'object', additionalProperties: true },
  },
} as const;

const importJobSchema = {
  type: 'object', required: ['id', 'state', 'location'], properties: { id: { type: 'string' }, state: { type: 'string', enum: ['running'] }, location: { type: 'string' } },
} as const;

const importJobStatusSchema = {
  type: 'object', required: ['id', 'state', 'total', 'done'],
  properties: {
    id: { type: 'string' }, state: { type: 'string', enum: ['running', 'done', 'failed'] }, total: { type: 'integer' }, done: { type: 'integer' },
    report: { ...importReportSchema, nullable: true },
    failure: { type: 'object', nullable: true, properties: { code: { type: 'string' }, message: { type: 'string' } } },
  },
} as const;

export async function adminImportsApi(app: FastifyInstance, ctx: RouteContext) {
  const gate = async (request: FastifyRequest) => {
    const scope = await loadAdminScope(ctx, request);
    if (!can(scope.role, 'users.import')) throw new AppError(403, 'access.denied');
  };
  const refuse = (r: { status: number; code: TextKey; params?: Record<string, string | number> }) => new AppError(r.status, r.code, r.params ? { params: r.params } : undefined);

  // A school's users from a file (issue 5 §7, issue 13 §4–5): multipart with one `.csv`, `.xlsx`
  // or OneRoster `.zip` part, or the CSV itself as a `text/csv` body. Only this route
  // reads uploads, and only for a caller the gate let in (onRequest: before a byte of the body is read).
  // `invite=1`: set-password links (F19) for the people of the file with an address, as a bulk invitation.
  await app.register(async (imports) => {
    imports.addContentTypeParser('text/csv', { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES }, (_request, body, done) => done(null, { filename: 'upload.csv', bytes: body }));
    await imports.register(multipart, importMultipart);
    imports.post<{ Querystring: { organizationId?: string; invite?: string } }>('/admin/imports', {
      onRequest: gate,
      config: { uploadLimitBytes: MAX_UPLOAD_BYTES },
      schema: {
        summary: 'Import users and appointments from a CSV or XLSX file, or a OneRoster 1.2 bulk zip',
        description: 'The body is `multipart/form-data` with one file part named `file` (`.csv`, `.xlsx`, or a OneRoster 1.2 bulk `.zip`), '
          + 'or a CSV file itself (`Content-Type: text/csv`). The first row names the columns: `national_id, role[, start, end, child_national_id, email]`. '
          + 'Answers the report: `created`, `updated`, `existing`, `rejected`, `rows` (one per data row, `line` being the CSV line or spreadsheet row) and '
          + '`errors` (every reason of every rejected row: `{line, field, code, message}`, the message in the Accept-Language locale). A file refused whole is a 422 and writes nothing. '
          + 'A large file (more rows than the server\'s `KELID_IMPORT_BACKGROUND_ROWS`, 2,000 by default) is imported in the background: the answer is 202 `{id, state, location}` '
          + 'with a `Location` header; `GET` that address for its progress and, once done, the same report. '
          + 'A OneRoster zip (orgs, users, enrollments, academicSessions; idempotent by sourcedId) answers `{created, updated, unchanged, errors, files}`, '
          + 'each error naming its `file` too; a zip or file refused whole is a 422.',
        querystring: { type: 'object', additionalProperties: false, properties: { organizationId: uuid, invite: { type: 'string', enum: ['1', 'true'] } } },
        response: { 200: importReportSchema, 202: importJobSchema },
      },
    }, async (request, reply) => {
      const upload = uploadOf(request.body) ?? uploadOf((request.body as { file?: unknown } | undefined)?.file);
      if (!upload) throw new AppError(415, 'import.send_file');
      try {
        const outcome = await importUpload(ctx, request, request.adminScope!, upload, { organizationId: request.query.organizationId, sendInvitations: request.query.invite !== undefined });
        if ('status' in outcome) throw refuse(outcome);
        if ('oneRoster' in outcome) return withMessages(outcome.oneRoster, request.t);
        if ('jobId' in outcome) {
          const location = `/api/v1/admin/imports/${outcome.jobId}`;
          return reply.code(202).header('location', location).send({ id: outcome.jobId, state: 'running', location });
        }
        return { ...outcome.report, errors: importErrors(outcome.report.rows, request.t) };
      } catch (error) {
        if (error instanceof ImportFileError) throw new AppError(422, error.code, { params: error.params });
        throw error;
      }
    });
  });

  app.get<{ Params: { id: string } }>('/admin/imports/:id', {
    onRequest: gate,
    schema: { params: idParams, summary: 'A background import: its progress, then its report (or why the file was refused: `failure`); only its sender sees it', response: { 200: importJobStatusSchema } },
  }, async (request) => {
    const job = await importJobStatus(ctx.db, request.adminScope!, request.params.id);
    if (!job) throw new AppError(404, 'error.not_found');
    return {
      id: job.id, state: job.state, total: job.total, done: job.done,
      report: job.report && { ...job.report, errors: importErrors(job.report.rows, request.t) },
      failure: job.failure && { code: job.failure.code, message: request.t(job.failure.code, job.failure.params) },
    };
  });
}
