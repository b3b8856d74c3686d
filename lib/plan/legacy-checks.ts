/**
 * What the plan says about hosts of the original script and about what else holds a port: a
 * hand-written replica_sync, a storage change that would leave data unserved, ports of hand-made
 * directories and of live processes, directory names hosts.ts cannot name. Pure.
 */
import type { ResolvedHost } from '../config/resolve';
import { hostName } from '../config/rules';
import { serverPaths } from '../layout/paths';
import { LEGACY_REPLICA_SYNC_PREFIX } from '../render/adoption';
import type { DiskHost, DiskModel } from './disk-model';
import type { PlanConflict } from './plan-model';

const storageChanges = (desired: ResolvedHost, disk: DiskHost) => desired.storage !== disk.storage && disk.holdsData === true;
const replicaUnsaid = (desired: ResolvedHost) => desired.replica.script === undefined && desired.replica.rcloneTargets.length === 0 && !desired.replica.replaceLegacyScript;

/** Conflicts of a host of hosts.ts that exists on disk. */
export function legacyConflicts(desired: ResolvedHost, disk: DiskHost, root: string): PlanConflict[] {
  const conflicts: PlanConflict[] = [];
  if (storageChanges(desired, disk) && desired.acknowledgeStorageChange !== disk.storage) {
    conflicts.push({
      name: desired.name,
      message: `storage changes from ${disk.storage} to ${desired.storage}, but ${root}/${desired.name}/${disk.storage} holds data: it stays on disk and stops being served, `
        + `and ${desired.storage} starts with an empty repository in ${root}/${desired.name}/${desired.storage} and new client credentials; `
        + `migrate the data first, or acknowledge it with acknowledgeStorageChange: '${disk.storage}' on ${desired.name} in hosts.ts`,
    });
  }
  if (disk.origin === 'original' && disk.handWrittenReplicaSync === true && replicaUnsaid(desired)) {
    conflicts.push({
      name: desired.name,
      message: `conf/replica_sync was written by hand: the deploy would replace it with the one hosts.ts describes (now: replicate nothing) `
        + `and keep it, not run, as conf/${LEGACY_REPLICA_SYNC_PREFIX}<sha256 prefix>; say how ${desired.name} is replicated: its text as replica.script, `
        + `replica.rcloneTargets, or replica.replaceLegacyScript: true`,
    });
  }
  return conflicts;
}

/** Notes on what the deploy does about those, once hosts.ts has said what it wants. */
export function legacyNotes(desired: ResolvedHost, disk: DiskHost): string[] {
  const notes: string[] = [];
  if (storageChanges(desired, disk) && desired.acknowledgeStorageChange === disk.storage) {
    notes.push(`storage change acknowledged: the data in ${desired.name}/${disk.storage} stays on disk, no longer served`);
  }
  if (disk.origin === 'original' && disk.handWrittenReplicaSync === true && !replicaUnsaid(desired)) {
    notes.push(`the hand-written conf/replica_sync is kept, not run, as conf/${LEGACY_REPLICA_SYNC_PREFIX}<sha256 prefix>`);
  }
  return notes;
}

const portsOf = (host: ResolvedHost): number[] => [host.port, ...(host.consolePort === undefined ? [] : [host.consolePort])];

/** Ports of hosts.ts that a directory made by hand (not a host directory) listens on. */
export function handMadePortConflicts(hosts: readonly ResolvedHost[], disk: DiskModel): PlanConflict[] {
  return hosts.flatMap((host) => portsOf(host).flatMap((port) => disk.others
    .filter((other) => other.name !== host.name && (other.ports ?? []).includes(port))
    .map((other) => ({ name: host.name, message: `port ${port} is used on disk by ${disk.root}/${other.name}, made by hand (a run script below its conf/runsvs/ listens on it)` }))));
}

/**
 * Ports of hosts.ts a live process listens on, unless it is the port this very host already has on
 * disk (its own service) or one a host directory on disk records (its own conflict says so).
 */
export function liveListenerConflicts(hosts: readonly ResolvedHost[], disk: DiskModel): PlanConflict[] {
  const listeners = disk.listeners ?? [];
  if (listeners.length === 0) return [];
  const recorded = new Set([...disk.hosts.flatMap((host) => [host.port, ...(typeof host.marker?.consolePort === 'number' ? [host.marker.consolePort] : [])]), ...disk.others.flatMap((other) => other.ports ?? [])]);
  return hosts.flatMap((host) => portsOf(host).flatMap((port) => {
    if (recorded.has(port)) return [];
    const holders = listeners.filter((listener) => listener.port === port);
    if (holders.length === 0) return [];
    const names = [...new Set(holders.map((holder) => (holder.pid === undefined ? 'a process /proc does not show' : `pid ${holder.pid} (${holder.command ?? '?'})`)))];
    return [{ name: host.name, message: `port ${port} is in use now by ${names.join(', ')}, not by a host of this server; choose another port or stop that process` }];
  }));
}

/**
 * A host directory whose name hosts.ts cannot use (upper case): the exact rename that lets it be
 * adopted. After the rename the deploy finds its old processes by their working directory.
 */
export function uncasedNameAdvice(root: string, name: string, enabled: boolean): string | undefined {
  if (hostName(name) === undefined) return undefined;
  const lower = name.toLowerCase();
  if (hostName(lower) !== undefined) return `${name} cannot be named in hosts.ts (${hostName(name)}); rename its directory by hand, or list "${name}" in server.leaveAlone`;
  const unlink = enabled ? `rm ${serverPaths(root).runit}/${name} && ` : '';
  return `${name} cannot be named in hosts.ts, whose host names are lower case: to adopt it, run \`${unlink}mv ${root}/${name} ${root}/${lower}\`, `
    + `then list ${lower} in hosts.ts (the deploy stops its old processes); or list "${name}" in server.leaveAlone`;
}
