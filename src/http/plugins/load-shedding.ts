/**
 * Load shedding on a saturated event loop (issue 12, KELID_EVENT_LOOP_MAX_DELAY_MS): while the
 * event loop's mean delay passes the threshold in each of the last two windows, every request
 * but the operators' endpoints is answered at once with 503 `error.busy` and Retry-After (a
 * page or JSON, by the error handler), instead of joining a backlog it would time out in. The
 * verdict is taken again at every window (KELID_EVENT_LOOP_SAMPLE_MS), so shedding stops as
 * soon as a window is under the threshold. A full password-hash queue is the other reason to
 * shed (identity/passwords.ts).
 *
 * The mean over a window, not the worst tick, and two windows in a row: one long synchronous
 * piece of work (a big import on the embedded database, the heap's compaction once quiet, the
 * machine taking the CPU away for a second) is a spike, not saturation, and it lands in one
 * window as one long tick, which may be the window's only one; saturation makes every tick long,
 * window after window. (One window alone refused a discovery request on an idle server after a
 * one-second stall.)
 * `@fastify/under-pressure` measures the same way; it is not a dependency, so node's
 * `perf_hooks.monitorEventLoopDelay` is used directly.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../../errors.ts';
import type { ShedReason } from '../metrics.ts';

/** The monitor's timer, in ms: each sample is the time between two of its ticks. */
const RESOLUTION_MS = 10;

/**
 * The event loop's sustained delay (ms): the lesser of its mean delays over the last two windows
 * of `sampleMs`, taken again every window.
 */
export function eventLoopMonitor(sampleMs: number): { delayMs(): number; stop(): void } {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  let previous = 0;
  let delay = 0;
  const timer = setInterval(() => {
    previous = delay;
    // A sample is a whole interval between ticks (nanoseconds): what passes the resolution is delay.
    delay = histogram.count > 0 ? Math.max(0, histogram.mean / 1e6 - RESOLUTION_MS) : 0;
    histogram.reset();
  }, sampleMs);
  timer.unref();
  return { delayMs: () => Math.min(previous, delay), stop() { clearInterval(timer); histogram.disable(); } };
}

export type LoadSheddingOptions = {
  /** 0: never shed for the event loop. */
  maxDelayMs: number;
  sampleMs: number;
  /** Route patterns never shed (/healthz, /readyz, /metrics). */
  exempt: ReadonlySet<string>;
  shed(reason: ShedReason): void;
};

// fastify-plugin: the hook must run for every route of the app. Registered after i18n, so the answer is localized.
export const loadShedding = fp(async (app: FastifyInstance, options: LoadSheddingOptions) => {
  if (options.maxDelayMs === 0) return;
  const monitor = eventLoopMonitor(options.sampleMs);
  app.addHook('onClose', async () => monitor.stop());
  // The verdict changes at the next window at the earliest.
  const seconds = Math.max(1, Math.ceil(options.sampleMs / 1000));
  app.addHook('onRequest', async (request) => {
    if (monitor.delayMs() <= options.maxDelayMs || options.exempt.has(request.routeOptions.url ?? '')) return;
    options.shed('event_loop');
    throw new AppError(503, 'error.busy', { params: { seconds } });
  });
}, { name: 'kelid-load-shedding' });
