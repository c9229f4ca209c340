/**
 * Guardians of a OneRoster file and their children (F25): a guardian's appointment needs a
 * child who is a student of the importer's subtree (made by the same file or before), found
 * through agentSourcedIds read both ways; the pairs become guardianships.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { inSubtree, type Scope } from '../scope.ts';
import type { RowError, UserRow } from './mapping.ts';
import { guardianPairs, type PlannedAppointment } from './plan.ts';
import { chunks } from './sources.ts';
import { quotable } from '../../domain/text.ts';

/** The guardian appointments that have a child (their guardianships inserted); the others are row errors. */
export async function linkGuardians(
  trx: Transaction<Database>, scope: Scope, guardians: readonly PlannedAppointment[], users: readonly UserRow[], people: ReadonlyMap<string, string>,
  report: { errors: RowError[]; notices: RowError[] },
): Promise<PlannedAppointment[]> {
  const { errors, notices } = report;
  if (guardians.length === 0) return [];
  const pairs = guardianPairs(users, guardians).filter((p) => people.has(p.guardian) && people.has(p.child));
  const students = new Set<string>();
  for (const chunk of chunks([...new Set(pairs.map((p) => people.get(p.child)!))])) {
    const rows = await trx.selectFrom('accounts as a').innerJoin('memberships as m', 'm.account_id', 'a.id').innerJoin('organizations as o', 'o.id', 'm.organization_id')
      .select('a.person_id').distinct().where('a.person_id', 'in', chunk).where('m.role', '=', 'student').where(inSubtree(scope, 'o')).execute();
    for (const r of rows) students.add(r.person_id);
  }
  const named = new Set(guardianPairs(users, guardians).map((p) => p.guardian));
  const links = pairs.filter((p) => students.has(people.get(p.child)!) && people.get(p.child) !== people.get(p.guardian));
  const linked = new Set(links.map((p) => p.guardian));
  for (const chunk of chunks(links)) {
    await trx.insertInto('guardianships').values(chunk.map((p) => ({ parent_person_id: people.get(p.guardian)!, child_person_id: people.get(p.child)!, relation: 'guardian' as const })))
      .onConflict((oc) => oc.doNothing()).execute();
  }
  const lines = new Map(users.map((u) => [u.sourcedId, u.line]));
  // A guardian linked to some of the children their own row names, not to all: each one left out is named (a typo in
  // one child's sourcedId must not pass unseen because a brother was found). A notice, not an error: the row was applied,
  // so it counts with what it did, and it holds back no ending (a graduate still listed must not keep a teacher's year).
  const linkedPairs = new Set(links.map((p) => `${p.guardian}|${p.child}`));
  for (const u of users) {
    if (u.deleted || !linked.has(u.sourcedId)) continue;
    const missing = [...new Set(u.agentSourcedIds)].filter((child) => !linkedPairs.has(`${u.sourcedId}|${child}`));
    if (missing.length > 0) notices.push({ file: 'users.csv', line: u.line, field: 'agentSourcedIds', code: 'oneroster.agent_some_not_found', value: quotable(missing.join(', '), 80) });
  }
  return guardians.filter((a) => {
    if (linked.has(a.userSourcedId)) return true;
    // On the guardian's users.csv row; a guardian of an earlier file, named only by a role or enrollment row, on that row.
    const line = lines.get(a.userSourcedId);
    const code = named.has(a.userSourcedId) ? 'oneroster.agent_not_found' : 'oneroster.agent_required';
    errors.push(line === undefined ? { file: a.file, line: a.line, field: 'userSourcedId', code } : { file: 'users.csv', line, field: 'agentSourcedIds', code });
    return false;
  });
}
