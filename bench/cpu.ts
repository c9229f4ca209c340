// Where the CPU went while a load ran, from /proc: the server under test (its process and every
// process below it: the workers of a cluster), PostgreSQL (every `postgres` process below this
// one), this process (the load generator), our other children, and everything else on the
// machine (/proc/stat's busy time less ours: other people's work on a shared machine). Of the
// server, its event loops apart (each server process's main thread, /proc/<pid>/task/<pid>): the
// part of its CPU that is JavaScript's, where the hashing threads are the same library's in
// Kelid and in the reference.
import { readdirSync, readFileSync } from 'node:fs';

type Group = 'bench' | 'server' | 'postgres' | 'ours';
export type CpuSample = { at: number; busy: number; steal: number; procs: Map<number, { group: Group; ticks: number; mainThreadTicks: number }> };

/** utime + stime of one task (a process or one of its threads), in ticks; 0 when it ended meanwhile. */
function taskTicks(path: string): number {
  try {
    const rest = readFileSync(path, 'utf8');
    const fields = rest.slice(rest.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** The CPU ticks so far of every process of this run, grouped, and the machine's busy and stolen ticks. */
export function cpuSample(serverPid: number): CpuSample {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  const all = new Map<number, { parent: number; ticks: number; name: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      all.set(Number(entry), { parent: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]), name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) });
    } catch { /* the process ended meanwhile */ }
  }
  const procs: CpuSample['procs'] = new Map();
  for (const [pid, proc] of all) {
    let mine = false;
    let underServer = false;
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = all.get(p)?.parent) {
      if (p === serverPid) underServer = true;
      if (p === process.pid) { mine = true; break; }
    }
    if (!mine) continue;
    const group: Group = pid === process.pid ? 'bench' : underServer && proc.name !== 'postgres' ? 'server' : proc.name === 'postgres' ? 'postgres' : 'ours';
    procs.set(pid, { group, ticks: proc.ticks, mainThreadTicks: group === 'server' ? taskTicks(`/proc/${pid}/task/${pid}/stat`) : 0 });
  }
  return { at: performance.now(), busy: user + nice + system + irq + softirq, steal, procs };
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

/** Cores' worth of CPU used between two samples (USER_HZ = 100), and CPU seconds per group; a process that ended meanwhile counts for nothing. */
export function cpuBetween(a: CpuSample, b: CpuSample) {
  const seconds = (b.at - a.at) / 1000;
  const used = { bench: 0, server: 0, postgres: 0, ours: 0 };
  let eventLoops = 0;
  for (const [pid, proc] of b.procs) {
    used[proc.group] += proc.ticks - (a.procs.get(pid)?.ticks ?? 0);
    eventLoops += proc.mainThreadTicks - (a.procs.get(pid)?.mainThreadTicks ?? 0);
  }
  const ours = used.bench + used.server + used.postgres + used.ours;
  const cores = (ticks: number) => round(ticks / 100 / seconds);
  return {
    cpuCores: {
      server: cores(used.server), postgres: cores(used.postgres), loadGenerator: cores(used.bench),
      otherProcesses: cores(Math.max(0, b.busy - a.busy - ours)), stolen: cores(b.steal - a.steal),
    },
    /** CPU seconds of the server (and of its event loops alone) and of PostgreSQL between the samples. */
    cpuSeconds: { server: used.server / 100, serverEventLoop: eventLoops / 100, postgres: used.postgres / 100 },
  };
}
