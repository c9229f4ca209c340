/**
 * The widget's answer, as it arrives in the `captcha` field: base64 of
 * `{"challenge":{"parameters":…,"signature":…},"solution":{"counter":…,"derivedKey":…}}`.
 * Anything else (too long, not base64, not JSON, wrong shape) is `undefined`, never thrown.
 */
import type { Challenge, Solution } from 'altcha-lib/types';

export type CaptchaPayload = {
  challenge: Challenge & { signature: string };
  solution: Solution;
  /** Seconds since the epoch, from the signed `data.expires` (see challenge.ts). */
  expires: number;
};

// A genuine payload is about 1 KB; the limit keeps JSON.parse away from megabytes.
const MAX_LENGTH = 4096;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const HEX = /^[0-9a-f]+$/;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isHex = (value: unknown): value is string => typeof value === 'string' && HEX.test(value);
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

export function parsePayload(value: unknown, algorithm: string): CaptchaPayload | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH || !BASE64.test(value)) return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(value, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!isObject(decoded) || !isObject(decoded.challenge) || !isObject(decoded.solution)) return undefined;
  const { parameters, signature } = decoded.challenge;
  const { counter, derivedKey, time } = decoded.solution;
  if (!isObject(parameters) || !isHex(signature) || !isCount(counter) || !isHex(derivedKey)) return undefined;
  // Only our own kind of challenge: the algorithm we issue, in deterministic mode (a key signature).
  if (parameters.algorithm !== algorithm || !isHex(parameters.nonce) || !isHex(parameters.salt) || !isHex(parameters.keyPrefix)
    || !isHex(parameters.keySignature) || !isCount(parameters.cost) || !isCount(parameters.keyLength)) return undefined;
  const data = parameters.data;
  if (!isObject(data) || !isCount(data.expires)) return undefined;
  return {
    // The fields checked above are the ones we read; altcha-lib reads the rest, and the
    // signature it checks covers every one of them.
    challenge: { parameters: parameters as unknown as Challenge['parameters'], signature },
    solution: { counter, derivedKey, ...(typeof time === 'number' ? { time } : {}) },
    expires: data.expires,
  };
}
