/**
 * What counts as a restic snapshot below the watched root: pure rules on names.
 *
 * restic writes the snapshot object last in a backup, so a new entry `snapshots/<64-hex id>` means
 * a finished backup. rest-server, `rclone serve restic` and plain repositories store it as a file;
 * minio (since 2022) as a directory `<id>/` holding `xl.meta`.
 */

export const SNAPSHOTS_DIR = 'snapshots';
export const MINIO_OBJECT_META = 'xl.meta';
/** minio's own bookkeeping (multipart uploads, temporary objects): never a repository. */
export const MINIO_SYSTEM_DIR = '.minio.sys';

/**
 * Entries that mark a directory as a restic repository: below it only `snapshots/` matters, so
 * the scan never walks `data/` (with minio, one directory per object).
 */
export const REPOSITORY_MARKERS: readonly string[] = ['config', 'keys', SNAPSHOTS_DIR];

const SNAPSHOT_ID = /^[0-9a-f]{64}$/;

/** A snapshot id: 64 lower-case hex digits. Temporary upload names (`<id>.tmp`, `.<id>.partial`, `<id>-tmp-123`) are not. */
export function isSnapshotId(name: string): boolean {
  return SNAPSHOT_ID.test(name);
}

/** Directories the scan never enters: minio's system directory and hidden (temporary) ones. */
export function isIgnoredDirectory(name: string): boolean {
  return name === MINIO_SYSTEM_DIR || name.startsWith('.');
}

export function isRepository(entryNames: readonly string[]): boolean {
  return entryNames.some((name) => REPOSITORY_MARKERS.includes(name));
}

export type SnapshotEntryKind = 'file' | 'directory' | 'other';

/**
 * Whether an entry of a `snapshots/` directory is a complete snapshot. A directory counts only
 * once it holds `xl.meta`: minio creates the object directory before renaming the metadata in.
 */
export function isCompleteSnapshot(name: string, kind: SnapshotEntryKind, directoryHoldsMeta: boolean): boolean {
  if (!isSnapshotId(name)) return false;
  if (kind === 'file') return true;
  return kind === 'directory' && directoryHoldsMeta;
}

/**
 * A snapshot's key: its repository relative to the root ("." for the root itself) and its id,
 * as `<repository>/snapshots/<id>`. Keys are what the state file records.
 */
export function snapshotKey(repository: string, id: string): string {
  return `${repository}/${SNAPSHOTS_DIR}/${id}`;
}

export interface SnapshotRef {
  readonly repository: string;
  readonly id: string;
}

export function parseSnapshotKey(key: string): SnapshotRef | undefined {
  const slash = key.lastIndexOf(`/${SNAPSHOTS_DIR}/`);
  if (slash < 0) return undefined;
  const id = key.slice(slash + SNAPSHOTS_DIR.length + 2);
  return isSnapshotId(id) ? { repository: key.slice(0, slash), id } : undefined;
}
