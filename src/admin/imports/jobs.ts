/**
 * Large user imports in the background (issue 13 §4), as bulk passwords are (batches.ts): the
 * upload is stored with who sent it and for which school, a runner imports it, and the actor
 * follows a progress page to the report. The import commits in one transaction that also ends
 * the job (import.ts `job`): a process that stops mid-way leaves the job running and nothing
 * written, and the next start imports it again; a job is claimed with an advisory lock held
 * to the commit, so two processes never import it twice.
 */
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { lockUntilCommit } from '../../db/transaction-lock.ts';
import type { Profile } from '../../domain/profile.ts';
import { isUuid } from '../../domain/uuid.ts';
import { importAppointments } from '../import.ts';
import { ImportFileError, type ImportFileCode, type ImportReport } from '../import-report.ts';
import { scopedOrganization } from '../appointments.ts';
import { can } from '../permissions.ts';
import { resolveScope, type Scope } from '../scope.ts';
import type { ImportFile } from './source.ts';

export type ImportJobStatus = {
  id: string; state: 'running' | 'done' | 'failed'; total: number; done: number;
  report: ImportReport | null; failure: { code: ImportFileCode | 'access.denied'; params: Record<string, string | number> } | null;
};

/** Stores an upload as a job of the actor's, for an organization of their scope; the caller runs it. */
export async function startImportJob(
  db: Db, scope: Scope, file: ImportFile, options: { organizationId?: string | undefined; sendInvitations: boolean; ip: string | null; rows: number },
): Promise<{ id: string } | { status: 403 | 404 | 429; code: 'access.denied' | 'admin.organization_not_found' | 'error.rate_limited' }> {
  if (!can(scope.role, 'users.import')) return { status: 403, code: 'access.denied' };
  const organization = await scopedOrganization(db, scope, options.organizationId ?? scope.organizationId);
  if (!organization) return { status: 404, code: 'admin.organization_not_found' };
  // One running job per actor: each holds its upload and a long transaction, and jobs run at
  // once, so a loop of large uploads would otherwise start as many as it sends. The actor's lock
  // makes two uploads at once meet here.
  return db.transaction().execute(async (trx) => {
    await lockUntilCommit(trx, `kelid import actor ${scope.accountId}`);
    const running = await trx.selectFrom('import_jobs').select('id').where('actor_account_id', '=', scope.accountId).where('state', '=', 'running').executeTakeFirst();
    if (running) return { status: 429, code: 'error.rate_limited' } as const;
    return trx.insertInto('import_jobs').values({
      actor_account_id: scope.accountId, acting_membership_id: scope.membershipId, organization_id: organization.id, kind: file.kind, file: file.bytes,
      send_invitations: options.sendInvitations, ip: options.ip, state: 'running', total: options.rows,
    }).returning('id').executeTakeFirstOrThrow();
  });
}

export type ImportJobDeps = { db: Db; profile: Profile; today: () => string; now: () => Date };

/**
 * Imports a job's file with its actor's scope as it is now (an appointment that ended since
 * fails the job). A file refused whole fails it with the reason; either way the file is erased.
 * Answers the invitation batch to run, if the import started one.
 */
export async function runImportJob(deps: ImportJobDeps, jobId: string): Promise<string | undefined> {
  const { db } = deps;
  const job = await db.selectFrom('import_jobs').selectAll().where('id', '=', jobId).where('state', '=', 'running').executeTakeFirst();
  if (!job || !job.file) return undefined;
  const scope = job.acting_membership_id === null ? undefined
    : await resolveScope(db, { id: '00000000-0000-0000-0000-000000000000', accountId: job.actor_account_id, membershipId: job.acting_membership_id }, deps.today());
  if (!scope || scope.membershipId !== job.acting_membership_id) return fail(db, jobId, { code: 'access.denied', params: {} });
  try {
    // PGlite answers a bytea as a Uint8Array, PostgreSQL's driver as a Buffer: the same bytes either way.
    const bytes = Buffer.from(job.file.buffer, job.file.byteOffset, job.file.byteLength);
    const report = await importAppointments(db, scope, { kind: job.kind, bytes }, {
      profile: deps.profile, today: deps.today(), organizationId: job.organization_id, ip: job.ip, now: deps.now(), sendInvitations: job.send_invitations,
      // Progress from another connection, never awaited: the import's own transaction is not held up for it.
      onProgress: (done, total) => void db.updateTable('import_jobs').set({ done, total }).where('id', '=', jobId).where('state', '=', 'running').execute().catch(() => undefined),
      job: {
        // The job's lock for the transaction (not its row's: the progress updates write the row meanwhile).
        // The state is read after the lock is held (a new snapshot): a job committed meanwhile reads as done.
        claim: async (trx) => {
          const lock = await sql<{ mine: boolean }>`select pg_try_advisory_xact_lock(hashtextextended(${`kelid import ${jobId}`}, 0)) as mine`.execute(trx);
          if (lock.rows[0]?.mine !== true) return false;
          return (await trx.selectFrom('import_jobs').select('state').where('id', '=', jobId).executeTakeFirst())?.state === 'running';
        },
        finish: async (trx, made) => {
          await trx.updateTable('import_jobs').set({
            state: 'done', report: JSON.stringify(made), file: null, done: made.rows.length, total: made.rows.length, finished_at: deps.now(),
          }).where('id', '=', jobId).execute();
        },
      },
    });
    if (report === 'taken') return undefined;
    if ('status' in report) return fail(db, jobId, { code: 'access.denied', params: {} });
    if (!report.invitations) return undefined;
    // The invitations' batch starts after the import commits: its outcome is added to the report.
    await db.updateTable('import_jobs').set({ report: JSON.stringify(report) }).where('id', '=', jobId).execute();
    return 'batchId' in report.invitations ? report.invitations.batchId : undefined;
  } catch (error) {
    if (error instanceof ImportFileError) return fail(db, jobId, { code: error.code, params: error.params });
    throw error; // left running: resumed at the next start
  }
}

async function fail(db: Db, jobId: string, failure: NonNullable<ImportJobStatus['failure']>): Promise<undefined> {
  await db.updateTable('import_jobs').set({ state: 'failed', failure: JSON.stringify(failure), file: null, finished_at: new Date() })
    .where('id', '=', jobId).where('state', '=', 'running').execute();
  return undefined;
}

/** Jobs a stopped process left running: the caller runs them again. */
export async function unfinishedImportJobs(db: Db): Promise<string[]> {
  return (await db.selectFrom('import_jobs').select('id').where('state', '=', 'running').orderBy('created_at').execute()).map((j) => j.id);
}

/** A job of this actor's (anyone else's answers as one that does not exist). */
export async function importJobStatus(db: Db, scope: Scope, jobId: string): Promise<ImportJobStatus | undefined> {
  if (!isUuid(jobId)) return undefined;
  const job = await db.selectFrom('import_jobs').select(['id', 'state', 'total', 'done', 'report', 'failure'])
    .where('id', '=', jobId).where('actor_account_id', '=', scope.accountId).executeTakeFirst();
  if (!job) return undefined;
  return { ...job, report: (job.report ?? null) as ImportReport | null, failure: (job.failure ?? null) as ImportJobStatus['failure'] };
}

export type ImportJobRunner = { run(jobId: string): void; idle(): Promise<void> };

/** Runs jobs in the background of this process, each once at a time; `idle()` waits for all. */
export function createImportJobRunner(deps: ImportJobDeps, onError: (error: unknown, jobId: string) => void, onInvitations: (batchId: string) => void): ImportJobRunner {
  const running = new Map<string, Promise<void>>();
  return {
    run(jobId) {
      if (running.has(jobId)) return;
      const job = runImportJob(deps, jobId)
        .then((batchId) => { if (batchId) onInvitations(batchId); })
        .catch((error: unknown) => onError(error, jobId))
        .finally(() => running.delete(jobId));
      running.set(jobId, job);
    },
    async idle() {
      while (running.size > 0) await Promise.all(running.values());
    },
  };
}
