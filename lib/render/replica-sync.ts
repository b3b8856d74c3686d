/**
 * `conf/replica_sync`: what backup-syncd runs when snapshots appear or vanish.
 *
 * Contract (kept from the original daemon): $1 and $2 are files listing the added and the removed
 * snapshot ids, NUL-separated; BACKUP_HOST names the host. Exit 0 marks them replicated.
 */
import type { ResolvedHost } from '../config/resolve';
import { renderScript } from './script';

/** The default: replicates nothing, but says in the log what it was given. */
export function renderDefaultReplicaSync(host: ResolvedHost): string {
  return renderScript(`replica_sync of ${host.name}: no replica configured in hosts.ts, so it only logs`, [
    'set -eu',
    "added=$(tr '\\000' ' ' < \"$1\")",
    "removed=$(tr '\\000' ' ' < \"$2\")",
    'echo "replica_sync: no replica configured for ${BACKUP_HOST:-this host}; added: ${added:-none}; removed: ${removed:-none}"',
  ]);
}

export function renderReplicaSync(host: ResolvedHost): string {
  return host.replica.script ?? renderDefaultReplicaSync(host);
}
