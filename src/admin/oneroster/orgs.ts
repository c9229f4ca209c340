/**
 * orgs.csv → organizations of the importer's subtree. An org is, in this order:
 *   1. one this importer mapped before (its sourcedId in oneroster_sources, still in the subtree);
 *   2. an existing organization of the subtree named by the file: its sourcedId is the
 *      organization's Kelid id, or its identifier is the organization's code (a parentSourcedId,
 *      a user's orgSourcedIds or an enrollment's schoolSourcedId may also be a Kelid id);
 *   3. a new organization under its parentSourcedId, which must be resolved by 1–3 and be
 *      exactly one level up (ministry → province → district → school).
 * A row that names an organization above the importer's (by Kelid id, or by code at that
 * organization's level: a school's export lists its district and province too) is left as it
 * is and counted unchanged, as are the rows the importer's own row names as its parent, that
 * one's parent, and so on (the district and province by the school system's ids): never
 * resolved, so nothing can be created under them. They, and any other reference to such an
 * organization (a user's orgSourcedIds naming the district by its Kelid id), are answered in
 * `above`, for the plan to take as context. A row under one of those that is not the
 * importer's own (a neighbouring school in a district-wide export a principal uploads, and what
 * hangs from it) is the row error `org_beside`, which says so (a trial's principal was told to
 * name their own school, which they had), as are the rows at it. Anything else (a parent
 * outside the subtree or unknown, a cycle) is the row error `org_outside_scope`. A row in error
 * writes nothing. Existing organizations keep their Kelid
 * names; those the import created follow the file.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Transaction } from 'kysely';
import type { Database, OrganizationLevel } from '../../db/schema.ts';
import { isUuid } from '../../domain/uuid.ts';
import { inSubtree, type Scope } from '../scope.ts';
import { PARENT_LEVEL, type OrgRow, type RowCode, type RowError } from './mapping.ts';
import { chunks, readSources, writeSources, type Source } from './sources.ts';

export type ResolvedOrg = { id: string; level: OrganizationLevel; path: string };
export type OrgCounts = { created: number; updated: number; unchanged: number };
type Trx = Transaction<Database>;

/** Existing organizations: the anchor mapping's hash, so a later name in the file never renames them. */
const ANCHORED = 'anchored';

export async function resolveOrgs(trx: Trx, scope: Scope, rows: readonly OrgRow[], referenced: readonly string[], errors: RowError[]) {
  const importer = scope.organizationId;
  const ids = [...new Set([...rows.map((r) => r.sourcedId), ...referenced])];
  const mapped = new Map<string, ResolvedOrg & { hash: string }>();
  for (const chunk of chunks(ids)) {
    const sources = await readSources(trx, importer, 'org', chunk);
    if (sources.size === 0) continue;
    const orgs = await trx.selectFrom('organizations as o').select(['o.id', 'o.level', 'o.path'])
      .where('o.id', 'in', [...new Set([...sources.values()].map((s) => s.entityId))]).where(inSubtree(scope, 'o')).execute();
    const byId = new Map(orgs.map((o) => [o.id, o]));
    for (const s of sources.values()) {
      const org = byId.get(s.entityId);
      if (org) mapped.set(s.sourcedId, { ...org, hash: s.hash });
    }
  }
  const unmapped = rows.filter((r) => !mapped.has(r.sourcedId));
  // A Kelid id may stand for an organization anywhere the file names one: an org's own sourcedId, its parent, a user's or enrollment's org.
  const uuids = [...new Set([...ids, ...rows.flatMap((r) => (r.parentSourcedId ? [r.parentSourcedId] : []))])].filter((id) => !mapped.has(id) && isUuid(id));
  const codes = unmapped.flatMap((r) => (r.identifier ? [r.identifier] : []));
  const anchors = uuids.length + codes.length === 0 ? [] : await trx.selectFrom('organizations as o').select(['o.id', 'o.level', 'o.path', 'o.code'])
    .where(inSubtree(scope, 'o'))
    .where((eb) => eb.or([sql<boolean>`o.id::text = any(${uuids}::text[])`, sql<boolean>`o.code = any(${codes}::text[])`])).execute();
  const anchorById = new Map(anchors.map((a) => [a.id, a]));
  const anchorByCode = new Map(anchors.flatMap((a) => (a.code ? [[a.code, a] as const] : [])));

  const isAncestor = await aboveImporter(trx, scope);
  // The file's own chain above the importer's row: the parent it names, that one's parent… (a
  // school system's ids for the district and province, which Kelid does not know).
  const byId = new Map(rows.map((r) => [r.sourcedId, r]));
  const chain = new Set<string>();
  const own = rows.find((r) => (mapped.get(r.sourcedId) ?? anchorById.get(r.sourcedId) ?? (r.identifier ? anchorByCode.get(r.identifier) : undefined))?.id === scope.organizationId);
  for (let up = own?.parentSourcedId; up !== undefined && byId.has(up) && !chain.has(up) && up !== own?.sourcedId; up = byId.get(up)!.parentSourcedId) chain.add(up);
  const isAbove = (row: Pick<OrgRow, 'sourcedId'> & Partial<Pick<OrgRow, 'identifier' | 'level'>>) => chain.has(row.sourcedId) || isAncestor(row);
  const above = new Set(ids.filter((id) => isAbove({ sourcedId: id })));
  const inFile = new Set(rows.map((r) => r.sourcedId));
  const resolved = new Map<string, ResolvedOrg>(mapped);
  for (const anchor of anchors) if (!inFile.has(anchor.id)) resolved.set(anchor.id, anchor);
  const failed = new Map<string, RowCode>();
  const counts: OrgCounts = { created: 0, updated: 0, unchanged: 0 };
  const created: (ResolvedOrg & { parentId: string; name: string })[] = [];
  const renamed: { id: string; name: string }[] = [];
  const newSources: Source[] = [];
  const fail = (row: OrgRow, field: string, code: RowCode) => { failed.set(row.sourcedId, code); errors.push({ file: 'orgs.csv', line: row.line, field, code }); };

  let pending = [...rows];
  for (let progress = true; progress && pending.length > 0;) {
    progress = false;
    const waiting: OrgRow[] = [];
    for (const row of pending) {
      const known = mapped.get(row.sourcedId);
      const anchor = known ? undefined : anchorById.get(row.sourcedId) ?? (row.identifier ? anchorByCode.get(row.identifier) : undefined);
      const parent = row.parentSourcedId === undefined ? undefined : resolved.get(row.parentSourcedId);
      if (known) {
        if (known.hash === ANCHORED || known.hash === row.hash) counts.unchanged++;
        else { renamed.push({ id: known.id, name: row.name }); newSources.push({ sourcedId: row.sourcedId, entityId: known.id, hash: row.hash }); counts.updated++; }
      } else if (anchor) {
        if (anchor.level !== row.level) { fail(row, 'type', 'oneroster.org_level'); progress = true; continue; }
        resolved.set(row.sourcedId, anchor);
        newSources.push({ sourcedId: row.sourcedId, entityId: anchor.id, hash: ANCHORED });
        counts.unchanged++;
      } else if (isAbove(row)) {
        above.add(row.sourcedId);
        counts.unchanged++;
      } else if (row.parentSourcedId !== undefined && above.has(row.parentSourcedId)) {
        fail(row, 'parentSourcedId', 'oneroster.org_beside');
      } else if (parent) {
        if (PARENT_LEVEL[row.level] !== parent.level) { fail(row, 'parentSourcedId', 'oneroster.org_level'); progress = true; continue; }
        const id = randomUUID();
        const org = { id, level: row.level, path: `${parent.path}${id}/`, parentId: parent.id, name: row.name };
        created.push(org);
        resolved.set(row.sourcedId, org);
        newSources.push({ sourcedId: row.sourcedId, entityId: id, hash: row.hash });
        counts.created++;
      } else if (row.parentSourcedId !== undefined && failed.has(row.parentSourcedId)) {
        fail(row, 'parentSourcedId', failed.get(row.parentSourcedId)!);
      } else {
        waiting.push(row);
        continue;
      }
      progress = true;
    }
    pending = waiting;
  }
  // What is left hangs from nothing the importer holds: a parent outside the subtree, unknown, or a cycle.
  for (const row of pending) fail(row, 'parentSourcedId', 'oneroster.org_outside_scope');

  for (const chunk of chunks(created)) {
    await trx.insertInto('organizations').values(chunk.map((o) => ({
      id: o.id, parent_id: o.parentId, level: o.level, type: o.level === 'school' ? 'public' as const : o.level, name: o.name, path: o.path,
    }))).execute();
  }
  for (const r of renamed) await trx.updateTable('organizations').set({ name: r.name }).where('id', '=', r.id).execute();
  for (const chunk of chunks(newSources)) await writeSources(trx, importer, 'org', chunk);
  return { resolved, failed, counts, above };
}

/**
 * Whether a row (or a bare sourcedId) names one of the organizations above the importer's (its
 * ancestors, from the scope's materialized path): its sourcedId being one's Kelid id, or its
 * identifier one's code at that one's level (a new school's row that reuses the province's code
 * is a school, not the province).
 */
async function aboveImporter(trx: Trx, scope: Scope): Promise<(row: Pick<OrgRow, 'sourcedId'> & Partial<Pick<OrgRow, 'identifier' | 'level'>>) => boolean> {
  const ancestors = scope.path.split('/').filter((id) => id !== '' && id !== scope.organizationId);
  if (ancestors.length === 0) return () => false;
  const found = await trx.selectFrom('organizations').select(['id', 'code', 'level']).where('id', 'in', ancestors).execute();
  const ids = new Set(found.map((o) => o.id));
  const codes = new Map(found.flatMap((o) => (o.code ? [[o.code, o.level] as const] : [])));
  return (row) => ids.has(row.sourcedId) || (row.identifier !== undefined && row.level !== undefined && codes.get(row.identifier) === row.level);
}
