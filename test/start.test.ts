// `npm start`'s entry (src/start.js): Node's compile cache is on before the first TypeScript
// file loads, so a process whose files are all in the cache never loads the type stripper
// (~15 MB of memory per process): a cache that lacks some of them (the first start, or the
// first after the sources changed) is filled by a process of its own first, so not even the
// first start's server loads it. Code read from the cache is run, so the folder is used
// only when no one else can write into it or swap it (src/start.js says the rules). Each run
// exits at the configuration check, after loading main.ts, config.ts and start-failure.ts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';

// Says, as the process exits, whether Node loaded its TypeScript stripper (amaro) and where its compile cache is (null: off).
const report = `data:text/javascript,process.on('exit', () => process.stderr.write('\\nREPORT ' + JSON.stringify({ stripper: process.moduleLoadList.some((m) => m.includes('amaro')), cache: ((d) => d ? process.getBuiltinModule('node:path').dirname(d) : null)(process.getBuiltinModule('node:module').getCompileCacheDir()) }) + '\\n'))`;
const uid = process.getuid!();

function start(script: string | string[], env: NodeJS.ProcessEnv, umask?: string, imports: string[] = []) {
  const node = [process.execPath, ...[report, ...imports].flatMap((i) => ['--import', i]), ...[script].flat()];
  const [command, ...args] = umask === undefined ? node : ['/bin/sh', '-c', `umask ${umask}; exec "$@"`, 'sh', ...node];
  const run = spawnSync(command!, args, {
    env: { ...process.env, NODE_COMPILE_CACHE: undefined, NODE_DISABLE_COMPILE_CACHE: undefined, KELID_PROFILE: 'xx', ...env },
    encoding: 'utf8', timeout: 20_000,
  });
  assert.equal(run.status, 1, run.stderr);
  assert.match(run.stderr, /KELID_PROFILE must be one of ir, il, got "xx"/);
  const line = /^REPORT (.*)$/m.exec(run.stderr)?.[1];
  assert.ok(line, run.stderr);
  const fillWarning = /^Warning: Kelid could not fill Node's compile cache ahead .*?: (.*)\.$/m.exec(run.stderr)?.[1];
  return {
    ...JSON.parse(line) as { stripper: boolean; cache: string | null },
    warning: /^Warning: Kelid starts without Node's compile cache .*?: (.*)$/m.exec(run.stderr)?.[1],
    ...fillWarning === undefined ? {} : { fillWarning },
  };
}

/** Where start.js keeps the stamp of the sources in the cache it made under `temporary` (Node's one folder for this version and these flags). */
function stampIn(temporary: string): string {
  const own = path.join(temporary, `kelid-compile-cache-${uid}`);
  const [versioned, ...others] = readdirSync(own);
  assert.deepEqual(others, [], 'one folder for one Node and one set of flags');
  return path.join(own, versioned!, 'kelid-sources');
}

/** A fresh temporary folder with `mode`, removed after the test. */
function scratch(mode: number, cleanUp: string[]): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'kelid-start-'));
  chmodSync(folder, mode);
  cleanUp.push(folder);
  return folder;
}

describe('npm start (src/start.js): the compile cache', () => {
  const cleanUp: string[] = [];
  after(() => { for (const folder of cleanUp) rmSync(folder, { recursive: true, force: true }); });

  test('it makes its own folder (mode 0700) and fills it; the next start, a cluster worker\'s too, runs without loading the type stripper', () => {
    const temporary = scratch(0o700, cleanUp);
    const own = path.join(temporary, `kelid-compile-cache-${uid}`);
    const first = start('src/start.js', { TMPDIR: temporary });
    assert.deepEqual(first, { stripper: false, cache: own, warning: undefined }, 'an empty cache: filled by a process of its own first');
    assert.equal(statSync(own).mode & 0o777, 0o700);
    assert.ok(readdirSync(path.dirname(stampIn(temporary))).length > 100, 'the cache was written');
    assert.equal(statSync(stampIn(temporary)).mode & 0o777, 0o600, 'the stamp of the sources it holds');
    assert.deepEqual(start('src/start.js', { TMPDIR: temporary }), { stripper: false, cache: own, warning: undefined });
  });

  test('a stamp that does not match the sources (they changed since) has the cache filled again; a fill that fails costs memory, not the start', () => {
    const temporary = scratch(0o700, cleanUp);
    const own = path.join(temporary, `kelid-compile-cache-${uid}`);
    start('src/start.js', { TMPDIR: temporary });
    const stamp = stampIn(temporary);
    const filled = readFileSync(stamp, 'utf8');
    writeFileSync(stamp, 'other sources');
    assert.deepEqual(start('src/start.js', { TMPDIR: temporary }), { stripper: false, cache: own, warning: undefined });
    assert.equal(readFileSync(stamp, 'utf8'), filled);

    // The filling process dies at once (an --import that only it obeys): the server strips what the cache lacks.
    const fresh = scratch(0o700, cleanUp);
    const failing = start('src/start.js', { TMPDIR: fresh }, undefined, [`data:text/javascript,if (process.argv[1]?.endsWith('compile-cache-fill.ts')) { console.error('no fill today'); process.exit(3); }`]);
    assert.equal(failing.stripper, true);
    assert.equal(failing.fillWarning, 'no fill today');
    assert.throws(() => readFileSync(stampIn(fresh)), /ENOENT/, 'no stamp: the next start fills');
  });

  test('only the process that runs start.js as its entry fills, once: not one that imports it, nor its cluster workers', () => {
    // Imported, its execArgv would have the filling process import start.js again, and so on.
    const imported = scratch(0o700, cleanUp);
    const run = start(['-e', '0'], { TMPDIR: imported }, undefined, ['./src/start.js']);
    assert.deepEqual(run, { stripper: true, cache: path.join(imported, `kelid-compile-cache-${uid}`), warning: undefined });
    // What the primary tells its workers (and the filling process) once it has seen to the cache.
    const worker = scratch(0o700, cleanUp);
    assert.equal(start('src/start.js', { TMPDIR: worker, KELID_COMPILE_CACHE_FILLED: '1' }).stripper, true);
    assert.throws(() => readFileSync(stampIn(worker)), /ENOENT/, 'no fill, no stamp');
  });

  test('under umask 002 (group-writable by default) the folders Node makes are still this user\'s alone: the next start uses them', () => {
    const temporary = scratch(0o700, cleanUp);
    assert.equal(start('src/start.js', { TMPDIR: temporary }, '002').warning, undefined);
    const own = path.join(temporary, `kelid-compile-cache-${uid}`);
    for (const entry of readdirSync(own)) assert.equal(statSync(path.join(own, entry)).mode & 0o022, 0, entry);
    assert.deepEqual(start('src/start.js', { TMPDIR: temporary }, '002'), { stripper: false, cache: own, warning: undefined });
  });

  test('main.ts run directly strips its files every time (why the entry is JavaScript)', () => {
    assert.equal(start('src/main.ts', {}).stripper, true);
  });

  test('NODE_DISABLE_COMPILE_CACHE=1 turns it off', () => {
    const temporary = scratch(0o700, cleanUp);
    start('src/start.js', { TMPDIR: temporary });
    assert.deepEqual(start('src/start.js', { TMPDIR: temporary, NODE_DISABLE_COMPILE_CACHE: '1' }), { stripper: true, cache: null, warning: undefined });
  });

  test('an operator\'s NODE_COMPILE_CACHE is Node\'s own: used as set', () => {
    const chosen = scratch(0o700, cleanUp);
    const first = start('src/start.js', { NODE_COMPILE_CACHE: chosen });
    assert.deepEqual([first.stripper, first.cache], [false, chosen], 'filled first there too');
    const second = start('src/start.js', { NODE_COMPILE_CACHE: chosen });
    assert.equal(second.stripper, false);
    assert.equal(second.cache, chosen);
  });

  // What someone else could have planted or could swap: Kelid starts all the same, without the cache, and says why.
  const refusals: [string, (temporary: string, own: string) => void, RegExp][] = [
    ['a folder of that name writable by others', (_, own) => { mkdirSync(own); chmodSync(own, 0o777); }, /not this user's alone/],
    ['a folder of that name writable by the group', (_, own) => { mkdirSync(own); chmodSync(own, 0o770); }, /not this user's alone/],
    ['a link of that name to another folder', (temporary, own) => { mkdirSync(path.join(temporary, 'elsewhere'), { mode: 0o700 }); symlinkSync(path.join(temporary, 'elsewhere'), own); }, /not a folder/],
    ['a file of that name', (_, own) => writeFileSync(own, ''), /not a folder/],
    ['an entry inside writable by others', (_, own) => { mkdirSync(path.join(own, 'v24'), { recursive: true, mode: 0o700 }); writeFileSync(path.join(own, 'v24', 'entry'), 'planted', { mode: 0o666 }); chmodSync(path.join(own, 'v24', 'entry'), 0o666); }, /entry is not this user's alone/],
    ['a link inside', (_, own) => { mkdirSync(own, { mode: 0o700 }); symlinkSync('/etc', path.join(own, 'v24')); }, /v24 is not this user's alone/],
  ];
  if (uid === 0) {
    refusals.push(['an entry inside that belongs to someone else', (_, own) => { mkdirSync(own, { mode: 0o700 }); writeFileSync(path.join(own, 'entry'), 'planted'); chownSync(path.join(own, 'entry'), 65534, 65534); }, /entry is not this user's alone/]);
    refusals.push(['a folder above that belongs to someone else', (temporary) => chownSync(temporary, 65534, 65534), /belongs to another user/]);
  }
  for (const [name, plant, why] of refusals) {
    test(`not used: ${name}`, () => {
      const temporary = scratch(0o700, cleanUp);
      plant(temporary, path.join(temporary, `kelid-compile-cache-${uid}`));
      const run = start('src/start.js', { TMPDIR: temporary });
      assert.equal(run.cache, null);
      assert.equal(run.stripper, true);
      assert.match(run.warning ?? '', why);
    });
  }

  test('not used under a folder that others may write to without the sticky bit (they could swap ours); used with it', () => {
    const open = scratch(0o777, cleanUp);
    const run = start('src/start.js', { TMPDIR: open });
    assert.equal(run.cache, null);
    assert.match(run.warning ?? '', /others may rename what is in/);
    const sticky = scratch(0o1777, cleanUp);
    assert.equal(start('src/start.js', { TMPDIR: sticky }).cache, path.join(sticky, `kelid-compile-cache-${uid}`));
  });
});
