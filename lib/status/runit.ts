/**
 * A runit service's state without running `sv`: runsv's 20-byte `supervise/status` (the format of
 * runit's runsv.c/sv.c), whether a runsv still holds `supervise/lock` (/proc/locks), and when that
 * runsv started, which tells whether the service was restarted since.
 *
 *   bytes 0-7   TAI64 seconds of the last state change (big-endian; 2^62 + 10 + Unix seconds)
 *   bytes 8-11  nanoseconds (big-endian)
 *   bytes 12-15 pid (little-endian; 0 when none)
 *   byte 16     paused (1)   byte 17 want: 'u' or 'd'   byte 18 terminating (1)
 *   byte 19     state: 0 down, 1 run, 2 finish
 */
import { promises as fs } from 'node:fs';
import { deviceNumbers, lockKey, processStart } from './proc';
import { readUntrustedBytes } from '../security/untrusted-file';

export const SUPERVISE_STATUS_BYTES = 20;
const TAI64_UNIX_EPOCH = 4611686018427387914n;
const STATES = ['down', 'run', 'finish'] as const;

export interface SuperviseStatus {
  readonly state: (typeof STATES)[number];
  readonly pid: number | undefined;
  /** When the current state began, ms since the epoch. */
  readonly sinceMs: number;
  readonly paused: boolean;
  readonly wantUp: boolean;
  readonly terminating: boolean;
}

export function parseSuperviseStatus(bytes: Buffer): SuperviseStatus | undefined {
  if (bytes.length !== SUPERVISE_STATUS_BYTES) return undefined;
  const state = STATES[bytes[19]!];
  if (state === undefined) return undefined;
  const seconds = bytes.readBigUInt64BE(0) - TAI64_UNIX_EPOCH;
  // Before 1970 or beyond what a Date holds: not a time runsv wrote.
  if (seconds < 0n || seconds > 8_640_000_000_000n) return undefined;
  const pid = bytes.readUInt32LE(12);
  return {
    state,
    pid: pid === 0 ? undefined : pid,
    sinceMs: Number(seconds) * 1000 + Math.floor(bytes.readUInt32BE(8) / 1e6),
    paused: bytes[16] === 1,
    wantUp: bytes[17] === 'u'.charCodeAt(0),
    terminating: bytes[18] === 1,
  };
}

/** Names in the status report: `up` is runit's `run`. */
export type ServiceState = 'up' | 'down' | 'finish' | 'unsupervised' | 'missing' | 'unknown';

export interface ServiceFacts {
  readonly state: ServiceState;
  readonly pid: number | undefined;
  readonly sinceMs: number | undefined;
  readonly wantUp: boolean | undefined;
  readonly paused: boolean | undefined;
  /** When the runsv supervising it started; undefined when not known. */
  readonly supervisorSinceMs: number | undefined;
  /** Why the state is `unknown` or `unsupervised`. */
  readonly detail: string | undefined;
}

/** A service whose current run began this long after its runsv did was restarted by runsv. */
export const RESTART_SLACK_MS = 5000;

export const wasRestarted = (service: ServiceFacts): boolean | undefined =>
  service.state === 'up' && service.sinceMs !== undefined && service.supervisorSinceMs !== undefined
    ? service.sinceMs - service.supervisorSinceMs > RESTART_SLACK_MS
    : undefined;

const facts = (state: ServiceState, detail?: string): ServiceFacts => ({
  state, pid: undefined, sinceMs: undefined, wantUp: undefined, paused: undefined, supervisorSinceMs: undefined, detail,
});

/**
 * Reads `<serviceDir>/supervise/`. `locks` is /proc/locks parsed (undefined: not available, then a
 * status file is believed as it is).
 */
export async function readRunitService(serviceDir: string, locks: ReadonlyMap<string, number> | undefined): Promise<ServiceFacts> {
  try {
    await fs.lstat(serviceDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? facts('missing') : facts('unknown', `cannot read ${serviceDir} (${code})`);
  }
  const read = await readUntrustedBytes(`${serviceDir}/supervise/status`, SUPERVISE_STATUS_BYTES + 1);
  if (!Buffer.isBuffer(read)) {
    if (read.kind === 'absent') return facts('unsupervised', 'no supervise/status: runsv never ran it');
    return facts('unknown', read.kind === 'unreadable' ? `cannot read supervise/status (${read.code}; runsv makes supervise/ root-only)` : 'supervise/status is not a regular file');
  }
  const status = parseSuperviseStatus(read);
  if (status === undefined) return facts('unknown', 'supervise/status is not runit\'s 20-byte status');

  let supervisorSinceMs: number | undefined;
  if (locks !== undefined) {
    let key: string | undefined;
    try {
      const lock = await fs.lstat(`${serviceDir}/supervise/lock`);
      const { major, minor } = deviceNumbers(lock.dev);
      key = lockKey(major, minor, lock.ino);
    } catch {
      key = undefined;
    }
    const holder = key === undefined ? undefined : locks.get(key);
    // No runsv holds the lock: the status file is what the last one left behind.
    if (holder === undefined) return { ...facts('unsupervised', 'no runsv holds supervise/lock'), sinceMs: status.sinceMs, wantUp: status.wantUp };
    supervisorSinceMs = processStart(holder);
  }
  const state: ServiceState = status.state === 'run' ? 'up' : status.state;
  return { state, pid: status.pid, sinceMs: status.sinceMs, wantUp: status.wantUp, paused: status.paused, supervisorSinceMs, detail: undefined };
}
