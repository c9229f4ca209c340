/**
 * The embedded database's folder, one process's at a time (PGlite keeps the database in the
 * process's memory): a lock file linked in place, a stale one taken over under a mutex.
 */
import { link, open, readFile, stat, unlink, writeFile } from 'node:fs/promises';

/** Another live process has the embedded database open (`pid`); opening it as well would lose or damage data. */
export class DatabaseInUseError extends Error {
  readonly directory: string;
  readonly pid: number;
  constructor(directory: string, pid: number) {
    super(`the embedded database ${directory} is in use by Kelid's process ${pid}. Stop that process first (Ctrl+C where \`npm start\` or \`npm run demo\` runs); while it runs, apps are managed in the admin console (/admin/clients) or the admin API (/api/v1/admin/clients).`);
    this.directory = directory;
    this.pid = pid;
  }
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const held = new Set<string>();

/**
 * PGlite is one process's database: two processes writing the same folder each keep their own
 * copy in memory and lose each other's writes (a CLI command while the server runs). The folder
 * is taken with \`<folder>.lock\` (linked in place whole, holding the pid), freed by \`release\`
 * (only while it is still ours). A lock whose process is gone (a crash; or this pid, held by no
 * handle of this process: a container's restart) is taken over under \`<folder>.lock.takeover\`,
 * itself created exclusively, and removed only if it still names the process judged gone: two
 * processes starting together after a crash never both get the folder. Throws DatabaseInUseError.
 */
export async function lockFolder(directory: string): Promise<{ release(): Promise<void> }> {
  const file = `${directory}.lock`;
  /** The pid the lock names (NaN for anything else), or undefined when there is no lock. */
  const pidIn = async (): Promise<number | undefined> => {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    return text === undefined ? undefined : Number(text.trim());
  };
  if (held.has(file)) throw new DatabaseInUseError(directory, process.pid);
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      // Written whole, then linked in place (atomic, and refused if a lock is there): a lock is never seen empty.
      const written = `${file}.${process.pid}`;
      await writeFile(written, String(process.pid));
      try {
        await link(written, file);
      } finally {
        await unlink(written).catch(() => undefined);
      }
      held.add(file);
      return {
        async release() {
          held.delete(file);
          if (await pidIn() === process.pid) await unlink(file).catch(() => undefined);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const pid = await pidIn();
    // Gone since the link was refused (another process taking over): try again, never remove
    // what is not there, as that may by then be the other process's own new lock.
    if (pid === undefined) continue;
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) throw new DatabaseInUseError(directory, pid);
    await takeOver(file, pid, pidIn);
  }
  throw new DatabaseInUseError(directory, (await pidIn()) ?? 0);
}

/**
 * Removes a lock judged stale (naming `stalePid`, NaN for one naming no pid) unless another
 * process took it meanwhile; one process at a time. A lock is removed only under the mutex and
 * only while it still names the stale pid; a new lock appears only once the stale one is gone
 * and always names a live pid, so what is removed is the stale lock, never a new one.
 */
async function takeOver(file: string, stalePid: number, pidIn: () => Promise<number | undefined>): Promise<void> {
  const mutex = `${file}.takeover`;
  try {
    await (await open(mutex, 'wx')).close();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Another process is taking over; one that died doing so left its mutex: gone after 10 s.
    const age = Date.now() - (await stat(mutex).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
    if (age > 10_000) await unlink(mutex).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    return;
  }
  try {
    const now = await pidIn();
    if (now !== undefined && Object.is(now, stalePid)) await unlink(file).catch(() => undefined);
  } finally {
    await unlink(mutex).catch(() => undefined);
  }
}
