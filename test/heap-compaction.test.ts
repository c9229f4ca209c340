// The heap given back once requests stop (src/heap-compaction.ts), on a real node:http server
// in this process: a quiet spell after the heap grew (its young generation included) collects once
// and shrinks the heap; requests that keep coming, or a quiet spell after a trickle, collect nothing.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { compactWhenQuiet } from '../src/heap-compaction.ts';

let server: Server;
let url: string;

before(async () => {
  server = createServer((_request, response) => response.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const MiB = 1024 * 1024;

/** Grows the heap by about `mib` MiB of objects that are all garbage when it returns. */
function growHeap(mib: number): void {
  const kept: { n: number; text: string }[][] = [];
  for (let chunk = 0; chunk < mib; chunk++) kept.push(Array.from({ length: 8_000 }, (_, n) => ({ n, text: `${chunk}:${n}` })));
  assert.ok(kept.length === mib);
}

/** Resident bytes of the young generation (V8's new spaces). */
const youngBytes = () => getHeapSpaceStatistics().filter((space) => space.space_name.startsWith('new_')).reduce((sum, space) => sum + space.physical_space_size, 0);
const mb = (bytes: number) => (bytes / MiB).toFixed(1);

async function until(check: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(20)) if (check()) return true;
  return check();
}

test('a quiet spell after the heap grew collects once, and the heap shrinks', async () => {
  const figures: { beforeBytes: number; afterBytes: number }[] = [];
  const listeners = server.listenerCount('request');
  const watch = compactWhenQuiet(server, { quietMs: 200, checkMs: 50, minGrowthBytes: 16 * MiB, minIntervalMs: 0, onCompacted: (f) => figures.push(f) });
  try {
    growHeap(60);
    await fetch(url).then((r) => r.text());
    const grown = getHeapStatistics().total_physical_size;
    assert.ok(await until(() => watch.compactions() === 1, 5_000), 'one collection once requests stopped');
    const [figure] = figures;
    assert.ok(figure && figure.beforeBytes >= grown - 8 * MiB, `measured before collecting: ${figure?.beforeBytes} vs ${grown}`);
    assert.ok(figure.afterBytes < figure.beforeBytes - 16 * MiB, `the heap shrank: ${figure.beforeBytes} → ${figure.afterBytes}`);
    // As V8 reports it too, against the heap the collection started from (on a loaded machine V8 may have collected some of
    // the garbage by itself before `grown` was read, so that figure can be the smaller one).
    assert.ok(await until(() => getHeapStatistics().total_physical_size < figure.beforeBytes - 16 * MiB, 2_000),
      `V8's heap ${mb(getHeapStatistics().total_physical_size)} MB, ${mb(figure.beforeBytes)} MB before the collection`);
    // V8's gc() was used, and is found by no other code: not as a global, not in a new context.
    assert.equal(typeof (globalThis as { gc?: unknown }).gc, 'undefined');
    assert.equal(runInNewContext('typeof gc'), 'undefined');
    // The same quiet spell goes on: no second collection.
    await sleep(500);
    assert.equal(watch.compactions(), 1);
    // A trickle (one request, little growth) then quiet again: nothing to give back, no collection.
    await fetch(url).then((r) => r.text());
    await sleep(600);
    assert.equal(watch.compactions(), 1);
    // The old generation grows again by more than 16 MiB (kept alive here, so that no collection
    // of V8's own gives the pages back before the quiet spell is judged), then quiet: a second collection.
    // Well past the 16 MiB, and promoted for sure: the garbage made after it runs the scavenges
    // that move what is held into the old generation (on a busy machine they came too late).
    const held = Array.from({ length: 80 }, (_, chunk) => Array.from({ length: 8_000 }, (_, n) => ({ n, text: `${chunk}:${n}` })));
    growHeap(40);
    await fetch(url).then((r) => r.text());
    assert.ok(await until(() => watch.compactions() === 2, 10_000), 'a second collection after the heap grew again');
    assert.equal(held.length, 80);
  } finally {
    watch.stop();
  }
  assert.equal(server.listenerCount('request'), listeners, 'stop() leaves the server as it was');
});

test('a burst and a silence again soon after: no second collection within the least interval', async () => {
  const watch = compactWhenQuiet(server, { quietMs: 100, checkMs: 25, minGrowthBytes: 0, minIntervalMs: 1_500 });
  try {
    assert.ok(await until(() => watch.compactions() === 1, 3_000), 'the first quiet spell collects');
    const first = Date.now();
    growHeap(20);
    await fetch(url).then((r) => r.text());
    await sleep(400);
    assert.equal(watch.compactions(), 1, 'a second quiet spell 0.4 s later waits for the interval');
    assert.ok(await until(() => watch.compactions() === 2, 3_000), 'and collects once the interval has passed');
    assert.ok(Date.now() - first >= 1_400, `not before the interval: ${Date.now() - first} ms`);
  } finally {
    watch.stop();
  }
});

test('a burst of garbage that died young counts too: the young generation filled by a load is given back at the next quiet spell', async () => {
  const watch = compactWhenQuiet(server, { quietMs: 100, checkMs: 25, minGrowthBytes: 4 * MiB, minIntervalMs: 0 });
  try {
    growHeap(40);
    await fetch(url).then((r) => r.text());
    assert.ok(await until(() => watch.compactions() === 1, 3_000), 'the first quiet spell collects');
    const shrunk = youngBytes();
    // Short-lived objects, dropped at once: they fill the young generation (it grows to its set size) and never reach the old one.
    for (let round = 0; round < 400; round++) assert.ok(Array.from({ length: 4_000 }, (_, n) => ({ n, text: `item ${n}` })).length === 4_000);
    const filled = youngBytes();
    assert.ok(filled - shrunk >= 4 * MiB, `the burst filled the young generation: ${mb(shrunk)} → ${mb(filled)} MB`);
    await fetch(url).then((r) => r.text());
    assert.ok(await until(() => watch.compactions() === 2, 3_000), 'the quiet spell after the burst collects');
    assert.ok(youngBytes() <= filled - 4 * MiB, `the young generation is given back: ${mb(youngBytes())} MB after, ${mb(filled)} before`);
  } finally {
    watch.stop();
  }
});

test('while requests keep arriving, nothing is collected; the first quiet spell after them is', async () => {
  const watch = compactWhenQuiet(server, { quietMs: 300, checkMs: 50, minGrowthBytes: 0, minIntervalMs: 0 });
  try {
    const end = Date.now() + 1_200;
    while (Date.now() < end) {
      await fetch(url).then((r) => r.text());
      await sleep(40);
    }
    assert.equal(watch.compactions(), 0, 'no collection under load');
    assert.ok(await until(() => watch.compactions() === 1, 3_000), 'one collection once the requests stopped');
  } finally {
    watch.stop();
  }
});

test('dead buffers count too: a burst of request bodies cut off, held by small objects, is given back at the next quiet spell', async () => {
  const watch = compactWhenQuiet(server, { quietMs: 100, checkMs: 25, minGrowthBytes: 16 * MiB, minIntervalMs: 0 });
  try {
    // A first quiet spell (it collects what earlier tests left, if that is past the growth).
    await fetch(url).then((r) => r.text());
    await sleep(300);
    const first = watch.compactions();
    const before = process.memoryUsage().arrayBuffers;
    // 64 MiB in 1 MiB buffers, as a request body's chunks are, each held by a small object: the heap hardly grows.
    let held: { body: Buffer }[] | undefined = Array.from({ length: 64 }, () => ({ body: Buffer.alloc(MiB, 1) }));
    assert.equal(held.length, 64);
    held = undefined;
    assert.ok(process.memoryUsage().arrayBuffers - before >= 48 * MiB, 'the buffers are still held until a collection');
    await fetch(url).then((r) => r.text());
    // Given back by the quiet spell's collection (V8 may also free them first, in a scavenge of its own when the machine is busy).
    assert.ok(await until(() => process.memoryUsage().arrayBuffers - before < 16 * MiB, 3_000),
      `given back: ${mb(process.memoryUsage().arrayBuffers - before)} MB left, ${watch.compactions() - first} collection(s)`);
  } finally {
    watch.stop();
  }
});
