/**
 * argon2id password hashing (OWASP: m=19456 KiB, t=2, p=1 by default), PHC strings. The
 * parameters live in each stored hash, so a configuration change is noticed at the next
 * successful sign-in and the hash is renewed then (`needsRehash`).
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { hash, verify } from '@node-rs/argon2';

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

export type PasswordHasher = {
  hash(password: string): Promise<string>;
  verify(phc: string, password: string): Promise<boolean>;
  needsRehash(phc: string): boolean;
  /** Spends the time of one verification, for identifiers that match no account. */
  verifyNothing(password: string): Promise<void>;
};

// `Algorithm` is a const enum in @node-rs/argon2's types, which type stripping cannot read: 2 is Argon2id.
const ARGON2ID = 2;

export function createPasswordHasher(parameters: Argon2Parameters, concurrency = availableParallelism()): PasswordHasher {
  const options = { algorithm: ARGON2ID, ...parameters };
  const limit = limiter(concurrency);
  const expected = `$argon2id$v=19$m=${parameters.memoryCost},t=${parameters.timeCost},p=${parameters.parallelism}$`;
  let dummy: Promise<string> | undefined;
  return {
    hash: (password) => limit(() => hash(password, options)),
    async verify(phc, password) {
      try {
        return await limit(() => verify(phc, password));
      } catch {
        return false; // a malformed stored hash never signs anyone in
      }
    },
    needsRehash: (phc) => !phc.startsWith(expected),
    async verifyNothing(password) {
      dummy ??= hash(randomBytes(16).toString('hex'), options);
      const stored = await dummy;
      await limit(() => verify(stored, password)).catch(() => false);
    },
  };
}
