/**
 * Reading the audit log (B1): administrators see the events of their scope (done by someone
 * acting in it, or to someone with a membership in it); everyone sees their own sign-ins.
 * Events of no school (see `systemEvents`) are the ministry's, at the root of the tree.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Role } from '../db/schema.ts';
import { can } from './permissions.ts';
import { actsOnAccount, isWholeTree, type Scope } from './scope.ts';

export type AuditRow = {
  id: string; at: Date; type: string; ip: string | null;
  actor: string | null; actorNationalId: string | null; subject: string | null; subjectNationalId: string | null;
  /** memberships.role: the table's check constraint holds it to a Role. */
  actingRole: Role | null; actingOrganization: string | null; data: Record<string, unknown>;
};

export const AUDIT_PAGE_SIZE = 50;

/**
 * Events that belong to no school: nobody acted in an organization, and they concern nobody or
 * someone appointed nowhere (the SMS budget breaker, a registry import, the demo load, a
 * sign-in on an unknown identifier; a self-registered person, a deleted pre-registration).
 * No subtree holds them, so the scope of every admin below the root leaves them out; without
 * this they were written for an alarm no administrator could read.
 */
const systemEvents = sql<boolean>`(e.acting_membership_id is null
  and (e.subject_account_id is null or not exists (select 1 from memberships xm where xm.account_id = e.subject_account_id)))`;

export async function scopedAudit(db: Db, scope: Scope, filter: { type?: string | undefined; nationalId?: string | undefined; page: number }): Promise<AuditRow[]> {
  const prefix = `${scope.path}%`;
  // What was done acting in the scope; and what people did as themselves (sign-ins, password
  // changes: no acting membership) only for people wholly the actor's, as for their passwords
  // (actsOnAccount): appointing someone here gives no view of their sign-ins elsewhere.
  const conditions = [sql<boolean>`(
    exists (select 1 from memberships m join organizations o on o.id = m.organization_id where m.id = e.acting_membership_id and o.path like ${prefix})
    or (e.acting_membership_id is null and (e.actor_account_id is null or e.actor_account_id = e.subject_account_id)
      and e.subject_account_id is not null and ${actsOnAccount(scope, sql`e.subject_account_id`)})
    ${can(scope.role, 'audit.read_system') && isWholeTree(scope) ? sql`or ${systemEvents}` : sql``})`];
  if (filter.type) conditions.push(sql<boolean>`starts_with(e.type, ${filter.type})`);
  if (filter.nationalId) {
    conditions.push(sql<boolean>`(sp.national_id = ${filter.nationalId} or ap.national_id = ${filter.nationalId})`);
  }
  const rows = await sql<AuditRow>`
    select e.id, e.at, e.type, e.ip, e.data,
      ap.first_name || ' ' || ap.last_name as actor, ap.national_id as "actorNationalId",
      sp.first_name || ' ' || sp.last_name as subject, sp.national_id as "subjectNationalId",
      am.role as "actingRole", ao.name as "actingOrganization"
    from audit_events e
    left join accounts aa on aa.id = e.actor_account_id left join people ap on ap.id = aa.person_id
    left join accounts sa on sa.id = e.subject_account_id left join people sp on sp.id = sa.person_id
    left join memberships am on am.id = e.acting_membership_id left join organizations ao on ao.id = am.organization_id
    where ${sql.join(conditions, sql` and `)}
    order by e.at desc, e.id desc limit ${AUDIT_PAGE_SIZE} offset ${(filter.page - 1) * AUDIT_PAGE_SIZE}`.execute(db);
  return rows.rows;
}

/** One's own sign-in history: successes, failures, locks, QR sign-ins, sign-outs and sessions ended, newest first. */
export async function ownSignIns(db: Db, accountId: string, limit = 50) {
  return db.selectFrom('audit_events').select(['id', 'at', 'type', 'ip', 'user_agent as userAgent'])
    .where('subject_account_id', '=', accountId)
    .where('type', 'in', ['sign_in.succeeded', 'sign_in.failed', 'sign_in.delayed', 'sign_in.captcha_required', 'sign_in.locked', 'sign_in.unlocked', 'sign_in.qr', 'sign_out',
      'session.ended', 'session.others_ended', 'admin.sessions_ended', 'password.changed', 'password.recovered', 'password.set_by_link', 'admin.password_reset'])
    .orderBy('at', 'desc').limit(limit).execute();
}
