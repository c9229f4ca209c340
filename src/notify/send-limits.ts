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
 * Not every request for a send sends (review i9, finding 4): recovery and the code sign-in ask
 * on every attempt, matched or not, and only a match sends. The address and recipient limits
 * (`admitSend`) count every request, so their counts tell nothing about a match; the budget
 * (`spendSmsBudget`) counts only a request marked `sending`, or two thousand captcha'd misses
 * an hour would spend the budget of the whole country. A miss still runs the budget's
 * statement, counting nothing: the same work, so the timing tells nothing either.
 *
 * Counters are fixed one-hour windows in PostgreSQL (hitCounter), shared by every process.
 * Call this with the database itself or in a transaction that commits even when the answer
 * is "no": the counts and the audit event must survive the refusal.
 */
import type { Config } from '../config.ts';
import { addressKey } from '../domain/client-address.ts';
import { recordAudit, type Executor } from '../identity/audit.ts';
import { hitCounter } from '../identity/rate-limits.ts';
import { counterWindowStart } from './store.ts';
import type { MessageChannel } from './templates.ts';

export type SendLimits = Config['sendLimits'];
export type SendRequest = {
  channel: MessageChannel; to: string; ip: string | null;
  /** Whether a message leaves when allowed (default true); false for a stand-in asked only for the same work. */
  sending?: boolean;
  /**
   * The account whose own device asks (one that signed in to it before, identity/devices.ts),
   * when the recipient is that account's own number or address: counted for the recipient
   * apart from everyone else's requests, and per account, so strangers who spend a phone's
   * count do not silence its owner's phone (it hears at most twice the limit an hour for each
   * account it belongs to), and no other account's device can spend the owner's share.
   */
  ownDeviceOf?: string | undefined;
};
export type SendRefusal = 'send.too_many_for_recipient' | 'send.too_many_from_address' | 'send.budget_exhausted';
export type SendDecision = { ok: true } | { ok: false; code: SendRefusal; retryAfterSeconds: number };

const HOUR = { windowMinutes: 60 };

async function retryAfter(db: Executor, bucket: string, key: string, now: Date): Promise<number> {
  const start = await counterWindowStart(db, bucket, key);
  const end = (start ?? now).getTime() + HOUR.windowMinutes * 60_000;
  return Math.max(1, Math.ceil((end - now.getTime()) / 1000));
}

/**
 * SMS and voice reach the same phone, so they share its count; an address is compared in lower
 * case; the owner's own devices have a count of their own.
 */
function recipientKey(request: SendRequest): string {
  const recipient = request.channel === 'email' ? `email:${request.to.trim().toLowerCase()}` : `phone:${request.to}`;
  return request.ownDeviceOf === undefined ? recipient : `${recipient}|own:${request.ownDeviceOf}`;
}

type Step = { bucket: string; key: string; limit: number; code: SendRefusal };

/** A hit on each step's counter in turn (`by: 0` counts nothing); the first over its limit refuses, and the later ones are not counted. */
async function countSteps(db: Executor, request: SendRequest, steps: readonly Step[], now: Date, by: 0 | 1 = 1): Promise<SendDecision> {
  for (const step of steps) {
    const hits = await hitCounter(db, step.bucket, step.key, { limit: step.limit, ...HOUR }, now, by);
    if (hits <= step.limit) continue;
    if (step.code === 'send.budget_exhausted' && by === 1 && hits === step.limit + 1) {
      await recordAudit(db, { type: 'sms.budget_exceeded', ip: request.ip, data: { budgetPerHour: step.limit, channel: request.channel } });
    }
    return { ok: false, code: step.code, retryAfterSeconds: await retryAfter(db, step.bucket, step.key, now) };
  }
  return { ok: true };
}

/** The limits per client address (an IPv6 client by its /64) and per recipient: counted for every request for a send. */
export async function admitSend(db: Executor, request: SendRequest, limits: SendLimits, now: Date): Promise<SendDecision> {
  return countSteps(db, request, [
    ...(request.ip === null ? [] : [{ bucket: 'send.address', key: addressKey(request.ip), limit: limits.perAddressPerHour, code: 'send.too_many_from_address' as const }]),
    { bucket: 'send.recipient', key: recipientKey(request), limit: limits.perRecipientPerHour, code: 'send.too_many_for_recipient' },
  ], now);
}

/** The global SMS budget (SMS and calls; email is outside it): spent only by a request that really sends. */
export async function spendSmsBudget(db: Executor, request: SendRequest, limits: SendLimits, now: Date): Promise<SendDecision> {
  if (request.channel === 'email') return { ok: true };
  const step = { bucket: 'send.sms_budget', key: 'all', limit: limits.smsBudgetPerHour, code: 'send.budget_exhausted' } as const;
  return countSteps(db, request, [step], now, request.sending === false ? 0 : 1);
}

/** The send gate: may one more message go? Both steps, in that order. */
export async function checkSendAllowed(db: Executor, request: SendRequest, limits: SendLimits, now: Date): Promise<SendDecision> {
  const admitted = await admitSend(db, request, limits, now);
  return admitted.ok ? spendSmsBudget(db, request, limits, now) : admitted;
}
