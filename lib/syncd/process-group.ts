/**
 * replica_sync runs in its own process group (rclone and whatever it starts included), recorded
 * in a small file while it runs. A daemon killed with -9 cannot stop it; its successor finds the
 * record and ends that group first, so two replica_sync never run at once.
 */
import { promises as fs, readFileSync } from 'node:fs';

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

export async function writeGroupRecord(path: string, record: GroupRecord): Promise<void> {
  await fs.writeFile(path, `${JSON.stringify(record)}\n`, { mode: 0o640 });
}

export async function removeGroupRecord(path: string): Promise<void> {
  await fs.rm(path, { force: true });
}

/** Ends a replica_sync left running by a previous daemon; returns its pid if there was one. */
export async function endLeftoverGroup(path: string, graceMs: number): Promise<number | undefined> {
  let record: GroupRecord;
  try {
    record = JSON.parse(await fs.readFile(path, 'utf8')) as GroupRecord;
  } catch {
    await removeGroupRecord(path);
    return undefined;
  }
  let ended: number | undefined;
  // The leader may have exited while its children (rclone) still run: the group is what counts.
  const leaderIsOurs = processStartTime(record.pid) === record.startTime;
  const leaderGone = processStartTime(record.pid) === undefined;
  if ((leaderIsOurs || leaderGone) && Number.isInteger(record.pid) && record.pid > 1 && groupAlive(record.pid)) {
    await endGroup(record.pid, graceMs);
    ended = record.pid;
  }
  await removeGroupRecord(path);
  return ended;
}
