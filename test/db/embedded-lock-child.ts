// Child of embedded-lock-race.test.ts: takes the embedded database's folder in argv[2] as
// openDatabase does first (db/pglite.ts: lockFolder, before PGlite opens anything), says whether
// it got it, and holds it while the others try. All try at once, at the time in argv[3]. PGlite itself is left out: opening it took each
// round about 15 s of this 2-core machine and decides nothing about who gets the folder.
import { lockFolder } from '../../src/db/folder-lock.ts';
const [dataDir = '', at = '0'] = process.argv.slice(2);
// All eight try at the same moment (argv[3], ms since the epoch), not as each happens to have started.
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(at) - Date.now())));
try {
  const lock = await lockFolder(dataDir);
  process.stdout.write('opened\n');
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await lock.release();
} catch (error) {
  process.stdout.write(`refused ${(error as Error).name} ${String((error as Error).message).slice(0, 200)}\n`);
}
