/**
 * `GET /api/v1/captcha` (DESIGN.md Contracts): a signed ALTCHA challenge for the widget or
 * an app. The solution goes, base64 as the widget makes it, in the `captcha` field of the
 * form it protects. No session needed; never cached (security-headers sets no-store).
 */
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../context.ts';

const challengeResponse = {
  type: 'object', required: ['parameters', 'signature'],
  properties: {
    parameters: {
      type: 'object', additionalProperties: true,
      required: ['algorithm', 'nonce', 'salt', 'cost', 'keyLength', 'keyPrefix', 'keySignature', 'data'],
      properties: {
        algorithm: { type: 'string' }, nonce: { type: 'string' }, salt: { type: 'string' },
        cost: { type: 'integer' }, keyLength: { type: 'integer' }, keyPrefix: { type: 'string' }, keySignature: { type: 'string' },
        data: { type: 'object', required: ['expires'], properties: { expires: { type: 'integer', description: 'Seconds since the epoch' } } },
      },
    },
    signature: { type: 'string' },
  },
} as const;

export async function captchaApi(app: FastifyInstance, ctx: RouteContext) {
  app.get('/captcha', {
    schema: { summary: 'A captcha challenge (ALTCHA proof of work)', response: { 200: challengeResponse } },
  }, async () => ctx.captcha.challenge());
}
