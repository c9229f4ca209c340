/**
 * argon2id password hashing (OWASP: m=19456 KiB, t=2, p=1 by default), PHC strings. The
 * parameters live in each stored hash, so a configuration change is noticed at the next
 * successful sign-in and the hash is renewed then (`needsRehash`).
 */
import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

export type Argon2Parameters = { memoryCost: number; timeCost: number; parallelism: number };

export type PasswordHasher = {
  hash(password: string): Promise<string>;
  verify(phc: string, password: string): Promise<boolean>;
  needsRehash(phc: string): boolean;
  /** Spends the time of one verification, for identifiers that match no account. */
  verifyNothing(password: string): Promise<void>;
};

// `Algorithm` is a const enum in @node-rs/argon2's types, which type stripping cannot read: 2 is Argon2id.
const ARGON2ID = 2;

export function createPasswordHasher(parameters: Argon2Parameters): PasswordHasher {
  const options = { algorithm: ARGON2ID, ...parameters };
  const expected = `$argon2id$v=19$m=${parameters.memoryCost},t=${parameters.timeCost},p=${parameters.parallelism}$`;
  let dummy: Promise<string> | undefined;
  return {
    hash: (password) => hash(password, options),
    async verify(phc, password) {
      try {
        return await verify(phc, password);
      } catch {
        return false; // a malformed stored hash never signs anyone in
      }
    },
    needsRehash: (phc) => !phc.startsWith(expected),
    async verifyNothing(password) {
      dummy ??= hash(randomBytes(16).toString('hex'), options);
      await verify(await dummy, password).catch(() => false);
    },
  };
}
