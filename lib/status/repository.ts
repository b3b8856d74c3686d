/**
 * A host's repositories as the server sees them without the password: which snapshots exist (the
 * same keys backup-syncd records), when the newest was written (the snapshot object's mtime: restic
 * writes it last; minio's `<id>/xl.meta`), and how many bytes the repositories hold. The tree is
 * the storage account's: links are never followed and only directories and regular files count.
 */
import { promises as fs, type Dirent } from 'node:fs';
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

async function entriesOf(dir: string, unreadable: string[]): Promise<Dirent[] | undefined> {
  try {
    return await fs.readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') unreadable.push(`${dir} (${code})`);
    return undefined;
  }
}

async function mtimeOf(path: string, unreadable: string[]): Promise<number | undefined> {
  try {
    const stats = await fs.lstat(path);
    return stats.isFile() ? stats.mtimeMs : undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') unreadable.push(`${path} (${code})`);
    return undefined;
  }
}

/** Bytes of regular files below `dir`, links not followed. */
async function sizeOf(dir: string, unreadable: string[]): Promise<number> {
  let total = 0;
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop()!;
    const entries = await entriesOf(current, unreadable);
    if (entries === undefined) continue;
    const files: string[] = [];
    for (const entry of entries) {
      if (entry.isDirectory()) pending.push(join(current, entry.name));
      else if (entry.isFile()) files.push(join(current, entry.name));
    }
    const sizes = await Promise.all(files.map((file) => fs.lstat(file).then((stats) => (stats.isFile() ? stats.size : 0), () => 0)));
    for (const size of sizes) total += size;
  }
  return total;
}

export async function readRepositories(root: string, maxDepth = DEFAULT_MAX_DEPTH): Promise<RepositoryFacts> {
  const unreadable: string[] = [];
  const snapshots = new Map<string, number>();

  async function readSnapshots(dir: string, repository: string): Promise<void> {
    const entries = (await entriesOf(dir, unreadable)) ?? [];
    await Promise.all(entries.filter((entry) => isSnapshotId(entry.name)).map(async (entry) => {
      const path = join(dir, entry.name);
      // minio: an object directory counts once its xl.meta is there, as backup-syncd counts it.
      const mtime = entry.isFile() ? await mtimeOf(path, unreadable) : entry.isDirectory() ? await mtimeOf(join(path, MINIO_OBJECT_META), unreadable) : undefined;
      if (mtime !== undefined) snapshots.set(snapshotKey(repository, entry.name), mtime);
    }));
  }

  async function walk(dir: string, relative: string, depth: number): Promise<boolean> {
    const entries = await entriesOf(dir, unreadable);
    if (entries === undefined) return false;
    const names = entries.map((entry) => entry.name);
    if (isRepository(names)) {
      if (entries.some((entry) => entry.name === SNAPSHOTS_DIR && entry.isDirectory())) await readSnapshots(join(dir, SNAPSHOTS_DIR), relative);
      return true;
    }
    if (depth >= maxDepth) return true;
    for (const entry of entries) {
      if (entry.isDirectory() && !isIgnoredDirectory(entry.name)) await walk(join(dir, entry.name), relative === '.' ? entry.name : `${relative}/${entry.name}`, depth + 1);
    }
    return true;
  }

  const exists = await walk(root, '.', 0);
  const bytes = exists ? await sizeOf(root, unreadable) : 0;
  let newest: number | undefined;
  for (const mtime of snapshots.values()) if (newest === undefined || mtime > newest) newest = mtime;
  return { exists, snapshots, newestSnapshotMs: newest, bytes, unreadable };
}
