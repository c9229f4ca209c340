/** Page guards: anonymous visitors go to the sign-in page and come back afterwards. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { withReturnTo } from './frame.ts';

export function requirePageSession(options: { allowMustChange?: boolean; allowPending?: boolean } = {}) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.auth === null) {
      return reply.redirect(withReturnTo('/sign-in', request.method === 'GET' ? request.url : undefined), 303);
    }
    if (request.auth.mustChangePassword && !options.allowMustChange) {
      return reply.redirect(withReturnTo('/password', request.method === 'GET' ? request.url : undefined), 303);
    }
    if (request.auth.accountStatus === 'pending' && !options.allowPending) return reply.redirect('/profile', 303);
    return undefined;
  };
}
