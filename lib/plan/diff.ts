/**
 * hosts.ts against the disk: one row per host with terraform-like actions, plus the conflicts that
 * make applying unsafe. Pure: takes the resolved configuration and a DiskModel.
 */
import type { ResolvedConfig, ResolvedHost } from '../config/resolve';
import { hostPaths } from '../layout/paths';
import type { DiskHost, DiskModel, RunitEntry } from './disk-model';
import { formatBytes } from './format-bytes';
import { legacyConflicts, legacyNotes, liveListenerConflicts, handMadePortConflicts, uncasedNameAdvice } from './legacy-checks';
import {
  EXIT_CHANGES, EXIT_ERROR, EXIT_NO_CHANGES,
  type Plan, type PlanChange, type PlanConflict, type PlanRow, type PlanSummary,
} from './plan-model';

const NOTHING = 'none';
const yesNo = (value: boolean): string => (value ? 'yes' : 'no');
const list = (values: readonly string[]): string => (values.length === 0 ? NOTHING : [...values].sort().join(', '));

function settingChanges(desired: ResolvedHost, disk: DiskHost): PlanChange[] {
  const changes: PlanChange[] = [];
  const add = (field: PlanChange['field'], from: string, to: string, note?: string) => {
    if (from !== to) changes.push({ field, from, to, ...(note === undefined ? {} : { note }) });
  };
  add('port', String(disk.port), String(desired.port));
  add('storage', disk.storage, desired.storage, `old data dir ${disk.name}/${disk.storage} kept`);
  add('tlsCertificate', disk.tlsCertificate ?? disk.marker?.tlsCertificate ?? NOTHING, desired.tlsCertificate);
  add('tlsKey', disk.tlsKey ?? disk.marker?.tlsKey ?? NOTHING, desired.tlsKey);
  if (disk.marker?.allowFrom !== undefined) add('allowFrom', list(disk.marker.allowFrom), list(desired.allowFrom));
  if (disk.marker?.consolePort !== undefined) add('consolePort', String(disk.marker.consolePort ?? NOTHING), String(desired.consolePort ?? NOTHING));
  add('enabled', yesNo(disk.enabled), yesNo(true));
  return changes;
}

const LEFT_ALONE_NOTE = 'left alone (server.leaveAlone): the deploy never touches it';

function keptNote(disk: DiskHost): string {
  const size = disk.sizeBytes === undefined ? '' : ` (${formatBytes(disk.sizeBytes)})`;
  return `not in hosts.ts: nothing is deleted; data, logs and credentials stay on disk${size}`;
}

function credentialsNotes(disk: DiskHost, adopting: boolean, desired?: ResolvedHost): string[] {
  if (disk.credentials === undefined) return [];
  if (desired !== undefined && desired.storage !== disk.storage) return [`its ${disk.storage} credentials and data stay on disk, unused by ${desired.storage}`];
  if (disk.credentials) return adopting ? ['keeps its credentials and data'] : [];
  return adopting ? ['no credentials on disk: new ones are generated'] : ['credentials file missing: the storage service cannot start until it is restored'];
}

function existingHostRow(desired: ResolvedHost, disk: DiskHost): PlanRow {
  const changes = settingChanges(desired, disk);
  const base = {
    name: desired.name,
    portBefore: disk.port,
    portAfter: desired.port,
    storage: desired.storage,
    enabled: disk.enabled,
    credentials: disk.credentials,
    ...(disk.sizeBytes === undefined ? {} : { sizeBytes: disk.sizeBytes }),
    changes,
  };
  if (disk.origin === 'original') {
    const replaced = disk.generatedFiles.length === 0 ? 'no generated files on disk: all are written' : `replaces ${disk.generatedFiles.join(', ')}`;
    return { ...base, action: 'adopted', notes: ['made by the original script', ...credentialsNotes(disk, true, desired), replaced, ...legacyNotes(desired, disk)] };
  }
  const notes = [...credentialsNotes(disk, false, desired), ...legacyNotes(desired, disk)];
  if (disk.marker?.format === 1) notes.push('marker format 1 records no allowFrom or console port; the next deploy records them');
  return { ...base, action: changes.length === 0 ? 'unchanged' : 'changed', notes };
}

function runitConflict(entry: RunitEntry, root: string): PlanConflict {
  const expected = hostPaths(root, entry.name, 'minio').runsvdirService;
  const message = entry.target === undefined
    ? `conf/runit/${entry.name} is not a link; it must be a link to ${expected}`
    : `conf/runit/${entry.name} points to ${entry.target}, not to ${expected}`;
  return { name: entry.name, message };
}

function summarize(rows: readonly PlanRow[], conflicts: number, errors: number): PlanSummary {
  const count = (action: PlanRow['action']) => rows.filter((row) => row.action === action).length;
  const leftAlone = count('left-alone');
  return {
    new: count('new'), removed: count('removed'), changed: count('changed'), unchanged: count('unchanged'), adopted: count('adopted'), conflicts, errors,
    ...(leftAlone > 0 ? { leftAlone } : {}),
  };
}

export interface DiffOptions {
  /**
   * Conflicts found outside the host directories, such as ancestors of the root that an account
   * other than root can write (lib/security/ancestors.ts). @default - none
   */
  readonly securityConflicts?: readonly PlanConflict[];
}

export function diffPlan(config: ResolvedConfig, disk: DiskModel, options: DiffOptions = {}): Plan {
  const desired = new Map(config.hosts.map((host) => [host.name, host]));
  const onDisk = new Map(disk.hosts.map((host) => [host.name, host]));
  const others = new Map(disk.others.map((entry) => [entry.name, entry]));
  const runit = new Map(disk.runit.map((entry) => [entry.name, entry]));
  const leaveAlone = new Set(config.server.leaveAlone);
  const rows: PlanRow[] = [];
  const conflicts: PlanConflict[] = [...(options.securityConflicts ?? [])];
  const warnings = [...disk.warnings];
  if (!disk.rootExists) warnings.push(`${disk.root} does not exist yet: every host is new`);

  const names = [...new Set([...desired.keys(), ...onDisk.keys()])].sort();
  for (const name of names) {
    const want = desired.get(name);
    const have = onDisk.get(name);
    if (want === undefined && have !== undefined) {
      const alone = leaveAlone.has(name);
      const advice = alone ? undefined : uncasedNameAdvice(disk.root, name, have.enabled);
      if (advice !== undefined) warnings.push(advice);
      rows.push({
        name, action: alone ? 'left-alone' : 'removed', portBefore: have.port, storage: have.storage, enabled: have.enabled, credentials: have.credentials,
        ...(have.sizeBytes === undefined ? {} : { sizeBytes: have.sizeBytes }),
        changes: [], notes: alone ? [LEFT_ALONE_NOTE] : [keptNote(have), ...(advice === undefined ? [] : [advice])],
      });
    } else if (want !== undefined && have !== undefined) {
      rows.push(existingHostRow(want, have));
      conflicts.push(...legacyConflicts(want, have, disk.root));
    } else if (want !== undefined) {
      const other = others.get(name);
      const link = runit.get(name);
      const enabled = link?.pointsToHost ?? false;
      if (other !== undefined) {
        const message = `${disk.root}/${name} is ${other.reason}: move it away or fix it by hand`;
        conflicts.push({ name, message });
        rows.push({ name, action: 'conflict', portAfter: want.port, storage: want.storage, enabled, changes: [], notes: [message] });
      } else {
        rows.push({ name, action: 'new', portAfter: want.port, storage: want.storage, enabled, changes: [], notes: enabled ? ['its conf/runit link is already there'] : [] });
      }
    }
  }

  const retiredPorts = new Map<number, string[]>();
  for (const host of disk.hosts.filter((host) => !desired.has(host.name))) {
    retiredPorts.set(host.port, [...(retiredPorts.get(host.port) ?? []), host.name]);
  }
  for (const host of config.hosts) {
    for (const holder of retiredPorts.get(host.port) ?? []) {
      conflicts.push({ name: host.name, message: `port ${host.port} is used on disk by ${holder}, which is not in hosts.ts (its run script keeps the port)` });
    }
  }

  for (const entry of disk.runit) {
    if (!entry.pointsToHost) conflicts.push(runitConflict(entry, disk.root));
    else if (entry.dangling && !desired.has(entry.name)) warnings.push(`conf/runit/${entry.name} dangles: ${entry.target} does not exist`);
  }
  for (const entry of disk.others.filter((other) => !desired.has(other.name))) {
    if (leaveAlone.has(entry.name)) rows.push({ name: entry.name, action: 'left-alone', storage: '-', enabled: runit.get(entry.name)?.pointsToHost ?? false, changes: [], notes: [LEFT_ALONE_NOTE, entry.reason] });
    else warnings.push(`${disk.root}/${entry.name}: ${entry.reason}; ignored`);
  }
  conflicts.push(...handMadePortConflicts(config.hosts, disk), ...liveListenerConflicts(config.hosts, disk));
  const present = new Set([...onDisk.keys(), ...others.keys()]);
  for (const name of leaveAlone) {
    if (!present.has(name)) warnings.push(`server.leaveAlone names ${name}, which is not in ${disk.root}: remove it from the list`);
  }
  rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const errors = disk.errors.map((error) => error.message);
  const summary = summarize(rows, conflicts.length, errors.length);
  const settled = (row: PlanRow) => row.action === 'unchanged' || row.action === 'left-alone';
  const exitCode = errors.length > 0 || conflicts.length > 0 ? EXIT_ERROR : rows.every(settled) ? EXIT_NO_CHANGES : EXIT_CHANGES;
  return { root: disk.root, rows, conflicts, errors, warnings, summary, exitCode };
}
