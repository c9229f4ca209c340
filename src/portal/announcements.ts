/**
 * The announcements a reader sees (F30): on the home page and `GET /api/v1/announcements`,
 * those published at the organization acted in or at one above it, for the role acted as or
 * for every role, showing today and not withdrawn; on the sign-in page, the public ones (the
 * ministry's: admin/permissions.ts 'announcements.public'). Newest first: the latest start,
 * then the latest published.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { keyedQuery } from '../db/keyed.ts';
import type { Role } from '../db/schema.ts';
import type { IsoDate } from '../domain/iso-date.ts';
import { isUuid } from '../domain/uuid.ts';

export type ShownAnnouncement = {
  id: string; title: string; text: string; organization: { id: string; name: string };
  startsOn: IsoDate; endsOn: IsoDate; public: boolean;
};

/** How many a page or an answer shows at most: a portal's news box, not an archive. */
export const SHOWN_MAX = 20;

function showing(db: Db, today: IsoDate) {
  return db.selectFrom('announcements as a').innerJoin('organizations as o', 'o.id', 'a.organization_id')
    .select(['a.id', 'a.title', 'a.body as text', 'a.starts_on as startsOn', 'a.ends_on as endsOn', 'a.public', 'o.id as organizationId', 'o.name as organizationName'])
    .where('a.withdrawn_at', 'is', null).where('a.starts_on', '<=', today).where('a.ends_on', '>=', today)
    .orderBy('a.starts_on', 'desc').orderBy('a.created_at', 'desc').orderBy('a.id').limit(SHOWN_MAX);
}

type Row = { id: string; title: string; text: string; startsOn: string; endsOn: string; public: boolean; organizationId: string; organizationName: string };
const shown = (rows: Row[]): ShownAnnouncement[] => rows.map(({ organizationId, organizationName, ...rest }) => ({ ...rest, organization: { id: organizationId, name: organizationName } }));

/**
 * Those for a reader acting as `role` at `organizationId` today: published at that
 * organization or an ancestor (its path starts with theirs), for that role or all roles.
 * With no role acted as (none active, none chosen yet), the public ones.
 */
export async function announcementsFor(db: Db, acting: { role: Role; organizationId: string } | null, today: IsoDate): Promise<ShownAnnouncement[]> {
  if (acting === null || !isUuid(acting.organizationId)) return publicAnnouncements(db, today);
  const rows = await showing(db, today)
    // The organization and its ancestors, read from its materialized path: an index lookup
    // per ancestor (announcements_organization), however many announcements the country has.
    .where(sql<boolean>`a.organization_id in (select unnest(string_to_array(trim(both '/' from me.path), '/')::uuid[]) from organizations me where me.id = ${acting.organizationId})`)
    .where(sql<boolean>`(cardinality(a.roles) = 0 or ${acting.role} = any(a.roles))`)
    .execute();
  return shown(rows);
}

/** The public announcements showing today, for everyone (the sign-in page's news box). */
export async function publicAnnouncements(db: Db, today: IsoDate): Promise<ShownAnnouncement[]> {
  return shown((await db.executeQuery(publicQuery(db, today))).rows);
}

/**
 * The public announcements' statement: on every sign-in page, so keyed (db/keyed.ts), planned
 * once per connection. `a.public` is written as it is, not compared with a parameter: a generic
 * plan cannot know a parameter's value, and only the column itself lets it read the partial index
 * of the public ones (announcements_public) instead of every announcement in the country.
 */
export function publicQuery(db: Db, today: IsoDate) {
  return keyedQuery(showing(db, today).where(sql<boolean>`a.public`));
}
