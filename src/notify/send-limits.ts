/**
 * Abuse limits on sending (issue 4, part 4), checked before a code is sent:
 *
 *   per client address   KELID_SEND_PER_ADDRESS_PER_HOUR     one machine asking for many sends
 *   per recipient        KELID_SEND_PER_RECIPIENT_PER_HOUR   bombing one phone or mailbox
 *   global SMS budget    KELID_SMS_BUDGET_PER_HOUR           SMS pumping: many numbers (often
 *                                                            premium ranges) from many addresses
 *
 * The budget is a breaker: once the hour's budget is spent every SMS and call is refused
 * until the window ends, and the first refusal writes the audit event `sms.budget_exceeded`
 * for the operators. A send refused by an earlier limit is not counted by later ones, so an
 * abuser's refused tries do not drain the budget for everyone else.
 *
 * Counters are fixed one-hour windows in PostgreSQL (hitCounter), shared by every process.
 * Call this with the database itself or in a transaction that commits even when the answer
 * is "no": the counts and the audit event must survive the refusal.
 */
import type { Config } from '../config.ts';
import { recordAudit, type Executor } from '../identity/audit.ts';
import { hitCounter } from '../identity/rate-limits.ts';
import { counterWindowStart } from './store.ts';
import type { MessageChannel } from './templates.ts';

export type SendLimits = Config['sendLimits'];
export type SendRequest = { channel: MessageChannel; to: string; ip: string | null };
export type SendRefusal = 'send.too_many_for_recipient' | 'send.too_many_from_address' | 'send.budget_exhausted';
export type SendDecision = { ok: true } | { ok: false; code: SendRefusal; retryAfterSeconds: number };

const HOUR = { windowMinutes: 60 };

async function retryAfter(db: Executor, bucket: string, key: string, now: Date): Promise<number> {
  const start = await counterWindowStart(db, bucket, key);
  const end = (start ?? now).getTime() + HOUR.windowMinutes * 60_000;
  return Math.max(1, Math.ceil((end - now.getTime()) / 1000));
}

/** SMS and voice reach the same phone, so they share its count; an address is compared in lower case. */
function recipientKey(request: SendRequest): string {
  return request.channel === 'email' ? `email:${request.to.trim().toLowerCase()}` : `phone:${request.to}`;
}

export async function checkSendAllowed(db: Executor, request: SendRequest, limits: SendLimits, now: Date): Promise<SendDecision> {
  const steps: { bucket: string; key: string; limit: number; code: SendRefusal; applies: boolean }[] = [
    { bucket: 'send.address', key: request.ip ?? '', limit: limits.perAddressPerHour, code: 'send.too_many_from_address', applies: request.ip !== null },
    { bucket: 'send.recipient', key: recipientKey(request), limit: limits.perRecipientPerHour, code: 'send.too_many_for_recipient', applies: true },
    { bucket: 'send.sms_budget', key: 'all', limit: limits.smsBudgetPerHour, code: 'send.budget_exhausted', applies: request.channel !== 'email' },
  ];
  for (const step of steps) {
    if (!step.applies) continue;
    const hits = await hitCounter(db, step.bucket, step.key, { limit: step.limit, ...HOUR }, now);
    if (hits <= step.limit) continue;
    if (step.code === 'send.budget_exhausted' && hits === step.limit + 1) {
      await recordAudit(db, { type: 'sms.budget_exceeded', ip: request.ip, data: { budgetPerHour: step.limit, channel: request.channel } });
    }
    return { ok: false, code: step.code, retryAfterSeconds: await retryAfter(db, step.bucket, step.key, now) };
  }
  return { ok: true };
}
