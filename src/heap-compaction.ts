/**
 * A serving process gives its unused heap back once it falls quiet (issue 12: memory after the
 * load). V8 grows its heap under load and keeps it: Chrome tells V8 when a tab is idle and V8
 * then shrinks the heap, but Node tells it nothing, so a server holds its busiest minute's heap
 * for good. Measured on a Kelid process at rest after start-up: 86 MB of heap for 47 MB in use,
 * 184 MB resident; after one memory-reducing collection, 41 MB of heap and 137 MB resident.
 *
 * When no request has arrived for `quietMs` and the heap has grown by at least `minGrowthBytes`
 * since the last collection (or since start), one full collection runs that compacts the heap
 * and releases its empty pages (V8's low-memory notification: gc() with the `last-resort`
 * flavour). At most one per quiet spell; under a steady load there is no quiet spell, and
 * nothing runs; after a trickle of requests the heap has hardly grown, and nothing runs either.
 * Growth, not the heap's unused part, is the test: until a collection, what the heap "uses"
 * counts its garbage too. A request that arrives during the collection (under 100 ms) waits.
 */
import type { Server } from 'node:http';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export type CompactionOptions = {
  /** How long no request must arrive before the heap is compacted, in ms (default 2,000). */
  quietMs?: number;
  /** How often quiet is checked, in ms (default 1,000). */
  checkMs?: number;
  /** How much the heap must have grown since the last collection for another to be worth it, in bytes (default 16 MiB). */
  minGrowthBytes?: number;
  /** Told of each collection: the heap's resident bytes before and after, and how long it took (ms). */
  onCompacted?: (figures: { beforeBytes: number; afterBytes: number; ms: number }) => void;
};

type Collect = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;
let collect: Collect | undefined;

/**
 * V8's own gc(), taken from a context of its own: `--expose-gc` is on only while that context is
 * made, so no other code (a dependency) finds a global `gc`. Its options are V8's (d8 and Node 22+).
 */
function fullCollection(): Collect {
  if (collect === undefined) {
    setFlagsFromString('--expose-gc');
    try {
      collect = runInNewContext('gc') as Collect;
    } finally {
      setFlagsFromString('--no-expose-gc');
    }
  }
  return collect;
}


/**
 * Watches `server`'s requests and compacts the heap in each quiet spell (see above). Answers
 * `stop()` (ends the watch; the server is left as it is) and how many collections have run.
 */
export function compactWhenQuiet(server: Server, options: CompactionOptions = {}): { stop(): void; compactions(): number } {
  const quietMs = options.quietMs ?? 2_000;
  const checkMs = options.checkMs ?? 1_000;
  const minGrowthBytes = options.minGrowthBytes ?? 16 * 1024 * 1024;
  // The heap's resident bytes after the last collection: none yet, so the first quiet spell collects start-up's garbage.
  let baseline = 0;
  let requests = 0;
  let seen = 0;
  let quietSince = performance.now();
  // The request count when this spell was judged: one collection (or one look) per quiet spell.
  let judgedAt = -1;
  let compactions = 0;
  const count = () => { requests++; };
  server.on('request', count);
  const timer = setInterval(() => {
    const now = performance.now();
    if (requests !== seen) {
      seen = requests;
      quietSince = now;
      return;
    }
    if (now - quietSince < quietMs || judgedAt === requests) return;
    judgedAt = requests;
    const before = getHeapStatistics().total_physical_size;
    if (before - baseline < minGrowthBytes) return;
    fullCollection()({ type: 'major', execution: 'sync', flavor: 'last-resort' });
    compactions++;
    baseline = getHeapStatistics().total_physical_size;
    options.onCompacted?.({ beforeBytes: before, afterBytes: baseline, ms: performance.now() - now });
  }, checkMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      server.off('request', count);
    },
    compactions: () => compactions,
  };
}
