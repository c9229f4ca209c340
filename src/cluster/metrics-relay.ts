/**
 * The primary's part of /metrics in a cluster: it relays, and loads nothing to do it. Asked by
 * the worker a scrape reached, it asks every connected worker for its metrics and hands back
 * whatever came within RELAY_WAIT_MS (a worker still starting, or stuck, is left out rather than
 * holding the scrape).
 */
import cluster from 'node:cluster';
import { isMessage, type MetricsAll, type MetricsAsk, type MetricsGet, type MetricsPart } from './messages.ts';

const RELAY_WAIT_MS = 2000;

export function relayMetrics(): void {
  const gathering = new Map<string, { parts: unknown[][]; waiting: number; done(): void }>();
  let next = 0;
  cluster.on('message', (from, message: unknown) => {
    if (isMessage<MetricsPart>(message, 'metrics-part')) {
      const gather = gathering.get(message.id);
      if (!gather) return;
      gather.parts.push(message.metrics);
      if (--gather.waiting === 0) gather.done();
      return;
    }
    if (!isMessage<MetricsAsk>(message, 'metrics-ask')) return;
    const id = String(next++);
    const workers = Object.values(cluster.workers ?? {}).filter((worker) => worker?.isConnected());
    const parts: unknown[][] = [];
    const done = () => {
      clearTimeout(timer);
      gathering.delete(id);
      const all: MetricsAll = { kelid: 'metrics-all', id: message.id, parts };
      if (from.isConnected()) from.send(all);
    };
    const timer = setTimeout(done, RELAY_WAIT_MS);
    gathering.set(id, { parts, waiting: workers.length, done });
    const get: MetricsGet = { kelid: 'metrics-get', id };
    for (const worker of workers) worker?.send(get);
  });
}
