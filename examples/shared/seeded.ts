/**
 * Deterministic sample data: the same seed (a national ID, a `sub`) always gives the same
 * numbers, on any machine, so every demo person has data and a page shows the same data on
 * every visit. SHA-256 in counter mode: plain, and nothing to tune. Not for secrets.
 */
import { createHash } from 'node:crypto';

export type Seeded = {
  /** In [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
  /** `count` different items, in a seed-given order. */
  sample<T>(items: readonly T[], count: number): T[];
};

export function seeded(seed: string): Seeded {
  let block = 0;
  let pool = Buffer.alloc(0);
  let offset = 0;
  const next = () => {
    if (offset + 4 > pool.length) {
      pool = createHash('sha256').update(`${seed}\u0000${block++}`).digest();
      offset = 0;
    }
    const value = pool.readUInt32BE(offset);
    offset += 4;
    return value / 2 ** 32;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: <T>(items: readonly T[]) => {
      const item = items[int(0, items.length - 1)];
      if (item === undefined) throw new RangeError('pick from an empty list');
      return item;
    },
    chance: (probability) => next() < probability,
    sample: <T>(items: readonly T[], count: number) => {
      const rest = [...items];
      const chosen: T[] = [];
      while (chosen.length < count && rest.length > 0) chosen.push(...rest.splice(int(0, rest.length - 1), 1));
      return chosen;
    },
  };
}
