// The password-hash queue (issue 12): bounded, a refusal says how long to wait, places taken
// ahead for work that writes before it hashes, background work never refused.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultHashQueueMax, defaultHashQueuePerAddress, estimatedHashSeconds, retryAfterSeconds } from '../../src/domain/hash-queue.ts';
import { createPasswordHasher, HashQueueFull, withHashRoom } from '../../src/identity/passwords.ts';

const cheap = { memoryCost: 8192, timeCost: 1, parallelism: 1 };

describe('the queue\'s arithmetic', () => {
  test('Retry-After is the waiting hashes over the hashing rate, rounded up, between 1 and 120 s', () => {
    assert.equal(retryAfterSeconds(3, 0.5, 1), 2);
    assert.equal(retryAfterSeconds(3, 0.5, 2), 1);
    assert.equal(retryAfterSeconds(0, 0.5, 1), 1);
    assert.equal(retryAfterSeconds(1, 0.001, 4), 1);
    assert.equal(retryAfterSeconds(10_000, 1, 1), 120);
    assert.equal(retryAfterSeconds(1, Number.NaN, 1), 1);
  });

  test('the default queue is about two seconds of hashing at the parameters: 250 per thread at OWASP\'s', () => {
    const owasp = { memoryCost: 19_456, timeCost: 2 };
    assert.equal(defaultHashQueueMax(owasp, 1), 250);
    assert.equal(defaultHashQueueMax(owasp, 4), 1000);
    assert.equal(defaultHashQueueMax({ memoryCost: 19_456, timeCost: 4 }, 2), 250, 'twice the passes, half the hashes');
    assert.equal(defaultHashQueueMax({ memoryCost: 4_194_304, timeCost: 100 }, 3), 3, 'never fewer than one per thread');
    assert.ok(estimatedHashSeconds(owasp) > 0.005 && estimatedHashSeconds(owasp) < 0.01);
  });

  test('one address may hold a tenth of the places by default, never fewer than one per thread', () => {
    assert.equal(defaultHashQueuePerAddress(500, 2), 51);
    assert.equal(defaultHashQueuePerAddress(0, 2), 2);
    assert.equal(defaultHashQueuePerAddress(1, 1), 1);
  });
});

describe('the hash queue', () => {
  test('one hashing and one waiting fill it: the next hash is refused at once with a Retry-After, and there is room again after', async () => {
    const hasher = createPasswordHasher(cheap, 1, 1);
    const stored = await hasher.hash('stored');
    await hasher.verifyNothing('warm'); // its dummy hash is made once, outside the queue
    const waits: number[] = [];
    const stop = hasher.onWait((seconds) => waits.push(seconds));
    const first = hasher.hash('first');
    const second = hasher.hash('second');
    assert.deepEqual({ ...hasher.load(), secondsPerHash: 0, retryAfterSeconds: 0 }, { running: 1, waiting: 1, concurrency: 1, max: 1, secondsPerHash: 0, full: true, retryAfterSeconds: 0 });
    await assert.rejects(hasher.hash('third'), (error: unknown) => error instanceof HashQueueFull && error.retryAfterSeconds >= 1);
    await assert.rejects(hasher.check(stored, 'stored'), HashQueueFull, 'a check as well');
    await assert.rejects(hasher.verifyNothing('anything'), HashQueueFull, 'and the dummy check of an unknown identifier');
    await second;
    assert.equal(hasher.load().full, false);
    assert.equal((await hasher.check(await first, 'first')).valid, true);
    assert.equal(waits.length, 3, 'each hash that ran reported its wait');
    assert.ok(waits[1]! > 0, 'the second waited for the first');
    stop();
  });

  test('places taken ahead count as waiting hashes; a place\'s own hashes are never refused; released places free the queue', async () => {
    const hasher = createPasswordHasher(cheap, 1, 1);
    const a = hasher.reserve();
    const b = hasher.reserve();
    assert.equal(hasher.load().full, true);
    assert.throws(() => hasher.reserve(), HashQueueFull);
    await assert.rejects(hasher.hash('refused'), HashQueueFull);
    const nested = a.reserve();
    assert.equal(hasher.load().full, true, 'a place inside a place is the same place');
    const [one, two] = await Promise.all([a.hash('one'), b.hash('two'), nested.hash('more')]);
    assert.equal((await b.check(one!, 'one')).valid, true);
    assert.equal((await a.check(two!, 'two')).valid, true);
    nested.release();
    a.release();
    b.release();
    assert.equal(hasher.load().full, false);
    assert.equal(hasher.load().waiting, 0);
  });

  test('withHashRoom refuses before its work starts, and gives the place back however the work ends', async () => {
    const hasher = createPasswordHasher(cheap, 1, 0);
    let started = false;
    const held = hasher.reserve();
    await assert.rejects(withHashRoom({ hasher }, async () => { started = true; }), HashQueueFull);
    assert.equal(started, false);
    held.release();
    await assert.rejects(withHashRoom({ hasher }, async (deps) => { await deps.hasher.hash('x'); throw new Error('the work failed'); }), /the work failed/);
    assert.equal(hasher.load().full, false, 'the place was given back');
  });

  test('one client holds at most its share of places, until its work is done; others still find room', async () => {
    const hasher = createPasswordHasher(cheap, 1, 10, 2);
    const a1 = hasher.reserve('203.0.113.7');
    const a2 = hasher.reserve('203.0.113.7');
    assert.equal(hasher.load().full, false, 'the queue itself has room');
    assert.throws(() => hasher.reserve('203.0.113.7'), (error: unknown) => error instanceof HashQueueFull && error.retryAfterSeconds >= 1);
    const b = hasher.reserve('198.51.100.1');
    await a1.hash('started'); // its place taken by its hash: still held for the client until released
    assert.throws(() => hasher.reserve('203.0.113.7'), HashQueueFull, 'a client\'s place counts until its work ends, hashing included');
    a1.release();
    a1.release(); // twice: no place given twice
    const a3 = hasher.reserve('203.0.113.7');
    assert.throws(() => hasher.reserve('203.0.113.7'), HashQueueFull);
    await assert.rejects(withHashRoom({ hasher }, async () => 'not run', '203.0.113.7'), HashQueueFull);
    assert.equal(await withHashRoom({ hasher }, async () => 'run', '198.51.100.1'), 'run');
    for (const place of [a2, a3, b]) place.release();
    assert.equal(hasher.load().waiting, 0);
    assert.equal(await withHashRoom({ hasher }, async () => 'run', '203.0.113.7'), 'run', 'released: room again');
  });

  test('background work waits its turn, never refused, however full the queue', async () => {
    const hasher = createPasswordHasher(cheap, 1, 0);
    const hashes = await Promise.all(['a', 'b', 'c', 'd'].map((password) => hasher.background.hash(password)));
    assert.equal(new Set(hashes).size, 4);
    assert.equal(hasher.load().running, 0);
  });
});
