// `npm run kelid -- …` reads every command's arguments before it opens a database: asking for
// help prints the command's usage and exits 0; a wrong command, action, flag or operand prints
// the usage and exits 2; a value no command may take is one line and exit 1. None of them
// creates the embedded database's folder, or connects to PostgreSQL.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

describe('the command line reads its arguments before it touches a database', () => {
  let parent: string;
  let dataDir: string;
  const { DATABASE_URL: _none, KELID_DATABASE_LISTEN_URL: _neither, ...environment } = process.env;
  const kelid = (args: string[], env: NodeJS.ProcessEnv = {}, input = '') => {
    const run = spawnSync(process.execPath, [cli, ...args], { env: { ...environment, KELID_DATA_DIR: dataDir, ...env }, input, encoding: 'utf8', timeout: 60_000 });
    return { code: run.status, stdout: run.stdout, stderr: run.stderr };
  };
  before(async () => {
    parent = await mkdtemp(path.join(tmpdir(), 'kelid-cli-'));
    dataDir = path.join(parent, 'data');
  });
  after(() => rm(parent, { recursive: true, force: true }));

  test('--help or -h after any command prints that command\'s usage and exits 0', () => {
    for (const [args, shown, notShown] of [
      [['clients', '--help'], /clients add CLIENT_ID/, /keys rotate/],
      [['clients', 'add', '-h'], /clients rotate-secret CLIENT_ID/, /migrate/],
      [['keys', 'rotate', '--help'], /keys rotate/, /clients list/],
      [['migrate', '-h'], /migrate +apply pending database migrations/, /clients list/],
      [['demo', '--help'], /demo +load the demo data/, /clients list/],
      [['registry', 'import', '--help'], /registry import FILE\.csv/, /clients list/],
    ] as const) {
      const result = kelid([...args]);
      assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stdout, /^Usage: npm run kelid -- /);
      assert.match(result.stdout, shown, args.join(' '));
      assert.doesNotMatch(result.stdout, notShown, `${args.join(' ')}: that command's usage only`);
      assert.equal(result.stderr, '');
    }
    const all = kelid(['--help']);
    assert.equal(all.code, 0);
    for (const command of ['migrate', 'demo', 'registry import', 'clients list', 'keys rotate', 'help']) assert.match(all.stdout, new RegExp(`^  ${command} `, 'm'));
    assert.equal(existsSync(dataDir), false, 'no database folder made');
  });

  test('a wrong command, action, flag or operand prints the usage and exits 2', () => {
    for (const [args, message, usage] of [
      [['nonsense'], /unknown command: nonsense/, /clients list/],
      [['clients'], /clients needs an action/, /clients list/],
      [['clients', 'fly'], /unknown clients command: fly/, /clients list/],
      [['clients', 'add', 'grades-app', '--bogus'], /^kelid: unknown option --bogus$/m, /clients add CLIENT_ID/],
      [['clients', 'add', '--name', 'Grades'], /clients add takes one CLIENT_ID/, /clients add CLIENT_ID/],
      [['clients', 'add', 'grades-app', '--public=yes'], /^kelid: option --public takes no value$/m, /clients add CLIENT_ID/],
      [['clients', 'update'], /clients update takes one CLIENT_ID/, /clients update CLIENT_ID/],
      [['clients', 'update', 'grades-app', '--name'], /^kelid: option --name needs a value$/m, /clients update CLIENT_ID/],
      [['clients', 'remove'], /clients remove takes one CLIENT_ID/, /clients remove CLIENT_ID/],
      [['clients', 'list', '--all'], /clients list takes nothing more/, /clients list/],
      [['keys'], /keys takes rotate/, /keys rotate/],
      [['migrate', 'now'], /unexpected now/, /migrate/],
      [['registry', 'import'], /registry import takes one FILE/, /registry import FILE\.csv/],
    ] as const) {
      const result = kelid([...args]);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stdout}${result.stderr}`);
      assert.match(result.stderr, /^kelid: /);
      assert.match(result.stderr, message, args.join(' '));
      assert.match(result.stderr, /\n\nUsage: npm run kelid -- /);
      assert.match(result.stderr, usage, args.join(' '));
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
      assert.equal(result.stdout, '');
    }
    assert.equal(existsSync(dataDir), false, 'no database folder made');
  });

  test('a value no app may take is one line and exit 1, before the database is opened', () => {
    for (const args of [
      ['clients', 'add', 'grades-app', '--name', 'Grades', '--grant', 'password'],
      ['clients', 'add', 'sis', '--name', 'SIS', '--grant', 'client_credentials', '--organization', '12345678'],
      ['clients', 'update', 'grades-app', '--jwt', '--opaque'],
    ]) {
      const result = kelid(args);
      assert.equal(result.code, 1, `${args.join(' ')}: ${result.stdout}${result.stderr}`);
      assert.match(result.stderr, /^kelid: [^\n]+\n$/);
    }
    assert.equal(existsSync(dataDir), false, 'no database folder made');
  });

  test('with DATABASE_URL, help and a wrong flag never connect (an address nothing answers on is never tried)', () => {
    const production = { DATABASE_URL: 'postgres://kelid@127.0.0.1:9/kelid', KELID_SECRET: 'cli-usage-secret-'.padEnd(48, 'x') };
    assert.equal(kelid(['clients', '--help'], production).code, 0);
    const wrong = kelid(['clients', 'list', '--all'], production);
    assert.equal(wrong.code, 2, wrong.stderr);
    assert.doesNotMatch(wrong.stderr, /cannot use the database/);
    // The same environment does try the database once the command is right.
    const right = kelid(['clients', 'list'], production);
    assert.equal(right.code, 1);
    assert.match(right.stderr, /kelid: cannot use the database/);
    assert.equal(existsSync(dataDir), false);
  });

  test('registry import reads /dev/stdin, as in a pod whose root is read-only (docs/operations.md)', () => {
    const csv = 'national_id,first_name,last_name,birth_date\n0076229645,سارا,احمدی,1384/06/15\n1583250689,رضا,کریمی,2011-05-10\n';
    const env = { KELID_DATA_DIR: path.join(parent, 'registry'), KELID_SECRET: 'cli-registry-secret-'.padEnd(48, 'x'), KELID_PROFILE: 'ir' };
    const first = kelid(['registry', 'import', '/dev/stdin'], env, csv);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stderr, `kelid: on the embedded database in ${env.KELID_DATA_DIR} (DATABASE_URL is not set)\n`, 'said, since DATABASE_URL may have been meant');
    assert.match(first.stdout, /Registry import: 2 created, 0 updated, 0 unchanged, 0 rejected\./);
    assert.match(kelid(['registry', 'import', '/dev/stdin'], env, csv).stdout, /0 created, 0 updated, 2 unchanged/);
  });
});
