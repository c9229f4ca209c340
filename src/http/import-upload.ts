/**
 * A user file uploaded to the import (the console's page and `POST /api/v1/admin/imports`):
 * the multipart options that keep the file's name beside its bytes, and the one dispatch on the
 * file's kind both callers share, CSV and XLSX to the user import (now, or as a background job
 * above `importBackgroundRows` rows), a OneRoster zip to its own.
 */
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import { importAppointments } from '../admin/import.ts';
import type { ImportReport } from '../admin/import-report.ts';
import { importOneRosterZip, OneRosterFileError, ZipError, type OneRosterReport } from '../admin/oneroster/import.ts';
import { createImportJobRunner, startImportJob, type ImportJobRunner } from '../admin/imports/jobs.ts';
import { estimateRows, importFileKind, oneRosterPageRefusal } from '../admin/imports/source.ts';
import type { Scope } from '../admin/scope.ts';
import type { TextKey } from '../i18n/catalogs.ts';
import type { RouteContext } from './context.ts';

/** The largest file taken (either kind): 100,000 CSV rows are some 5 MB. */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

export type Upload = { filename: string | undefined; bytes: Buffer };

/**
 * @fastify/multipart's options for an import: one file of at most MAX_UPLOAD_BYTES, read into
 * memory (yauzl reads a zip from a buffer) with its name (`body.file` is an Upload).
 */
export const importMultipart = {
  attachFieldsToBody: 'keyValues' as const,
  limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 6, parts: 7 },
  async onFile(part: MultipartFile & { value?: unknown }) {
    part.value = { filename: part.filename, bytes: await part.toBuffer() } satisfies Upload;
  },
};

/** The Upload in a multipart body's field, or undefined (none, empty, or a text field of that name). */
export function uploadOf(value: unknown): Upload | undefined {
  if (typeof value !== 'object' || value === null || !('bytes' in value) || !Buffer.isBuffer(value.bytes) || value.bytes.length === 0) return undefined;
  const filename = 'filename' in value && typeof value.filename === 'string' ? value.filename : undefined;
  return { filename, bytes: value.bytes };
}

export type UploadOutcome =
  | { report: ImportReport } | { oneRoster: OneRosterReport } | { jobId: string }
  | { status: 403 | 404 | 415 | 429; code: TextKey } | { status: 422; code: TextKey; params: Record<string, string | number> };

const runners = new WeakMap<RouteContext, ImportJobRunner>();

/** The background import jobs of this app (one runner per app, made on first use). */
export function importJobs(ctx: RouteContext, log: FastifyBaseLogger): ImportJobRunner {
  let runner = runners.get(ctx);
  if (!runner) {
    runner = createImportJobRunner(
      { db: ctx.db, profile: ctx.config.profile, today: ctx.today, now: () => ctx.clock.now() },
      (error, jobId) => log.error({ err: error, jobId }, 'import job stopped'),
      (batchId) => ctx.batches.run(batchId),
    );
    runners.set(ctx, runner);
  }
  return runner;
}

/**
 * Imports an upload into the organization, or, above `importBackgroundRows` rows, stores it as
 * a job and starts it. Throws ImportFileError for a file refused whole (a large XLSX's zip is
 * checked before it is stored; its rows are read by the job). Starts the set-password links'
 * batch when asked and one was made. `oneRoster` (the OneRoster page's form): the file must be a
 * OneRoster zip, whatever its name (`oneRosterPageRefusal`).
 */
export async function importUpload(
  ctx: RouteContext, request: FastifyRequest, scope: Scope, upload: Upload,
  options: { organizationId: string | undefined; sendInvitations: boolean; oneRoster?: boolean },
): Promise<UploadOutcome> {
  if (options.oneRoster === true) {
    const refusal = oneRosterPageRefusal(upload.filename, upload.bytes);
    return refusal === undefined ? importOneRoster(ctx, request, scope, upload.bytes) : { status: 422, code: refusal, params: {} };
  }
  const kind = importFileKind(upload.filename, upload.bytes);
  if (kind === 'oneroster') return importOneRoster(ctx, request, scope, upload.bytes);
  const file = { kind, bytes: upload.bytes };
  const rows = await estimateRows(file);
  if (rows > ctx.config.importBackgroundRows) {
    const job = await startImportJob(ctx.db, scope, file, { ...options, ip: request.ip, rows });
    if ('status' in job) return job;
    importJobs(ctx, request.log).run(job.id);
    return { jobId: job.id };
  }
  const report = await importAppointments(ctx.db, scope, file, {
    profile: ctx.config.profile, today: ctx.today(), organizationId: options.organizationId, ip: request.ip,
    now: ctx.clock.now(), sendInvitations: options.sendInvitations,
  });
  if (report === 'taken' || 'status' in report) return report === 'taken' ? { status: 404, code: 'error.not_found' } : report;
  if (report.invitations && 'batchId' in report.invitations) ctx.batches.run(report.invitations.batchId);
  return { report };
}

/**
 * A OneRoster 1.2 bulk zip (issue 13 §5) to its importer (src/admin/oneroster/): its report,
 * or a 422 with the reason when the zip or one of its files is refused whole (nothing written).
 * The organizations come from the file, so the upload's organization is not used.
 */
async function importOneRoster(ctx: RouteContext, request: FastifyRequest, scope: Scope, zip: Buffer): Promise<UploadOutcome> {
  try {
    const report = await importOneRosterZip(ctx.db, scope, zip, { profile: ctx.config.profile, today: ctx.today(), ip: request.ip, now: ctx.clock.now() });
    return 'status' in report ? report : { oneRoster: report };
  } catch (error) {
    if (error instanceof ZipError) return { status: 422, code: error.code, params: { ...error.params } };
    if (error instanceof OneRosterFileError) return { status: 422, code: error.code, params: error.params };
    throw error;
  }
}
