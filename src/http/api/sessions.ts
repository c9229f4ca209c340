/**
 * Sessions API (DESIGN.md Contracts): one-request sign-in for apps and scripts, the role to
 * act as, one's own sessions. Bearer tokens only; bodies are JSON only.
 */
import type { FastifyInstance } from 'fastify';
import { UUID_PATTERN } from '../../domain/uuid.ts';
import { AppError, notFound, statusOfRefusal } from '../../errors.ts';
import { chooseMembership, resolveActing, type MembershipView } from '../../identity/memberships.ts';
import { verifySecondFactor } from '../../identity/mfa.ts';
import { describeDevice } from '../../domain/device.ts';
import { endOwnOtherSessions, endOwnSession, listSessions } from '../../identity/sessions.ts';
import { signIn } from '../../identity/sign-in.ts';
import type { RouteContext } from '../context.ts';
import { requireSession } from '../plugins/auth.ts';

const membershipJson = (m: MembershipView) => ({
  id: m.id,
  role: m.role,
  organization: { id: m.organization.id, name: m.organization.name, type: m.organization.type, level: m.organization.level },
  district: m.district,
  province: m.province,
  startsOn: m.startsOn,
  endsOn: m.endsOn,
});

// Plain JSON Schema (validated by Fastify's ajv) with the matching TypeScript types beside it.
const signInBody = {
  type: 'object', required: ['identifier', 'password'], additionalProperties: true,
  properties: {
    identifier: { type: 'string', maxLength: 1024 }, password: { type: 'string', maxLength: 4096 },
    // The device token a previous sign-in answered (its failures count apart, docs/decisions.md), and a solved captcha when one
    // is asked: an ALTCHA payload, or a security image's answer with the image's `captchaId` (GET /api/v1/captcha?kind=image).
    deviceToken: { type: 'string', maxLength: 1024 }, captcha: { type: 'string', maxLength: 4096 }, captchaId: { type: 'string', maxLength: 256 },
  },
} as const;
type SignInBody = { identifier: string; password: string; deviceToken?: string; captcha?: string; captchaId?: string };

const membershipBody = {
  type: 'object', required: ['membershipId'], properties: { membershipId: { type: 'string', maxLength: 64 } },
} as const;
type MembershipBody = { membershipId: string };

// Not `format: 'uuid'`: ajv's format also takes `urn:uuid:…`, which PostgreSQL's uuid refuses (a 500).
const sessionParams = {
  type: 'object', required: ['id'],
  properties: { id: { anyOf: [{ type: 'string', pattern: UUID_PATTERN }, { const: 'current' }] } },
} as const;
type SessionParams = { id: string };

export async function sessionsApi(app: FastifyInstance, ctx: RouteContext) {
  app.post<{ Body: SignInBody }>('/sessions', {
    schema: { body: signInBody },
  }, async (request, reply) => {
    const result = await signIn(ctx.signIn, {
      identifier: request.body.identifier, password: request.body.password, kind: 'api', ip: request.ip, userAgent: request.headers['user-agent'] ?? null,
      deviceTokens: request.body.deviceToken, captcha: request.body.captcha, captchaId: request.body.captchaId,
    });
    if (!result.ok) {
      throw new AppError(statusOfRefusal(result.code), result.code, { ...(result.field ? { field: result.field } : {}), ...(result.params ? { params: result.params } : {}) });
    }
    return reply.code(201).send({
      token: result.token, mustChangePassword: result.mustChangePassword, memberships: result.memberships.map(membershipJson), deviceToken: result.deviceToken,
    });
  });

  app.get('/sessions', { preHandler: requireSession({ allowMustChange: true }) }, async (request) => {
    const session = request.auth!;
    const rows = await listSessions(ctx.db, session.accountId, ctx.clock.now(), ctx.config.session);
    return {
      sessions: rows.map((row) => ({
        id: row.id, kind: row.kind, ip: row.ip, userAgent: row.user_agent, device: describeDevice(row.user_agent), amr: row.amr, current: row.id === session.id,
        createdAt: row.created_at.toISOString(), lastSeenAt: row.last_seen_at.toISOString(), expiresAt: row.expires_at.toISOString(),
      })),
    };
  });

  app.get('/sessions/current', { preHandler: requireSession({ allowMustChange: true }) }, async (request) => {
    const session = request.auth!;
    const acting = await resolveActing(ctx.db, session, ctx.today());
    return {
      id: session.id,
      account: { id: session.accountId, nationalId: session.nationalId, userCode: session.userCode, firstName: session.firstName, lastName: session.lastName },
      mustChangePassword: session.mustChangePassword,
      membership: acting.current && membershipJson(acting.current),
      memberships: acting.memberships.map(membershipJson),
    };
  });

  app.put<{ Body: MembershipBody }>('/sessions/current/membership', {
    preHandler: requireSession(),
    schema: { body: membershipBody },
  }, async (request) => {
    const session = request.auth!;
    if (request.body.membershipId === '') throw new AppError(422, 'role_choice.required', { field: 'membershipId' });
    const chosen = await chooseMembership(ctx.db, session, request.body.membershipId, { today: ctx.today(), ip: request.ip, via: 'api' });
    if (!chosen) throw new AppError(422, 'role_choice.invalid', { field: 'membershipId' });
    return { membership: membershipJson(chosen) };
  });

  // The second factor for an API session (B3): the admin API answers `admin.mfa_required` until this succeeds.
  app.post<{ Body: { code: string } }>('/sessions/current/mfa', {
    preHandler: requireSession(),
    schema: { body: { type: 'object', required: ['code'], properties: { code: { type: 'string', maxLength: 32 } } } },
  }, async (request, reply) => {
    const result = await verifySecondFactor(ctx.db, ctx.keys, request.auth!, request.body.code, { now: ctx.clock.now(), lockout: ctx.config.lockout, ip: request.ip });
    if (!result.ok) throw new AppError(statusOfRefusal(result.code), result.code, { field: 'code', ...(result.params ? { params: result.params } : {}) });
    return reply.code(204).send();
  });

  app.delete<{ Params: SessionParams }>('/sessions/:id', {
    preHandler: requireSession({ allowMustChange: true }),
    schema: { params: sessionParams },
  }, async (request, reply) => {
    const session = request.auth!;
    const target = request.params.id === 'current' ? session.id : request.params.id;
    // Only one's own sessions: someone else's id answers exactly like an id that does not exist.
    if (await endOwnSession(ctx.db, target, { session, ip: request.ip, via: 'api' }) === 'not_found') throw notFound('error.not_found');
    return reply.code(204).send();
  });

  // "End all other sessions": the collection minus the one asking. `except=current` is required, so
  // a bare DELETE of the collection never signs a script out of everything by mistake.
  app.delete<{ Querystring: { except: 'current' } }>('/sessions', {
    preHandler: requireSession({ allowMustChange: true }),
    schema: {
      summary: 'End all of one\'s other sessions (browsers and API tokens); this one goes on',
      querystring: { type: 'object', required: ['except'], additionalProperties: false, properties: { except: { const: 'current' } } },
      response: { 200: { type: 'object', required: ['ended'], properties: { ended: { type: 'integer', description: 'How many sessions ended' } } } },
    },
  }, async (request) => {
    const ended = await endOwnOtherSessions(ctx.db, { session: request.auth!, ip: request.ip, via: 'api' });
    return { ended };
  });
}
