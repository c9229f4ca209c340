/**
 * argon2id password hashing (OWASP: m=19456 KiB, t=2, p=1 by default), PHC strings. The
 * parameters live in each stored hash, so a configuration change is noticed at the next
 * successful sign-in and the hash is renewed then (`check(…).renew`).
 *
 * Passwords are hashed in their normalized form (src/domain/secret-text.ts), so the same
 * password typed on another keyboard verifies. Hashes made before that hold the password as it
 * was typed: when the normalized form does not verify and differs from what was typed, the
 * typed form is tried too, and a match asks for renewal. That second try happens exactly when
 * the typed password changes under normalization, for unknown accounts as well
 * (`verifyNothing`), so the time taken still says nothing about who has an account.
 *
 * The queue is bounded (issue 12, KELID_HASH_QUEUE_MAX): a hash that would have to wait behind
 * `queueMax` others is refused at once with HashQueueFull (the HTTP layer answers 503 with
 * Retry-After) instead of waiting until the client gives up. Work that writes before it hashes
 * (a sign-in counts the attempt, a step spends a captcha) takes its place first (`reserve`,
 * `withHashRoom`), so a full queue refuses it before anything is written.
 *
 * One client address may hold only a share of those places at once (KELID_HASH_QUEUE_PER_ADDRESS):
 * a place is taken before the lockout rules, the address's failure limit and the captcha are
 * looked at (so that a refusal for load writes nothing), and the address's failures are counted
 * only after the hash, so without a share one address's burst (unknown identifiers, or
 * attempts that all end in "captcha required") held every place and the owner's own sign-in
 * was answered 503.
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { hash, verify } from '@node-rs/argon2';
import { estimatedHashSeconds, retryAfterSeconds } from '../domain/hash-queue.ts';
import { normalizeSecret } from '../domain/secret-text.ts';

export type Argon2Parameters = { memoryCost: number; timeCost: number; parallelism: number };

/** No room in the hash queue: try again in `retryAfterSeconds` (the waiting hashes ÷ the hashing rate, at least 1). */
export class HashQueueFull extends Error {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super(`the password-hash queue is full; try again in ${retryAfterSeconds} s`);
    this.name = 'HashQueueFull';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The queue as it stands, for metrics and for refusing early. */
export type HashQueueLoad = {
  /** Hashes being computed (at most `concurrency`). */
  running: number;
  /** Hashes that wait for a thread, counting the places held for hashes about to be asked (`reserve`). */
  waiting: number;
  concurrency: number;
  /** KELID_HASH_QUEUE_MAX: how many may wait. */
  max: number;
  /** Seconds per hash lately (a moving average; the estimate from the parameters until one is measured). */
  secondsPerHash: number;
  /** A new hash, or a new place, would be refused now. */
  full: boolean;
  /** What a refusal now would answer as Retry-After. */
  retryAfterSeconds: number;
};

/**
 * A verification: whether the password matched, whether its stored hash should be made again,
 * and whether it matched only as typed (a hash made before normalization: `legacy`).
 */
export type PasswordCheck = { valid: boolean; renew: boolean; legacy?: true };

/** The hashing itself. Each call may throw HashQueueFull, except through a reservation or `background`. */
export type PasswordHashing = {
  /** The PHC string of the normalized password. */
  hash(password: string): Promise<string>;
  /** Verifies the normalized password, then (for hashes made before normalization) the typed one. */
  check(phc: string, password: string): Promise<PasswordCheck>;
  /** Spends the time `check` spends on a wrong password, for identifiers that match no account. */
  verifyNothing(password: string): Promise<void>;
};

export type PasswordHasher = PasswordHashing & {
  /**
   * Takes a place in the queue now, for work that writes before it hashes: throws HashQueueFull
   * when there is no room; the reservation's hashes are never refused. `release()` when the work
   * ends (the place goes when its first hash starts, or at release). See withHashRoom.
   */
  reserve(client?: string): HashReservation;
  /** For work no client waits on (password batches): waits its turn however long the queue, never refused. */
  readonly background: PasswordHashing;
  load(): HashQueueLoad;
  /** Whether reserve(client) would find room now: the queue not full, and `client` (a client address's key) under its share. */
  admits(client?: string): boolean;
  /** Calls `listener` with the seconds each hash waited for a thread; answers the unsubscribe. */
  onWait(listener: (seconds: number) => void): () => void;
};

export type HashReservation = PasswordHasher & { release(): void };

/**
 * Runs `work` with a place held in the hash queue, its deps' hasher being the reservation: for
 * a step that writes (a counter, a spent captcha, a code's try) before it hashes. Throws
 * HashQueueFull, before `work` starts, when there is no room, or when `client` (the client
 * address's key, domain/client-address.ts) already holds its share of the places.
 */
export async function withHashRoom<D extends { hasher: PasswordHasher }, T>(deps: D, work: (deps: D) => Promise<T>, client?: string): Promise<T> {
  const reservation = deps.hasher.reserve(client);
  try {
    return await work({ ...deps, hasher: reservation } as D);
  } finally {
    reservation.release();
  }
}

// `Algorithm` is a const enum in @node-rs/argon2's types, which type stripping cannot read: 2 is Argon2id.
const ARGON2ID = 2;
/** Weight of the newest hash in the moving average of hash time. */
const SMOOTHING = 0.2;

type Admission = 'bounded' | 'admitted';
type Ticket = { take(): void; done(): void };

/**
 * At most `concurrency` hashes at once (each holds `memoryCost` KiB for its whole run; more in
 * flight than cores only adds memory, not speed), and at most `max` waiting. A finished hash
 * hands its thread straight to the first waiter, so none can slip in between.
 */
function hashQueue(concurrency: number, max: number, estimate: number, perClient: number) {
  let running = 0;
  let reserved = 0;
  // Places held per client, from reserve() until the work is done (its hashes included).
  const held = new Map<string, number>();
  let secondsPerHash = estimate;
  const waiting: (() => void)[] = [];
  const listeners = new Set<(seconds: number) => void>();
  const queued = () => Math.max(0, running + waiting.length + reserved - concurrency);
  const full = () => running + waiting.length + reserved >= concurrency + max;
  const retryAfter = () => retryAfterSeconds(queued() + 1, secondsPerHash, concurrency);

  return {
    async run<T>(work: () => Promise<T>, admission: Admission): Promise<T> {
      if (admission === 'bounded' && full()) throw new HashQueueFull(retryAfter());
      const asked = performance.now();
      if (running < concurrency) running++;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      const started = performance.now();
      for (const listener of listeners) listener((started - asked) / 1000);
      try {
        return await work();
      } finally {
        secondsPerHash += ((performance.now() - started) / 1000 - secondsPerHash) * SMOOTHING;
        const next = waiting.shift();
        if (next) next();
        else running--;
      }
    },
    reserve(client?: string): Ticket {
      if (full()) throw new HashQueueFull(retryAfter());
      const mine = client === undefined ? 0 : held.get(client) ?? 0;
      if (client !== undefined && mine >= perClient) throw new HashQueueFull(retryAfter());
      reserved++;
      if (client !== undefined) held.set(client, mine + 1);
      let waiting = true;
      let holding = client !== undefined;
      const take = () => { if (waiting) { waiting = false; reserved--; } };
      return {
        take,
        done() {
          take();
          if (!holding || client === undefined) return;
          holding = false;
          const left = (held.get(client) ?? 1) - 1;
          if (left > 0) held.set(client, left);
          else held.delete(client);
        },
      };
    },
    admits: (client?: string) => !full() && (client === undefined || (held.get(client) ?? 0) < perClient),
    load: (): HashQueueLoad => ({
      running, waiting: queued(), concurrency, max, secondsPerHash, full: full(), retryAfterSeconds: retryAfter(),
    }),
    onWait(listener: (seconds: number) => void) {
      listeners.add(listener);
      return () => { listeners.delete(listener); };
    },
  };
}

/**
 * `concurrency`: hashes computed at once (KELID_HASH_CONCURRENCY); `queueMax`: hashes that may
 * wait beyond them (KELID_HASH_QUEUE_MAX; unbounded for tools such as the CLI); `perClient`:
 * places one client address may hold at once (KELID_HASH_QUEUE_PER_ADDRESS).
 */
export function createPasswordHasher(parameters: Argon2Parameters, concurrency = availableParallelism(), queueMax = Number.POSITIVE_INFINITY, perClient = Number.POSITIVE_INFINITY): PasswordHasher {
  const options = { algorithm: ARGON2ID, ...parameters };
  const queue = hashQueue(concurrency, queueMax, estimatedHashSeconds(parameters), perClient);
  const expected = `$argon2id$v=19$m=${parameters.memoryCost},t=${parameters.timeCost},p=${parameters.parallelism}$`;
  let dummy: Promise<string> | undefined;

  const hashing = (run: <T>(work: () => Promise<T>) => Promise<T>): PasswordHashing => {
    const verifies = async (phc: string, password: string) => {
      let valid: boolean;
      try {
        valid = await run(() => verify(phc, password));
      } catch (error) {
        if (error instanceof HashQueueFull) throw error;
        return false; // a malformed stored hash never signs anyone in
      }
      return valid;
    };
    return {
      hash: (password) => run(() => hash(normalizeSecret(password), options)),
      async check(phc, password) {
        const normalized = normalizeSecret(password);
        if (await verifies(phc, normalized)) return { valid: true, renew: !phc.startsWith(expected) };
        // A hash of the password as typed before normalization (issue 9): valid, and renewed now.
        if (normalized !== password && await verifies(phc, password)) return { valid: true, renew: true, legacy: true };
        return { valid: false, renew: false };
      },
      async verifyNothing(password) {
        dummy ??= hash(randomBytes(16).toString('hex'), options);
        const stored = await dummy;
        await verifies(stored, normalizeSecret(password));
        if (normalizeSecret(password) !== password) await verifies(stored, password);
      },
    };
  };

  const background = hashing((work) => queue.run(work, 'admitted'));
  const shared = { background, load: queue.load, admits: queue.admits, onWait: queue.onWait };
  // A reservation's own reserve() shares its place: nested steps (withHashRoom inside withHashRoom) hold one.
  const reservation = (ticket: Ticket, release: () => void): HashReservation => ({
    ...hashing((work) => { ticket.take(); return queue.run(work, 'admitted'); }),
    ...shared,
    reserve: () => reservation(ticket, () => {}),
    release,
  });
  return {
    ...hashing((work) => queue.run(work, 'bounded')),
    ...shared,
    reserve(client) {
      const ticket = queue.reserve(client);
      return reservation(ticket, ticket.done);
    },
  };
}
