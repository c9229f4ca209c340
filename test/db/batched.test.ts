// One statement for many callers (src/db/batched.ts): a caller alone goes at once; callers
// that come while statements of the kind are running share the next one; each gets its own
// answer; a failed statement of several is tried again for each, so one bad input fails one caller.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { batched } from '../../src/db/batched.ts';

/** A statement the test finishes by hand: what ran, and a way to let it return. */
function manualStatements(answer: (input: number) => number = (n) => n * 10) {
  const runs: number[][] = [];
  const finish: (() => void)[] = [];
  const run = async (inputs: readonly number[]) => {
    runs.push([...inputs]);
    await new Promise<void>((resolve) => finish.push(resolve));
    return inputs.map(answer);
  };
  return { run, runs, finishNext: async () => { finish.shift()?.(); await new Promise((resolve) => setImmediate(resolve)); } };
}

describe('Statements shared by callers', () => {
  test('a caller alone goes at once, alone', async () => {
    const s = manualStatements();
    const find = batched(s.run, { inFlight: 1, size: 10 });
    const answer = find(1);
    assert.deepEqual(s.runs, [[1]]);
    await s.finishNext();
    assert.equal(await answer, 10);
  });

  test('callers that come while the kind runs share the next statement, each with its answer, up to the size', async () => {
    const s = manualStatements();
    const find = batched(s.run, { inFlight: 1, size: 3 });
    const answers = [1, 2, 3, 4, 5].map((n) => find(n));
    assert.deepEqual(s.runs, [[1]], 'the others wait for the first');
    await s.finishNext();
    assert.deepEqual(s.runs, [[1], [2, 3, 4]]);
    await s.finishNext();
    assert.deepEqual(s.runs, [[1], [2, 3, 4], [5]]);
    await s.finishNext();
    assert.deepEqual(await Promise.all(answers), [10, 20, 30, 40, 50]);
  });

  test('up to inFlight statements run side by side', async () => {
    const s = manualStatements();
    const find = batched(s.run, { inFlight: 2, size: 10 });
    const answers = [1, 2, 3, 4].map((n) => find(n));
    assert.deepEqual(s.runs, [[1], [2]]);
    await s.finishNext();
    assert.deepEqual(s.runs, [[1], [2], [3, 4]]);
    await s.finishNext();
    await s.finishNext();
    assert.deepEqual(await Promise.all(answers), [10, 20, 30, 40]);
  });

  test('a failed statement of several is tried for each: only the bad input fails', async () => {
    const runs: number[][] = [];
    let release: () => void = () => undefined;
    const first = new Promise<void>((resolve) => { release = resolve; });
    const find = batched(async (inputs: readonly number[]) => {
      runs.push([...inputs]);
      if (runs.length === 1) await first;
      if (inputs.includes(13)) throw new Error('refused');
      return inputs.map((n) => n * 10);
    }, { inFlight: 1, size: 10 });
    const answers = [1, 12, 13, 14].map((n) => find(n).then((value) => ({ value }), (error: Error) => ({ error: error.message })));
    release();
    assert.deepEqual(await Promise.all(answers), [{ value: 10 }, { value: 120 }, { error: 'refused' }, { value: 140 }]);
    assert.deepEqual(runs, [[1], [12, 13, 14], [12], [13], [14]]);
  });
});
