/** The process table from /proc: who runs what, where, and which processes belong to a tree or a host. */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly uid: number;
  readonly gid: number;
  /** argv, NUL-split. */
  readonly argv: readonly string[];
  /** Working directory ('' if unreadable): runsv and the services it starts run in their service directory. */
  readonly cwd: string;
}

export function listProcesses(): ProcessInfo[] {
  const processes: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const info = readProcess(Number(entry));
    if (info !== undefined) processes.push(info);
  }
  return processes;
}

export function readProcess(pid: number): ProcessInfo | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    if (/^State:\s+Z/m.test(status)) return undefined;
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((word) => word !== '');
    let cwd = '';
    try { cwd = readlinkSync(`/proc/${pid}/cwd`); } catch { /* exited or kernel thread */ }
    return { pid, ppid: field('PPid'), uid: field('Uid'), gid: field('Gid'), argv, cwd };
  } catch {
    return undefined;
  }
}

/** `pid` and every process below it, by parent links, at this moment. */
export function processTree(pid: number, processes: readonly ProcessInfo[] = listProcesses()): ProcessInfo[] {
  const found = new Map<number, ProcessInfo>();
  const root = processes.find((process) => process.pid === pid);
  if (root !== undefined) found.set(pid, root);
  let grown = true;
  while (grown) {
    grown = false;
    for (const process of processes) {
      if (!found.has(process.pid) && found.has(process.ppid)) {
        found.set(process.pid, process);
        grown = true;
      }
    }
  }
  return [...found.values()];
}

const within = (path: string, directory: string) => path === directory || path.startsWith(`${directory}/`);

/**
 * Processes that work in or name `directory`: runsv, the services, svlogd and a host's own runsvdir
 * run in the service directories below it, and most name it in their arguments. This finds them even
 * after they left the supervision tree (orphans are what the tests look for).
 */
export function processesUsing(directory: string, processes: readonly ProcessInfo[] = listProcesses()): ProcessInfo[] {
  return processes.filter((process) => process.pid !== globalThis.process.pid
    && (within(process.cwd, directory) || process.argv.some((word) => word.split('=').some((part) => within(part, directory)))));
}

export function describeProcesses(processes: readonly ProcessInfo[]): string {
  return processes.map(({ pid, ppid, uid, cwd, argv }) => `${pid} (parent ${ppid}, uid ${uid}, in ${cwd}): ${argv.join(' ')}`).join('\n');
}

/** SIGKILL each pid (gone already is fine). */
export function killPids(pids: Iterable<number>): void {
  for (const pid of pids) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
  }
}
