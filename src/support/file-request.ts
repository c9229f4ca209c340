/**
 * Filing a support request (F29): where it goes, the limits, and one transaction for the
 * request, its screenshot and its audit event.
 *
 * Routing (docs/decisions.md, Support requests): a person acting in a school role asks their
 * school's administrators; a person acting as an administrator asks the level above (nobody
 * asks themselves); a person with no role to act as, and anyone signed out, asks the ministry
 * (the root of the tree). Escalation (answers.ts) moves it up from there.
 *
 * Rate limits: per account for someone signed in (only they can spend it), per client address
 * for someone signed out (captcha first, so each request costs a solved proof of work). The
 * same subject and text from the same asker within REPEAT_MINUTES is the request already filed.
 */
import { isAdminRole } from '../admin/permissions.ts';
import type { Locale } from '../config.ts';
import type { Db } from '../db/database.ts';
import { lockUntilCommit } from '../db/transaction-lock.ts';
import { addressKeyOf } from '../domain/client-address.ts';
import { SUPPORT_LIMITS, screenshotType, type SupportFieldError, type SupportInput } from '../domain/support-request.ts';
import { formatUserCode, withFreshCode } from '../identity/accounts.ts';
import { recordAudit } from '../identity/audit.ts';
import type { MembershipView } from '../identity/memberships.ts';
import { hitCounter, type WindowLimit } from '../identity/rate-limits.ts';
import { insertRequest, organizationName, parentOrSelf, rootOrganization, sameRequestSince } from './store.ts';

/** Minutes within which the same subject and text from the same asker is taken for a second submit of one request. */
export const REPEAT_MINUTES = 10;

export type SupportLimits = { perAccount: WindowLimit; perAddress: WindowLimit };
export const defaultSupportLimits: SupportLimits = { perAccount: { limit: 10, windowMinutes: 60 }, perAddress: { limit: 5, windowMinutes: 60 } };

/** Who asks: an account acting (or not) in a membership, or someone signed out with a contact. */
export type Requester =
  | { kind: 'account'; accountId: string; acting: MembershipView | null }
  | { kind: 'anonymous'; contact: { channel: 'sms' | 'email'; to: string } };

export type NewSupportRequest = SupportInput & { screenshot: Buffer | null; locale: Locale };

export type Filed = { id: string; reference: string } | { status: 422; errors: SupportFieldError[] } | { status: 429; code: 'support.rate_limited' };

/** The screenshot's refusal, if any: a PNG or a JPEG by its magic bytes, at most the limit. */
export function screenshotProblem(bytes: Buffer | null): SupportFieldError | undefined {
  if (bytes === null || bytes.length === 0) return undefined;
  if (bytes.length > SUPPORT_LIMITS.screenshotBytes) return { field: 'screenshot', code: 'support.screenshot_too_large' };
  if (screenshotType(bytes) === undefined) return { field: 'screenshot', code: 'support.screenshot_type' };
  return undefined;
}

/** The organization a request from `requester` goes to, by the routing above: its id. */
async function destination(db: Db, requester: Requester): Promise<string> {
  const acting = requester.kind === 'account' ? requester.acting : null;
  if (acting && !isAdminRole(acting.role)) return acting.organization.id;
  if (acting) return parentOrSelf(db, acting.organization.id);
  const root = await rootOrganization(db);
  if (!root) throw new Error('no organization tree: support requests have nowhere to go');
  return root.id;
}

/**
 * The organization a request from this signed-in person would reach (the routing above), for
 * the form to say so before it is sent: its name, and whether it is the top of the tree (no
 * level above to pass it on to).
 */
export async function destinationName(db: Db, requester: Extract<Requester, { kind: 'account' }>): Promise<{ name: string; top: boolean }> {
  return organizationName(db, await destination(db, requester));
}

/** Files the request; answers its id and reference, or why not (field errors, a limit). */
export async function fileRequest(
  db: Db, requester: Requester, input: NewSupportRequest, context: { now: Date; ip: string | null; limits?: SupportLimits },
): Promise<Filed> {
  const problem = screenshotProblem(input.screenshot);
  if (problem) return { status: 422, errors: [problem] };
  const limits = context.limits ?? defaultSupportLimits;
  const organizationId = await destination(db, requester);
  return db.transaction().execute(async (trx) => {
    // The same request sent again a moment ago (a double click, a reload of the answer) is the one filed, counted once; one asker's filings wait in turn to see it.
    const asker = requester.kind === 'account' ? { accountId: requester.accountId } : { contact: requester.contact };
    await lockUntilCommit(trx, `support:${JSON.stringify(asker)}`);
    const repeat = await sameRequestSince(trx, asker, input, new Date(context.now.getTime() - REPEAT_MINUTES * 60_000));
    if (repeat) return repeat;
    // Counted with the request, in its transaction; a refusal counts too, so hammering past the limit keeps it shut.
    const hits = requester.kind === 'account'
      ? await hitCounter(trx, 'support_account', requester.accountId, limits.perAccount, context.now)
      : await hitCounter(trx, 'support_address', addressKeyOf(context.ip), limits.perAddress, context.now);
    if (hits > (requester.kind === 'account' ? limits.perAccount.limit : limits.perAddress.limit)) return { status: 429, code: 'support.rate_limited' } as const;
    const account = requester.kind === 'account' ? requester : null;
    const shot = input.screenshot !== null && input.screenshot.length > 0 ? { contentType: screenshotType(input.screenshot)!, bytes: input.screenshot } : null;
    // The reference is a user code's shape, drawn again when taken (its own unique key).
    const { id, reference } = await withFreshCode(async (code) => {
      const row = { reference: formatUserCode(code), accountId: account?.accountId ?? null, membershipId: account?.acting?.id ?? null, organizationId,
        category: input.category, subject: input.subject, text: input.text, from: input.from,
        contact: requester.kind === 'anonymous' ? requester.contact : null, locale: input.locale, now: context.now };
      const inserted = await insertRequest(trx, row, shot);
      return inserted === undefined ? undefined : { id: inserted, reference: row.reference };
    });
    await recordAudit(trx, {
      type: 'support.requested', actorAccountId: account?.accountId ?? null, actingMembershipId: account?.acting?.id ?? null,
      subjectAccountId: account?.accountId ?? null, ip: context.ip,
      data: { requestId: id, reference, organizationId, category: input.category, screenshot: shot !== null },
    });
    return { id, reference };
  });
}
