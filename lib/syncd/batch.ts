/**
 * How much of the difference one run of replica_sync is given. The ids and the repositories
 * travel in environment variables, and Linux refuses to exec a program with a single variable
 * over 128 KiB (MAX_ARG_STRLEN): about 2,000 snapshot ids. A host with more pending (a first start,
 * a lost state, a replica down for weeks) would never get replica_sync started at all, only
 * retried. So a run takes the difference in order, added snapshots first, up to RUN_LIMITS; the
 * next runs take the rest. Pure.
 */
import { parseSnapshotKey } from './detection';
import type { Difference } from './state';

export interface RunLimits {
  /** Snapshots (added and removed together) per run; each id is 65 bytes of a variable. */
  readonly maxSnapshots: number;
  /** UTF-8 bytes of BACKUP_SYNCD_REPOSITORIES (names and newlines); a client chooses the names. */
  readonly maxRepositoryBytes: number;
}

export const RUN_LIMITS: RunLimits = { maxSnapshots: 1000, maxRepositoryBytes: 64 * 1024 };

/** The part of `diff` the next run replicates: never empty unless `diff` is. */
export function firstBatch(diff: Difference, limits: RunLimits = RUN_LIMITS): Difference {
  const added: string[] = [];
  const removed: string[] = [];
  const repositories = new Set<string>();
  let repositoryBytes = 0;
  const take = (key: string, into: string[]): boolean => {
    const taken = added.length + removed.length;
    if (taken >= limits.maxSnapshots) return false;
    const repository = parseSnapshotKey(key)?.repository;
    if (repository !== undefined && !repositories.has(repository)) {
      const cost = Buffer.byteLength(repository) + 1;
      if (taken > 0 && repositoryBytes + cost > limits.maxRepositoryBytes) return false;
      repositories.add(repository);
      repositoryBytes += cost;
    }
    into.push(key);
    return true;
  };
  for (const key of diff.added) if (!take(key, added)) return { added, removed };
  for (const key of diff.removed) if (!take(key, removed)) break;
  return { added, removed };
}

/** How many snapshots of `diff` are left for later runs once `batch` is taken. */
export const remainingAfter = (diff: Difference, batch: Difference): number =>
  diff.added.length + diff.removed.length - batch.added.length - batch.removed.length;
