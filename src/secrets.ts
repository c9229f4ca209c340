/**
 * The base secret and the keys derived from it. Production takes KELID_SECRET from the
 * environment; the embedded single-process mode generates one into the data folder on first
 * start and says so loudly, because a secret on disk next to the data is a demo convenience.
 */
import { createHmac, createSecretKey, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export type Keys = {
  /** Signs cookies (the CSRF secret cookie). */
  cookie: Buffer;
  /** Ties a form's CSRF token to the session it was drawn for (app.ts). */
  csrf: Buffer;
  /** Seals a form posted to the OpenID provider for the GET it is answered with (federation/form-post.ts). */
  forms: Buffer;
  /** HMAC for personal data that is compared but never shown (birth-certificate serials). */
  personalData: Buffer;
  /** HMAC for one-time codes. */
  codes: Buffer;
  /** Signs captcha challenges (ALTCHA), so a solution only counts for a challenge we issued. */
  captcha: Buffer;
  /** Encrypts small secrets that are read back: TOTP seeds, a batch's passwords until shown. */
  secretBox: Buffer;
  /** Signs device tokens: a browser or app that signed in to an account before (identity/devices.ts). */
  device: Buffer;
  /** The OpenID provider's: its cookies' signatures, pairwise subject identifiers, client secrets' HMACs. */
  federation: Buffer;
};

export function deriveKeys(secret: string): Keys {
  const derive = (purpose: string) => Buffer.from(hkdfSync('sha256', secret, 'kelid', purpose, 32));
  return { cookie: derive('cookie'), csrf: derive('csrf'), forms: derive('forms'), personalData: derive('personal-data'), codes: derive('codes'), captcha: derive('captcha'), secretBox: derive('secret-box'), device: derive('device'), federation: derive('federation') };
}

const keyObjects = new WeakMap<Buffer, KeyObject>();

/**
 * HMAC-SHA-256 (RFC 2104) of `value` (UTF-8) under `key`: 32 bytes. Every HMAC in Kelid goes
 * through here. A raw key (a Buffer, as deriveKeys gives) becomes a KeyObject once and is kept
 * for that Buffer: given a raw key, Node's createHmac tries it as a KeyObject first, which makes
 * and catches a TypeError, stack trace and all, at every call (measured: 8 µs an HMAC against
 * 1.6 with a KeyObject, and ~5 % of the event loop's time in a password sign-in under load,
 * where the argon2 threads keep the caches cold). Keys are never changed in place.
 */
export function hmacSha256(key: Buffer | KeyObject, value: string): Buffer {
  let object = Buffer.isBuffer(key) ? keyObjects.get(key) : key;
  if (object === undefined) {
    object = createSecretKey(key as Buffer);
    keyObjects.set(key as Buffer, object);
  }
  return createHmac('sha256', object).update(value).digest();
}

export function hmacHex(key: Buffer, value: string): string {
  return hmacSha256(key, value).toString('hex');
}

export async function loadOrCreateSecret(
  configured: string | undefined,
  dataDir: string,
  warn: (message: string) => void,
): Promise<string> {
  if (configured !== undefined) return configured;
  const file = path.join(dataDir, 'secret.key');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    await mkdir(dataDir, { recursive: true });
    const secret = randomBytes(48).toString('base64url');
    await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    await chmod(file, 0o600);
    warn(`KELID_SECRET is not set: generated a secret into ${file}. Fine for the embedded demo; in production set KELID_SECRET from a secret store.`);
    return secret;
  }
}
