/**
 * `GET /api/v1/captcha` (DESIGN.md Contracts): a signed ALTCHA challenge for the widget or
 * an app. The solution goes, base64 as the widget makes it, in the `captcha` field of the
 * form it protects. `?kind=image`: a security image instead, for an app that cannot run the
 * proof of work; the digits read (or the sum asked) go in `captcha` and its `id` in
 * `captchaId`. No session needed; never cached (security-headers sets no-store).
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

const imageResponse = {
  type: 'object', required: ['id', 'image', 'question', 'expiresAt'],
  properties: {
    id: { type: 'string', description: 'Send it back as `captchaId`, with the answer as `captcha`' },
    image: { type: 'string', description: 'Absolute URL of the image (SVG): five digits to read' },
    question: { type: 'string', nullable: true, description: 'The sum to answer instead of reading the image, in the Accept-Language locale; null when the operator turned it off' },
    expiresAt: { type: 'string', format: 'date-time' },
  },
} as const;

const captchaQuery = {
  type: 'object', additionalProperties: false,
  properties: { kind: { type: 'string', enum: ['altcha', 'image'], default: 'altcha', description: '`image`: a security image instead of a proof of work' } },
} as const;

export async function captchaApi(app: FastifyInstance, ctx: RouteContext) {
  app.get<{ Querystring: { kind?: 'altcha' | 'image' } }>('/captcha', {
    schema: {
      summary: 'A captcha challenge: ALTCHA proof of work, or a security image (`kind=image`)',
      querystring: captchaQuery,
      response: { 200: { anyOf: [challengeResponse, imageResponse] } },
    },
  }, async (request) => {
    if (request.query.kind !== 'image') return ctx.captcha.challenge();
    const issued = ctx.captcha.imageChallenge();
    return {
      id: issued.id, image: `${ctx.config.publicUrl}${issued.image}`,
      question: issued.question && request.t('captcha.question', issued.question),
      expiresAt: issued.expiresAt.toISOString(),
    };
  });
}
