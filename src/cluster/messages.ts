/** What the primary and the processes it starts say to each other over their channel. */

/** Setup → primary, once the configuration is checked: what the primary needs of it (it does not load config.ts). */
export type ClusterSettings = { kelid: 'settings'; workers: number; logLevel: string };

/** Primary → worker: stop gracefully (serve.ts's stop), then exit. */
export const STOP = { kelid: 'stop' } as const;

const kindOf = (message: unknown): unknown =>
  typeof message === 'object' && message !== null ? (message as { kelid?: unknown }).kelid : undefined;

export const isStop = (message: unknown): boolean => kindOf(message) === STOP.kelid;
export const isSettings = (message: unknown): message is ClusterSettings => kindOf(message) === 'settings';

/**
 * /metrics across the workers (worker-metrics.ts, metrics-relay.ts): the worker a scrape reached
 * asks (`metrics-ask`), the primary asks every worker (`metrics-get`), each answers with its
 * registry as JSON (`metrics-part`), and the primary hands them all back (`metrics-all`).
 */
export type MetricsAsk = { kelid: 'metrics-ask'; id: number };
export type MetricsGet = { kelid: 'metrics-get'; id: string };
export type MetricsPart = { kelid: 'metrics-part'; id: string; metrics: unknown[] };
export type MetricsAll = { kelid: 'metrics-all'; id: number; parts: unknown[][] };

export const isMessage = <T extends { kelid: string }>(message: unknown, kind: T['kelid']): message is T => kindOf(message) === kind;
