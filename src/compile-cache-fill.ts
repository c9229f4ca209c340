/**
 * Run by start.js, in a process of its own, when Node's compile cache may lack some of a
 * server's files (the first start, or the first after the sources changed): loads main.ts and every
 * part of a serving process (server-parts.ts) without running any, so that Node strips, compiles and
 * writes each file to the cache (NODE_COMPILE_CACHE, set by start.js), then exits. The serving
 * process that follows finds every file in the cache and never loads the type stripper, which
 * would stay in its memory for good (~15 MB). Exit 0 when every part loaded, 1 (with the error
 * on stderr) when one did not.
 */
import module from 'node:module';
import { serverParts } from './server-parts.ts';

try {
  await import('./main.ts'); // not run: it runs only as the process's own entry
  for (const load of Object.values(serverParts)) await load();
  module.flushCompileCache();
  process.exit(0);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
