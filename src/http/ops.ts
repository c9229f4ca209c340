/**
 * Operators' endpoints (B8): liveness, readiness (the database answers), Prometheus metrics
 * (http/metrics.ts); in a cluster, the metrics of every worker added up, whichever worker a
 * scrape reaches. None of them is ever shed for load (issue 12): shedding is not unreadiness,
 * and an overloaded process is exactly when its metrics are wanted.
 *
 * /metrics is for the operators' Prometheus, which reaches the process itself: it answers only a
 * connection from KELID_METRICS_FROM (by default the machine and private networks), and nothing
 * a proxy forwarded (an `X-Forwarded-For` or `Forwarded` header), whoever the proxy: through an
 * ingress every client's request comes from the proxy's private address. Anyone else gets the
 * 404 of an address that does not exist. Its counts are no one's business outside: the outbox's
 * backlog rises by one when a code is sent to a mobile that has an account, and not otherwise.
 */
import cluster from 'node:cluster';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { sql } from 'kysely';
import { clusterScrape } from '../cluster/worker-metrics.ts';
import { addressMatcher } from '../config/proxies.ts';
import type { Db } from '../db/database.ts';
import { notFound } from '../errors.ts';
import { HashQueueFull } from '../identity/passwords.ts';
import type { Metrics } from './metrics.ts';

/** The routes load shedding leaves alone (plugins/load-shedding.ts). */
export const OPS_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);
/**
 * The probes the flood guard leaves alone: a probe shares its client address with whoever else
 * the server sees at that address (a load balancer's health check and the traffic it forwards,
 * clients behind a SNAT), and a 429 there fails liveness (a restart) and readiness (out of the
 * Service) for load someone else sent. Cheap and reading nothing of anyone's. /metrics stays limited.
 */
export const PROBE_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz']);

// fastify-plugin: the metrics hooks must see every route of the app, not only this plugin's.
export const opsRoutes = fp(async (app: FastifyInstance, deps: { db: Db; metrics: Metrics; scrapers: readonly string[] }) => {
  const { metrics } = deps;
  const mayScrape = addressMatcher(deps.scrapers);
  app.addHook('onResponse', async (request, reply) => {
    metrics.answered(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });
  // A full hash queue reaches the error handler as HashQueueFull, wherever it was thrown (plugins/error-pages.ts answers 503).
  app.addHook('onError', async (_request, _reply, error) => {
    if (error instanceof HashQueueFull) metrics.shed('hash_queue');
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  const databaseAnswers = sharedForASecond(() => sql`select 1`.execute(deps.db).then(() => true, () => false));
  app.get('/readyz', async (_request, reply) => (await databaseAnswers()) ? { status: 'ready' } : reply.code(503).send({ status: 'unavailable' }));
  const scrape = cluster.isWorker ? clusterScrape(metrics.registry) : () => metrics.registry.metrics();
  app.get('/metrics', async (request, reply) => {
    const forwarded = request.headers['x-forwarded-for'] !== undefined || request.headers.forwarded !== undefined;
    if (forwarded || !mayScrape(request.socket.remoteAddress ?? '')) throw notFound('error.not_found');
    return reply.type(metrics.registry.contentType).send(await scrape());
  });
}, { name: 'kelid-ops' });

/**
 * `look` at most once a second however many ask: callers while it runs share it, and its answer
 * is kept for READY_KEPT_MS. /readyz is left alone by the flood guard (a probe shares its
 * address with the traffic a load balancer forwards), so without this one address's flood of
 * /readyz queued a `select 1` each in the pool ahead of sign-ins (an attacker review: 449
 * waiting, sign-ins from 30 to 300 ms).
 */
export function sharedForASecond(look: () => Promise<boolean>, now: () => number = () => performance.now()): () => Promise<boolean> {
  let last: { at: number; answer: Promise<boolean> } | undefined;
  return () => {
    if (last === undefined || now() - last.at >= READY_KEPT_MS) last = { at: now(), answer: look() };
    return last.answer;
  };
}

const READY_KEPT_MS = 1000;
