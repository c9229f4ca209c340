/**
 * The captcha (F11): ALTCHA proof of work, no third party. Challenges are signed with a key
 * derived from KELID_SECRET; a solution counts if it is ours, unexpired by the app clock,
 * correct, and not spent before. This file and payload.ts are the only ones that meet
 * altcha-lib (docs/decisions.md, Captcha). Where the proof of work cannot run (no
 * JavaScript), the security image stands in (image-challenge.ts) under the same rules.
 */
import { randomInt, timingSafeEqual } from 'node:crypto';
import { createChallenge, verifySolution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import type { Challenge } from 'altcha-lib/types';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { Clock } from '../identity/clock.ts';
import { addressKeyOf } from '../domain/client-address.ts';
import { normalizeDigitString } from '../domain/digits.ts';
import { hitCounter } from '../identity/rate-limits.ts';
import { hmacHex, hmacSha256 } from '../secrets.ts';
import { drawDigits } from './image.ts';
import { newImageChallenge, openImageChallenge, sealImageChallenge, sealKey, spentKey } from './image-challenge.ts';
import { parsePayload } from './payload.ts';
import { spendChallenge } from './store.ts';

/** PBKDF2 runs on WebCrypto in every supported browser and is bundled with the widget's workers. */
export const CAPTCHA_ALGORITHM = 'PBKDF2/SHA-256';

export type CaptchaDeps = { db: Db; clock: Clock; key: Buffer; settings: Config['captcha'] };

/**
 * What a form sends for its captcha: the widget's ALTCHA payload in `captcha`; or, from the
 * security image, the digits read (or the sum worked out) in `captcha` and the image's id in
 * `captchaId`.
 */
export type CaptchaAnswer = { captcha?: string | undefined; captchaId?: string | undefined; ip?: string | null | undefined };

/** A security image to show: its id (for `captchaId`), where it is drawn, the sum asked instead (null when turned off). */
export type IssuedImage = { id: string; image: string; question: { a: number; b: number } | null; expiresAt: Date };

export type Captcha = {
  /** A fresh signed challenge, the JSON the widget fetches. */
  challenge(): Promise<Challenge>;
  /** True once per solved challenge; false for anything else, never a throw. */
  verify(payload: unknown, now?: Date): Promise<boolean>;
  /** A fresh security image, for a page drawn for a browser that may not run the proof of work. */
  imageChallenge(): IssuedImage;
  /** The SVG of an image challenge, or undefined for an id that is not ours or has expired. */
  image(id: unknown): string | undefined;
  /**
   * A form's answer, either kind: true once per challenge answered right. An image challenge
   * is spent by its first answer, right or wrong: one reading per image.
   */
  check(answer: CaptchaAnswer, now?: Date): Promise<boolean>;
};

/** Where an image challenge is drawn (http/pages/captcha-image.ts serves it). */
export const imagePath = (id: string) => `/captcha/${id}.svg`;

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

  const seal = sealKey(deps.key);
  // Answers are compared as HMACs: equal lengths for timingSafeEqual, whatever was typed.
  const digest = (value: string) => hmacSha256(seal, value);
  const same = (typed: string, expected: string) => timingSafeEqual(digest(typed), digest(expected));

  function imageChallenge(): IssuedImage {
    const issued = newImageChallenge(deps.clock.now(), ttlMinutes);
    const id = sealImageChallenge(seal, issued);
    return { id, image: imagePath(id), question: deps.settings.question ? issued.question : null, expiresAt: new Date(issued.expires * 1000) };
  }

  function image(id: unknown): string | undefined {
    const opened = openImageChallenge(seal, id);
    if (opened === undefined || opened.expires * 1000 <= deps.clock.now().getTime()) return undefined;
    // The same noise at every fetch of one image (image.ts): seeded from the challenge's id.
    return drawDigits(opened.digits, hmacSha256(seal, `noise ${id as string}`).readUInt32BE(0));
  }

  async function checkImage(id: string, typed: string, now: Date, ip: string | null | undefined): Promise<boolean> {
    const opened = openImageChallenge(seal, id);
    if (opened === undefined) return false;
    const expiresAt = new Date(opened.expires * 1000);
    if (expiresAt.getTime() <= now.getTime()) return false;
    // Spent before it is judged: a wrong reading costs the image, so each image gets one guess.
    if (!(await spendChallenge(deps.db, spentKey(id), expiresAt, now))) return false;
    const answer = normalizeDigitString(typed);
    const { a, b } = opened.question;
    if (same(answer, opened.digits)) return true;
    // The sum is for people who cannot see the image, and any program can work it out: a few an
    // hour from one client address (an IPv6 client by its /64), never a way round the captcha at scale.
    if (!deps.settings.question || !same(answer, String(a + b))) return false;
    const limit = { limit: deps.settings.questionPerAddressPerHour, windowMinutes: 60 };
    return (await hitCounter(deps.db, 'captcha.sum', addressKeyOf(ip), limit, now)) <= limit.limit;
  }

  async function check(answer: CaptchaAnswer, now = deps.clock.now()): Promise<boolean> {
    const typed = answer.captcha ?? '';
    if (answer.captchaId !== undefined && answer.captchaId !== '') return checkImage(answer.captchaId, typed, now, answer.ip);
    return typed !== '' && verify(typed, now);
  }

  return { challenge, verify, imageChallenge, image, check };
}
