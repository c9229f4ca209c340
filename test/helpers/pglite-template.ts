// A migrated PGlite data folder, made once per test run by the global setup: a fresh PGlite
// takes seconds to initialise, loading a dump well under one.
import { readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';

export const PGLITE_TEMPLATE_VAR = 'KELID_TEST_PGLITE_TEMPLATE';

export async function makePgliteTemplate(): Promise<{ file: string; remove(): Promise<void> }> {
  const handle = await openDatabase({ databaseUrl: undefined, dataDir: '', poolSize: 1, inMemory: {} });
  await migrate(handle);
  const dump = await handle.dump!();
  await handle.close();
  const file = path.join(os.tmpdir(), `kelid-pglite-template-${process.pid}.tar`);
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  return { file, remove: () => rm(file, { force: true }) };
}

export async function readPgliteTemplate(): Promise<Blob> {
  const file = process.env[PGLITE_TEMPLATE_VAR];
  if (!file) throw new Error(`${PGLITE_TEMPLATE_VAR} is not set: run tests with --test-global-setup=test/global-setup.ts`);
  return new Blob([await readFile(file)]);
}
