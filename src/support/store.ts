/**
 * Support requests' SQL (F29). What a person reads is filtered by their account; what an
 * administrator reads or changes is filtered in SQL by their scope: the request's current
 * organization lies in the actor's subtree (admin/scope.ts `inSubtree`). Outside it a request
 * answers exactly as one that does not exist.
 */
import { sql } from 'kysely';
import type { Scope } from '../admin/scope.ts';
import { inSubtree } from '../admin/scope.ts';
import type { Db } from '../db/database.ts';
import type { SupportState } from '../db/schema.ts';
import type { SupportCategory } from '../domain/support-request.ts';
import { isUuid } from '../domain/uuid.ts';
import type { Executor } from '../identity/audit.ts';

export type SupportReply = { id: string; text: string; createdAt: Date; organization: string };

export type SupportRequestView = {
  id: string;
  reference: string;
  category: SupportCategory;
  subject: string;
  text: string;
  from: string | null;
  state: SupportState;
  createdAt: Date;
  updatedAt: Date;
  /** The organization whose administrators have it now. */
  organization: string;
  hasScreenshot: boolean;
  replies: SupportReply[];
};

/** An administrator's view adds who asked and how to reach them. */
export type QueuedRequest = SupportRequestView & {
  requester: { accountId: string; name: string } | null;
  contact: string | null;
  origin: string;
  /** The current organization has a parent: the request can go up. */
  canEscalate: boolean;
};

const repliesJson = sql<{ id: string; text: string; createdAt: string; organization: string }[]>`coalesce((
  select json_agg(json_build_object('id', p.id, 'text', p.body, 'createdAt', p.created_at, 'organization', po.name) order by p.created_at, p.id)
  from support_replies p join organizations po on po.id = p.organization_id where p.request_id = r.id), '[]'::json)`;

const base = (db: Executor) => db.selectFrom('support_requests as r')
  .innerJoin('organizations as o', 'o.id', 'r.organization_id')
  .select(['r.id', 'r.reference', 'r.category', 'r.subject', 'r.body', 'r.from_path', 'r.state', 'r.created_at', 'r.updated_at', 'o.name as organization'])
  .select(sql<boolean>`exists (select 1 from support_screenshots s where s.request_id = r.id)`.as('has_screenshot'))
  .select(repliesJson.as('replies'));

type BaseRow = Awaited<ReturnType<ReturnType<typeof base>['execute']>>[number];

const view = (row: BaseRow): SupportRequestView => ({
  id: row.id, reference: row.reference, category: row.category, subject: row.subject, text: row.body, from: row.from_path, state: row.state,
  createdAt: row.created_at, updatedAt: row.updated_at, organization: row.organization, hasScreenshot: row.has_screenshot,
  replies: row.replies.map((p) => ({ ...p, createdAt: new Date(p.createdAt) })),
});

/** One's own requests, newest first (at most `limit`). */
export async function ownRequests(db: Db, accountId: string, limit = 100): Promise<SupportRequestView[]> {
  const rows = await base(db).where('r.account_id', '=', accountId).orderBy('r.created_at', 'desc').orderBy('r.id').limit(limit).execute();
  return rows.map(view);
}

/** One of one's own requests, or undefined (someone else's answers the same as none). */
export async function ownRequest(db: Db, accountId: string, id: string): Promise<SupportRequestView | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await base(db).where('r.account_id', '=', accountId).where('r.id', '=', id).executeTakeFirst();
  return row && view(row);
}

const queued = (db: Executor, scope: Scope) => base(db)
  .innerJoin('organizations as origin', 'origin.id', 'r.origin_organization_id')
  .leftJoin('accounts as a', 'a.id', 'r.account_id')
  .leftJoin('people as pe', 'pe.id', 'a.person_id')
  .select(['r.account_id', 'r.contact', 'origin.name as origin', 'pe.first_name', 'pe.last_name'])
  .select(sql<boolean>`o.parent_id is not null`.as('can_escalate'))
  .where(inSubtree(scope, 'o'));

const queuedView = (row: Awaited<ReturnType<ReturnType<typeof queued>['execute']>>[number]): QueuedRequest => ({
  ...view(row),
  requester: row.account_id === null ? null : { accountId: row.account_id, name: `${row.first_name ?? ''} ${row.last_name ?? ''}`.trim() },
  contact: row.contact, origin: row.origin, canEscalate: row.can_escalate,
});

/** The requests in the actor's subtree, newest first; `state` narrows them. */
export async function scopedRequests(db: Db, scope: Scope, filter: { state?: SupportState | undefined; limit?: number }): Promise<QueuedRequest[]> {
  let query = queued(db, scope);
  if (filter.state) query = query.where('r.state', '=', filter.state);
  const rows = await query.orderBy('r.created_at', 'desc').orderBy('r.id').limit(filter.limit ?? 200).execute();
  return rows.map(queuedView);
}

/** One request in the actor's subtree, or undefined. */
export async function scopedRequest(db: Executor, scope: Scope, id: string): Promise<QueuedRequest | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await queued(db, scope).where('r.id', '=', id).executeTakeFirst();
  return row && queuedView(row);
}

export type Screenshot = { contentType: 'image/png' | 'image/jpeg'; bytes: Buffer };

/** A request's screenshot, for its requester (`{accountId}`) or an administrator in scope (`{scope}`). */
export async function screenshotFor(db: Db, who: { accountId: string } | { scope: Scope }, id: string): Promise<Screenshot | undefined> {
  if (!isUuid(id)) return undefined;
  let query = db.selectFrom('support_screenshots as s').innerJoin('support_requests as r', 'r.id', 's.request_id')
    .innerJoin('organizations as o', 'o.id', 'r.organization_id')
    .select(['s.content_type', 's.bytes']).where('s.request_id', '=', id);
  query = 'scope' in who ? query.where(inSubtree(who.scope, 'o')) : query.where('r.account_id', '=', who.accountId);
  const row = await query.executeTakeFirst();
  return row && { contentType: row.content_type, bytes: row.bytes };
}

/**
 * Locks a request in the actor's subtree for a change, with what the change needs: its state,
 * where it is and that organization's parent, and whom to tell. Undefined outside the scope.
 */
export async function lockScopedRequest(trx: Executor, scope: Scope, id: string) {
  if (!isUuid(id)) return undefined;
  return trx.selectFrom('support_requests as r').innerJoin('organizations as o', 'o.id', 'r.organization_id')
    .leftJoin('accounts as a', 'a.id', 'r.account_id')
    .select(['r.id', 'r.reference', 'r.state', 'r.account_id', 'r.organization_id', 'o.parent_id', 'r.contact', 'r.contact_channel', 'r.locale', 'a.mobile', 'a.email', 'a.locale as account_locale'])
    .where('r.id', '=', id).where(inSubtree(scope, 'o'))
    .forUpdate('r').executeTakeFirst();
}

/** The organization a signed-out request, or one of a person with no role, goes to: the root of the tree (the ministry). */
export async function rootOrganization(db: Executor): Promise<{ id: string } | undefined> {
  return db.selectFrom('organizations').select('id').where('parent_id', 'is', null).orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
}

/** An organization's name and whether it is the root (no parent); throws when there is no such organization. */
export async function organizationName(db: Executor, organizationId: string): Promise<{ name: string; top: boolean }> {
  const row = await db.selectFrom('organizations').select(['name', 'parent_id']).where('id', '=', organizationId).executeTakeFirstOrThrow();
  return { name: row.name, top: row.parent_id === null };
}

/** An organization's parent, or itself at the root. */
export async function parentOrSelf(db: Executor, organizationId: string): Promise<string> {
  const row = await db.selectFrom('organizations').select('parent_id').where('id', '=', organizationId).executeTakeFirst();
  return row?.parent_id ?? organizationId;
}

export type NewRequestRow = {
  reference: string; accountId: string | null; membershipId: string | null; organizationId: string;
  category: SupportCategory; subject: string; text: string; from: string | null;
  contact: { channel: 'sms' | 'email'; to: string } | null; locale: string; now: Date;
};

/**
 * The request this asker (an account, or someone signed out by their contact) filed at or after
 * `since` with this very subject and text, if any: a second submit of the same form (a double
 * click, a reload of the answer) is that request again, not a new one.
 */
export async function sameRequestSince(
  trx: Executor, asker: { accountId: string } | { contact: { channel: 'sms' | 'email'; to: string } }, content: { subject: string; text: string }, since: Date,
): Promise<{ id: string; reference: string } | undefined> {
  return trx.selectFrom('support_requests').select(['id', 'reference'])
    .$call((q) => ('accountId' in asker ? q.where('account_id', '=', asker.accountId)
      : q.where('account_id', 'is', null).where('contact_channel', '=', asker.contact.channel).where('contact', '=', asker.contact.to)))
    .where('subject', '=', content.subject).where('body', '=', content.text).where('created_at', '>=', since)
    .orderBy('created_at', 'desc').limit(1).executeTakeFirst();
}

/** Stores a new request (open, where it was first sent) and its screenshot, if any; answers its id, or undefined when its reference is taken. */
export async function insertRequest(trx: Executor, row: NewRequestRow, screenshot: Screenshot | null): Promise<string | undefined> {
  const inserted = await trx.insertInto('support_requests').values({
    reference: row.reference, account_id: row.accountId, membership_id: row.membershipId,
    organization_id: row.organizationId, origin_organization_id: row.organizationId,
    category: row.category, subject: row.subject, body: row.text, from_path: row.from,
    contact_channel: row.contact?.channel ?? null, contact: row.contact?.to ?? null,
    locale: row.locale, created_at: row.now, updated_at: row.now,
  }).onConflict((oc) => oc.column('reference').doNothing()).returning('id').executeTakeFirst();
  if (inserted === undefined) return undefined;
  const { id } = inserted;
  if (screenshot) await trx.insertInto('support_screenshots').values({ request_id: id, content_type: screenshot.contentType, bytes: screenshot.bytes }).execute();
  return id;
}

/** Adds an administrator's reply and marks the request answered; answers the reply's id. */
export async function insertReply(trx: Executor, requestId: string, reply: { authorAccountId: string; organizationId: string; text: string; now: Date }): Promise<string> {
  const { id } = await trx.insertInto('support_replies').values({
    request_id: requestId, author_account_id: reply.authorAccountId, organization_id: reply.organizationId, body: reply.text, created_at: reply.now,
  }).returning('id').executeTakeFirstOrThrow();
  await trx.updateTable('support_requests').set({ state: 'answered', updated_at: reply.now }).where('id', '=', requestId).execute();
  return id;
}

/** Hands the request to another organization (escalation: the parent). */
export async function moveRequest(trx: Executor, requestId: string, organizationId: string, now: Date): Promise<void> {
  await trx.updateTable('support_requests').set({ organization_id: organizationId, updated_at: now }).where('id', '=', requestId).execute();
}

/** Closes the request: readable still, answered no more. */
export async function markClosed(trx: Executor, requestId: string, now: Date): Promise<void> {
  await trx.updateTable('support_requests').set({ state: 'closed', closed_at: now, updated_at: now }).where('id', '=', requestId).execute();
}
