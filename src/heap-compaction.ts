/**
 * A serving process gives its unused heap back once it falls quiet (issue 12: memory after the
 * load). V8 grows its heap under load and keeps it: Chrome tells V8 when a tab is idle and V8
 * then shrinks the heap, but Node tells it nothing, so a server holds its busiest minute's heap
 * for good. Measured on a Kelid process at rest after start-up: 86 MB of heap for 47 MB in use,
 * 184 MB resident; after one memory-reducing collection, 41 MB of heap and 137 MB resident.
 *
 * When no request has arrived for `quietMs`, the heap's resident bytes (every space, the young
 * generation's included, and the buffers its objects hold) have grown by at least `minGrowthBytes` since the last collection (or
 * since start), and the last collection is at least `minIntervalMs` old, one full collection
 * runs that compacts the heap, releases its empty pages and shrinks the young generation back
 * (V8's low-memory notification: gc() with the `last-resort` flavour). At most one per quiet
 * spell; under a steady load there is no quiet spell and nothing runs; after a trickle the heap
 * has hardly grown and nothing runs either; a client that alternates bursts and silence gets at
 * most one per `minIntervalMs`. The young generation counts: a load fills it to its set size
 * (2 × 8 MB with `npm start`'s flags) and it stays so until a collection like this one; counting
 * the old generation alone, a sign-in load whose garbage died young left 180 MB resident instead
 * of 130 (the benchmark's third load, 2026-12-01). The collection stops the process for 60–300 ms
 * (more with a larger live heap): a request that arrives meanwhile, or one in flight (an
 * upload), waits for it.
 */
import type { Server } from 'node:http';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export type CompactionOptions = {
  /** How long no request must arrive before the heap is compacted, in ms (default 2,000). */
  quietMs?: number;
  /** How often quiet is checked, in ms (default 1,000). */
  checkMs?: number;
  /** How much the heap (all of it) must have grown since the last collection, in resident bytes (default 16 MiB). */
  minGrowthBytes?: number;
  /** The least time between two collections, in ms (default 30,000). */
  minIntervalMs?: number;
  /** Told of each collection: the heap's resident bytes before and after, and how long it took (ms). */
  onCompacted?: (figures: { beforeBytes: number; afterBytes: number; ms: number }) => void;
  /** Told when V8's gc() cannot be had (another runtime): compaction is then off for good. */
  onUnavailable?: (error: unknown) => void;
};

type Collect = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;
let collect: Collect | undefined;

/**
 * V8's own gc(): the global one when Node was started with `--expose-gc`; else taken from a
 * context of its own, `--expose-gc` being on only while that context is made, so that no other
 * code (a dependency) finds a global `gc`. Its options are V8's (Node 22 and later). Throws when
 * the runtime gives no gc().
 */
function fullCollection(): Collect {
  if (collect !== undefined) return collect;
  const global = (globalThis as { gc?: unknown }).gc;
  if (typeof global === 'function') return (collect = global as Collect);
  setFlagsFromString('--expose-gc');
  let found: unknown;
  try {
    found = runInNewContext('gc');
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
  if (typeof found !== 'function') throw new Error('V8 gave no gc()');
  return (collect = found as Collect);
}

/**
 * Resident bytes of V8's heap, every space, and of the buffers its objects hold outside it
 * (ArrayBuffers: request bodies, answers): dead buffers are freed only when the small objects
 * that hold them are collected, so 455 MB of them from cut-off request bodies stayed on an idle
 * server while its heap had hardly grown (an attacker review, 2026-12-04).
 */
function heapBytes(): number {
  let total = process.memoryUsage().arrayBuffers;
  for (const space of getHeapSpaceStatistics()) total += space.physical_space_size;
  return total;
}

/**
 * Watches `server`'s requests and compacts the heap in quiet spells (see above). Answers
 * `stop()` (ends the watch; the server is left as it is) and how many collections have run.
 */
export function compactWhenQuiet(server: Server, options: CompactionOptions = {}): { stop(): void; compactions(): number } {
  const quietMs = options.quietMs ?? 2_000;
  const checkMs = options.checkMs ?? 1_000;
  const minGrowthBytes = options.minGrowthBytes ?? 16 * 1024 * 1024;
  const minIntervalMs = options.minIntervalMs ?? 30_000;
  let requests = 0;
  let seen = 0;
  let quietSince = performance.now();
  // The request count when this spell was judged: one collection (or one look) per quiet spell.
  let judgedAt = -1;
  let compactions = 0;
  let lastAt = Number.NEGATIVE_INFINITY;
  // The heap's resident bytes after the last collection: none yet, so the first quiet spell collects start-up's garbage.
  let baseline = 0;
  const count = () => { requests++; };
  const stop = () => {
    clearInterval(timer);
    server.off('request', count);
  };
  server.on('request', count);
  const timer = setInterval(() => {
    const now = performance.now();
    if (requests !== seen) {
      seen = requests;
      quietSince = now;
      return;
    }
    if (now - quietSince < quietMs || judgedAt === requests || now - lastAt < minIntervalMs) return;
    judgedAt = requests;
    const before = heapBytes();
    if (before - baseline < minGrowthBytes) return;
    try {
      fullCollection()({ type: 'major', execution: 'sync', flavor: 'last-resort' });
    } catch (error) {
      stop();
      options.onUnavailable?.(error);
      return;
    }
    compactions++;
    lastAt = performance.now();
    const after = heapBytes();
    baseline = after;
    options.onCompacted?.({ beforeBytes: before, afterBytes: after, ms: lastAt - now });
  }, checkMs);
  timer.unref();
  return { stop, compactions: () => compactions };
}
