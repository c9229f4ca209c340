// `npm start`'s entry (src/start.js): Node's compile cache is on before the first TypeScript
// file loads, so a process whose files are all in the cache never loads the type stripper
// (~17 MB of memory per process), and the folder it uses is passed on to the processes Kelid
// forks. Each run exits at the configuration check, after loading main.ts, config.ts and
// start-failure.ts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';

// Says, as the process exits, whether Node loaded its TypeScript stripper (amaro) and which cache folder the process was given.
const report = `data:text/javascript,process.on('exit', () => process.stderr.write('\\nREPORT ' + JSON.stringify({ stripper: process.moduleLoadList.some((m) => m.includes('amaro')), cache: process.env.NODE_COMPILE_CACHE ?? null }) + '\\n'))`;

function start(script: string, env: NodeJS.ProcessEnv) {
  const run = spawnSync(process.execPath, ['--import', report, script], {
    env: { ...process.env, NODE_COMPILE_CACHE: undefined, NODE_DISABLE_COMPILE_CACHE: undefined, KELID_PROFILE: 'xx', ...env },
    encoding: 'utf8', timeout: 20_000,
  });
  assert.equal(run.status, 1, run.stderr);
  assert.match(run.stderr, /KELID_PROFILE must be one of ir, il, got "xx"/);
  const line = /^REPORT (.*)$/m.exec(run.stderr)?.[1];
  assert.ok(line, run.stderr);
  return JSON.parse(line) as { stripper: boolean; cache: string | null };
}

describe('npm start (src/start.js): the compile cache', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'kelid-compile-cache-'));
  after(() => rmSync(folder, { recursive: true, force: true }));

  test('the first start fills the cache; the next one runs without loading the type stripper', () => {
    const first = start('src/start.js', { NODE_COMPILE_CACHE: folder });
    assert.equal(first.stripper, true, 'an empty cache: the files are stripped');
    assert.ok(readdirSync(folder).length > 0, 'the cache was written');
    const second = start('src/start.js', { NODE_COMPILE_CACHE: folder });
    assert.deepEqual(second, { stripper: false, cache: folder });
  });

  test('with no folder named, it makes its own (this user\'s, no one else may write) and passes it on to the processes it forks', () => {
    const own = path.join(folder, `kelid-compile-cache-${process.getuid!()}`);
    const run = start('src/start.js', { TMPDIR: folder });
    assert.equal(run.cache, own);
    const made = statSync(own);
    assert.equal(made.mode & 0o777, 0o700);
    assert.equal(start('src/start.js', { TMPDIR: folder }).stripper, false, 'the next start uses it');
  });

  // Code read from the cache is run: a folder in a shared /tmp that someone else could write to is not used.
  for (const [name, plant] of [
    ['writable by others', (own: string) => { mkdirSync(own); chmodSync(own, 0o777); }],
    ['writable by the group', (own: string) => { mkdirSync(own); chmodSync(own, 0o770); }],
    ['a link to another folder', (own: string) => { const elsewhere = path.join(path.dirname(own), 'elsewhere'); mkdirSync(elsewhere, { mode: 0o700 }); symlinkSync(elsewhere, own); }],
    ['a file', (own: string) => { writeFileSync(own, ''); }],
  ] as const) {
    test(`a folder of that name that is ${name} is not used: Kelid starts without the cache`, () => {
      const temporary = mkdtempSync(path.join(tmpdir(), 'kelid-planted-'));
      try {
        plant(path.join(temporary, `kelid-compile-cache-${process.getuid!()}`));
        const run = start('src/start.js', { TMPDIR: temporary });
        assert.deepEqual(run, { stripper: true, cache: null });
      } finally {
        rmSync(temporary, { recursive: true, force: true });
      }
    });
  }

  test('main.ts run directly strips its files every time (why the entry is JavaScript)', () => {
    assert.equal(start('src/main.ts', {}).stripper, true);
  });

  test('NODE_DISABLE_COMPILE_CACHE=1 turns it off: the stripper loads again', () => {
    start('src/start.js', { NODE_COMPILE_CACHE: folder });
    assert.equal(start('src/start.js', { NODE_COMPILE_CACHE: folder, NODE_DISABLE_COMPILE_CACHE: '1' }).stripper, true);
  });
});
