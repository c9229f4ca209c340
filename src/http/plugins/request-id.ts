/**
 * Every request's id (issue 12): a random UUID made here for each request (app.ts `genReqId`),
 * never one a client sent, so no one can plant an id in another's logs or audit trail. It is
 * in every log line of the request (pino's `reqId`), in the answer's `X-Request-Id` header
 * (what a person quotes to support), and on every audit event the request writes
 * (identity/audit.ts runWithRequestId).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { runWithRequestId } from '../../identity/audit.ts';

export const newRequestId = (): string => randomUUID();

/**
 * The request's id on its answer, set on the raw answer: every answer carries it, Fastify's
 * (merged at writeHead), those written past Fastify (the provider's, after the hijack in
 * http/oidc.ts) and Fastify's own refusals before any hook ran (error-pages.ts) alike.
 */
export const answerRequestId = (request: FastifyRequest, reply: FastifyReply): void => {
  reply.raw.setHeader('x-request-id', request.id);
};

export const requestIdPlugin = fp(async (app: FastifyInstance) => {
  app.addHook('onRequest', (request, reply, done) => {
    answerRequestId(request, reply);
    runWithRequestId(request.id, done);
  });
  // A body that arrives in pieces is read in the socket's own callbacks. Node 24 carries the
  // context into them (test/http/observability.test.ts sends one so); the hooks and the handler
  // that follow run in it again all the same, whatever the runtime's way of carrying it.
  app.addHook('preValidation', (request, _reply, done) => runWithRequestId(request.id, done));
}, { name: 'kelid-request-id' });
