/**
 * Device tokens (OWASP's "device cookies"): a browser or app that signed in to an account
 * successfully gets a token naming that account, signed with a key from KELID_SECRET. On the
 * next sign-in to the same account it proves "a place that got in before", and its failures
 * count on a counter of its own (domain/lockout.ts): someone guessing elsewhere can slow and
 * lock every other device, never this one.
 *
 *   token   <account id>.<nonce>.<mac>     nonce: 16 random bytes; mac: HMAC-SHA-256, 16 bytes
 *   cookie  up to DEVICE_TOKENS_KEPT tokens joined by "~", newest first (a shared family or
 *           school computer remembers its last people: twenty tokens are 1.7 KB, well under
 *           a browser's 4 KB per cookie)
 *
 * Its failures count under `device:<account id>:<nonce>` (identity/sign-in-store.ts), so a new
 * password (recovery, an admin's reset) clears the counters of the owner's own devices too.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { isUuid } from '../domain/uuid.ts';
import { hmacSha256 } from '../secrets.ts';

export const DEVICE_TOKENS_KEPT = 20;
/** 82 characters a token, and the separators. */
const MAX_COOKIE_LENGTH = DEVICE_TOKENS_KEPT * 83;
const TOKEN = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})$/;

export type KnownDevice = { accountId: string; nonce: string };

const mac = (key: Buffer, accountId: string, nonce: string) =>
  hmacSha256(key, `${accountId}.${nonce}`).subarray(0, 16);

const format = (key: Buffer, device: KnownDevice) => `${device.accountId}.${device.nonce}.${mac(key, device.accountId, device.nonce).toString('base64url')}`;

/** A new token for this account on this device. */
export function newDeviceToken(key: Buffer, accountId: string): string {
  return format(key, { accountId, nonce: randomBytes(16).toString('base64url') });
}

/** The tokens in a cookie or a field that this server signed; anything else is ignored. */
export function readDeviceTokens(key: Buffer, raw: string | undefined): KnownDevice[] {
  if (raw === undefined || raw.length > MAX_COOKIE_LENGTH) return [];
  return raw.split('~').slice(0, DEVICE_TOKENS_KEPT).flatMap((token) => {
    const match = TOKEN.exec(token);
    if (!match || !isUuid(match[1]!)) return [];
    const given = Buffer.from(match[3]!, 'base64url');
    return given.length === 16 && timingSafeEqual(given, mac(key, match[1]!, match[2]!)) ? [{ accountId: match[1]!, nonce: match[2]! }] : [];
  });
}

/** Whether `raw` holds a valid device token of `accountId`: the device signed in to that account before. */
export const holdsDeviceOf = (key: Buffer, raw: string | undefined, accountId: string): boolean =>
  readDeviceTokens(key, raw).some((device) => device.accountId === accountId);

/**
 * The cookie after a successful sign-in to `accountId`: its token first (the one it had, or a
 * new one), then the others this device remembers, at most DEVICE_TOKENS_KEPT.
 */
export function rememberDevice(key: Buffer, raw: string | undefined, accountId: string): { cookie: string; token: string } {
  const known = readDeviceTokens(key, raw);
  const own = known.find((device) => device.accountId === accountId);
  const token = own ? format(key, own) : newDeviceToken(key, accountId);
  const others = known.filter((device) => device.accountId !== accountId).map((device) => format(key, device));
  return { cookie: [token, ...others].slice(0, DEVICE_TOKENS_KEPT).join('~'), token };
}
