// Kelid as an operator runs it: a real `node src/main.ts` child process (one process, or a
// cluster's primary), its output kept as lines so a test can wait for what it says.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cheapArgon2 } from './app.ts';

export type KelidProcess = {
  child: ChildProcess;
  pid: number;
  baseUrl: string;
  /** Every line written so far, stdout and stderr. */
  lines: string[];
  /** Resolves with the first line (already written or to come) matching `pattern`; rejects if the process exits first. */
  waitForLine(pattern: RegExp): Promise<string>;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then waits for the end. */
  stop(): Promise<void>;
};

/** The settings every test's Kelid shares: no demo, cheap hashing, quiet but for what tests wait for. */
export const kelidTestEnv = {
  KELID_SECRET: 'test-secret-'.padEnd(48, 'x'), KELID_DEMO: '0', KELID_SMS: 'dev', KELID_EMAIL: 'dev', LOG_LEVEL: 'info',
  KELID_RATE_LIMIT_PER_MINUTE: '100000', HOST: '127.0.0.1', ...cheapArgon2,
};

/** Starts `node src/main.ts` on `port` with `env` (over kelidTestEnv) and waits until /readyz answers. */
export async function startKelid(port: number, env: Record<string, string>): Promise<KelidProcess> {
  const child = spawn(process.execPath, ['src/main.ts'], {
    env: { ...process.env, ...kelidTestEnv, PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve(line: string): void }[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  for (const stream of [child.stdout!, child.stderr!]) {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        for (const waiter of waiters.filter((w) => w.pattern.test(line))) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    });
  }
  const waitForLine = (pattern: RegExp) => {
    const found = lines.find((line) => pattern.test(line));
    if (found !== undefined) return Promise.resolve(found);
    return Promise.race([
      new Promise<string>((resolve) => waiters.push({ pattern, resolve })),
      exited.then(() => { throw new Error(`Kelid exited before saying ${pattern}:\n${lines.join('\n')}`); }),
    ]);
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  const kelid: KelidProcess = {
    child, pid: child.pid!, baseUrl, lines, waitForLine, exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`Kelid exited with ${child.exitCode}:\n${lines.join('\n')}`);
    try {
      if ((await fetch(`${baseUrl}/readyz`)).ok) return kelid;
    } catch { /* not listening yet */ }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await kelid.stop();
  throw new Error(`Kelid did not answer on ${baseUrl}:\n${lines.join('\n')}`);
}

/** The processes whose parent is `pid` (Linux: /proc/<pid>/task/<tid>/children). */
export function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
  } catch {
    return [];
  }
}
