/**
 * What `npm start` runs: main.ts with Node's compile cache on (docs/decisions.md, Where a
 * serving process's memory goes).
 *
 * Node strips the types of every .ts file as it loads it, with a transpiler (amaro, ~17 MB
 * of a process's memory) that it loads at the first .ts file. With the compile cache on, the
 * stripped and compiled code of each file is kept on disk, keyed by the file's contents and
 * Node's version; a process whose files are all in the cache never loads the transpiler. The
 * cache must be on before the first .ts file loads, hence this one JavaScript file.
 *
 * The folder is NODE_COMPILE_CACHE's, else `node-compile-cache` in the system's temporary
 * folder. Set here, it is inherited by the processes Kelid forks (a cluster's setup process
 * and workers), which then start with the cache on. NODE_DISABLE_COMPILE_CACHE=1 turns it off;
 * a folder that cannot be written only costs the memory back, never the start.
 */
import module from 'node:module';
import os from 'node:os';
import path from 'node:path';

process.env.NODE_COMPILE_CACHE ??= path.join(os.tmpdir(), 'node-compile-cache');
module.enableCompileCache?.(process.env.NODE_COMPILE_CACHE);
await import('./main.ts');
