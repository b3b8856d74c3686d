/**
 * `conf/replica_sync`: what backup-syncd runs when snapshots appear or vanish.
 *
 * Contract (kept from the original daemon): $1 and $2 are files listing the added and the removed
 * snapshot ids, NUL-separated; BACKUP_HOST names the host. backup-syncd also sets
 * BACKUP_SYNCD_ROOT (the watched directory), BACKUP_SYNCD_ADDED / BACKUP_SYNCD_REMOVED (the ids,
 * space-separated) and BACKUP_SYNCD_REPOSITORIES (the changed repositories relative to the root,
 * one a line, "." for the root itself). Exit 0 marks them replicated.
 */
import type { ResolvedHost } from '../config/resolve';
import { shellQuote as q, shellWords } from '../shell/quote';
import { renderScript } from './script';

/**
 * Reads the two list files of the contract into space-separated shell variables. Every id ends in a
 * NUL, so the last one leaves a trailing space, which is removed.
 */
const READ_LISTS: readonly string[] = [
  "added=$(tr '\\000' ' ' < \"$1\")",
  "removed=$(tr '\\000' ' ' < \"$2\")",
  'added=${added% } removed=${removed% }',
];

/** The default: replicates nothing, but says in the log what it was given. */
export function renderDefaultReplicaSync(host: ResolvedHost): string {
  return renderScript(`replica_sync of ${host.name}: no replica configured in hosts.ts, so it only logs`, [
    'set -eu',
    ...READ_LISTS,
    'echo "replica_sync: no replica configured for ${BACKUP_HOST:-this host}; added: ${added:-none}; removed: ${removed:-none}"',
  ]);
}

/**
 * Never copied: restic lock files are transient (a copied one would only block the replica) and
 * `.minio.sys` is minio's own bookkeeping.
 */
export const RCLONE_EXCLUDES: readonly string[] = ['locks/**', '.minio.sys/**'];

/**
 * Copies the watched root (the repository's objects as stored on disk) to every target with
 * `rclone copy`: never `sync`, so a deletion or a ransomware `forget` here never reaches a replica.
 * Two passes per target, objects before snapshots, so that a replica never lists a snapshot whose
 * data it does not hold yet. Every target is tried; the exit status is non-zero if any failed, so
 * backup-syncd retries.
 */
export function renderRcloneReplicaSync(host: ResolvedHost): string {
  const { rcloneTargets, rcloneConfig } = host.replica;
  const excludes = RCLONE_EXCLUDES.flatMap((pattern) => ['--exclude', pattern]);
  const rclone = (extra: readonly string[]): string =>
    `rclone copy --config "$config" ${shellWords([...excludes, ...extra])} "$root" "$target"`;
  return renderScript(`replica_sync of ${host.name}: copies the repository with rclone to ${rcloneTargets.join(', ')}`, [
    'set -eu',
    'root=${BACKUP_SYNCD_ROOT:?backup-syncd sets BACKUP_SYNCD_ROOT to the watched directory}',
    `config=${q(rcloneConfig)}`,
    ...READ_LISTS,
    'echo "replica_sync: ${BACKUP_HOST:-this host}: added: ${added:-none}; removed here, kept on the replicas: ${removed:-none}"',
    'failed=0',
    // The positional parameters are free once the lists are read: one loop for one target or many.
    `set -- ${shellWords(rcloneTargets)}`,
    'for target do',
    `  if ${rclone(['--exclude', 'snapshots/**'])} && ${rclone([])}; then`,
    '    echo "replica_sync: copied $root to $target"',
    '  else',
    '    echo "replica_sync: copying $root to $target failed; backup-syncd will retry"',
    '    failed=1',
    '  fi',
    'done',
    'exit "$failed"',
  ]);
}

export function renderReplicaSync(host: ResolvedHost): string {
  if (host.replica.script !== undefined) return host.replica.script;
  return host.replica.rcloneTargets.length > 0 ? renderRcloneReplicaSync(host) : renderDefaultReplicaSync(host);
}
