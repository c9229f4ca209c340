/**
 * Operators' endpoints (B8): liveness, readiness (the database answers), Prometheus metrics; in
 * a cluster, the metrics of every worker added up, whichever worker a scrape reaches.
 */
import cluster from 'node:cluster';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { sql } from 'kysely';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { clusterScrape } from '../cluster/worker-metrics.ts';
import type { Db } from '../db/database.ts';

// fastify-plugin: the metrics hook must see every route of the app, not only this plugin's.
export const opsRoutes = fp(async (app: FastifyInstance, deps: { db: Db }) => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({ name: 'kelid_http_requests_total', help: 'HTTP requests answered', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const durations = new Histogram({
    name: 'kelid_http_request_duration_seconds', help: 'HTTP request duration', labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [registry],
  });

  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, never the raw URL: unbounded label values would exhaust memory.
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    durations.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await sql`select 1`.execute(deps.db);
      return { status: 'ready' };
    } catch {
      return reply.code(503).send({ status: 'unavailable' });
    }
  });
  const scrape = cluster.isWorker ? clusterScrape(registry) : () => registry.metrics();
  app.get('/metrics', async (_request, reply) => reply.type(registry.contentType).send(await scrape()));
}, { name: 'kelid-ops' });
