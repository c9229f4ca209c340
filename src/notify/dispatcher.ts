/**
 * The dispatcher delivers the outbox after commit: claim due messages (store.ts, FOR UPDATE
 * SKIP LOCKED, so any number of processes may run one), send each through its channel, and
 * record the outcome: sent with the provider's id; or, after a retryable failure, pending
 * again with exponential backoff; or failed after `maxAttempts` tries or a permanent error.
 *
 * Delivery guarantee, honestly: at least once, and exactly once in every case but one.
 * - A message whose send succeeded and was recorded is never sent again (`sent` is final).
 * - A claimed message stays `sending` under a lease (`locked_until`). A live dispatcher's
 *   send always ends before the lease (each provider call's deadline is half of it:
 *   channels/http.ts providerDeadlineMs), so no other process takes a message while it is
 *   being sent.
 * - If the process dies between claim and send, the lease runs out and the message is sent
 *   after restart (it was never sent: still exactly once).
 * - If it dies after the provider accepted the message but before `sent` was recorded (a
 *   window of one UPDATE), or the provider accepted but its answer was lost (a timeout), the
 *   message is sent again. No outbox can close that window without the provider's help, so
 *   each channel passes the outbox id as an idempotency key where the provider takes one:
 *   the webhook's Idempotency-Key, Kavenegar's localid, the email's Message-ID. Twilio takes
 *   none. A code sent twice is the same code, so the person sees a duplicate, nothing worse.
 *
 * On PGlite (one connection, one process) SKIP LOCKED never skips anything; it costs nothing.
 * A new message wakes it at once: in this process through `notify` (outbox.ts), and on
 * PostgreSQL from any process through the database (wake-up.ts); the poll is the backstop.
 */
import type { Db } from '../db/database.ts';
import { withoutPersonalData } from '../domain/text.ts';
import type { Clock } from '../identity/clock.ts';
import { ChannelError, type Channels, type OutgoingMessage } from './channels/channel.ts';
import type { Wake } from './outbox.ts';
import { claimDue, markFailed, markRetry, markSent, type ClaimedRow } from './store.ts';
import { isSecretTemplate, isTemplateName } from './templates.ts';

export type DispatcherLog = {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
};

export type RetryPolicy = { maxAttempts: number; baseMs: number; maxMs: number };
export const defaultRetry: RetryPolicy = { maxAttempts: 8, baseMs: 10_000, maxMs: 3_600_000 };

export type DispatcherOptions = {
  db: Db;
  channels: Channels;
  clock: Clock;
  log: DispatcherLog;
  /** Poll interval; 0 = no timer (tests drive runOnce() themselves). */
  pollMs: number;
  retry?: RetryPolicy;
  /** How long a claim is exclusive; at least twice the channels' deadline (channels/http.ts providerDeadlineMs). */
  leaseMs?: number;
  batchSize?: number;
};

export type Dispatcher = Wake & {
  /** Wakes it for a message known to be committed (heard through NOTIFY): one look, at once. */
  notifyCommitted(): void;
  /** Claims and sends one batch; answers how many messages it handled. */
  runOnce(): Promise<number>;
  /** Stops polling and waits for the batch in flight. */
  stop(): Promise<void>;
};

/** 10 s, 20 s, 40 s… after the 1st, 2nd, 3rd failure, capped. */
export function retryDelayMs(attempt: number, retry: RetryPolicy): number {
  return Math.min(retry.maxMs, retry.baseMs * 2 ** (attempt - 1));
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function startDispatcher(options: DispatcherOptions): Dispatcher {
  const { db, channels, clock, log } = options;
  const retry = options.retry ?? defaultRetry;
  const leaseMs = options.leaseMs ?? 60_000;
  const batchSize = options.batchSize ?? 20;

  async function deliver(row: ClaimedRow): Promise<void> {
    const channel = channels[row.channel];
    if (!isTemplateName(row.template)) {
      await markFailed(db, row.id, row.attempts, `unknown template ${row.template}`);
      return;
    }
    const message: OutgoingMessage = {
      id: row.id, channel: row.channel, to: row.recipient, template: row.template, locale: row.locale,
      params: row.params, text: row.text, subject: row.subject, html: row.html, attempt: row.attempts,
    };
    let providerMessageId: string | null;
    try {
      providerMessageId = (await channel.send(message)).providerMessageId ?? null;
    } catch (error) {
      const retryable = error instanceof ChannelError ? error.retryable : true;
      const reason = describe(error);
      if (retryable && row.attempts < retry.maxAttempts) {
        const next = new Date(clock.now().getTime() + retryDelayMs(row.attempts, retry));
        await markRetry(db, row.id, row.attempts, next, reason);
        // The provider's answer whole is the row's (last_error); the logs, which travel further, get it without the recipient or the code it may quote.
        log.warn({ id: row.id, channel: channel.name, attempt: row.attempts, next, err: withoutPersonalData(reason) }, 'outbox: send failed, will retry');
      } else {
        await markFailed(db, row.id, row.attempts, reason);
        log.error({ id: row.id, channel: channel.name, attempt: row.attempts, err: withoutPersonalData(reason) }, 'outbox: message failed');
      }
      return;
    }
    // The dev outbox shows codes on purpose; a real provider has them now, so the database need not keep them.
    const erase = isSecretTemplate(row.template) && channel.name !== 'dev';
    await recordSent(row.id, providerMessageId, erase);
  }

  // The provider has the message: recording that must not be lost to one failed write.
  async function recordSent(id: string, providerMessageId: string | null, erase: boolean): Promise<void> {
    for (let tries = 1; ; tries++) {
      try {
        await markSent(db, id, clock.now(), providerMessageId, erase);
        return;
      } catch (error) {
        if (tries >= 3) {
          log.error({ id, err: describe(error) }, 'outbox: sent, but could not record it; it will be sent again after its lease');
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100 * tries));
      }
    }
  }

  async function runOnce(): Promise<number> {
    const rows = await claimDue(db, clock.now(), leaseMs, batchSize);
    await Promise.all(rows.map((row) => deliver(row).catch((error: unknown) => {
      // Only a database failure gets here; the lease brings the message back.
      log.error({ id: row.id, err: describe(error) }, 'outbox: could not record an outcome');
    })));
    return rows.length;
  }

  let stopped = false;
  let running: Promise<void> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;

  async function drain(): Promise<void> {
    try {
      while (!stopped && (await runOnce()) === batchSize) { /* a full batch: more may be due */ }
    } catch (error) {
      log.error({ err: describe(error) }, 'outbox: claim failed; retrying at the next poll');
    }
  }

  function schedule(): void {
    if (stopped || options.pollMs <= 0) return;
    clearTimeout(timer);
    timer = setTimeout(kick, options.pollMs);
    timer.unref();
  }

  // One drain at a time; a wake-up during a drain runs another right after it.
  function kick(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = drain().finally(() => {
      running = undefined;
      if (again && !stopped) {
        again = false;
        kick();
      } else {
        schedule();
      }
    });
  }

  // A wake may come from inside a transaction, before its commit: look again a moment later.
  let followUp: NodeJS.Timeout | undefined;
  function notify(): void {
    kick();
    if (followUp !== undefined || stopped) return;
    followUp = setTimeout(() => { followUp = undefined; kick(); }, 50);
    followUp.unref();
  }

  if (options.pollMs > 0) kick();

  return {
    notify,
    notifyCommitted: kick,
    runOnce,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      clearTimeout(followUp);
      await running;
    },
  };
}
