/**
 * TCP ports live processes listen on, from /proc/net/tcp and /proc/net/tcp6, each named by the
 * process holding the socket where /proc lets us see it (root sees every process).
 */
import * as fs from 'node:fs';

export interface Listener {
  readonly port: number;
  /** The socket's inode: the key from /proc/net/tcp to /proc/<pid>/fd. */
  readonly inode: number;
  readonly pid?: number;
  /** /proc/<pid>/comm. */
  readonly command?: string;
}

/** TCP state LISTEN in /proc/net/tcp. */
const LISTEN = '0A';

/** Listening sockets of one /proc/net/tcp{,6} text: `sl local rem st ... uid timeout inode`. */
export function parseProcNetTcp(text: string): Listener[] {
  const listeners: Listener[] = [];
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10 || fields[3] !== LISTEN) continue;
    const port = Number.parseInt(fields[1]!.split(':')[1] ?? '', 16);
    const inode = Number(fields[9]);
    if (Number.isInteger(port) && Number.isInteger(inode)) listeners.push({ port, inode });
  }
  return listeners;
}

function readOr(path: string, fallback: string): string {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}

/** The owners of `inodes`: one pass over /proc/<pid>/fd, stopping once all are found. */
function socketOwners(inodes: ReadonlySet<number>): Map<number, { pid: number; command: string }> {
  const owners = new Map<number, { pid: number; command: string }>();
  if (inodes.size === 0) return owners;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = fs.readlinkSync(`/proc/${entry}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode === undefined || !inodes.has(Number(inode)) || owners.has(Number(inode))) continue;
      owners.set(Number(inode), { pid: Number(entry), command: readOr(`/proc/${entry}/comm`, '?').trim() });
    }
    if (owners.size === inodes.size) break;
  }
  return owners;
}

/** Every TCP port something listens on now (IPv4 and IPv6), with its process where known. */
export function readListeners(): Listener[] {
  const listeners = ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((path) => parseProcNetTcp(readOr(path, '')));
  const owners = socketOwners(new Set(listeners.map(({ inode }) => inode)));
  return listeners.map((listener) => ({ ...listener, ...owners.get(listener.inode) }));
}
