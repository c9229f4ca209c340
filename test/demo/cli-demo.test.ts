// `npm run kelid -- demo` as an operator runs it: a real process against a real database.
// It prints the demo accounts whether it loads the data or finds the database already full
// (the README sends people to it for the accounts).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));

describe('the demo command', () => {
  let database: TestDatabase;
  const demo = () => run(process.execPath, [cli, 'demo'], {
    env: {
      ...process.env, DATABASE_URL: database.url, KELID_SECRET: 'cli-test-secret-'.padEnd(48, 'x'), KELID_PROFILE: 'ir',
      KELID_ARGON2_MEMORY_KIB: '8192', KELID_ARGON2_ITERATIONS: '1',
    },
    encoding: 'utf8',
  });
  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database?.drop());

  const accountsListed = (stdout: string) => {
    assert.match(stdout, /0012345679\s+principal/, 'the demo principal');
    assert.match(stdout, /0045678911\s+student/);
    assert.match(stdout, /KELID_DEMO_PASSWORD \(default Kelid-Demo-1405\)/);
    assert.match(stdout, /0076229645\s+2005-09-06\s+سارا احمدی/, 'a registry-only person, for registration');
  };

  test('on an empty database it loads the data and prints the demo accounts', async () => {
    const { stdout } = await demo();
    assert.match(stdout, /Demo data loaded/);
    accountsListed(stdout);
  });

  test('on a database that already has data it loads nothing and still prints the demo accounts', async () => {
    const { stdout } = await demo();
    assert.match(stdout, /demo data not loaded/);
    assert.doesNotMatch(stdout, /Demo data loaded/);
    accountsListed(stdout);
  });
});
