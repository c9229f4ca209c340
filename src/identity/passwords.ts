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
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { hash, verify } from '@node-rs/argon2';
import { normalizeSecret } from '../domain/secret-text.ts';

export type Argon2Parameters = { memoryCost: number; timeCost: number; parallelism: number };

/**
 * At most `limit` hashes at once: each holds `memoryCost` KiB for its whole run, and more
 * hashes in flight than cores only adds memory, not speed.
 */
function limiter(limit: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await work();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

/**
 * A verification: whether the password matched, whether its stored hash should be made again,
 * and whether it matched only as typed (a hash made before normalization: `legacy`).
 */
export type PasswordCheck = { valid: boolean; renew: boolean; legacy?: true };

export type PasswordHasher = {
  /** The PHC string of the normalized password. */
  hash(password: string): Promise<string>;
  /** Verifies the normalized password, then (for hashes made before normalization) the typed one. */
  check(phc: string, password: string): Promise<PasswordCheck>;
  /** Spends the time `check` spends on a wrong password, for identifiers that match no account. */
  verifyNothing(password: string): Promise<void>;
};

// `Algorithm` is a const enum in @node-rs/argon2's types, which type stripping cannot read: 2 is Argon2id.
const ARGON2ID = 2;

export function createPasswordHasher(parameters: Argon2Parameters, concurrency = availableParallelism()): PasswordHasher {
  const options = { algorithm: ARGON2ID, ...parameters };
  const limit = limiter(concurrency);
  const expected = `$argon2id$v=19$m=${parameters.memoryCost},t=${parameters.timeCost},p=${parameters.parallelism}$`;
  let dummy: Promise<string> | undefined;
  const verifies = async (phc: string, password: string) => {
    try {
      return await limit(() => verify(phc, password));
    } catch {
      return false; // a malformed stored hash never signs anyone in
    }
  };
  return {
    hash: (password) => limit(() => hash(normalizeSecret(password), options)),
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
}
