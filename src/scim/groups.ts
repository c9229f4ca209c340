/**
 * SCIM Groups (RFC 7643 §4.2): the schools of the client's subtree, read-only. `id` is the
 * organization's id (the `organization` of an appointment), `displayName` its name,
 * `externalId` its ministry code, and `members` the Users with an appointment that holds
 * there today. Kelid has no classes (a student's grade is all it keeps), so there are no
 * class Groups.
 */
import { sql } from 'kysely';
import { normalizeText } from '../domain/digits.ts';
import { isUuid } from '../domain/uuid.ts';
import { holdsToday, inSubtree, type ScimContext } from './context.ts';
import { filterCondition, sortExpression, type Attribute, type Whitelist } from './filter.ts';
import { versionOf, type Page } from './users.ts';

export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';

export type ScimGroup = {
  schemas: string[];
  id: string;
  externalId?: string;
  displayName: string;
  members?: { value: string; $ref: string; display: string; type: 'User' }[];
  meta: { resourceType: 'Group'; created: string; lastModified: string; location: string; version: string };
};

/** The attributes a Groups filter and sortBy may name, over `organizations o`. */
export const groupAttributes: Whitelist = new Map<string, Attribute>([
  ['id', { type: 'id', expression: sql`o.id` }],
  ['displayname', { type: 'string', expression: sql`o.name`, normalize: normalizeText }],
  ['externalid', { type: 'string', expression: sql`o.code`, caseExact: true }],
  ['meta.created', { type: 'dateTime', expression: sql`o.created_at` }],
]);

type Row = { id: string; name: string; code: string | null; createdAt: Date };

async function resources(c: ScimContext, rows: Row[], withMembers: boolean): Promise<ScimGroup[]> {
  const members = new Map<string, NonNullable<ScimGroup['members']>>();
  if (withMembers && rows.length > 0) {
    const found = await sql<{ organizationId: string; accountId: string; display: string }>`
      select distinct m.organization_id as "organizationId", a.id as "accountId", p.first_name || ' ' || p.last_name as display
      from memberships m join accounts a on a.id = m.account_id join people p on p.id = a.person_id
      where m.organization_id = any(${rows.map((r) => r.id)}::uuid[]) and m.deprovisioned_at is null and ${holdsToday(c, 'm')}
      order by display, "accountId"`.execute(c.db);
    for (const m of found.rows) {
      const list = members.get(m.organizationId) ?? [];
      list.push({ value: m.accountId, $ref: `${c.baseUrl}/Users/${m.accountId}`, display: m.display, type: 'User' });
      members.set(m.organizationId, list);
    }
  }
  return rows.map((row) => {
    const group: ScimGroup = {
      schemas: [GROUP_SCHEMA], id: row.id, ...(row.code === null ? {} : { externalId: row.code }), displayName: row.name,
      ...(withMembers ? { members: members.get(row.id) ?? [] } : {}),
      meta: { resourceType: 'Group', created: row.createdAt.toISOString(), lastModified: row.createdAt.toISOString(), location: `${c.baseUrl}/Groups/${row.id}`, version: '' },
    };
    group.meta.version = versionOf(group);
    return group;
  });
}

const from = (c: ScimContext) => sql`from organizations o where o.level = 'school' and ${inSubtree(c, 'o')}`;
const selected = sql`o.id, o.name, o.code, o.created_at as "createdAt"`;

/** One school of the subtree, or undefined (outside it: the same as none). */
export async function findGroup(c: ScimContext, id: string, withMembers = true): Promise<ScimGroup | undefined> {
  if (!isUuid(id)) return undefined;
  const rows = await sql<Row>`select ${selected} ${from(c)} and o.id = ${id}::uuid`.execute(c.db);
  return (await resources(c, rows.rows, withMembers))[0];
}

/** A page of the subtree's schools (RFC 7644 §3.4.2), as listUsers; `withMembers: false` for `excludedAttributes=members`. */
export async function listGroups(c: ScimContext, page: Page, withMembers: boolean): Promise<{ totalResults: number; resources: ScimGroup[] }> {
  const condition = page.filter === undefined ? sql<boolean>`true` : filterCondition(page.filter, groupAttributes);
  const order = page.sortBy === undefined ? sql`o.id` : sql`${sortExpression(page.sortBy, groupAttributes)} ${sql.raw(page.descending ? 'desc' : 'asc')} nulls last, o.id`;
  const total = await sql<{ n: string }>`select count(*) as n ${from(c)} and ${condition}`.execute(c.db);
  const totalResults = Number(total.rows[0]?.n ?? 0);
  if (page.count === 0 || page.startIndex > totalResults) return { totalResults, resources: [] };
  const rows = await sql<Row>`select ${selected} ${from(c)} and ${condition} order by ${order} limit ${page.count} offset ${page.startIndex - 1}`.execute(c.db);
  return { totalResults, resources: await resources(c, rows.rows, withMembers) };
}
