/**
 * The base secret and the keys derived from it. Production takes KELID_SECRET from the
 * environment; the embedded single-process mode generates one into the data folder on first
 * start and says so loudly, because a secret on disk next to the data is a demo convenience.
 */
import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export type Keys = {
  /** Signs cookies (the CSRF secret cookie). */
  cookie: Buffer;
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
  return { cookie: derive('cookie'), personalData: derive('personal-data'), codes: derive('codes'), captcha: derive('captcha'), secretBox: derive('secret-box'), device: derive('device'), federation: derive('federation') };
}

export function hmacHex(key: Buffer, value: string): string {
  return createHmac('sha256', key).update(value).digest('hex');
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
