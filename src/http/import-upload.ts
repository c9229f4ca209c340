/**
 * A user file uploaded to the import (the console's page and `POST /api/v1/admin/imports`):
 * the multipart options that keep the file's name beside its bytes, and the one dispatch on the
 * file's kind both callers share, CSV and XLSX to the user import, a OneRoster zip to its own.
 */
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { importAppointments } from '../admin/import.ts';
import type { ImportReport } from '../admin/import-report.ts';
import { importFileKind } from '../admin/imports/source.ts';
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

export type UploadOutcome = { report: ImportReport } | { status: 403 | 404 | 415; code: TextKey };

/**
 * Imports an upload into the organization. Throws ImportFileError for a file refused whole.
 * Starts the set-password links' batch when asked and one was made.
 */
export async function importUpload(
  ctx: RouteContext, request: FastifyRequest, scope: Scope, upload: Upload, options: { organizationId: string | undefined; sendInvitations: boolean },
): Promise<UploadOutcome> {
  const kind = importFileKind(upload.filename, upload.bytes);
  // OneRoster 1.2 bulk zip (issue 13 §5): its importer (src/admin/oneroster/) is wired here.
  if (kind === 'oneroster') return { status: 415, code: 'import.oneroster_not_yet' };
  const report = await importAppointments(ctx.db, scope, { kind, bytes: upload.bytes }, {
    profile: ctx.config.profile, today: ctx.today(), organizationId: options.organizationId, ip: request.ip,
    now: ctx.clock.now(), sendInvitations: options.sendInvitations,
  });
  if ('status' in report) return report;
  if (report.invitations && 'batchId' in report.invitations) ctx.batches.run(report.invitations.batchId);
  return { report };
}
