/**
 * replica_sync runs in its own process group (rclone and whatever it starts included), recorded
 * in a small file while it runs, and carries a marker in its environment (inherited by its
 * children). A daemon killed with -9 cannot stop it; its successor finds the group by the record
 * and by the marker (which also covers a kill between spawning and recording) and ends it first,
 * so two replica_sync never run at once.
 */
import { promises as fs, readFileSync, readdirSync, writeFileSync } from 'node:fs';

export interface GroupRecord {
  readonly pid: number;
  /** /proc start time, so a recycled pid is never mistaken for the script. */
  readonly startTime: string;
}

/** Field 22 of /proc/<pid>/stat (start time in clock ticks); undefined if the process is gone. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone.
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** TERM the group, KILL it after `graceMs`; resolves once no member is left. */
export async function endGroup(pgid: number, graceMs: number): Promise<void> {
  signalGroup(pgid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (groupAlive(pgid) && Date.now() < deadline) await sleep(25);
  if (groupAlive(pgid)) signalGroup(pgid, 'SIGKILL');
  while (groupAlive(pgid)) await sleep(10);
}

/** Synchronous, so it is on disk before the daemon does anything else after spawning. */
export function writeGroupRecord(path: string, record: GroupRecord): void {
  writeFileSync(path, `${JSON.stringify(record)}\n`, { mode: 0o640 });
}

/** The environment variable marking every process of a run (value: the daemon's state file). */
export const RUN_MARKER = 'BACKUP_SYNCD_RUN_OF';

/** Process groups of the processes whose environment holds `RUN_MARKER=<value>` (other than this process). */
export function markedGroups(value: string): number[] {
  const needle = `${RUN_MARKER}=${value}`;
  const groups = new Set<number>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (!readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(needle)) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const pgid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      if (pgid > 1 && pgid !== process.pid) groups.add(pgid);
    } catch {
      // Gone, or not ours to read.
    }
  }
  return [...groups].sort((a, b) => a - b);
}

export async function removeGroupRecord(path: string): Promise<void> {
  await fs.rm(path, { force: true });
}

/**
 * Ends every replica_sync left running by a previous daemon of the same state file, found by the
 * record and by the environment marker; returns the process groups it ended.
 */
export async function endLeftoverGroups(recordPath: string, marker: string, graceMs: number): Promise<number[]> {
  const groups = new Set(markedGroups(marker));
  try {
    const record = JSON.parse(await fs.readFile(recordPath, 'utf8')) as GroupRecord;
    // The leader may have exited while its children (rclone) still run: the group is what counts.
    const startTime = processStartTime(record.pid);
    if (Number.isInteger(record.pid) && record.pid > 1 && (startTime === undefined || startTime === record.startTime) && groupAlive(record.pid)) {
      groups.add(record.pid);
    }
  } catch {
    // No record, or an unreadable one: the marker search stands alone.
  }
  for (const pgid of groups) await endGroup(pgid, graceMs);
  await removeGroupRecord(recordPath);
  return [...groups].sort((a, b) => a - b);
}
