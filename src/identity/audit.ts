/**
 * Audit events: append-only rows (a trigger refuses UPDATE and DELETE), written in the same
 * transaction as the change they describe, so an event exists exactly when its change does.
 * Each carries the id of the request that caused it (issue 12), the id in that request's log
 * lines and its X-Request-Id header: the HTTP layer runs each request in runWithRequestId.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { storableHeader } from '../domain/text.ts';
import { isUuid } from '../domain/uuid.ts';
import type { Db } from '../db/database.ts';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

export type AuditEventType =
  | 'sign_in.succeeded' | 'sign_in.failed' | 'sign_in.locked' | 'sign_in.address_limited'
  | 'sign_in.delayed' | 'sign_in.captcha_required' | 'sign_in.unlocked' | 'sign_in.code_requested'
  | 'sign_out' | 'session.ended' | 'session.others_ended' | 'role.chosen'
  | 'password.changed' | 'password.recovery_requested' | 'password.recovered' | 'registry.imported' | 'demo.loaded'
  | 'registration.completed' | 'registration.reminded' | 'registration.expired' | 'profile.completed'
  | 'sms.budget_exceeded'
  | 'admin.user_added' | 'admin.membership_ended' | 'admin.membership_edited' | 'admin.membership_renewed' | 'admin.password_reset'
  | 'admin.passwords_issued' | 'admin.imported' | 'admin.exported' | 'admin.account_approved' | 'admin.sessions_ended'
  | 'mfa.enrolled' | 'mfa.verified' | 'mfa.failed' | 'mfa.recovery_code_used' | 'sign_in.qr'
  | 'client.added' | 'client.updated' | 'client.removed' | 'client.secret_rotated' | 'keys.created' | 'keys.rotated' | 'oidc.signed_in' | 'oidc.access_denied'
  | 'invitation.sent' | 'invitation.voided' | 'password.set_by_link' | 'admin.invitations_sent'
  | 'announcement.published' | 'announcement.edited' | 'announcement.withdrawn'
  | 'support.requested' | 'support.replied' | 'support.escalated' | 'support.closed'
  | 'scim.user_created' | 'scim.user_updated' | 'scim.user_deleted';

export type AuditEvent = {
  type: AuditEventType;
  actorAccountId?: string | null;
  actingMembershipId?: string | null;
  subjectAccountId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  data?: Record<string, unknown>;
};

export type Executor = Db | Transaction<Database>;

// The request being served, for the events written on its behalf, however deep the call that writes them.
const requestIds = new AsyncLocalStorage<string>();

/**
 * Runs `work` on behalf of request `id` (a UUID: http/plugins/request-id.ts makes them): the
 * audit events written meanwhile, in `work` and in whatever it starts, carry it. Background
 * work (the outbox, housekeeping) runs outside any request: its events carry none.
 */
export const runWithRequestId = <T>(id: string, work: () => T): T => requestIds.run(id, work);

export function auditRow(event: AuditEvent) {
  const requestId = requestIds.getStore();
  return {
    type: event.type,
    actor_account_id: event.actorAccountId ?? null,
    acting_membership_id: event.actingMembershipId ?? null,
    subject_account_id: event.subjectAccountId ?? null,
    ip: event.ip ?? null,
    user_agent: storableHeader(event.userAgent, 512),
    data: JSON.stringify(event.data ?? {}),
    request_id: requestId !== undefined && isUuid(requestId) ? requestId : null,
  };
}

export async function recordAudit(db: Executor, event: AuditEvent): Promise<void> {
  await db.insertInto('audit_events').values(auditRow(event)).execute();
}
