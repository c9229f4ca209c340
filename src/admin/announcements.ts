/**
 * Announcements in the console (F30): an admin publishes at the organization of the
 * appointment acted in, or at one inside its subtree, for chosen roles or all, for a period;
 * lists, edits and withdraws those published in the subtree. Every query is scoped in SQL
 * (`inSubtree`): an announcement or organization outside answers exactly like one that does
 * not exist. Each change and its audit event commit in one transaction.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Role } from '../db/schema.ts';
import { MAX_DAYS, normalizeText, normalizeTitle, showingPeriod, TEXT_MAX, TITLE_MAX, type AnnouncementError } from '../domain/announcement.ts';
import type { IsoDate } from '../domain/iso-date.ts';
import { isUuid } from '../domain/uuid.ts';
import { auditRow } from '../identity/audit.ts';
import { can, consoleRoles } from './permissions.ts';
import { inSubtree, type Scope } from './scope.ts';

/** What a publisher sends: the text as typed, dates already read from the API's or the form's format. */
export type AnnouncementInput = {
  title: string; text: string; roles: readonly string[];
  startsOn: IsoDate | undefined; endsOn: IsoDate | undefined;
  public: boolean; organizationId: string | undefined;
};

export type AnnouncementRefusal = {
  status: 403 | 404 | 409 | 422;
  code: AnnouncementError | 'access.denied' | 'announcement.not_found' | 'admin.organization_not_found' | 'announcement.role_unknown'
    | 'announcement.public_not_allowed' | 'announcement.public_for_everyone' | 'announcement.withdrawn';
  field?: string;
  params?: Record<string, number>;
};

export type Announcement = {
  id: string; title: string; text: string; organization: { id: string; name: string };
  roles: Role[]; startsOn: IsoDate; endsOn: IsoDate; public: boolean; withdrawnAt: Date | null; createdAt: Date;
};

const isAudienceRole = (role: string): role is Role => (consoleRoles as readonly string[]).includes(role);

// The numbers the refusals' words name.
const limits: Partial<Record<AnnouncementError, Record<string, number>>> = {
  'announcement.title_too_long': { max: TITLE_MAX }, 'announcement.text_too_long': { max: TEXT_MAX }, 'announcement.too_long_period': { days: MAX_DAYS },
};
const invalid = (code: AnnouncementError, field: string): AnnouncementRefusal => ({ status: 422, code, field, ...(limits[code] ? { params: limits[code] } : {}) });

type Checked = { title: string; body: string; roles: Role[]; starts_on: IsoDate; ends_on: IsoDate; public: boolean; organizationId: string };

/** The input as it will be stored, or the first thing wrong with it (by field, in form order). */
async function checkInput(db: Db, scope: Scope, input: AnnouncementInput, today: IsoDate): Promise<Checked | AnnouncementRefusal> {
  if (!can(scope.role, 'announcements.publish')) return { status: 403, code: 'access.denied' };
  const title = normalizeTitle(input.title);
  if (!title.ok) return invalid(title.code, 'title');
  const text = normalizeText(input.text);
  if (!text.ok) return invalid(text.code, 'text');
  const unknown = input.roles.find((role) => !isAudienceRole(role));
  if (unknown !== undefined) return { status: 422, code: 'announcement.role_unknown', field: 'roles' };
  const roles = [...new Set(input.roles as readonly Role[])];
  const period = showingPeriod({ startsOn: input.startsOn, endsOn: input.endsOn }, today);
  if (!period.ok) return invalid(period.code, 'endsOn');
  if (input.public) {
    if (!can(scope.role, 'announcements.public')) return { status: 403, code: 'announcement.public_not_allowed', field: 'public' };
    // The sign-in page is for everyone: a public announcement is the ministry's, to every role.
    if (roles.length > 0) return { status: 422, code: 'announcement.public_for_everyone', field: 'roles' };
    if (input.organizationId !== undefined && input.organizationId !== scope.organizationId) return { status: 422, code: 'announcement.public_for_everyone', field: 'organizationId' };
  }
  const organizationId = input.organizationId ?? scope.organizationId;
  if (!isUuid(organizationId)) return { status: 404, code: 'admin.organization_not_found', field: 'organizationId' };
  const organization = await db.selectFrom('organizations as o').select('o.id').where('o.id', '=', organizationId).where(inSubtree(scope, 'o')).executeTakeFirst();
  if (!organization) return { status: 404, code: 'admin.organization_not_found', field: 'organizationId' };
  return { title: title.value, body: text.value, roles, starts_on: period.value.startsOn, ends_on: period.value.endsOn, public: input.public, organizationId };
}

const columns = [
  'a.id', 'a.title', 'a.body', 'a.roles', 'a.starts_on', 'a.ends_on', 'a.public', 'a.withdrawn_at', 'a.created_at', 'o.id as organization_id', 'o.name as organization_name',
] as const;

type Row = { id: string; title: string; body: string; roles: Role[]; starts_on: string; ends_on: string; public: boolean; withdrawn_at: Date | null; created_at: Date; organization_id: string; organization_name: string };

export const announcementOf = (row: Row): Announcement => ({
  id: row.id, title: row.title, text: row.body, organization: { id: row.organization_id, name: row.organization_name }, roles: row.roles,
  startsOn: row.starts_on, endsOn: row.ends_on, public: row.public, withdrawnAt: row.withdrawn_at, createdAt: row.created_at,
});

function inScope(db: Db, scope: Scope) {
  return db.selectFrom('announcements as a').innerJoin('organizations as o', 'o.id', 'a.organization_id').select(columns).where(inSubtree(scope, 'o'));
}

/** The announcements published in the subtree, newest first, at most `limit`. */
export async function scopedAnnouncements(db: Db, scope: Scope, limit = 200): Promise<Announcement[]> {
  const rows = await inScope(db, scope).orderBy('a.created_at', 'desc').orderBy('a.id').limit(limit).execute();
  return rows.map(announcementOf);
}

/** One announcement of the subtree, or undefined (outside the subtree, or no such id). */
export async function scopedAnnouncement(db: Db, scope: Scope, id: string): Promise<Announcement | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await inScope(db, scope).where('a.id', '=', id).executeTakeFirst();
  return row && announcementOf(row);
}

/** Where the actor may publish, for the form's list: the subtree two levels down, by path (at most 1,000). */
export async function publishingPlaces(db: Db, scope: Scope): Promise<{ id: string; name: string; level: string }[]> {
  const depth = scope.path.split('/').length;
  return db.selectFrom('organizations as o').select(['o.id', 'o.name', 'o.level']).where(inSubtree(scope, 'o'))
    .where(sql<boolean>`array_length(string_to_array(o.path, '/'), 1) <= ${depth + 2}`).orderBy('o.path').limit(1000).execute();
}

type Context = { today: IsoDate; ip: string | null };
const audit = (scope: Scope, type: 'announcement.published' | 'announcement.edited' | 'announcement.withdrawn', context: Context, data: Record<string, unknown>) =>
  auditRow({ type, actorAccountId: scope.accountId, actingMembershipId: scope.membershipId, ip: context.ip, data });

/** Publishes an announcement (audited `announcement.published`), or says why not. */
export async function publishAnnouncement(db: Db, scope: Scope, input: AnnouncementInput, context: Context): Promise<Announcement | AnnouncementRefusal> {
  const checked = await checkInput(db, scope, input, context.today);
  if ('status' in checked) return checked;
  const id = await db.transaction().execute(async (trx) => {
    const row = await trx.insertInto('announcements').values({
      organization_id: checked.organizationId, roles: checked.roles, title: checked.title, body: checked.body,
      starts_on: checked.starts_on, ends_on: checked.ends_on, public: checked.public, author_account_id: scope.accountId,
    }).returning('id').executeTakeFirstOrThrow();
    await trx.insertInto('audit_events').values(audit(scope, 'announcement.published', context, {
      announcementId: row.id, organizationId: checked.organizationId, roles: checked.roles, startsOn: checked.starts_on, endsOn: checked.ends_on, public: checked.public,
    })).execute();
    return row.id;
  });
  return (await scopedAnnouncement(db, scope, id))!;
}

/** Replaces an announcement's content and period (audited `announcement.edited`); a withdrawn one stays withdrawn (409). */
export async function editAnnouncement(db: Db, scope: Scope, id: string, input: AnnouncementInput, context: Context): Promise<Announcement | AnnouncementRefusal> {
  const existing = await scopedAnnouncement(db, scope, id);
  if (!existing) return { status: 404, code: 'announcement.not_found' };
  // An edit may keep a start already past: the period is checked from the earlier of the two.
  const checked = await checkInput(db, scope, input, input.startsOn !== undefined && input.startsOn < context.today ? input.startsOn : context.today);
  if ('status' in checked) return checked;
  if (checked.ends_on < context.today) return { status: 422, code: 'announcement.ends_in_past', field: 'endsOn' };
  const done = await db.transaction().execute(async (trx) => {
    const row = await trx.updateTable('announcements').set({
      organization_id: checked.organizationId, roles: checked.roles, title: checked.title, body: checked.body,
      starts_on: checked.starts_on, ends_on: checked.ends_on, public: checked.public, updated_at: sql`now()`,
    }).where('id', '=', existing.id).where('withdrawn_at', 'is', null).returning('id').executeTakeFirst();
    if (!row) return false;
    await trx.insertInto('audit_events').values(audit(scope, 'announcement.edited', context, {
      announcementId: existing.id, organizationId: checked.organizationId, roles: checked.roles, startsOn: checked.starts_on, endsOn: checked.ends_on, public: checked.public,
    })).execute();
    return true;
  });
  if (!done) return { status: 409, code: 'announcement.withdrawn' };
  return (await scopedAnnouncement(db, scope, id))!;
}

/**
 * Ends an announcement now (audited `announcement.withdrawn`). Withdrawing one already
 * withdrawn changes nothing and answers it as it is: a repeated click is not an error.
 */
export async function withdrawAnnouncement(db: Db, scope: Scope, id: string, context: Context & { now: Date }): Promise<Announcement | AnnouncementRefusal> {
  if (!can(scope.role, 'announcements.publish')) return { status: 403, code: 'access.denied' };
  const existing = await scopedAnnouncement(db, scope, id);
  if (!existing) return { status: 404, code: 'announcement.not_found' };
  await db.transaction().execute(async (trx) => {
    const row = await trx.updateTable('announcements').set({ withdrawn_at: context.now })
      .where('id', '=', existing.id).where('withdrawn_at', 'is', null).returning('id').executeTakeFirst();
    if (row) await trx.insertInto('audit_events').values(audit(scope, 'announcement.withdrawn', context, { announcementId: existing.id })).execute();
  });
  return (await scopedAnnouncement(db, scope, id))!;
}
