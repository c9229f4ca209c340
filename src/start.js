/**
 * What `npm start` runs: main.ts with Node's compile cache on (docs/decisions.md, Where a
 * serving process's memory goes).
 *
 * Node strips the types of every .ts file as it loads it, with a transpiler (amaro) that it
 * loads at the first .ts file and that stays in the process's memory. With the compile cache
 * on, the stripped and compiled code of each file is kept on disk, keyed by the file's
 * contents and Node's version; a process whose files are all in the cache never loads the
 * transpiler. The cache must be on before the first .ts file loads, hence this one JavaScript
 * file.
 *
 * The folder is NODE_COMPILE_CACHE's when the operator sets it. Otherwise it is
 * `kelid-compile-cache-<uid>` in the system's temporary folder, used only when it is this
 * user's own, a real folder that no one else may write to: code read from a cache is run, and
 * a folder someone else made in a shared /tmp would let them choose it. Any doubt, or a
 * folder that cannot be made, and Kelid starts without the cache (the memory is the only cost).
 * The folder is passed on in NODE_COMPILE_CACHE to the processes Kelid forks (a cluster's
 * setup process and workers), which then start with the cache on. NODE_DISABLE_COMPILE_CACHE=1
 * turns it off.
 */
import { lstatSync, mkdirSync } from 'node:fs';
import module from 'node:module';
import os from 'node:os';
import path from 'node:path';

/** This user's own cache folder in the temporary folder, made if missing; undefined when it is not safely ours. */
function privateCacheFolder() {
  const uid = process.getuid?.();
  if (uid === undefined) return undefined;
  const folder = path.join(os.tmpdir(), `kelid-compile-cache-${uid}`);
  try {
    mkdirSync(folder, { mode: 0o700 });
  } catch (error) {
    if (error?.code !== 'EEXIST') return undefined;
  }
  try {
    const stat = lstatSync(folder);
    return stat.isDirectory() && stat.uid === uid && (stat.mode & 0o022) === 0 ? folder : undefined;
  } catch {
    return undefined;
  }
}

if (!process.env.NODE_DISABLE_COMPILE_CACHE) {
  const folder = process.env.NODE_COMPILE_CACHE || privateCacheFolder();
  if (folder) {
    process.env.NODE_COMPILE_CACHE = folder;
    module.enableCompileCache?.(folder);
  }
}
await import('./main.ts');
