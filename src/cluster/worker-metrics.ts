/**
 * A worker's part of /metrics in a cluster: the scrape it answers covers every worker, so a
 * counter does not jump with whichever worker Prometheus reached. It answers the primary's
 * requests for its own registry, and to scrape asks the primary for every worker's and adds
 * them up (prom-client's aggregate: counters and histograms summed; its default metrics each
 * by their own rule). Without an answer in time it answers for itself alone.
 */
import { AggregatorRegistry, type Registry } from 'prom-client';
import { isMessage, type MetricsAll, type MetricsAsk, type MetricsGet, type MetricsPart } from './messages.ts';

const SCRAPE_WAIT_MS = 5000;

export function clusterScrape(registry: Registry): () => Promise<string> {
  const waiting = new Map<number, (parts: unknown[][]) => void>();
  let next = 0;
  process.on('message', (message: unknown) => {
    if (isMessage<MetricsGet>(message, 'metrics-get')) {
      void registry.getMetricsAsJSON().then((metrics) => {
        const part: MetricsPart = { kelid: 'metrics-part', id: message.id, metrics };
        process.send?.(part);
      });
    } else if (isMessage<MetricsAll>(message, 'metrics-all')) {
      waiting.get(message.id)?.(message.parts);
    }
  });
  return async () => {
    const id = next++;
    const parts = await new Promise<unknown[][] | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), SCRAPE_WAIT_MS);
      waiting.set(id, (all) => { clearTimeout(timer); resolve(all); });
      const ask: MetricsAsk = { kelid: 'metrics-ask', id };
      if (!process.send?.(ask)) resolve(undefined);
    }).finally(() => waiting.delete(id));
    if (!parts || parts.length === 0) return registry.metrics();
    return AggregatorRegistry.aggregate(parts as Parameters<typeof AggregatorRegistry.aggregate>[0]).metrics();
  };
}
