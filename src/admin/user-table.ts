/**
 * The user table of the console (F24): memberships in the actor's subtree, searched by
 * national ID and role, sorted on the server and paged. One row per appointment, as the
 * seed's table shows them (a teacher in two schools is two rows).
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { OrganizationType, Role } from '../db/schema.ts';
import { isIsoDate } from '../domain/iso-date.ts';
import { textProblem } from '../domain/text.ts';
import { isUuid } from '../domain/uuid.ts';
import { ancestorName } from '../identity/memberships.ts';
import { inSubtree, type Scope } from './scope.ts';

export const sortColumns = {
  last_name: sql`p.last_name`, first_name: sql`p.first_name`, national_id: sql`p.national_id`, role: sql`m.role`,
  starts_on: sql`m.starts_on`, ends_on: sql`m.ends_on`, organization: sql`o.name`,
} as const;
export type SortColumn = keyof typeof sortColumns;
export const isSortColumn = (value: string): value is SortColumn => Object.hasOwn(sortColumns, value);

export type UserFilter = {
  nationalId?: string | undefined;
  roles?: readonly Role[] | undefined;
  sort: SortColumn;
  descending: boolean;
  page: number;
  pageSize: number;
  /**
   * Keyset paging: the rows after this one (its sort value and membership id, from the last
   * row of the page before). However deep, the page starts where the index says, not after
   * walking every row before it. Not for sorts on columns that may be empty (those use `page`).
   */
  after?: Cursor | undefined;
};

export type Cursor = { value: string; id: string };

export type UserRow = {
  membershipId: string; accountId: string; firstName: string; lastName: string; nationalId: string | null;
  role: Role; province: string | null; district: string | null; startsOn: string; endsOn: string | null;
  organization: string; organizationType: OrganizationType; approved: boolean;
};

export const PAGE_SIZE = 50;
/** Counting a province's million rows costs more than the page itself: the count stops here. */
export const COUNT_CAP = 10_000;
const nullable = new Set<SortColumn>(['national_id', 'ends_on']);
/** The row field that holds each keyset-able sort column's value. */
const cursorField: Partial<Record<SortColumn, keyof UserRow>> = {
  last_name: 'lastName', first_name: 'firstName', role: 'role', starts_on: 'startsOn', organization: 'organization',
};

const allRoles = [
  'student', 'teacher', 'staff', 'deputy', 'principal', 'father', 'mother', 'guardian',
  'district_admin', 'province_admin', 'ministry_admin', 'university_staff', 'university_student',
] as const satisfies readonly Role[];
// Every role, or a cursor on a new one would be refused: a role missing here does not compile.
const everyRole: [Exclude<Role, (typeof allRoles)[number]>] extends [never] ? true : false = true;
void everyRole;
const storable = (value: string) => textProblem(value) === undefined;

/**
 * Whether a cursor's value can stand where the sort column's values stand. A cursor comes back
 * from the URL, decoded from base64: a date that is not one, a role that is not one, a NUL,
 * would reach PostgreSQL in the keyset condition and be refused there (a 500).
 */
const cursorValueFits: Record<SortColumn, (value: string) => boolean> = {
  last_name: storable, first_name: storable, organization: storable,
  role: (value) => (allRoles as readonly string[]).includes(value),
  starts_on: isIsoDate,
  // No keyset for these (cursorField): the page number is used.
  national_id: () => false, ends_on: () => false,
};

/** The cursor of the page after `rows` (undefined: no keyset for this sort, or no more rows). */
export function nextCursor(rows: readonly UserRow[], filter: Pick<UserFilter, 'sort' | 'pageSize'>): string | undefined {
  const field = cursorField[filter.sort];
  const last = rows.at(-1);
  if (!field || !last || rows.length < filter.pageSize) return undefined;
  return Buffer.from(JSON.stringify([last[field], last.membershipId])).toString('base64url');
}

/**
 * A cursor from a URL for this sort, or undefined for anything malformed or that does not fit
 * the sort's column (then the page number is used).
 */
export function parseCursor(text: unknown, sort: SortColumn): Cursor | undefined {
  if (typeof text !== 'string' || text.length > 600) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== 'string' || typeof value[1] !== 'string') return undefined;
    if (!isUuid(value[1]) || value[0].length > 200 || !cursorValueFits[sort](value[0])) return undefined;
    return { value: value[0], id: value[1] };
  } catch {
    return undefined;
  }
}

function where(scope: Scope, filter: Pick<UserFilter, 'nationalId' | 'roles'>) {
  const conditions = [inSubtree(scope, 'o')];
  if (filter.nationalId) conditions.push(sql<boolean>`p.national_id = ${filter.nationalId}`);
  if (filter.roles && filter.roles.length > 0) conditions.push(sql<boolean>`m.role in (${sql.join(filter.roles.map((r) => sql`${r}`))})`);
  return sql.join(conditions, sql` and `);
}

const from = sql`memberships m join organizations o on o.id = m.organization_id
  join accounts a on a.id = m.account_id join people p on p.id = a.person_id`;

/** A page of the table, and how many rows match (at most COUNT_CAP; `capped` says there are more). */
export async function listUsers(db: Db, scope: Scope, filter: UserFilter): Promise<{ rows: UserRow[]; total: number; capped: boolean }> {
  // "nulls last" only where nulls exist: on a not-null column it would keep the planner from walking an index backwards.
  const direction = filter.descending ? sql`desc` : sql`asc`;
  const order = nullable.has(filter.sort) ? sql`${sortColumns[filter.sort]} ${direction} nulls last, m.id` : sql`${sortColumns[filter.sort]} ${direction}, m.id ${direction}`;
  // Keyset: rows after the cursor, in the same order (the sort value, then the membership id).
  const keyset = filter.after && cursorField[filter.sort] ? (() => {
    const column = sortColumns[filter.sort];
    const beyond = filter.descending ? sql`<` : sql`>`;
    const from = filter.descending ? sql`<=` : sql`>=`;
    // The first condition alone bounds the index scan (an OR would not); the second drops the ties already shown.
    return sql`and ${column} ${from} ${filter.after.value} and (${column} ${beyond} ${filter.after.value} or m.id ${beyond} ${filter.after.id}::uuid)`;
  })() : undefined;
  // A deferred join: the page's ids first (sort keys only), then the columns and the province
  // and district names for those 50 rows alone.
  const rows = await sql<UserRow>`
    with page as (
      select m.id from ${from} where ${where(scope, filter)} ${keyset ?? sql``}
      order by ${order} limit ${filter.pageSize} offset ${keyset ? 0 : (filter.page - 1) * filter.pageSize}
    )
    select m.id as "membershipId", a.id as "accountId", p.first_name as "firstName", p.last_name as "lastName",
      p.national_id as "nationalId", m.role, ${ancestorName('o', 'province')} as province, ${ancestorName('o', 'district')} as district,
      m.starts_on as "startsOn", m.ends_on as "endsOn", o.name as organization, o.type as "organizationType", m.approved
    from page join ${from} on m.id = page.id
    order by ${order}`.execute(db);
  // The count needs people only to filter by national ID; otherwise memberships and the tree suffice (an index-only scan).
  const counted = filter.nationalId
    ? sql`select 1 from ${from} where ${where(scope, filter)} limit ${COUNT_CAP + 1}`
    : sql`select 1 from memberships m join organizations o on o.id = m.organization_id where ${where(scope, filter)} limit ${COUNT_CAP + 1}`;
  const total = await sql<{ n: string }>`select count(*) as n from (${counted}) counted`.execute(db);
  const n = Number(total.rows[0]?.n ?? 0);
  return { rows: rows.rows, total: Math.min(n, COUNT_CAP), capped: n > COUNT_CAP };
}

/**
 * Every row of the table for a filter, in batches of `batch` (keyset on last name: each batch
 * starts where the index says), for exports: the same scope and SQL as the pages, never all
 * rows in memory at once.
 */
export async function* userRowBatches(db: Db, scope: Scope, filter: Pick<UserFilter, 'nationalId' | 'roles'>, batch = 1000): AsyncGenerator<UserRow[]> {
  let after: Cursor | undefined;
  for (;;) {
    const { rows } = await listUsers(db, scope, { ...filter, sort: 'last_name', descending: false, page: 1, pageSize: batch, after });
    if (rows.length > 0) yield rows;
    const last = rows.at(-1);
    if (!last || rows.length < batch) return;
    after = { value: last.lastName, id: last.membershipId };
  }
}

/** Every membership matching a filter (no paging): "select all" of the bulk actions means all of these. */
export async function matchingMemberships(db: Db, scope: Scope, filter: Pick<UserFilter, 'nationalId' | 'roles'>): Promise<{ membershipId: string; accountId: string }[]> {
  const rows = await sql<{ membershipId: string; accountId: string }>`
    select m.id as "membershipId", m.account_id as "accountId" from ${from} where ${where(scope, filter)} order by m.id`.execute(db);
  return rows.rows;
}
