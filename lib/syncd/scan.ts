/**
 * A full scan of the watched root: every complete snapshot, and the directories whose changes can
 * bring new ones (what the watcher must watch). Rules on names live in ./detection.ts.
 *
 * Synchronous file system calls: a scan is a few readdir (one per directory down to each
 * repository and its snapshots/) and the daemon has nothing else to do meanwhile (a cycle never
 * overlaps another or a run), while each asynchronous call was a round trip through libuv's thread
 * pool, about half a millisecond each, on the path from a new snapshot to replica_sync.
 */
import { lstatSync, readdirSync, statSync, type Dirent } from 'node:fs';
import { dirname, join } from 'node:path';
import { MINIO_OBJECT_META, SNAPSHOTS_DIR, isCompleteSnapshot, isIgnoredDirectory, isRepository, isSnapshotId, snapshotKey, type SnapshotEntryKind } from './detection';

/** How deep below the root repositories are looked for (root/bucket/prefix/...). */
export const DEFAULT_MAX_DEPTH = 6;

export interface SnapshotScanResult {
  /** Keys (`<repository>/snapshots/<id>`) of every complete snapshot. */
  readonly snapshots: ReadonlySet<string>;
  /** Absolute directories to watch; if the root is missing, its nearest existing ancestor. */
  readonly watchDirs: readonly string[];
  readonly rootExists: boolean;
}

export interface SnapshotScanOptions {
  readonly maxDepth?: number;
  /**
   * Snapshots already seen complete (the previous scan's): objects are immutable, so such an entry
   * is neither matched nor looked at again, only its name listed.
   */
  readonly knownComplete?: ReadonlySet<string>;
}

function entriesOf(dir: string): Dirent[] | undefined {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Vanished (minio removes empty directories) or not a directory: nothing to see there.
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** The names in `dir`, without types: a Dirent per entry was most of the cost of a scan of a large snapshots/. */
function namesOf(dir: string): string[] | undefined {
  try {
    return readdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** What the entry itself is (a link is 'other', as readdir's type says); undefined if it vanished. */
function kindOf(path: string): SnapshotEntryKind | undefined {
  try {
    const stats = lstatSync(path);
    return stats.isFile() ? 'file' : stats.isDirectory() ? 'directory' : 'other';
  } catch {
    return undefined;
  }
}

function exists(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}

export function nearestExistingAncestor(path: string): string {
  let current = dirname(path);
  while (!exists(current) && current !== dirname(current)) current = dirname(current);
  return current;
}

export function scanRoot(root: string, options: SnapshotScanOptions = {}): SnapshotScanResult {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const known = options.knownComplete ?? new Set<string>();
  const snapshots = new Set<string>();
  const watchDirs: string[] = [];

  function scanSnapshots(dir: string, repository: string): void {
    const names = namesOf(dir);
    if (names === undefined) return;
    watchDirs.push(dir);
    for (const name of names) {
      const key = snapshotKey(repository, name);
      if (known.has(key)) {
        snapshots.add(key);
        continue;
      }
      if (!isSnapshotId(name)) continue;
      const kind = kindOf(join(dir, name));
      if (kind === undefined) continue;
      const holdsMeta = kind === 'directory' && exists(join(dir, name, MINIO_OBJECT_META));
      if (isCompleteSnapshot(name, kind, holdsMeta)) snapshots.add(key);
      // An object directory still waiting for its xl.meta: its arrival is an event there.
      else if (kind === 'directory') watchDirs.push(join(dir, name));
    }
  }

  function walk(dir: string, relative: string, depth: number): boolean {
    const entries = entriesOf(dir);
    if (entries === undefined) return false;
    watchDirs.push(dir);
    const names = entries.map((entry) => entry.name);
    if (isRepository(names)) {
      if (names.includes(SNAPSHOTS_DIR)) scanSnapshots(join(dir, SNAPSHOTS_DIR), relative);
      return true;
    }
    if (depth >= maxDepth) return true;
    for (const entry of entries) {
      if (entry.isDirectory() && !isIgnoredDirectory(entry.name)) {
        walk(join(dir, entry.name), relative === '.' ? entry.name : `${relative}/${entry.name}`, depth + 1);
      }
    }
    return true;
  }

  const rootExists = walk(root, '.', 0);
  if (!rootExists) watchDirs.push(nearestExistingAncestor(root));
  return { snapshots, watchDirs, rootExists };
}
