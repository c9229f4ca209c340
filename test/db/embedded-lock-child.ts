// Child of embedded-lock-race.test.ts: takes the embedded database's folder (argv[2]/pgdata) as
// openDatabase does first (db/pglite.ts: lockFolder, before PGlite opens anything), at the
// moment in argv[3] (ms since the epoch) so that all eight try together, and says whether it
// got it. The one that got it holds it until the test has every answer (it closes our stdin).
// PGlite itself is left out: opening it took each round about 15 s of this 2-core machine and
// decides nothing about who gets the folder.
import path from 'node:path';
import { lockFolder } from '../../src/db/folder-lock.ts';
const [dataDir = '', at = '0'] = process.argv.slice(2);
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(at) - Date.now())));
try {
  const lock = await lockFolder(path.join(dataDir, 'pgdata'));
  process.stdout.write('opened\n');
  await new Promise((resolve) => { process.stdin.on('end', resolve).resume(); });
  await lock.release();
} catch (error) {
  process.stdout.write(`refused ${(error as Error).name} ${String((error as Error).message).slice(0, 200)}\n`);
}
