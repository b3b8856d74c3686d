/**
 * Reads `<root>` into a DiskModel: which directories are hosts, their ports, storage, credentials,
 * TLS links and enabling links, and optionally their sizes. Read-only; a path that cannot be read
 * becomes a ScanError instead of a guess.
 */
import { posix } from 'node:path';
import { generatedFilePaths, hostPaths, serverPaths, certsFile } from '../layout/paths';
import { CERTIFICATE_LINK, KEY_LINK } from '../render/host-commands';
import { STORAGE_KINDS } from '../storage/kinds';
import { storageBackend } from '../storage/registry';
import type { StorageKind } from '../config/types';
import { errorCode, isAbsent, nodeDiskReader, probe, readIfPresent, UnreadablePathError, type DiskReader } from './disk-reader';
import { fileKind, RefusedFileError } from '../security/untrusted-file';
import { recognise, type EntryKind } from './recognise';
import type { DiskHost, DiskModel, OtherEntry, RunitEntry, ScanError } from './disk-model';
import { runScriptPorts } from './recognise';
import { readPlanFile } from './untrusted-read';
import { GENERATED_NOTICE } from '../render/script';
import type { Listener } from './listeners';

export interface ScanOptions {
  /** Count the bytes under every host directory (walks all the data: slow on big servers). */
  readonly sizes?: boolean;
  /** @default - the real file system */
  readonly reader?: DiskReader;
  /** Where live listeners come from (the CLI passes readListeners). @default - none are read */
  readonly listeners?: () => Listener[];
}

/** How many service directories of a hand-made host are read for ports. */
const MAX_HAND_MADE_SERVICES = 16;

/** Ports of the run scripts of `<dir>/conf/runsvs/*` (a host made by hand), read as untrusted files. */
function handMadePorts(reader: DiskReader, dir: string, warnings: string[]): number[] {
  const services = probe((path) => reader.readdir(path), `${dir}/conf/runsvs`) ?? [];
  const ports: number[] = [];
  for (const service of services.sort().slice(0, MAX_HAND_MADE_SERVICES)) {
    const read = readPlanFile(reader, `${dir}/conf/runsvs/${service}/run`);
    if (read.kind === 'text') ports.push(...runScriptPorts(read.text));
    if (read.kind === 'refused') warnings.push(read.reason);
  }
  return [...new Set(ports)].sort((a, b) => a - b);
}

/** The data directory holds anything besides minio's own bookkeeping. */
function holdsData(reader: DiskReader, dataDir: string): boolean {
  const names = probe((path) => (reader.lstat(path).isDirectory() ? reader.readdir(path) : []), dataDir) ?? [];
  return names.some((name) => name !== '.minio.sys');
}

/** The most the plan reads of a marker (a few hundred bytes when this project writes it). */
export const MARKER_READ_LIMIT = 64 * 1024;
/** The most the plan reads of a run script of the original script. */
export const RUN_SCRIPT_READ_LIMIT = 1024 * 1024;

/** The storage kind whose layout the original script made. */
const ORIGINAL_STORAGE: StorageKind = 'minio';

const isKnownStorage = (kind: string): kind is StorageKind => (STORAGE_KINDS as readonly string[]).includes(kind);

function entryKind(reader: DiskReader, path: string): EntryKind {
  const stats = reader.lstat(path);
  if (stats.isSymbolicLink()) return 'symlink';
  if (stats.isDirectory()) return 'directory';
  return stats.isFile() ? 'file' : 'other';
}

function relativeTo(dir: string, path: string): string {
  return path.startsWith(`${dir}/`) ? path.slice(dir.length + 1) : path;
}

/** Bytes of the regular files below `dir` (links not followed); unreadable parts are reported. */
function directorySize(reader: DiskReader, dir: string, warnings: string[]): number {
  let total = 0;
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop() as string;
    let names: string[];
    try {
      names = reader.readdir(current);
    } catch (error) {
      warnings.push(`size of ${dir} is incomplete: cannot read ${current} (${errorCode(error)})`);
      continue;
    }
    for (const name of names) {
      const path = `${current}/${name}`;
      try {
        const stats = reader.lstat(path);
        if (stats.isDirectory()) pending.push(path);
        else if (stats.isFile()) total += stats.size;
      } catch (error) {
        if (!isAbsent(error)) warnings.push(`size of ${dir} is incomplete: cannot read ${path} (${errorCode(error)})`);
      }
    }
  }
  return total;
}

/** Entries of conf/runit; an entry that cannot be read is reported and left out. */
function scanRunit(reader: DiskReader, root: string, errors: ScanError[]): RunitEntry[] {
  const runit = serverPaths(root).runit;
  const names = probe((path) => reader.readdir(path), runit) ?? [];
  const entries: RunitEntry[] = [];
  for (const name of names.sort()) {
    const link = `${runit}/${name}`;
    try {
      const raw = probe((path) => (reader.lstat(path).isSymbolicLink() ? reader.readlink(path) : undefined), link);
      if (raw === undefined) {
        entries.push({ name, pointsToHost: false, dangling: false });
        continue;
      }
      const target = posix.resolve(runit, raw);
      const expected = posix.resolve(hostPaths(root, name, ORIGINAL_STORAGE).runsvdirService);
      const dangling = probe((path) => reader.stat(path), link) === undefined;
      entries.push({ name, target, pointsToHost: target === expected, dangling });
    } catch (error) {
      if (!(error instanceof UnreadablePathError)) throw error;
      errors.push({ path: error.path, message: error.message });
    }
  }
  return entries;
}

/** A small file below a host directory: its text, why it was not read, or undefined when absent. */
type SmallFile = { readonly text: string } | { readonly refused: string } | undefined;

/**
 * Reads `<dir>/<relative>` only if every directory on the way below `dir` is a real directory (not a
 * link) and the file itself a regular file within `limit` (lib/security/untrusted-file.ts). A refusal is a sentence
 * about `relative`, such as `conf/backup-server.json is a FIFO, not a regular file: not read`.
 */
function readSmallFile(reader: DiskReader, dir: string, relative: string, limit: number): SmallFile {
  const file = `${dir}/${relative}`;
  let path = dir;
  try {
    for (const part of relative.split('/').slice(0, -1)) {
      path = `${path}/${part}`;
      const stats = readIfPresent((target) => reader.lstat(target), path);
      if (stats === undefined) return undefined;
      if (!stats.isDirectory()) return { refused: `${relativeTo(dir, path)} is ${fileKind(stats)}, not a directory: not followed` };
    }
    const text = readIfPresent((target) => reader.readFile(target, limit), file);
    return text === undefined ? undefined : { text };
  } catch (error) {
    if (error instanceof RefusedFileError) return { refused: `${relative} ${error.reason}` };
    // Named after the file the plan wanted, whichever directory on the way refused.
    throw new UnreadablePathError(file, errorCode(error));
  }
}

interface ScannedEntry {
  readonly host?: DiskHost;
  readonly other?: OtherEntry;
}

function scanEntry(reader: DiskReader, root: string, name: string, enabled: boolean, sizes: boolean, warnings: string[]): ScannedEntry {
  const originalPaths = hostPaths(root, name, ORIGINAL_STORAGE);
  const kind = probe((path) => entryKind(reader, path), originalPaths.dir) ?? 'other';
  const marker = kind === 'directory' ? readSmallFile(reader, originalPaths.dir, relativeTo(originalPaths.dir, originalPaths.marker), MARKER_READ_LIMIT) : undefined;
  const originalRun = kind === 'directory' && marker === undefined
    ? readSmallFile(reader, originalPaths.dir, relativeTo(originalPaths.dir, `${originalPaths.runsvs}/${ORIGINAL_STORAGE}/run`), RUN_SCRIPT_READ_LIMIT)
    : undefined;
  const markerText = marker !== undefined && 'text' in marker ? marker.text : undefined;
  const markerRefused = marker !== undefined && 'refused' in marker ? marker.refused : undefined;
  const originalRunText = originalRun !== undefined && 'text' in originalRun ? originalRun.text : undefined;
  const originalRunRefused = originalRun !== undefined && 'refused' in originalRun ? originalRun.refused : undefined;
  const recognition = recognise({ name, kind, markerText, markerRefused, originalRunText, originalRunRefused });
  if (recognition.origin === 'none') {
    return { other: { name, reason: recognition.reason, ports: kind === 'directory' ? handMadePorts(reader, originalPaths.dir, warnings) : [] } };
  }

  const storage = recognition.origin === 'project' ? recognition.marker.storage : ORIGINAL_STORAGE;
  // A kind this version does not know (a marker from a newer one) still names its directories.
  const paths = hostPaths(root, name, storage as StorageKind);
  // A regular file where the link belongs is the certificate itself.
  const link = (path: string) => probe((file) => (reader.lstat(file).isSymbolicLink() ? reader.readlink(file) : file), path);
  const exists = (path: string) => probe((file) => reader.lstat(file), path) !== undefined;
  const credentials = isKnownStorage(storage) ? exists(storageBackend(storage).credentialsFile(paths)) : undefined;
  const generatedFiles = recognition.origin === 'original' ? generatedFilePaths(paths).filter(exists).map((file) => relativeTo(paths.dir, file)) : [];
  const host: DiskHost = {
    name,
    origin: recognition.origin,
    port: recognition.origin === 'project' ? recognition.marker.port : recognition.port,
    storage,
    ...(recognition.origin === 'project' ? { marker: recognition.marker } : {}),
    enabled,
    credentials,
    tlsCertificate: link(certsFile(paths, CERTIFICATE_LINK)),
    tlsKey: link(certsFile(paths, KEY_LINK)),
    generatedFiles,
    ...(sizes ? { sizeBytes: directorySize(reader, paths.dir, warnings) } : {}),
    holdsData: holdsData(reader, paths.storageData),
    handWrittenReplicaSync: recognition.origin === 'original' && isHandWritten(readPlanFile(reader, paths.replicaSync), warnings),
  };
  return { host };
}

/** A replica_sync that is not this project's (a link or FIFO counts: the deploy moves it aside). */
function isHandWritten(read: ReturnType<typeof readPlanFile>, warnings: string[]): boolean {
  if (read.kind === 'refused') warnings.push(read.reason);
  return read.kind === 'refused' || (read.kind === 'text' && !read.text.includes(GENERATED_NOTICE));
}

/** Read `root` without changing anything. */
export function scanDisk(root: string, options: ScanOptions = {}): DiskModel {
  const reader = options.reader ?? nodeDiskReader;
  const listeners = options.listeners?.() ?? [];
  const errors: ScanError[] = [];
  const warnings: string[] = [];
  const asError = (error: unknown): ScanError => {
    if (error instanceof UnreadablePathError) return { path: error.path, message: error.message };
    throw error;
  };

  let names: string[] | undefined;
  try {
    names = probe((path) => reader.readdir(path), root);
  } catch (error) {
    errors.push(asError(error));
    return { root, rootExists: true, hosts: [], others: [], runit: [], errors, warnings, listeners };
  }
  if (names === undefined) return { root, rootExists: false, hosts: [], others: [], runit: [], errors, warnings, listeners };

  let runit: RunitEntry[] = [];
  try {
    runit = scanRunit(reader, root, errors);
  } catch (error) {
    errors.push(asError(error));
  }
  const enabled = new Set(runit.filter((entry) => entry.pointsToHost).map((entry) => entry.name));
  const confName = relativeTo(root, serverPaths(root).conf);

  const hosts: DiskHost[] = [];
  const others: OtherEntry[] = [];
  for (const name of names.filter((entry) => entry !== confName).sort()) {
    try {
      const { host, other } = scanEntry(reader, root, name, enabled.has(name), options.sizes ?? false, warnings);
      if (host !== undefined) hosts.push(host);
      if (other !== undefined) others.push(other);
    } catch (error) {
      errors.push(asError(error));
    }
  }
  return { root, rootExists: true, hosts, others, runit, errors, warnings, listeners };
}
