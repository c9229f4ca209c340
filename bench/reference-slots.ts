// The benchmark references' limit on argon2id verifications in flight (bench/login-reference.ts,
// bench/login-stack-reference.ts): as many at once as cores, Kelid's KELID_HASH_CONCURRENCY
// default, so that the references and Kelid hash alike. Nothing of Kelid's own code.
import { availableParallelism } from 'node:os';

let running = 0;
const waiting: (() => void)[] = [];

/** Runs `work` once fewer than availableParallelism() others run; the rest wait in arrival order. */
export async function limited<T>(work: () => Promise<T>): Promise<T> {
  if (running >= availableParallelism()) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}
