// Solves captcha challenges for tests the way the widget does: fetch GET /api/v1/captcha,
// brute-force the counter with altcha-lib, and send base64 of {challenge, solution}.
import type { FastifyInstance } from 'fastify';
import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import type { Challenge } from 'altcha-lib/types';

/** Low difficulty for tests: at most 20 tries of 10 PBKDF2 iterations. */
export const easyCaptcha = { KELID_CAPTCHA_MAX_NUMBER: '20', KELID_CAPTCHA_COST: '10' };

export const encodePayload = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

export async function fetchChallenge(app: FastifyInstance): Promise<Challenge> {
  const response = await app.inject('/api/v1/captcha');
  if (response.statusCode !== 200) throw new Error(`GET /api/v1/captcha answered ${response.statusCode}`);
  return response.json<Challenge>();
}

export async function solvedPayload(app: FastifyInstance): Promise<string> {
  const challenge = await fetchChallenge(app);
  const solution = await solveChallenge({ challenge, deriveKey, timeout: 10_000 });
  if (!solution) throw new Error('no solution found');
  return encodePayload({ challenge: { parameters: challenge.parameters, signature: challenge.signature }, solution });
}
