/**
 * The captcha (F11): ALTCHA proof of work, no third party. Challenges are signed with a key
 * derived from KELID_SECRET; a solution counts if it is ours, unexpired by the app clock,
 * correct, and not spent before. This file and payload.ts are the only ones that meet
 * altcha-lib (docs/decisions.md, Captcha).
 */
import { randomInt } from 'node:crypto';
import { createChallenge, verifySolution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import type { Challenge } from 'altcha-lib/types';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { Clock } from '../identity/clock.ts';
import { hmacHex } from '../secrets.ts';
import { parsePayload } from './payload.ts';
import { spendChallenge } from './store.ts';

/** PBKDF2 runs on WebCrypto in every supported browser and is bundled with the widget's workers. */
export const CAPTCHA_ALGORITHM = 'PBKDF2/SHA-256';

export type CaptchaDeps = { db: Db; clock: Clock; key: Buffer; settings: Config['captcha'] };

export type Captcha = {
  /** A fresh signed challenge, the JSON the widget fetches. */
  challenge(): Promise<Challenge>;
  /** True once per solved challenge; false for anything else, never a throw. */
  verify(payload: unknown, now?: Date): Promise<boolean>;
};

export function createCaptcha(deps: CaptchaDeps): Captcha {
  // altcha-lib takes its secrets as strings: one per purpose, both from our captcha key.
  const secrets = {
    hmacSignatureSecret: hmacHex(deps.key, 'altcha challenge'),
    hmacKeySignatureSecret: hmacHex(deps.key, 'altcha derived key'),
  };
  const { maxNumber, cost, ttlMinutes } = deps.settings;

  async function challenge(): Promise<Challenge> {
    const expires = Math.floor(deps.clock.now().getTime() / 1000) + ttlMinutes * 60;
    return createChallenge({
      algorithm: CAPTCHA_ALGORITHM,
      cost,
      // Deterministic mode: we pick the counter, so the work is predictable and checking a
      // solution is one HMAC of its key (keySignature), not a key derivation.
      counter: randomInt(Math.ceil(maxNumber / 2), maxNumber + 1),
      deriveKey,
      // Not ALTCHA's `expiresAt`: altcha-lib checks that against Date.now(), which tests
      // cannot move and which may disagree with the injected clock. `data` is signed too.
      data: { expires },
      ...secrets,
    });
  }

  async function verify(raw: unknown, now = deps.clock.now()): Promise<boolean> {
    const payload = parsePayload(raw, CAPTCHA_ALGORITHM);
    if (payload === undefined) return false;
    const expiresAt = new Date(payload.expires * 1000);
    if (expiresAt.getTime() <= now.getTime()) return false;
    try {
      const result = await verifySolution({ challenge: payload.challenge, solution: payload.solution, deriveKey, ...secrets });
      if (!result.verified) return false;
    } catch {
      return false;
    }
    return spendChallenge(deps.db, payload.challenge.signature, expiresAt, now);
  }

  return { challenge, verify };
}
