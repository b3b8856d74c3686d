/**
 * What /proc tells without privileges: listening TCP ports (/proc/net/tcp, tcp6), which process
 * holds a file lock (/proc/locks: runsv holds `supervise/lock`), and when a process started.
 * Parsers are pure; the readers return undefined where /proc is not there.
 */
import { readFileSync } from 'node:fs';

const TCP_LISTEN = '0A';

/** Local ports in state LISTEN in the text of /proc/net/tcp or /proc/net/tcp6. */
export function parseListeningPorts(text: string): Set<number> {
  const ports = new Set<number>();
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 4 || fields[3] !== TCP_LISTEN) continue;
    const port = Number.parseInt(fields[1]!.split(':')[1] ?? '', 16);
    if (Number.isInteger(port)) ports.add(port);
  }
  return ports;
}

/** Listening ports of this network namespace; undefined when /proc/net is unreadable. */
export function listeningPorts(): Set<number> | undefined {
  const ports = new Set<number>();
  let any = false;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    try {
      for (const port of parseListeningPorts(readFileSync(file, 'utf8'))) ports.add(port);
      any = true;
    } catch {
      // tcp6 is absent without IPv6.
    }
  }
  return any ? ports : undefined;
}

/** `major:minor:inode` of a lock, as /proc/locks writes it (hex device numbers). */
export const lockKey = (major: number, minor: number, inode: number): string => `${major.toString(16)}:${minor.toString(16)}:${inode}`;

/** Holder pid per lock key, from the text of /proc/locks ("1: FLOCK ADVISORY WRITE 6388 fe:00:2146829 0 EOF"). */
export function parseLocks(text: string): Map<string, number> {
  const holders = new Map<string, number>();
  for (const line of text.split('\n')) {
    // Blocked waiters are listed as "1: -> FLOCK ...": they do not hold the lock.
    const match = /^\d+:\s+(?:FLOCK|POSIX|OFDLCK)\s+\S+\s+\S+\s+(\d+)\s+([0-9a-f]+):([0-9a-f]+):(\d+)\s/.exec(line);
    if (match === null) continue;
    holders.set(lockKey(Number.parseInt(match[2]!, 16), Number.parseInt(match[3]!, 16), Number(match[4])), Number(match[1]));
  }
  return holders;
}

export function readLocks(): Map<string, number> | undefined {
  try {
    return parseLocks(readFileSync('/proc/locks', 'utf8'));
  } catch {
    return undefined;
  }
}

/** Linux's dev_t split as glibc's major()/minor() do. */
export function deviceNumbers(dev: number): { readonly major: number; readonly minor: number } {
  const big = BigInt(dev);
  const major = Number(((big >> 8n) & 0xfffn) | ((big >> 32n) & ~0xfffn));
  const minor = Number((big & 0xffn) | ((big >> 12n) & ~0xffn));
  return { major, minor };
}

/** USER_HZ: 100 on every architecture Debian ships. */
const CLOCK_TICKS_PER_SECOND = 100;

/** Start time (ms since the epoch) from /proc/<pid>/stat's field 22 and /proc/stat's btime. */
export function parseProcessStart(statText: string, bootTimeSeconds: number): number | undefined {
  const fields = statText.slice(statText.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[19]);
  return Number.isFinite(ticks) ? bootTimeSeconds * 1000 + (ticks * 1000) / CLOCK_TICKS_PER_SECOND : undefined;
}

export function parseBootTime(statText: string): number | undefined {
  const match = /^btime (\d+)$/m.exec(statText);
  return match === null ? undefined : Number(match[1]);
}

let bootTime: number | undefined;

/** When process `pid` started (ms since the epoch), or undefined when it does not exist. */
export function processStart(pid: number): number | undefined {
  try {
    bootTime ??= parseBootTime(readFileSync('/proc/stat', 'utf8'));
    if (bootTime === undefined) return undefined;
    return parseProcessStart(readFileSync(`/proc/${pid}/stat`, 'utf8'), bootTime);
  } catch {
    return undefined;
  }
}
