/**
 * What `npm start` runs: main.ts with Node's compile cache on (docs/decisions.md, "npm start's
 * flags").
 *
 * Node strips the types of every .ts file as it loads it, with a transpiler (amaro) that it
 * loads at the first .ts file and that stays in the process's memory. With the compile cache
 * on, the stripped and compiled code of each file is kept on disk, keyed by the file's
 * contents and Node's version; a process whose files are all in the cache never loads the
 * transpiler. The cache must be on before the first .ts file loads, hence this one JavaScript
 * file. A cluster's workers run this file too.
 *
 * A cache that lacks some of the server's files (the first start, the first after the sources
 * changed, a Kubernetes pod's fresh volume) is filled first by a process of its own
 * (compile-cache-fill.ts, 2–3 s), so that not even that start's server loads the transpiler,
 * which would otherwise stay in its memory for as long as it runs. A stamp in the cache says
 * which sources it holds (their paths, sizes and times of change); a fill that fails costs the
 * memory, with a warning, not the start.
 *
 * Code read from the cache is run as it is (Node checks only a checksum of the source, which
 * is public, and one of the entry), so whoever can write into the folder, or swap it for
 * another, chooses what Kelid runs. The folder is `kelid-compile-cache-<uid>` in the system's
 * temporary folder, made with mode 0700, and every process checks before using it:
 * - it is a real folder (not a link) of this user's, that neither group nor others may write;
 * - nothing in it is a link, or someone else's, or writable by group or others;
 * - every folder above it belongs to root or to this user, and one that others may write to
 *   has the sticky bit (so that no one else can rename ours away and put theirs in its place).
 * Any doubt, or a folder that cannot be made, and Kelid starts without the cache, saying why
 * in one warning (the memory is the only cost). NODE_DISABLE_COMPILE_CACHE=1 turns it off.
 * An operator's NODE_COMPILE_CACHE is Node's own setting, on before any of this runs: Kelid
 * then leaves the choice, and the folder's safety, to them (the Kubernetes Deployment sets it
 * to a volume of the pod's own, as an emptyDir is made writable by all without the sticky bit).
 * The checks read every file of the cache: ~15 ms per process for the ~2,000 a server loads.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import module from 'node:module';
import os from 'node:os';
import path from 'node:path';

const STICKY = 0o1000;
const WRITABLE_BY_OTHERS = 0o022;

/** Why `folder` may not hold code this process runs, or undefined when it may. */
function unsafe(folder, uid) {
  const own = lstatSync(folder);
  if (!own.isDirectory()) return 'it is not a folder';
  if (own.uid !== uid || (own.mode & WRITABLE_BY_OTHERS) !== 0) return 'it is not this user\'s alone';
  for (let above = path.dirname(folder); ; above = path.dirname(above)) {
    const stat = statSync(above);
    if (stat.uid !== 0 && stat.uid !== uid) return `${above} belongs to another user`;
    if ((stat.mode & WRITABLE_BY_OTHERS) !== 0 && (stat.mode & STICKY) === 0) return `others may rename what is in ${above}`;
    if (above === path.dirname(above)) break;
  }
  const inside = (dir, depth) => {
    for (const entry of readdirSync(dir)) {
      const file = path.join(dir, entry);
      const stat = lstatSync(file);
      if (stat.isSymbolicLink() || stat.uid !== uid || (stat.mode & WRITABLE_BY_OTHERS) !== 0) return `${file} is not this user's alone`;
      if (stat.isDirectory()) {
        if (depth > 2) return `${file} is deeper than Node's own layout`;
        const found = inside(file, depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  };
  return inside(folder, 1);
}

/** This user's own cache folder in the temporary folder, made if missing and checked; undefined (with a warning) when it is not safe. */
function privateCacheFolder() {
  const uid = process.getuid?.();
  if (uid === undefined) return undefined; // no owners to check (Windows): no cache
  let folder = path.join(os.tmpdir(), `kelid-compile-cache-${uid}`);
  let why;
  try {
    try {
      mkdirSync(folder, { mode: 0o700 });
    } catch (error) {
      if (error?.code !== 'EEXIST') throw error;
    }
    folder = path.join(realpathSync(path.dirname(folder)), path.basename(folder));
    why = unsafe(folder, uid);
  } catch (error) {
    why = error?.code ?? 'it could not be checked';
  }
  if (why === undefined) return folder;
  // Written at once: a start that fails soon after would exit before an emitted warning's turn.
  process.stderr.write(`Warning: Kelid starts without Node's compile cache (about 15 MB more memory): ${folder}: ${why}.\n`);
  return undefined;
}

const sources = import.meta.dirname;
const STAMP = 'kelid-sources';
// Set once this process has seen to the cache (filled it, or found it filled, or failed to):
// its cluster workers, and the filling process itself, leave it be.
const SEEN_TO = 'KELID_COMPILE_CACHE_FILLED';

/**
 * What the cache must hold: every .ts file of src/ by path (absolute, as Node keys its entries),
 * size and time of change (SHA-256, hex).
 */
function sourcesFingerprint() {
  const hash = createHash('sha256').update(`${sources}\n`);
  const files = readdirSync(sources, { recursive: true }).filter((file) => file.endsWith('.ts')).sort();
  for (const file of files) {
    const stat = statSync(path.join(sources, file));
    hash.update(`${file}\0${stat.size}\0${stat.mtimeMs}\n`);
  }
  return hash.digest('hex');
}

/** The stamp's contents, or undefined when there is none yet. */
function readStamp(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Fills the compile cache `dir` (Node's folder for this version and these flags) in a process of
 * its own (compile-cache-fill.ts) unless its stamp says it holds these sources already, so that
 * this process finds every file there and never loads the type stripper. A fill that fails
 * costs memory, not the start: one warning, and this process strips what it lacks.
 */
function fillCompileCache(dir) {
  const stamp = path.join(dir, STAMP);
  const umask = process.umask(0o077);
  try {
    const fingerprint = sourcesFingerprint();
    if (readStamp(stamp) === fingerprint) return;
    const fill = spawnSync(process.execPath, [...process.execArgv, path.join(sources, 'compile-cache-fill.ts')], {
      env: { ...process.env, NODE_COMPILE_CACHE: path.dirname(dir), NODE_DISABLE_COMPILE_CACHE: undefined, [SEEN_TO]: '1' },
      stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', timeout: 60_000,
    });
    // Its first line says why (compile-cache-fill.ts writes one).
    if (fill.status !== 0) throw new Error((fill.error?.message ?? fill.stderr.trim().split('\n')[0]?.slice(0, 300)) || `exit ${fill.status ?? fill.signal}`);
    writeFileSync(stamp, fingerprint);
  } catch (error) {
    process.stderr.write(`Warning: Kelid could not fill Node's compile cache ahead (about 15 MB more memory): ${error?.message ?? error}.\n`);
  } finally {
    process.umask(umask);
  }
}

if (!process.env.NODE_DISABLE_COMPILE_CACHE && !process.env.NODE_COMPILE_CACHE && module.enableCompileCache) {
  const folder = privateCacheFolder();
  if (folder) {
    // Node makes its subfolder (one per Node version and flags) here, with the process's umask:
    // under 002 it would be group-writable, and the next start would rightly refuse it.
    const umask = process.umask(0o077);
    try {
      module.enableCompileCache(folder);
    } finally {
      process.umask(umask);
    }
  }
}
// The cache on, by us or by the operator's NODE_COMPILE_CACHE: filled first, if need be, by
// the process that runs this file as its entry (not one that imports it, whose execArgv would
// have the filling process import it again), once: a cluster's workers find it done.
const cacheDir = module.getCompileCacheDir?.();
if (cacheDir && import.meta.main && !process.env[SEEN_TO]) {
  fillCompileCache(cacheDir);
  process.env[SEEN_TO] = '1';
}
(await import('./main.ts')).runKelid();
