/**
 * Client secrets (issue 10 §4): 256 random bits each, so Kelid keeps only their HMAC, keyed by a
 * key of their own derived from the federation key; nobody can guess a secret from it, and
 * checking one costs nothing at the token endpoint's rate (provider.ts compares them).
 */
import { timingSafeEqual, type KeyObject } from 'node:crypto';
import { hmacHex, hmacSha256 } from '../secrets.ts';

/** The key client secrets are stored under (their HMAC-SHA-256, hashClientSecret), derived from the federation key: 32 bytes. */
export const clientSecretKey = (key: Buffer) => Buffer.from(hmacHex(key, 'client secrets'), 'hex');

/** `key` as a KeyObject where it is used often: Node 24 spends ~40 µs checking a Buffer key (its isKeyObject), 5 µs in all with a KeyObject. */
export const hashClientSecret = (key: Buffer | KeyObject, secret: string) => hmacSha256(key, secret).toString('base64url');

/** Constant-time: does `secret` hash to `stored`? */
export function clientSecretMatches(key: Buffer | KeyObject, stored: string, secret: string): boolean {
  return sameBytes(Buffer.from(stored), Buffer.from(hashClientSecret(key, secret)));
}

const sameBytes = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);

/** Apps whose secret a checker remembers; should more come, it starts over rather than grow. */
const MAX_REMEMBERED_SECRETS = 1_000;

/**
 * clientSecretMatches for the token endpoint: `(stored, presented) → boolean`. An app's server
 * sends the same secret with every grant, thousands a second on exam morning, and its HMAC was
 * ~4 % of a client-credentials grant's CPU (issue 10's benchmark); so the secret last found to
 * match each stored HMAC is kept in this process's memory (where upstream keeps every client's
 * secret as it is), compared in constant time, and anything else is hashed and compared as
 * before. Only a secret that matched is kept, under the HMAC it matched: a rotated secret has a
 * new HMAC, so the old one matches nothing any more.
 */
export function clientSecretChecker(key: Buffer | KeyObject): (stored: string, presented: string) => boolean {
  const matched = new Map<string, Buffer>();
  return (stored, presented) => {
    if (typeof presented !== 'string') return false;
    const bytes = Buffer.from(presented);
    const known = matched.get(stored);
    if (known !== undefined && sameBytes(known, bytes)) return true;
    if (!clientSecretMatches(key, stored, presented)) return false;
    if (matched.size >= MAX_REMEMBERED_SECRETS) matched.clear();
    // A copy of its own: a small Buffer.from is a view into Node's shared pool (64 KB in Node 24),
    // and keeping it would keep the pool's other bytes (other requests' credentials) alive too.
    const own = Buffer.allocUnsafeSlow(bytes.length);
    bytes.copy(own);
    matched.set(stored, own);
    return true;
  };
}
