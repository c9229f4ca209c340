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
import { LISTED, type LinkedChild, type OneRosterReport, type PersonOf } from './report.ts';

/**
 * The guardian appointments that have a child (their guardianships inserted); the others are row errors. The report gets
 * the links made (`linked`, `linkedChildren`) and a notice for a parent linked to some of their children, not all.
 */
export async function linkGuardians(
  trx: Transaction<Database>, scope: Scope, guardians: readonly PlannedAppointment[], users: readonly UserRow[], people: ReadonlyMap<string, string>,
  errors: RowError[], report: Pick<OneRosterReport, 'notices' | 'linked' | 'linkedChildren'>,
): Promise<PlannedAppointment[]> {
  const { notices } = report;
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
  const made: { parent_person_id: string; child_person_id: string }[] = [];
  for (const chunk of chunks(links)) {
    made.push(...await trx.insertInto('guardianships').values(chunk.map((p) => ({ parent_person_id: people.get(p.guardian)!, child_person_id: people.get(p.child)!, relation: 'guardian' as const })))
      .onConflict((oc) => oc.doNothing()).returning(['parent_person_id', 'child_person_id']).execute());
  }
  report.linked += made.length;
  report.linkedChildren.push(...(await describeLinks(trx, made)).slice(0, LISTED));
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

/** The links a file made, each parent and child by name and national ID, all of them, by the parent's name (the caller cuts). */
async function describeLinks(trx: Transaction<Database>, made: readonly { parent_person_id: string; child_person_id: string }[]): Promise<LinkedChild[]> {
  if (made.length === 0) return [];
  const named = new Map<string, PersonOf>();
  for (const chunk of chunks([...new Set(made.flatMap((m) => [m.parent_person_id, m.child_person_id]))])) {
    for (const p of await trx.selectFrom('people').select(['id', 'national_id', 'first_name', 'last_name']).where('id', 'in', chunk).execute()) {
      named.set(p.id, { nationalId: p.national_id, firstName: p.first_name, lastName: p.last_name });
    }
  }
  const nameOf = (p: PersonOf) => `${p.lastName} ${p.firstName}`;
  return made.map((m) => ({ parent: named.get(m.parent_person_id)!, child: named.get(m.child_person_id)! }))
    .sort((x, y) => nameOf(x.parent).localeCompare(nameOf(y.parent)) || nameOf(x.child).localeCompare(nameOf(y.child)));
}
