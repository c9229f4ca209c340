/**
 * The operators' metrics (Prometheus through prom-client, served at /metrics by ops.ts;
 * DESIGN.md Contracts, issue 12). Every label takes values from a fixed list, never from what
 * a client sends, so the series stay few. Counters start at zero for every label value, so a
 * dashboard's rate() has a series from the first scrape.
 *
 *   kelid_http_requests_total{method,route,status}       kelid_http_request_duration_seconds{method,route}
 *   kelid_sign_ins_total{method,outcome}                 identity/sign-in-meter.ts lists the values
 *   kelid_requests_shed_total{reason}                    hash_queue · event_loop (503 + Retry-After)
 *   kelid_hash_queue_length, kelid_hashes_running        hashes waiting (and places held), hashes computed now
 *   kelid_hash_wait_seconds                              how long each hash waited for a thread
 *   kelid_outbox_backlog, kelid_outbox_oldest_age_seconds  messages not delivered yet, and the oldest one's age
 *   kelid_oidc_grants_total{grant_type}                  tokens issued at /oidc/token
 *   kelid_db_pool_connections, _idle_connections, _waiting_requests, _max_connections   (PostgreSQL only)
 *
 * What is read on a scrape never fails it: a database that does not answer within a second
 * leaves the outbox gauges at their last value, and /metrics answers all the same.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Db, PoolUse } from '../db/database.ts';
import type { PasswordHasher } from '../identity/passwords.ts';
import { SIGN_IN_METHODS, SIGN_IN_OUTCOMES, type SignInMeter } from '../identity/sign-in-meter.ts';
import { outboxBacklog } from '../notify/store.ts';

export const SHED_REASONS = ['hash_queue', 'event_loop'] as const;
export type ShedReason = typeof SHED_REASONS[number];

/** The grant types Kelid's provider serves (federation/provider.ts); anything else counts as `other`. */
const GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials'] as const;

/** How long a scrape waits for the database before it answers without it. */
const SCRAPE_DB_MS = 1000;

export type MetricSources = {
  hasher: PasswordHasher;
  db: Db;
  /** The PostgreSQL pool (DatabaseHandle.poolUse); none with PGlite. */
  poolUse?: (() => PoolUse) | undefined;
};

export type Metrics = {
  registry: Registry;
  /** One HTTP answer, by route pattern (never the raw URL: unbounded label values would exhaust memory). */
  answered(method: string, route: string, status: number, seconds: number): void;
  signIns: SignInMeter;
  /** A token issued at /oidc/token, by its grant_type. */
  granted(grantType: string): void;
  shed(reason: ShedReason): void;
  /** Stops listening to the hasher. */
  close(): void;
};

/** `work`'s answer, or undefined when it fails or takes longer than `ms`. */
async function within<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => { timer = setTimeout(resolve, ms, undefined); });
  try {
    return await Promise.race([work.catch(() => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}

export function createMetrics(sources: MetricSources): Metrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });

  const requests = new Counter({ name: 'kelid_http_requests_total', help: 'HTTP requests answered', labelNames: ['method', 'route', 'status'] as const, registers });
  const durations = new Histogram({
    name: 'kelid_http_request_duration_seconds', help: 'HTTP request duration', labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers,
  });

  const signIns = new Counter({ name: 'kelid_sign_ins_total', help: 'Sign-ins by way in and outcome', labelNames: ['method', 'outcome'] as const, registers });
  for (const method of SIGN_IN_METHODS) for (const outcome of SIGN_IN_OUTCOMES) signIns.inc({ method, outcome }, 0);
  const shed = new Counter({ name: 'kelid_requests_shed_total', help: 'Requests refused for load (503 with Retry-After)', labelNames: ['reason'] as const, registers });
  for (const reason of SHED_REASONS) shed.inc({ reason }, 0);
  const grants = new Counter({ name: 'kelid_oidc_grants_total', help: 'OpenID Connect tokens issued at the token endpoint, by grant type', labelNames: ['grant_type'] as const, registers });
  for (const grantType of [...GRANT_TYPES, 'other']) grants.inc({ grant_type: grantType }, 0);

  const { hasher } = sources;
  new Gauge({ name: 'kelid_hash_queue_length', help: 'Password hashes waiting for a thread (places held for hashes about to be asked included)', registers, collect() { this.set(hasher.load().waiting); } });
  new Gauge({ name: 'kelid_hashes_running', help: 'Password hashes being computed', registers, collect() { this.set(hasher.load().running); } });
  const waits = new Histogram({
    name: 'kelid_hash_wait_seconds', help: 'Time each password hash waited for a thread',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers,
  });
  const stopWaits = hasher.onWait((seconds) => waits.observe(seconds));

  // One query for both outbox gauges per scrape (prom-client collects every metric at once).
  let backlog: Promise<{ waiting: number; oldestAgeSeconds: number } | undefined> | undefined;
  const readBacklog = () => (backlog ??= within(outboxBacklog(sources.db), SCRAPE_DB_MS).finally(() => { backlog = undefined; }));
  // The outbox is the database's, not the process's: a cluster's scrape takes the largest of its
  // workers' readings (all alike but for timing), where the per-process gauges add up.
  new Gauge({
    name: 'kelid_outbox_backlog', help: 'Messages (SMS, calls, email) in the outbox not delivered yet', registers, aggregator: 'max',
    async collect() { const read = await readBacklog(); if (read) this.set(read.waiting); },
  });
  new Gauge({
    name: 'kelid_outbox_oldest_age_seconds', help: 'Age of the oldest message not delivered yet (0 when none)', registers, aggregator: 'max',
    async collect() { const read = await readBacklog(); if (read) this.set(read.oldestAgeSeconds); },
  });

  const { poolUse } = sources;
  if (poolUse) {
    const pool = (name: string, help: string, read: (use: PoolUse) => number) =>
      new Gauge({ name, help, registers, collect() { this.set(read(poolUse())); } });
    pool('kelid_db_pool_connections', 'PostgreSQL connections open in this process\'s pool', (use) => use.total);
    pool('kelid_db_pool_idle_connections', 'PostgreSQL connections open and unused', (use) => use.idle);
    pool('kelid_db_pool_waiting_requests', 'Queries waiting for a PostgreSQL connection', (use) => use.waiting);
    pool('kelid_db_pool_max_connections', 'The pool\'s size (KELID_DB_POOL)', (use) => use.max);
  }

  const knownGrant = (grantType: string) => GRANT_TYPES.find((known) => known === grantType) ?? 'other';
  return {
    registry,
    answered(method, route, status, seconds) {
      requests.inc({ method, route, status: String(status) });
      durations.observe({ method, route }, seconds);
    },
    signIns: (method, outcome) => signIns.inc({ method, outcome }),
    granted: (grantType) => grants.inc({ grant_type: knownGrant(grantType) }),
    shed: (reason) => shed.inc({ reason }),
    close: stopWaits,
  };
}
