/**
 * What an administrator does with a support request in their subtree (F29): reply, escalate
 * to the parent organization, close. Each locks the request in scope (outside it: not_found,
 * as for none), changes it, and writes its audit event in one transaction; a reply's message
 * to the requester goes to the outbox in that same transaction, so it exists exactly when the
 * reply does.
 */
import type { Scope } from '../admin/scope.ts';
import type { Locale } from '../config.ts';
import type { Db } from '../db/database.ts';
import { parseLocale } from '../i18n/catalogs.ts';
import { clip } from '../domain/text.ts';
import { recordAudit } from '../identity/audit.ts';
import type { Notifier } from '../identity/notifier.ts';
import { insertReply, lockScopedRequest, markClosed, moveRequest } from './store.ts';

export type AnswerDeps = { db: Db; notifier: Notifier; publicUrl: string; defaultLocale: Locale };
export type AnswerContext = { now: Date; ip: string | null };
export type AnswerRefusal =
  | { status: 404; code: 'support.not_found' }
  | { status: 409; code: 'support.closed' | 'support.top_level' };

const notFound = { status: 404, code: 'support.not_found' } as const;
const closed = { status: 409, code: 'support.closed' } as const;

// Long answers are cut in an SMS (the whole answer is on the person's page, or in the email).
const SMS_ANSWER = 300;

/** Replies to a request; the requester is told by SMS (their mobile) or email, when they have one. */
export async function replyToRequest(deps: AnswerDeps, scope: Scope, id: string, text: string, context: AnswerContext): Promise<{ id: string; notified: 'sms' | 'email' | null } | AnswerRefusal> {
  return deps.db.transaction().execute(async (trx) => {
    const request = await lockScopedRequest(trx, scope, id);
    if (!request) return notFound;
    if (request.state === 'closed') return closed;
    const replyId = await insertReply(trx, request.id, { authorAccountId: scope.accountId, organizationId: scope.organizationId, text, now: context.now });
    // The contact a signed-out person left; else the account's mobile, then its email.
    const to = request.contact !== null && request.contact_channel !== null ? { channel: request.contact_channel, to: request.contact }
      : request.mobile ? { channel: 'sms' as const, to: request.mobile }
      : request.email ? { channel: 'email' as const, to: request.email } : null;
    if (to) {
      const locale = parseLocale(request.locale) ?? parseLocale(request.account_locale) ?? deps.defaultLocale;
      const url = request.account_id === null ? `${deps.publicUrl}/support` : `${deps.publicUrl}/support/requests/${request.id}`;
      const answer = to.channel === 'sms' && text.length > SMS_ANSWER ? `${clip(text, SMS_ANSWER)}…` : text;
      await deps.notifier.enqueue(trx, { channel: to.channel, to: to.to, template: 'support.answered', locale, params: { reference: request.reference, answer, url } });
    }
    await recordAudit(trx, {
      type: 'support.replied', actorAccountId: scope.accountId, actingMembershipId: scope.membershipId, subjectAccountId: request.account_id, ip: context.ip,
      data: { requestId: request.id, reference: request.reference, replyId, notified: to?.channel ?? null },
    });
    return { id: replyId, notified: to?.channel ?? null };
  });
}

/** Moves the request to the parent of the organization that has it: out of this actor's hands, into the level above's. */
export async function escalateRequest(db: Db, scope: Scope, id: string, context: AnswerContext): Promise<{ organizationId: string } | AnswerRefusal> {
  return db.transaction().execute(async (trx) => {
    const request = await lockScopedRequest(trx, scope, id);
    if (!request) return notFound;
    if (request.state === 'closed') return closed;
    if (request.parent_id === null) return { status: 409, code: 'support.top_level' } as const;
    await moveRequest(trx, request.id, request.parent_id, context.now);
    await recordAudit(trx, {
      type: 'support.escalated', actorAccountId: scope.accountId, actingMembershipId: scope.membershipId, subjectAccountId: request.account_id, ip: context.ip,
      data: { requestId: request.id, reference: request.reference, from: request.organization_id, to: request.parent_id },
    });
    return { organizationId: request.parent_id };
  });
}

/** Closes the request: it stays readable, takes no more replies. Closing a closed one is a no-op. */
export async function closeRequest(db: Db, scope: Scope, id: string, context: AnswerContext): Promise<{ state: 'closed' } | AnswerRefusal> {
  return db.transaction().execute(async (trx) => {
    const request = await lockScopedRequest(trx, scope, id);
    if (!request) return notFound;
    if (request.state === 'closed') return { state: 'closed' } as const;
    await markClosed(trx, request.id, context.now);
    await recordAudit(trx, {
      type: 'support.closed', actorAccountId: scope.accountId, actingMembershipId: scope.membershipId, subjectAccountId: request.account_id, ip: context.ip,
      data: { requestId: request.id, reference: request.reference },
    });
    return { state: 'closed' } as const;
  });
}
