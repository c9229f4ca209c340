/**
 * SCIM Users (RFC 7643 §4.1) read from Kelid: a User is an account with an appointment in the
 * client's subtree (context.ts inView). `id` is the account's id, `userName` the national ID
 * (a non-citizen's passport as `passport:<country>:<number>`), `name` the civil registry's
 * (read-only), `emails` and `phoneNumbers` the account's one address and mobile, `active`
 * whether an appointment in the subtree holds today, and Kelid's extension lists those
 * appointments. Nothing outside the subtree is read: appointments elsewhere are not shown.
 */
import { createHash } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import type { Role } from '../db/schema.ts';
import { normalizeDigitString, normalizeText } from '../domain/digits.ts';
import { isUuid } from '../domain/uuid.ts';
import { parseMobile } from '../domain/phone.ts';
import { activeHere, inSubtree, inView, type ScimContext } from './context.ts';
import { filterCondition, sortExpression, type Attribute, type Whitelist } from './filter.ts';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const KELID_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:kelid:2.0:User';
export const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

/** One appointment as the extension shows it; `value` is its id (read-only), the rest fixed once made. */
export type ScimAppointment = { value?: string; role: Role; organization: string; startsOn: string; endsOn: string | null };

export type ScimUser = {
  schemas: string[];
  id: string;
  externalId?: string;
  userName: string;
  name: { givenName: string; familyName: string; formatted: string };
  displayName: string;
  emails?: { value: string; type: 'work'; primary: true }[];
  phoneNumbers?: { value: string; type: 'mobile'; primary: true }[];
  active: boolean;
  [KELID_USER_SCHEMA]: { appointments: ScimAppointment[] };
  meta: { resourceType: 'User'; created: string; lastModified: string; location: string; version: string };
};

const userName = sql<string>`coalesce(p.national_id, 'passport:' || p.passport_country || ':' || p.passport_number)`;
const fullName = sql<string>`(p.first_name || ' ' || p.last_name)`;
const mobileValue = (profile: ScimContext['profile']) => (value: string) => {
  const parsed = parseMobile(value, profile);
  return parsed.ok ? parsed.value : value;
};

/** The attributes a Users filter and sortBy may name (filter.ts), over `accounts a`, `people p`, `scim_external_ids x`. */
export function userAttributes(c: ScimContext): Whitelist {
  const name = (expression: RawBuilder<unknown>): Attribute => ({ type: 'string', expression, normalize: normalizeText });
  const email: Attribute = { type: 'string', expression: sql`a.email` };
  const mobile: Attribute = { type: 'string', expression: sql`a.mobile`, caseExact: true, normalize: mobileValue(c.profile) };
  return new Map<string, Attribute>([
    ['id', { type: 'id', expression: sql`a.id` }],
    ['externalid', { type: 'string', expression: sql`x.external_id`, caseExact: true }],
    ['username', { type: 'string', expression: userName, normalize: normalizeDigitString }],
    ['name.givenname', name(sql`p.first_name`)],
    ['name.familyname', name(sql`p.last_name`)],
    ['name.formatted', name(fullName)],
    ['displayname', name(fullName)],
    ['emails', email], ['emails.value', email],
    ['emails.type', { type: 'string', expression: sql`case when a.email is not null then 'work' end` }],
    ['emails.primary', { type: 'boolean', expression: sql`case when a.email is not null then true end` }],
    ['phonenumbers', mobile], ['phonenumbers.value', mobile],
    ['phonenumbers.type', { type: 'string', expression: sql`case when a.mobile is not null then 'mobile' end` }],
    ['active', { type: 'boolean', expression: activeHere(c, sql`a.id`, sql`a.status`) }],
    ['meta.created', { type: 'dateTime', expression: sql`a.created_at` }],
  ]);
}

type Row = {
  id: string; userName: string; externalId: string | null; firstName: string; lastName: string;
  email: string | null; mobile: string | null; active: boolean; createdAt: Date;
};

const from = (c: ScimContext) => sql`from accounts a join people p on p.id = a.person_id
  left join scim_external_ids x on x.account_id = a.id and x.client_id = ${c.clientId}`;

const selected = (c: ScimContext) => sql`a.id, ${userName} as "userName", x.external_id as "externalId", p.first_name as "firstName",
  p.last_name as "lastName", a.email, a.mobile, ${activeHere(c, sql`a.id`, sql`a.status`)} as active, a.created_at as "createdAt"`;

/** The weak ETag of a representation (RFC 7644 §3.14): a hash of everything but `meta`. */
export function versionOf(resource: object): string {
  const { meta: _meta, ...content } = resource as { meta?: unknown };
  return `W/"${createHash('sha256').update(JSON.stringify(content)).digest('base64url').slice(0, 22)}"`;
}

/** The Users of the rows, with their appointments in the subtree and when each last changed. */
async function resources(c: ScimContext, rows: Row[]): Promise<ScimUser[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const appointments = await sql<{ accountId: string; value: string; role: Role; organization: string; startsOn: string; endsOn: string | null; createdAt: Date }>`
    select m.account_id as "accountId", m.id as value, m.role, m.organization_id as organization, m.starts_on::text as "startsOn",
      m.ends_on::text as "endsOn", m.created_at as "createdAt"
    from memberships m join organizations o on o.id = m.organization_id
    where m.account_id = any(${ids}::uuid[]) and m.deprovisioned_at is null and ${inSubtree(c, 'o')}
    order by m.starts_on, m.id`.execute(c.db);
  const changed = await sql<{ accountId: string; at: Date }>`
    select subject_account_id as "accountId", max(at) as at from audit_events
    where subject_account_id = any(${ids}::uuid[]) group by subject_account_id`.execute(c.db);
  const changedAt = new Map(changed.rows.map((r) => [r.accountId, r.at]));
  return rows.map((row) => {
    const own = appointments.rows.filter((a) => a.accountId === row.id);
    const times = [row.createdAt, ...own.map((a) => a.createdAt), changedAt.get(row.id)].filter((t): t is Date => t instanceof Date);
    const lastModified = new Date(Math.max(...times.map((t) => t.getTime())));
    const user: ScimUser = {
      schemas: [USER_SCHEMA, KELID_USER_SCHEMA],
      id: row.id,
      ...(row.externalId === null ? {} : { externalId: row.externalId }),
      userName: row.userName,
      name: { givenName: row.firstName, familyName: row.lastName, formatted: `${row.firstName} ${row.lastName}` },
      displayName: `${row.firstName} ${row.lastName}`,
      ...(row.email === null ? {} : { emails: [{ value: row.email, type: 'work' as const, primary: true as const }] }),
      ...(row.mobile === null ? {} : { phoneNumbers: [{ value: row.mobile, type: 'mobile' as const, primary: true as const }] }),
      active: row.active,
      [KELID_USER_SCHEMA]: { appointments: own.map(({ value, role, organization, startsOn, endsOn }) => ({ value, role, organization, startsOn, endsOn })) },
      meta: { resourceType: 'User', created: row.createdAt.toISOString(), lastModified: lastModified.toISOString(), location: `${c.baseUrl}/Users/${row.id}`, version: '' },
    };
    user.meta.version = versionOf(user);
    return user;
  });
}

/** One User of the client's view, or undefined (unknown, or outside the subtree: the same). */
export async function findUser(c: ScimContext, id: string): Promise<ScimUser | undefined> {
  if (!isUuid(id)) return undefined;
  const rows = await sql<Row>`select ${selected(c)} ${from(c)} where a.id = ${id}::uuid and ${inView(c, sql`a.id`)}`.execute(c.db);
  return (await resources(c, rows.rows))[0];
}

export type Page = { startIndex: number; count: number; filter?: string | undefined; sortBy?: string | undefined; descending: boolean };

/**
 * A page of the client's Users (RFC 7644 §3.4.2): filtered (filter.ts; invalidFilter as a
 * ScimError), sorted (by `sortBy`, then by id, so pages never overlap), `startIndex` 1-based.
 */
export async function listUsers(c: ScimContext, page: Page): Promise<{ totalResults: number; resources: ScimUser[] }> {
  const whitelist = userAttributes(c);
  const condition = page.filter === undefined ? sql<boolean>`true` : filterCondition(page.filter, whitelist);
  const direction = sql.raw(page.descending ? 'desc' : 'asc');
  const order = page.sortBy === undefined ? sql`a.id` : sql`${sortExpression(page.sortBy, whitelist)} ${direction} nulls last, a.id`;
  const where = sql`where ${inView(c, sql`a.id`)} and ${condition}`;
  const total = await sql<{ n: string }>`select count(*) as n ${from(c)} ${where}`.execute(c.db);
  const totalResults = Number(total.rows[0]?.n ?? 0);
  if (page.count === 0 || page.startIndex > totalResults) return { totalResults, resources: [] };
  const rows = await sql<Row>`select ${selected(c)} ${from(c)} ${where} order by ${order}
    limit ${page.count} offset ${page.startIndex - 1}`.execute(c.db);
  return { totalResults, resources: await resources(c, rows.rows) };
}
