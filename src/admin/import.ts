/**
 * CSV import of a school's users and appointments (issue 5 §7): every row reported as
 * created, existing (skipped) or rejected with its reasons. Set-based, a chunk of rows per
 * statement, in one transaction with its audit event: a 50,000-row file takes seconds, a
 * broken file writes nothing, and the same file imported again changes nothing.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Transaction } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Database, Role } from '../db/schema.ts';
import { nameKey } from '../domain/digits.ts';
import type { Profile } from '../domain/profile.ts';
import { appointmentDefaults } from '../domain/school-year.ts';
import { catalogs } from '../i18n/catalogs.ts';
import { ensureAccounts } from '../identity/accounts.ts';
import { auditRow } from '../identity/audit.ts';
import { lockAppointmentsOfOrganization } from '../identity/memberships.ts';
import { scopedOrganization } from './appointments.ts';
import { startBatch } from './batches.ts';
import type { ImportNotice, ImportReport, RowOutcome } from './import-report.ts';
import { parseImportRow, type ImportRow } from './import-row.ts';
import { importRows, type ImportFile } from './imports/source.ts';
import type { ZipLimits } from './imports/zip-guard.ts';
import { can, consoleRoles, parentRoles, roleFitsLevel, rolesActedOn } from './permissions.ts';
import { actsOnAccount, inSubtree, type Scope } from './scope.ts';
import { clip } from '../domain/text.ts';

const CHUNK = 1000;

/** Role names people write in a spreadsheet, by nameKey: the code, or the role's name in any locale. */
export const roleNames: ReadonlyMap<string, Role> = new Map(consoleRoles.flatMap((role) => [
  [nameKey(role), role] as const,
  ...Object.values(catalogs).flatMap((catalog) => {
    const name = catalog[`role.${role}`];
    return name ? [[nameKey(name), role] as const] : [];
  }),
]));

/**
 * Imports a CSV or XLSX file (imports/source.ts) into the organization (the actor's own, or
 * one of their subtree): every row checked, then the valid ones written in one transaction with
 * the audit event. Throws ImportFileError for a file refused whole (nothing written).
 */
export async function importAppointments(
  db: Db, scope: Scope, file: ImportFile,
  options: {
    profile: Profile; today: string; organizationId?: string | undefined; ip: string | null; now?: Date; sendInvitations?: boolean; zipLimits?: ZipLimits;
    /** A background job's (imports/jobs.ts): rows done of all, after each chunk; never awaited. */
    onProgress?: (done: number, total: number) => void;
    /**
     * A background job's, run in the import's transaction: `claim` first (false: another
     * process has done the job; nothing is written), `finish` last, with the report, so the
     * job ends exactly when its rows are committed.
     */
    job?: { claim(trx: Transaction<Database>): Promise<boolean>; finish(trx: Transaction<Database>, report: ImportReport): Promise<void> };
  },
): Promise<ImportReport | { status: 403 | 404; code: 'access.denied' | 'admin.organization_not_found' } | 'taken'> {
  if (!can(scope.role, 'users.import')) return { status: 403, code: 'access.denied' };
  const organization = await scopedOrganization(db, scope, options.organizationId ?? scope.organizationId);
  if (!organization) return { status: 404, code: 'admin.organization_not_found' };
  const notices: ImportNotice[] = [];
  const records = [];
  for await (const row of importRows(file, notices, options.zipLimits)) records.push(row);
  const defaults = appointmentDefaults(options.profile, organization.type, options.today);
  const outcomes: RowOutcome[] = [];
  const valid: { outcome: RowOutcome; row: ImportRow & { start: string; end: string } }[] = [];
  const seen = new Set<string>();
  for (const { line, record, problems } of records) {
    const parsed = parseImportRow(record, options.profile, roleNames);
    const outcome: RowOutcome = { line, nationalId: parsed.ok ? parsed.row.nationalId : parsed.nationalId ?? clip(record.national_id ?? '', 20), role: parsed.ok ? parsed.row.role : clip(record.role ?? '', 40), outcome: 'rejected', reasons: parsed.ok ? [] : parsed.problems };
    // Unreadable cells first, with their columns (import-report.ts: `fields` index for index).
    if (problems.length > 0) Object.assign(outcome, { reasons: [...problems.map((p) => p.code), ...outcome.reasons], fields: problems.map((p) => p.field) });
    outcomes.push(outcome);
    if (!parsed.ok || problems.length > 0) continue;
    const row = { ...parsed.row, start: parsed.row.start ?? defaults.start, end: parsed.row.end ?? defaults.end };
    if (!rolesActedOn(scope.role).includes(row.role)) outcome.reasons.push('admin.role_not_allowed');
    else if (!roleFitsLevel(row.role, organization.level)) outcome.reasons.push('admin.role_not_here');
    if (row.end < row.start) outcome.reasons.push('admin.end_before_start');
    if (parentRoles.includes(row.role) && !row.childNationalId) outcome.reasons.push('admin.child_required');
    if (!parentRoles.includes(row.role) && row.childNationalId) outcome.reasons.push('import.child_not_for_role');
    const key = `${row.nationalId}|${row.role}`;
    if (outcome.reasons.length === 0 && seen.has(key)) outcome.reasons.push('import.duplicate_row');
    seen.add(key);
    if (outcome.reasons.length === 0) valid.push({ outcome, row });
  }
  // Students and staff first, parents in chunks of their own afterwards: a parent's child may be created by the same file.
  const isParent = (v: (typeof valid)[number]) => parentRoles.includes(v.row.role);
  const chunks = [valid.filter((v) => !isParent(v)), valid.filter(isParent)]
    .flatMap((list) => Array.from({ length: Math.ceil(list.length / CHUNK) }, (_, i) => list.slice(i * CHUNK, (i + 1) * CHUNK)));

  const imported = new Set<string>();
  let done = outcomes.length - valid.length;
  const report = await db.transaction().execute(async (trx) => {
    if (options.job && !(await options.job.claim(trx))) return 'taken' as const;
    // The same file sent twice at once (a double submit) finds the first one's appointments.
    await lockAppointmentsOfOrganization(trx, organization.id, 'exclusive');
    for (const chunk of chunks) {
      done += chunk.length;
      options.onProgress?.(done, outcomes.length);
      const people = new Map((await trx.selectFrom('people').select(['id', 'national_id']).where('national_id', 'in', [...new Set(chunk.map((c) => c.row.nationalId))]).execute())
        .map((p) => [p.national_id!, p.id]));
      const childIds = [...new Set(chunk.flatMap((c) => (c.row.childNationalId ? [c.row.childNationalId] : [])))];
      const children = new Map(childIds.length === 0 ? [] : (await trx.selectFrom('people as p').innerJoin('accounts as a', 'a.person_id', 'p.id')
        .innerJoin('memberships as m', 'm.account_id', 'a.id').innerJoin('organizations as o', 'o.id', 'm.organization_id')
        .select(['p.national_id', 'p.id']).distinct().where('p.national_id', 'in', childIds).where('m.role', '=', 'student').where(inSubtree(scope, 'o')).execute())
        .map((p) => [p.national_id!, p.id]));
      const ready = chunk.filter(({ outcome, row }) => {
        if (!people.has(row.nationalId)) outcome.reasons.push('registry.not_found');
        else if (row.childNationalId && (!children.has(row.childNationalId) || children.get(row.childNationalId) === people.get(row.nationalId))) outcome.reasons.push('admin.child_not_found');
        return outcome.reasons.length === 0;
      });
      if (ready.length === 0) continue;
      const personIds = [...new Set(ready.map((r) => people.get(r.row.nationalId)!))];
      const { accounts } = await ensureAccounts(trx, personIds);
      const values = ready.map((r) => ({ account: accounts.get(people.get(r.row.nationalId)!)!, ...r }));
      const inserted = await sql<{ account_id: string; role: string }>`
        insert into memberships (account_id, organization_id, role, starts_on, ends_on)
        select v.account_id, ${organization.id}::uuid, v.role, v.starts_on, v.ends_on
        from unnest(${values.map((v) => v.account)}::uuid[], ${values.map((v) => v.row.role)}::text[], ${values.map((v) => v.row.start)}::date[], ${values.map((v) => v.row.end)}::date[])
          as v(account_id, role, starts_on, ends_on)
        where not exists (select 1 from memberships m where m.account_id = v.account_id and m.organization_id = ${organization.id}::uuid
          and m.role = v.role and m.starts_on <= v.ends_on and (m.ends_on is null or m.ends_on >= v.starts_on))
        returning account_id, role`.execute(trx);
      // An address from the school's file, for people with none on record (never replacing one
      // its owner gave) and wholly the importer's (actsOnAccount: a teacher who also works at
      // another school is not this principal's to give an address to, which a wider
      // administrator's set-password link would then trust); unproven until a link sent to it is used.
      const emails = values.filter((v) => v.row.email !== undefined);
      if (emails.length > 0) {
        await sql`update accounts a set email = v.email, email_verified_at = null
          from unnest(${emails.map((v) => v.account)}::uuid[], ${emails.map((v) => v.row.email!)}::text[]) as v(account_id, email)
          where a.id = v.account_id and a.email is null and ${actsOnAccount(scope, sql.ref('a.id'))}`.execute(trx);
      }
      for (const v of values) imported.add(v.account);
      const created = new Set(inserted.rows.map((r) => `${r.account_id}|${r.role}`));
      for (const v of values) v.outcome.outcome = created.has(`${v.account}|${v.row.role}`) ? 'created' : 'existing';
      const links = values.filter((v) => v.row.childNationalId).map((v) => ({
        parent_person_id: people.get(v.row.nationalId)!, child_person_id: children.get(v.row.childNationalId!)!, relation: v.row.role as 'father' | 'mother' | 'guardian',
      }));
      if (links.length > 0) await trx.insertInto('guardianships').values(links).onConflict((oc) => oc.doNothing()).execute();
    }
    const counts = { created: outcomes.filter((o) => o.outcome === 'created').length, existing: outcomes.filter((o) => o.outcome === 'existing').length, rejected: outcomes.filter((o) => o.outcome === 'rejected').length };
    await trx.insertInto('audit_events').values(auditRow({
      type: 'admin.imported', actorAccountId: scope.accountId, actingMembershipId: scope.membershipId, ip: options.ip, data: { ...counts, organizationId: organization.id },
    })).execute();
    const made: ImportReport = { ...counts, updated: 0, rows: outcomes, notices };
    await options.job?.finish(trx, made);
    return made;
  });
  if (report === 'taken') return report;
  if (options.sendInvitations) report.invitations = await inviteImported(db, scope, [...imported], { ip: options.ip, now: options.now ?? new Date() });
  return report;
}

/**
 * Set-password links (F19) for the people of the file who have an address on record, as a
 * bulk invitation (batches.ts): the caller runs it. People without one are left out, not
 * counted as skipped: a file of pupils and parents invites the parents.
 */
async function inviteImported(db: Db, scope: Scope, accountIds: string[], context: { ip: string | null; now: Date }): Promise<NonNullable<ImportReport['invitations']>> {
  const reachable = accountIds.length === 0 ? [] : (await db.selectFrom('accounts').select('id').where('id', 'in', accountIds).where('email', 'is not', null).execute()).map((a) => a.id);
  const started = await startBatch(db, scope, { accountIds: reachable, requestKey: randomUUID(), ip: context.ip, now: context.now, kind: 'invitations' });
  if ('status' in started) return { refused: started.code };
  return { batchId: started.batch.id, total: started.batch.total };
}
