// Child of embedded-lock-race.test.ts: opens the embedded database in argv[2], says whether it got it, holds it a while.
import { openDatabase } from '../../src/db/database.ts';
const dataDir = process.argv[2]!;
try {
  const handle = await openDatabase({ databaseUrl: undefined, dataDir, poolSize: 1 });
  process.stdout.write('opened\n');
  await new Promise((resolve) => setTimeout(resolve, 3000));
  await handle.close();
} catch (error) {
  process.stdout.write(`refused ${(error as Error).name} ${String((error as Error).message).slice(0, 200)}\n`);
}
