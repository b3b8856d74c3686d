/**
 * A host's repositories as the server sees them without the password: which snapshots exist (the
 * same keys backup-syncd records), when the newest was written (the snapshot object's mtime: restic
 * writes it last; minio's `<id>/xl.meta`), and how many bytes the repositories hold. The tree is
 * the storage account's: links are never followed and only directories and regular files count.
 *
 * Synchronous file-system calls on purpose: a walk is tens of thousands of lstat calls, each a few
 * microseconds synchronously and ten times that through libuv's thread pool (bench/status.bench.ts).
 */
import { closeSync, constants, lstatSync, openSync, readdirSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { MINIO_OBJECT_META, SNAPSHOTS_DIR, isIgnoredDirectory, isRepository, isSnapshotId, snapshotKey } from '../syncd/detection';
import { DEFAULT_MAX_DEPTH } from '../syncd/scan';

export interface RepositoryFacts {
  /** False when the watched root does not exist yet (no backup ever arrived). */
  readonly exists: boolean;
  /** Snapshot key -> mtime (ms since the epoch) of its object. */
  readonly snapshots: ReadonlyMap<string, number>;
  readonly newestSnapshotMs: number | undefined;
  /** Apparent size of every regular file below the root (what rest-server's --max-size counts). */
  readonly bytes: number;
  /** Paths that could not be read: the figures are then lower bounds. */
  readonly unreadable: readonly string[];
}

/**
 * The entries of `dir`, which must itself be a directory and not a link: opened with O_NOFOLLOW and
 * listed through /proc/self/fd, so a directory swapped for a link between the parent's listing and
 * this call (by the account that owns the tree) is refused instead of walked (root would otherwise
 * list and size whatever the link points to).
 */
function listNoFollow(dir: string): Dirent[] {
  const fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    return readdirSync(`/proc/self/fd/${fd}`, { withFileTypes: true });
  } finally {
    closeSync(fd);
  }
}

function entriesOf(dir: string, unreadable: string[]): Dirent[] | undefined {
  try {
    return listNoFollow(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // O_DIRECTORY|O_NOFOLLOW on a link fails with ENOTDIR (or ELOOP): say which it was.
    if (code === 'ELOOP' || (code === 'ENOTDIR' && lstatSync(dir, { throwIfNoEntry: false })?.isSymbolicLink())) unreadable.push(`${dir} (a link, not followed)`);
    else if (code !== 'ENOENT' && code !== 'ENOTDIR') unreadable.push(`${dir} (${code})`);
    return undefined;
  }
}

function mtimeOf(path: string, unreadable: string[]): number | undefined {
  try {
    const stats = lstatSync(path);
    return stats.isFile() ? stats.mtimeMs : undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') unreadable.push(`${path} (${code})`);
    return undefined;
  }
}

/** Bytes of regular files below `dir`, links not followed. */
function sizeOf(dir: string, unreadable: string[]): number {
  let total = 0;
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop()!;
    const entries = entriesOf(current, unreadable);
    if (entries === undefined) continue;
    for (const entry of entries) {
      const path = `${current}/${entry.name}`;
      if (entry.isDirectory()) pending.push(path);
      else if (entry.isFile()) {
        // Gone since the listing (a lock file removed): it no longer counts.
        const stats = lstatSync(path, { throwIfNoEntry: false });
        if (stats?.isFile()) total += stats.size;
      }
    }
  }
  return total;
}

export async function readRepositories(root: string, maxDepth = DEFAULT_MAX_DEPTH): Promise<RepositoryFacts> {
  const unreadable: string[] = [];
  const snapshots = new Map<string, number>();

  function readSnapshots(dir: string, repository: string): void {
    for (const entry of entriesOf(dir, unreadable) ?? []) {
      if (!isSnapshotId(entry.name)) continue;
      const path = join(dir, entry.name);
      // minio: an object directory counts once its xl.meta is there, as backup-syncd counts it.
      const mtime = entry.isFile() ? mtimeOf(path, unreadable) : entry.isDirectory() ? mtimeOf(join(path, MINIO_OBJECT_META), unreadable) : undefined;
      if (mtime !== undefined) snapshots.set(snapshotKey(repository, entry.name), mtime);
    }
  }

  function walk(dir: string, relative: string, depth: number): boolean {
    const entries = entriesOf(dir, unreadable);
    if (entries === undefined) return false;
    const names = entries.map((entry) => entry.name);
    if (isRepository(names)) {
      if (entries.some((entry) => entry.name === SNAPSHOTS_DIR && entry.isDirectory())) readSnapshots(join(dir, SNAPSHOTS_DIR), relative);
      return true;
    }
    if (depth >= maxDepth) return true;
    for (const entry of entries) {
      if (entry.isDirectory() && !isIgnoredDirectory(entry.name)) walk(join(dir, entry.name), relative === '.' ? entry.name : `${relative}/${entry.name}`, depth + 1);
    }
    return true;
  }

  const exists = walk(root, '.', 0);
  const bytes = exists ? sizeOf(root, unreadable) : 0;
  let newest: number | undefined;
  for (const mtime of snapshots.values()) if (newest === undefined || mtime > newest) newest = mtime;
  return { exists, snapshots, newestSnapshotMs: newest, bytes, unreadable };
}
