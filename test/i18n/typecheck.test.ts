// The type checker is the test of the catalog keys (keys.typecheck.ts): it runs here too, so a
// key typed as `string` again, or a misspelt key anywhere in src/, fails `npm test` and CI, not
// only `npm run check`. One test, one full check (seconds with TypeScript 7's tsc).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { test } from 'node:test';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tsc = fileURLToPath(new URL('../../node_modules/.bin/tsc', import.meta.url));

/** tsc's exit code and everything it printed. */
async function runTsc(...args: string[]): Promise<{ code: unknown; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(tsc, args, { cwd: root, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    return { code: failed.code, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

test('the project type-checks, misspelt keys in keys.typecheck.ts refused included', { timeout: 180_000 }, async () => {
  // A tsconfig that left the file out would make the check below pass without it.
  const files = await runTsc('-p', '.', '--listFilesOnly');
  assert.equal(files.code, 0, files.output);
  assert.match(files.output, /test\/i18n\/keys\.typecheck\.ts$/m);
  const check = await runTsc('--noEmit', '-p', '.');
  assert.equal(check.code, 0, `tsc --noEmit -p . failed:\n${check.output}`);
});
