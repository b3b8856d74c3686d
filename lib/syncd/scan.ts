/**
 * A full scan of the watched root: every complete snapshot, and the directories whose changes can
 * bring new ones (what the watcher must watch). Rules on names live in ./detection.ts.
 */
import { promises as fs, type Dirent } from 'node:fs';
import { dirname, join } from 'node:path';
import { MINIO_OBJECT_META, SNAPSHOTS_DIR, isCompleteSnapshot, isIgnoredDirectory, isRepository, isSnapshotId, snapshotKey } from './detection';

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
  /** Snapshot directories already seen complete: objects are immutable, so they are not checked again. */
  readonly knownComplete?: ReadonlySet<string>;
}

async function entriesOf(dir: string): Promise<Dirent[] | undefined> {
  try {
    return await fs.readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Vanished (minio removes empty directories) or not a directory: nothing to see there.
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await fs.stat(path);
    return true;
  } catch {
    return false;
  }
}

export async function nearestExistingAncestor(path: string): Promise<string> {
  let current = dirname(path);
  while (!(await exists(current)) && current !== dirname(current)) current = dirname(current);
  return current;
}

export async function scanRoot(root: string, options: SnapshotScanOptions = {}): Promise<SnapshotScanResult> {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const known = options.knownComplete ?? new Set<string>();
  const snapshots = new Set<string>();
  const watchDirs: string[] = [];

  async function scanSnapshots(dir: string, repository: string): Promise<void> {
    const entries = await entriesOf(dir);
    if (entries === undefined) return;
    watchDirs.push(dir);
    for (const entry of entries) {
      if (!isSnapshotId(entry.name)) continue;
      const key = snapshotKey(repository, entry.name);
      const kind = entry.isFile() ? 'file' : entry.isDirectory() ? 'directory' : 'other';
      const holdsMeta = kind === 'directory' && (known.has(key) || (await exists(join(dir, entry.name, MINIO_OBJECT_META))));
      if (isCompleteSnapshot(entry.name, kind, holdsMeta)) snapshots.add(key);
      // An object directory still waiting for its xl.meta: its arrival is an event there.
      else if (kind === 'directory') watchDirs.push(join(dir, entry.name));
    }
  }

  async function walk(dir: string, relative: string, depth: number): Promise<boolean> {
    const entries = await entriesOf(dir);
    if (entries === undefined) return false;
    watchDirs.push(dir);
    const names = entries.map((entry) => entry.name);
    if (isRepository(names)) {
      if (names.includes(SNAPSHOTS_DIR)) await scanSnapshots(join(dir, SNAPSHOTS_DIR), relative);
      return true;
    }
    if (depth >= maxDepth) return true;
    for (const entry of entries) {
      if (entry.isDirectory() && !isIgnoredDirectory(entry.name)) {
        await walk(join(dir, entry.name), relative === '.' ? entry.name : `${relative}/${entry.name}`, depth + 1);
      }
    }
    return true;
  }

  const rootExists = await walk(root, '.', 0);
  if (!rootExists) watchDirs.push(await nearestExistingAncestor(root));
  return { snapshots, watchDirs, rootExists };
}
