/**
 * The password-hash queue's arithmetic (issue 12), without I/O: how long a hash takes before
 * any was measured, how many hashes may wait by default, and how long a refused client should
 * wait before trying again.
 *
 * argon2id's time grows with memory × passes: OWASP's parameters (19,456 KiB, 2 passes) take
 * about 7.5 ms per hash on one core of the reference VM (DESIGN.md, Facts), and 8 ms is taken
 * here. The README's benchmark VMs take 11–20 ms (docs/operations.md, Sizing): there a queue of
 * the default length holds 3–5 s of hashing, not 2, and Retry-After, which uses the measured
 * time, says so.
 */
export type Argon2Cost = { memoryCost: number; timeCost: number };

const REFERENCE = { memoryCost: 19_456, timeCost: 2, seconds: 0.008 } as const;

/** Seconds one hash takes on one thread, estimated from the parameters (the queue measures the real figure as it goes). */
export const estimatedHashSeconds = (cost: Argon2Cost): number =>
  REFERENCE.seconds * (cost.memoryCost * cost.timeCost) / (REFERENCE.memoryCost * REFERENCE.timeCost);

/** Seconds of hashing the default queue holds: long enough for a burst, far shorter than a client's timeout. */
export const DEFAULT_QUEUE_SECONDS = 2;

/**
 * KELID_HASH_QUEUE_MAX's default: the hashes `concurrency` threads finish in two seconds at the
 * estimated time per hash (250 per thread at OWASP's parameters), never fewer than one per thread.
 */
export const defaultHashQueueMax = (cost: Argon2Cost, concurrency: number): number =>
  Math.max(concurrency, Math.round(DEFAULT_QUEUE_SECONDS * concurrency / estimatedHashSeconds(cost)));

/**
 * KELID_HASH_QUEUE_PER_ADDRESS's default: one client address holds at most a tenth of the places
 * (the hashes computed at once and those that may wait), never fewer than one per thread. A
 * school's lab signing pupils in through one address fills 50 places only with 50 sign-ins
 * inside the same fraction of a second; an attacker needs ten addresses, not one, to fill the queue.
 */
export const defaultHashQueuePerAddress = (queueMax: number, concurrency: number): number =>
  Math.max(concurrency, Math.ceil((queueMax + concurrency) / 10));

/** The longest Retry-After the queue ever asks for: past it the estimate says nothing useful. */
export const MAX_RETRY_AFTER_SECONDS = 120;

/**
 * Retry-After for a refused hash: the waiting hashes ÷ the hashing rate (`concurrency` threads
 * at `secondsPerHash` each), rounded up, at least 1 s and at most MAX_RETRY_AFTER_SECONDS.
 */
export function retryAfterSeconds(waiting: number, secondsPerHash: number, concurrency: number): number {
  const seconds = Math.ceil(waiting * secondsPerHash / concurrency);
  return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Number.isFinite(seconds) ? seconds : 1));
}
