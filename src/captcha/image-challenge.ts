/**
 * The security image's challenge, for when the proof of work cannot run (no JavaScript): five
 * random digits to read from an image, and a sum to work out for those who cannot see it.
 *
 * Nothing is stored when one is issued: the challenge travels sealed in its own id
 * (AES-256-GCM under a key derived from the captcha key), which the page carries in a hidden
 * field and the image's URL. Every page with a captcha issues one, even for the people whose
 * browser runs the proof of work and never shows it, so a stored challenge would be a write
 * per page view, and a table a bot fills by reloading. A row is written only when an answer
 * is checked: the id goes into `captcha_spent` (store.ts), right or wrong, so each challenge
 * is answered once. The seal also keeps the digits from the page; the server opens it to
 * draw the image and to check the answer.
 */
import { createCipheriv, createDecipheriv, randomBytes, randomInt } from 'node:crypto';
import { hmacHex } from '../secrets.ts';

export type ImageChallenge = {
  digits: string;
  /** The sum asked instead of the image (the accessible alternative): a + b. */
  question: { a: number; b: number };
  /** Seconds since the epoch. */
  expires: number;
};

export const IMAGE_DIGITS = 5;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** base64url of IV + `expires.digits.a.b` + tag: about 75 characters; anything longer is not ours. */
const ID = /^[A-Za-z0-9_-]{40,120}$/;

/** The key that seals image challenges, apart from ALTCHA's secrets though from the same captcha key. */
export const sealKey = (captchaKey: Buffer) => Buffer.from(hmacHex(captchaKey, 'image challenge seal'), 'hex');

export function newImageChallenge(now: Date, ttlMinutes: number): ImageChallenge {
  let digits = '';
  for (let i = 0; i < IMAGE_DIGITS; i++) digits += String(randomInt(10));
  return {
    digits,
    // Two-digit numbers: a blind guess of the sum is right at most once in 90 tries.
    question: { a: randomInt(10, 100), b: randomInt(10, 100) },
    expires: Math.floor(now.getTime() / 1000) + ttlMinutes * 60,
  };
}

export function sealImageChallenge(key: Buffer, challenge: ImageChallenge): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const plain = `${challenge.expires}.${challenge.digits}.${challenge.question.a}.${challenge.question.b}`;
  const sealed = Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return sealed.toString('base64url');
}

/** The challenge sealed in `id`, or undefined for anything we did not seal (never a throw). */
export function openImageChallenge(key: Buffer, id: unknown): ImageChallenge | undefined {
  if (typeof id !== 'string' || !ID.test(id)) return undefined;
  const sealed = Buffer.from(id, 'base64url');
  if (sealed.length <= IV_BYTES + TAG_BYTES) return undefined;
  let plain: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    plain = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
  const parts = /^(\d{1,12})\.(\d+)\.(\d{1,3})\.(\d{1,3})$/.exec(plain);
  if (!parts) return undefined;
  return { expires: Number(parts[1]), digits: parts[2]!, question: { a: Number(parts[3]), b: Number(parts[4]) } };
}

/** What marks a challenge as answered in `captcha_spent`: its IV, unique to it (random 96 bits). */
export const spentKey = (id: string) => `image:${Buffer.from(id, 'base64url').subarray(0, IV_BYTES).toString('hex')}`;
