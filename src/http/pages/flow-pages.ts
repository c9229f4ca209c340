/**
 * What every self-service flow page needs: a binding cookie that ties page flows to this
 * browser, loading a flow (an expired or unknown one offers a fresh start, not a dead end),
 * and the posted fields as strings.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.ts';
import type { Flow } from '../../flows/flow.ts';
import { loadFlow } from '../../flows/store.ts';
import type { TextKey } from '../../i18n/catalogs.ts';
import { errorPage } from '../../views/pages/error.ts';
import type { FlowRequest } from '../../flows/kinds.ts';
import { frameFor, sendPage } from './frame.ts';

/**
 * This browser's flow binding (its `kelid_flow` cookie), made when it has none. `fresh`: a new
 * one whatever it has, for a flow someone else may know the id of (a recovery started through
 * the API, its emailed link opened here): a binding the browser already had may have been
 * planted by a neighbouring host of the same site (cookie tossing), and whoever planted it
 * would share the flow (an attacker review took an account over so). The browser's other
 * open flows, bound to the old one, are then gone for it.
 */
export function flowBinding(request: FastifyRequest, reply: FastifyReply, options: { fresh?: boolean } = {}): string {
  const cookies = request.server.siteCookies;
  const existing = request.cookies[cookies.flow];
  if (!options.fresh && existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const fresh = randomBytes(32).toString('base64url');
  reply.setCookie(cookies.flow, fresh, cookies.attributes);
  return fresh;
}

export async function loadPageFlow<F extends Flow>(
  request: FastifyRequest, reply: FastifyReply,
  options: { db: Db; now: Date; kind: F['kind']; id: string; title: TextKey; startAgain: { href: string; label: TextKey } },
): Promise<F | undefined> {
  const flow = await loadFlow<F>(options.db, options.id, { kind: options.kind, binding: flowBinding(request, reply), now: options.now });
  if (typeof flow !== 'string') return flow;
  const frame = frameFor(request, reply, request.t(options.title));
  sendPage(reply, errorPage(frame, request.t(flow), { href: options.startAgain.href, label: request.t(options.startAgain.label) }), flow === 'flow.expired' ? 410 : 404);
  return undefined;
}

/** The request's facts a flow kind may use (flows/kinds.ts), for a page bound to this browser. */
export function flowRequestOf(request: FastifyRequest, binding: string): FlowRequest {
  return {
    locale: request.locale, ip: request.ip, userAgent: request.headers['user-agent'] ?? null, session: request.auth, binding,
    deviceTokens: request.cookies[request.server.siteCookies.device],
  };
}
