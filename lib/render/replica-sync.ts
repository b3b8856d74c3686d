/**
 * `conf/replica_sync`: what backup-syncd runs when snapshots appear or vanish.
 *
 * Contract (kept from the original daemon): $1 and $2 are files listing the added and the removed
 * snapshot ids, NUL-separated; BACKUP_HOST names the host. backup-syncd also sets
 * BACKUP_SYNCD_ROOT (the watched directory), BACKUP_SYNCD_ADDED / BACKUP_SYNCD_REMOVED (the ids,
 * space-separated), BACKUP_SYNCD_REPOSITORIES (the changed repositories relative to the root,
 * one a line, "." for the root itself) and BACKUP_SYNCD_REPORT (a file for one JSON line per
 * target, see lib/syncd/replica-report.ts). Exit 0 marks them replicated.
 */
import { shellQuote as q, shellWords } from '../shell/quote';
import { readMinioKeysLines } from '../storage/minio';
import type { ReplicaSource, S3ReplicaSource } from '../storage/replica-source';
import { storageBackend } from '../storage/registry';
import type { StorageContext } from '../storage/storage-backend';
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
export function renderDefaultReplicaSync({ host }: Pick<StorageContext, 'host'>): string {
  return renderScript(`replica_sync of ${host.name}: no replica configured in hosts.ts, so it only logs`, [
    'set -eu',
    ...READ_LISTS,
    'echo "replica_sync: no replica configured for ${BACKUP_HOST:-this host}; added: ${added:-none}; removed: ${removed:-none}"',
  ]);
}

/** Where a target keeps the files of an unfinished copy until they are renamed into place. */
export const REPLICA_STAGING_DIRECTORY = '.replica_sync-incoming';

/**
 * Never copied with the objects: lock files are transient (a copied one would only block the
 * replica), snapshots and index files are copied on their own (below), `.minio.sys` and
 * rest-server's temporary upload names are not restic's.
 */
export const RCLONE_OBJECT_EXCLUDES: readonly string[] = [
  '/snapshots/**', '/index/**', '/locks/**', `/${REPLICA_STAGING_DIRECTORY}/**`, '.minio.sys/**', '*.rest-server-temp*',
];

/** The rclone remote replica_sync defines in its environment for a minio source. */
export const S3_SOURCE_REMOTE = 'backupserverstorage';

/** Debian's bundle of the system's CAs, kept trusted beside the server's certificate (for S3 or B2 targets). */
export const SYSTEM_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/** Shell lines defining `$source` and the `rc` function (rclone with its configuration) for a directory. */
function directorySourceLines(source: ReplicaSource & { kind: 'directory' }): string[] {
  return [
    `source=${q(source.path)}`,
    'rc() { rclone --config "$config" "$@"; }',
  ];
}

/**
 * Shell lines defining `$source` and `rc` for minio: an rclone S3 remote that exists only in this
 * script's environment (the keys never on a command line or in a file), and a CA bundle of the
 * server's certificate and the system's CAs (`--ca-cert` replaces the trusted set for every remote
 * of the run, targets included). A problem leaves `$problem` set.
 */
function s3SourceLines(source: S3ReplicaSource): string[] {
  const variable = (name: string): string => `RCLONE_CONFIG_${S3_SOURCE_REMOTE.toUpperCase()}_${name}`;
  return [
    `credentials=${q(source.credentialsFile)}`,
    `certificate=${q(source.certificate)}`,
    `source=${q(`${S3_SOURCE_REMOTE}:${source.repository}`)}`,
    'access=\'\' secret=\'\'',
    'if [ -r "$credentials" ]; then',
    ...readMinioKeysLines('credentials', 'access', 'secret').map((line) => `  ${line}`),
    'fi',
    'if [ -z "$access" ] || [ -z "$secret" ]; then',
    '  problem="cannot read credential.accessKey and credential.secretKey of the storage service"',
    'elif ! cat "$certificate" > "$work/ca.pem"; then',
    '  problem="cannot read the server certificate"',
    'fi',
    `if [ -r ${q(SYSTEM_CA_BUNDLE)} ]; then cat ${q(SYSTEM_CA_BUNDLE)} >> "$work/ca.pem"; fi`,
    `${variable('TYPE')}=s3`,
    `${variable('PROVIDER')}=Minio`,
    `${variable('ENDPOINT')}=${q(source.endpoint)}`,
    `${variable('ACCESS_KEY_ID')}=$access`,
    `${variable('SECRET_ACCESS_KEY')}=$secret`,
    `export ${['TYPE', 'PROVIDER', 'ENDPOINT', 'ACCESS_KEY_ID', 'SECRET_ACCESS_KEY'].map(variable).join(' ')}`,
    'unset access secret',
    // --fast-list: one recursive listing instead of one request per directory (thousands of data/<xx>/ over HTTPS).
    'rc() { rclone --config "$config" --ca-cert "$work/ca.pem" --fast-list "$@"; }',
  ];
}

/** Shell functions shared by every source: path joining, listing, the per-target report, the copy. */
const FUNCTIONS: readonly string[] = [
  '# <remote:path or directory>/<name>; "remote:" alone is the remote\'s root.',
  'at() { case $1 in *:) printf \'%s%s\\n\' "$1" "$2" ;; *) printf \'%s/%s\\n\' "$1" "$2" ;; esac; }',
  '',
  '# The restic object names (64 hex digits) in directory $1, sorted; a missing directory is empty (rclone exits 3).',
  'names() {',
  '  rc lsf --files-only "$1" > "$work/raw"',
  '  status=$?',
  '  if [ "$status" -ne 0 ] && [ "$status" -ne 3 ]; then return "$status"; fi',
  "  grep -E '^[0-9a-f]{64}$' \"$work/raw\" | LC_ALL=C sort",
  '  return 0',
  '}',
  '',
  '# One JSON line per target for backup-syncd: target, ok, the missing ids (one a line) and an error (fixed texts).',
  'outcome() {',
  '  [ -n "$report" ] || return 0',
  '  missing_json=$(printf \'%s\\n\' "$3" | sed \'/^$/d; s/.*/"&"/\' | paste -sd, -)',
  '  if [ -n "$4" ]; then error_json="\\"$4\\""; else error_json=null; fi',
  '  printf \'{"target":"%s","ok":%s,"missing":[%s],"error":%s}\\n\' "$1" "$2" "$missing_json" "$error_json" >> "$report" ||',
  '    echo "replica_sync: cannot append to the report $report"',
  '}',
  '',
  '# Renames the staged files of one kind into the repository (nothing staged: rclone exits 3).',
  'place() {',
  '  rc move "$(at "$stage" "$2")" "$(at "$1" "$2")"',
  '  status=$?',
  '  [ "$status" -eq 0 ] || [ "$status" -eq 3 ]',
  '}',
  '',
  '# Data and keys; then the index files and snapshots listed first, copied to a staging directory of',
  '# the target and renamed into place, index first (an interrupted copy never leaves a truncated index',
  '# or snapshot file in the repository, nor a snapshot without its index); then every listed snapshot',
  '# must be on the target. rclone copy, never sync: nothing is ever deleted on a replica.',
  'replicate() {',
  '  target=$1',
  `  stage=$(at "$target" ${REPLICA_STAGING_DIRECTORY})`,
  `  if ! rc copy ${shellWords(RCLONE_OBJECT_EXCLUDES.flatMap((pattern) => ['--exclude', pattern]))} "$source" "$target"; then`,
  '    outcome "$target" false "" "copying the data and keys failed"',
  '    return 1',
  '  fi',
  '  if ! rc copy --no-traverse --files-from-raw "$work/source" --compare-dest "$target" "$source" "$stage"; then',
  '    outcome "$target" false "" "copying the index files and snapshots failed"',
  '    return 1',
  '  fi',
  '  if ! place "$target" index || ! place "$target" snapshots; then',
  '    outcome "$target" false "" "renaming the index files and snapshots into place failed"',
  '    return 1',
  '  fi',
  '  if ! names "$(at "$target" snapshots)" > "$work/replica"; then',
  '    outcome "$target" false "" "listing the snapshots of the replica failed"',
  '    return 1',
  '  fi',
  '  missing=$(LC_ALL=C comm -23 "$work/snapshots" "$work/replica")',
  '  if [ -n "$missing" ]; then',
  '    echo "replica_sync: $target lacks $(printf \'%s\' "$missing" | tr \'\\n\' \' \')"',
  '    outcome "$target" false "$missing" "snapshots missing on the replica after the copy"',
  '    return 1',
  '  fi',
  '  outcome "$target" true "" ""',
  '}',
];

/**
 * Copies the host's repository to every target with rclone, so that each is a plain restic
 * repository (`restic -r <target>` opens it), in an order that never leaves a snapshot without its
 * data, even if killed at any point: list the snapshots, then the index files; copy everything
 * else (data, keys, config); then exactly the listed index files; then exactly the listed
 * snapshots; then check by listing that every listed snapshot is on the target. (restic writes
 * packs, then the index, then the snapshot: what a listing names was complete when listed.)
 * Every target is tried; the exit status is non-zero if any failed, so backup-syncd retries.
 */
export function renderRcloneReplicaSync(context: StorageContext): string {
  const { host } = context;
  const { rcloneTargets, rcloneConfig } = host.replica;
  const source = storageBackend(host.storage).replicaSource(context);
  const from = source.kind === 's3' ? `${source.endpoint}/${source.repository}` : source.path;
  return renderScript(`replica_sync of ${host.name}: copies the restic repository ${from} with rclone to ${rcloneTargets.join(', ')}`, [
    // Not -e: every target is tried, and each failure is reported.
    'set -u',
    `config=${q(rcloneConfig)}`,
    'report=${BACKUP_SYNCD_REPORT:-}',
    ...READ_LISTS,
    'echo "replica_sync: ${BACKUP_HOST:-this host}: added: ${added:-none}; removed here, kept on the replicas: ${removed:-none}"',
    // The positional parameters are free once the lists are read: one loop for one target or many.
    `set -- ${shellWords(rcloneTargets)}`,
    '# rclone\'s S3 backend fails on AWS_CA_BUNDLE ("unsupported transport"); a CA is given with --ca-cert.',
    'unset AWS_CA_BUNDLE',
    // mktemp: a private directory (0700) under $TMPDIR or /tmp.
    'work=$(mktemp -d) || exit 1',
    'trap \'rm -rf "$work"\' EXIT',
    "trap 'exit 129' HUP",
    "trap 'exit 130' INT",
    "trap 'exit 143' TERM",
    "problem=''",
    ...(source.kind === 's3' ? s3SourceLines(source) : directorySourceLines(source)),
    '',
    ...FUNCTIONS,
    '',
    '# The source is listed before anything is copied, snapshots before the index (restic writes the index',
    '# first): every listed snapshot has its index listed, every listed index its data in place.',
    'if [ -z "$problem" ] && ! names "$(at "$source" snapshots)" > "$work/snapshots"; then problem="listing the snapshots of the source failed"; fi',
    'if [ -z "$problem" ] && ! names "$(at "$source" index)" > "$work/index"; then problem="listing the index of the source failed"; fi',
    'if [ -z "$problem" ]; then',
    '  for id in $added; do',
    '    grep -qx "$id" "$work/snapshots" || problem="a snapshot backup-syncd found is not listed by the source"',
    '  done',
    'fi',
    'if [ -n "$problem" ]; then',
    '  echo "replica_sync: $problem; backup-syncd will retry"',
    '  for target do outcome "$target" false "" "$problem"; done',
    '  exit 1',
    'fi',
    "{ sed 's,^,index/,' \"$work/index\"; sed 's,^,snapshots/,' \"$work/snapshots\"; } > \"$work/source\"",
    'failed=0',
    'for target do',
    '  if replicate "$target"; then',
    '    echo "replica_sync: copied $source to $target; $(wc -l < "$work/snapshots") snapshots verified there"',
    '  else',
    '    echo "replica_sync: copying $source to $target failed; backup-syncd will retry"',
    '    failed=1',
    '  fi',
    'done',
    'exit "$failed"',
  ]);
}

export function renderReplicaSync(context: StorageContext): string {
  const { host } = context;
  if (host.replica.script !== undefined) return host.replica.script;
  return host.replica.rcloneTargets.length > 0 ? renderRcloneReplicaSync(context) : renderDefaultReplicaSync(context);
}
