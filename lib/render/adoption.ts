/**
 * Taking over a host directory made by the original `new-restic-server` script (or by an earlier
 * version, or by hand): shell lines of the host's layout step that make it end exactly where a
 * host made by this project ends (docs/migration.md, docs/security.md).
 *
 * - Before anything changes, links, FIFOs, sockets and devices the legacy account owns in the host's
 *   conf/ are refused (root would never follow them anyway; refusing says so clearly). In the data
 *   and the logs, which root never reads, such entries are handed over with `chown -h`.
 * - The old supervision is stopped: the host's conf/runit link goes, then every process working in
 *   or naming the host's tree is stopped by pid (supervisors first, so nothing restarts), except this
 *   step and its own family. The original host `run` simply `exec`s runsvdir, which on TERM leaves
 *   its children running, so stopping it through runit is not enough; and `sv` would write to
 *   `supervise/control`, which the legacy account may own.
 * - Entries of conf/ the project does not make (a service directory added under conf/runsvs/, a
 *   `finish` script, a `supervise/` the legacy account owns) are moved aside into the root-only
 *   `conf/moved-aside/`, under a name dated at deploy time, with a log line; never deleted.
 * - Generated files the legacy account owns are moved aside too, so Terraform writes new root-owned
 *   ones (a `local_file` overwrites in place and keeps the owner); a hand-written `replica_sync` is
 *   kept beside the new one as `replica_sync.legacy-<sha256 prefix>`, root's, not executable.
 * - Log directories keep every line: the files the old svlogd left as root (`lock`, `current`,
 *   rotated logs) go to the new logger account, regular files with one link only, while the
 *   directory is root's alone.
 */
import { shellQuote as q, shellWords } from '../shell/quote';
import { generatedFilePaths, serviceDir, type HostPaths } from '../layout/paths';
import { MARKER_FILE_NAME } from './marker';
import { SYNCD_SERVICE } from '../layout/paths';
import { GENERATED_NOTICE } from './script';

/** Where entries the project does not make are moved, root's alone: `<host>/conf/moved-aside`. */
export const MOVED_ASIDE_DIRECTORY = 'moved-aside';
/** Prefix of the kept copy of a hand-written replica_sync: `replica_sync.legacy-<12 hex>`. */
export const LEGACY_REPLICA_SYNC_PREFIX = 'replica_sync.legacy-';
/** How long the old supervision's services get after TERM before KILL. */
export const LEGACY_STOP_TIMEOUT_SECONDS = 30;

/** Names of files a storage service keeps in `conf/<storage>/` (credentials), over every kind. */
const STORAGE_CONF_FILES = ['config.json', 'htpasswd', 'client-credentials'];

const escapeRegex = (text: string): string => text.replace(/[.+*?^$()[\]{}|\\]/g, '\\$&');

/** Shell functions the adoption lines call; they need safe-fs's refuse, describe_path and make_dir. */
const ADOPTION_FUNCTIONS: readonly string[] = Object.freeze([
  // planted_entries DIR LEGACY: what the legacy account owns in DIR/conf, where root reads and runs
  // files, that root must never open or follow (elsewhere, in data and logs, links are handed over
  // with chown -h and never followed). runsv's own FIFOs (supervise/control, ok) are never opened:
  // the supervise directory is moved aside.
  'planted_entries() {',
  '  [ -e "$1/conf" ] || [ -L "$1/conf" ] || return 0',
  '  find "$1/conf" -xdev -user "$2" \\( -type l -o -type p -o -type s -o -type b -o -type c \\) \\',
  '    ! \\( -type l -path "$1/conf/*/certs/public.crt" \\) ! \\( -type l -path "$1/conf/*/certs/private.key" \\) \\',
  "    ! \\( -type p \\( -path '*/supervise/control' -o -path '*/supervise/ok' \\) \\) -print",
  '}',
  // step_family: this step's shell and its ancestors (never stopped); in_step PID also covers its children.
  'step_family=" $$ "',
  'family_pid=$$',
  'while [ -n "$family_pid" ] && [ "$family_pid" -gt 1 ]; do',
  '  family_pid=$(sed -n \'s/^PPid:[[:space:]]*//p\' "/proc/$family_pid/status" 2>/dev/null || true)',
  '  step_family="$step_family$family_pid "',
  'done',
  'in_step() {',
  '  case "$step_family" in *" $1 "*) return 0 ;; esac',
  '  in_step_pid=$1',
  '  while [ -n "$in_step_pid" ] && [ "$in_step_pid" -gt 1 ]; do',
  '    [ "$in_step_pid" = "$$" ] && return 0',
  '    in_step_pid=$(sed -n \'s/^PPid:[[:space:]]*//p\' "/proc/$in_step_pid/status" 2>/dev/null || true)',
  '  done',
  '  return 1',
  '}',
  // host_pids DIR REGEX: processes working in DIR, or with an argument (or --opt=value) in it.
  'host_pids() {',
  "  { find /proc -mindepth 2 -maxdepth 2 -name cwd -printf '%h\\t%l\\n' 2>/dev/null |",
  "      awk -F '\\t' -v dir=\"$1\" '$2 == dir || index($2, dir \"/\") == 1 { sub(\"^/proc/\", \"\", $1); print $1 }'",
  '    grep -lzE -- "$2" /proc/[0-9]*/cmdline 2>/dev/null | sed -n \'s|^/proc/\\([0-9]*\\)/cmdline$|\\1|p\'',
  '  } | sort -un | while read -r found_pid; do',
  '    in_step "$found_pid" || echo "$found_pid"',
  '  done',
  '}',
  // stop_old_supervision DIR REGEX ENABLE_LINK: supervisors get KILL (they hold no data and must not
  // restart anything), services and loggers TERM (svlogd writes out what it holds), KILL after the timeout.
  'stop_old_supervision() {',
  '  rm -f -- "$3"',
  `  stop_deadline=$(( $(date +%s) + ${LEGACY_STOP_TIMEOUT_SECONDS} ))`,
  '  stop_reported=no',
  '  while :; do',
  '    stop_pids=$(host_pids "$1" "$2")',
  '    [ -n "$stop_pids" ] || break',
  '    if [ "$stop_reported" = no ]; then',
  '      echo "restic-backup-server: stopping the old supervision of $1: pids $(printf \'%s \' "$stop_pids" | tr \'\\n\' \' \')"',
  '      stop_reported=yes',
  '    fi',
  '    for stop_pid in $stop_pids; do',
  '      stop_comm=$(cat "/proc/$stop_pid/comm" 2>/dev/null) || continue',
  '      case "$stop_comm" in',
  '        runsvdir|runsv) kill -KILL "$stop_pid" 2>/dev/null || true ;;',
  '        *) if [ "$(date +%s)" -ge "$stop_deadline" ]; then kill -KILL "$stop_pid" 2>/dev/null || true; else kill -TERM "$stop_pid" 2>/dev/null || true; fi ;;',
  '      esac',
  '    done',
  '    sleep 0.2',
  '  done',
  '}',
  // aside_entry PATH: moves an entry the project does not make into conf/moved-aside, dated now.
  'aside_entry() {',
  '  make_dir "$moved_aside" root root 00700',
  '  aside_target="$moved_aside/$(printf \'%s\' "${1#"$host_conf"/}" | tr / _).$aside_stamp"',
  '  if [ -e "$aside_target" ] || [ -L "$aside_target" ]; then aside_target="$aside_target.$$"; fi',
  '  mv -T -- "$1" "$aside_target"',
  '  echo "restic-backup-server: moved $1 aside to $aside_target ($(describe_path "$aside_target")): restic-backup-server does not make it"',
  '}',
  // move_aside_unknown DIR KNOWN: entries of DIR not named by a KNOWN pattern and not root\'s.
  'move_aside_unknown() {',
  '  [ -d "$1" ] && [ ! -L "$1" ] || return 0',
  '  for aside_candidate in "$1"/* "$1"/.[!.]* "$1"/..?*; do',
  '    [ -e "$aside_candidate" ] || [ -L "$aside_candidate" ] || continue',
  '    aside_name=${aside_candidate##*/} aside_known=no',
  '    set -f',
  '    # The patterns are globs on purpose (replica_sync.legacy-*).',
  '    # shellcheck disable=SC2254',
  '    for aside_pattern in $2; do case "$aside_name" in $aside_pattern) aside_known=yes ;; esac; done',
  '    set +f',
  '    [ "$aside_known" = no ] || continue',
  '    if [ -L "$aside_candidate" ] || [ "$(stat -c %u -- "$aside_candidate")" != 0 ]; then aside_entry "$aside_candidate"; fi',
  '  done',
  '}',
  // aside_unless_root PATH: an entry that must be root's (runsv's supervise/, a generated file) and is not.
  'aside_unless_root() {',
  '  [ -e "$1" ] || [ -L "$1" ] || return 0',
  '  if [ -L "$1" ] || [ "$(stat -c %u -- "$1")" != 0 ] || { [ -f "$1" ] && [ "$(stat -c %h -- "$1")" != 1 ]; }; then aside_entry "$1"; fi',
  '}',
  // adopt_log_dir DIR LOGGER LEGACY: a log directory not yet the logger's becomes root's alone, the
  // old svlogd's files (root's or the legacy account's; regular, one link) go to the logger.
  'adopt_log_dir() {',
  '  [ -d "$1" ] && [ ! -L "$1" ] || return 0',
  '  [ "$(stat -c %U -- "$1")" != "$2" ] || return 0',
  '  make_dir "$1" root root 00700',
  '  if getent passwd "$3" >/dev/null; then',
  '    find "$1" -mindepth 1 -maxdepth 1 -xdev -type f -links 1 \\( -user root -o -user "$3" \\) -execdir chown -h -- "$2:$2" {} +',
  '  else',
  '    find "$1" -mindepth 1 -maxdepth 1 -xdev -type f -links 1 -user root -execdir chown -h -- "$2:$2" {} +',
  '  fi',
  '}',
]);

export function adoptionFunctions(): readonly string[] {
  return ADOPTION_FUNCTIONS;
}

/** `^([^=]*=)?<dir>(/|$)`: an argument (or an option's value) in the host's tree, for `grep -zE`. */
export function hostArgumentPattern(dir: string): string {
  return `^([^=]*=)?${escapeRegex(dir)}(/|$)`;
}

/** Before anything changes: refuses what the legacy account planted in the host's tree. */
export function refusePlantedLines(paths: HostPaths, legacyUser: string): string[] {
  return [
    `if [ -d ${q(paths.dir)} ] && [ ! -L ${q(paths.dir)} ] && getent passwd ${q(legacyUser)} >/dev/null; then`,
    `  planted=$(planted_entries ${shellWords([paths.dir, legacyUser])} | head -n 5)`,
    '  if [ -n "$planted" ]; then',
    '    first_planted=$(printf \'%s\\n\' "$planted" | head -n 1)',
    `    refuse "$(printf '%s\\n' "$planted" | tr '\\n' ' ')in the tree of $host: $first_planted is $(describe_path "$first_planted"), planted by ${legacyUser}; root never follows or opens such an entry: remove it or move it out of the tree, then deploy again"`,
    '  fi',
    'fi',
  ];
}

/**
 * A host directory still run by the old supervision: it exists without this project's marker (the
 * original script's), or its runsvdir run script is not root's (the legacy account could edit it).
 */
export function stopOldSupervisionLines(paths: HostPaths): string[] {
  const runsvdirRun = `${paths.runsvdirService}/run`;
  return [
    `if [ -d ${q(paths.dir)} ] && [ ! -L ${q(paths.dir)} ] && { [ ! -f ${q(paths.marker)} ] || { [ -e ${q(runsvdirRun)} ] && [ "$(stat -c %u -- ${q(runsvdirRun)})" != 0 ]; }; }; then`,
    `  stop_old_supervision ${shellWords([paths.dir, hostArgumentPattern(paths.dir), paths.enableLink])}`,
    'fi',
  ];
}

/**
 * The entries the project makes in each directory of conf/ (patterns for `case`). Only entries that
 * are not root's are ever moved, so the directories of a former storage kind this project made stay
 * (the enable step empties the old service directory); the legacy account's do not: runsvdir would
 * run whatever it puts in an old service directory, as root.
 */
function knownEntries(paths: HostPaths): { dir: string; known: string[] }[] {
  const serviceDirs = [...paths.services.map((service) => serviceDir(paths, service)), paths.runsvdirService];
  const storage = paths.services[0]!;
  return [
    {
      dir: paths.conf,
      known: [MARKER_FILE_NAME, `${MARKER_FILE_NAME}.tmp`, 'runsvs', 'runsvdir', storage, 'replica_sync', `${LEGACY_REPLICA_SYNC_PREFIX}*`,
        'backup-syncd.log.conf', 'rclone.conf', SYNCD_SERVICE, MOVED_ASIDE_DIRECTORY],
    },
    { dir: paths.runsvs, known: [storage, SYNCD_SERVICE] },
    ...serviceDirs.flatMap((dir) => [{ dir, known: ['run', 'log', 'supervise'] }, { dir: `${dir}/log`, known: ['run', 'supervise'] }]),
    { dir: paths.storageConf, known: [...STORAGE_CONF_FILES, 'certs'] },
    { dir: paths.certs, known: ['public.crt', 'private.key'] },
  ];
}

/**
 * After the directories are root's (so nobody else can swap what is checked here): moves aside what
 * the project does not make and what must be root's but is not, keeps a hand-written replica_sync.
 */
export function takeOverConfLines(paths: HostPaths): string[] {
  const serviceDirs = [...paths.services.map((service) => serviceDir(paths, service)), paths.runsvdirService];
  const supervise = serviceDirs.flatMap((dir) => [`${dir}/supervise`, `${dir}/log/supervise`]);
  const generated = generatedFilePaths(paths).filter((path) => path !== paths.replicaSync);
  return [
    `host_conf=${q(paths.conf)}`,
    `moved_aside=${q(`${paths.conf}/${MOVED_ASIDE_DIRECTORY}`)}`,
    // Computed here, at deploy time: the synthesized JSON stays the same on every run.
    'aside_stamp=$(date -u +%Y%m%dT%H%M%SZ)',
    ...knownEntries(paths).map(({ dir, known }) => `move_aside_unknown ${shellWords([dir, known.join(' ')])}`),
    ...supervise.map((dir) => `aside_unless_root ${q(dir)}`),
    // A replica_sync the legacy account owns is kept beside the new one, root's and not executable.
    `replica=${q(paths.replicaSync)}`,
    'if [ -f "$replica" ] && [ ! -L "$replica" ] && [ "$(stat -c %u -- "$replica")" != 0 ] && [ "$(stat -c %h -- "$replica")" = 1 ]; then',
    `  if grep -qF ${q(GENERATED_NOTICE)} "$replica"; then`,
    '    aside_entry "$replica"',
    '  else',
    `    kept="$host_conf/${LEGACY_REPLICA_SYNC_PREFIX}$(sha256sum < "$replica" | cut -c1-12)"`,
    '    if [ -e "$kept" ] || [ -L "$kept" ]; then aside_entry "$replica"; else',
    '      mv -T -- "$replica" "$kept"',
    '      own_file "$kept" root root 0644',
    '      echo "restic-backup-server: kept the hand-written $replica as $kept (root\'s, not executable); the new replica_sync is written from hosts.ts"',
    '    fi',
    '  fi',
    'fi',
    `aside_unless_root "$replica"`,
    ...generated.map((path) => `aside_unless_root ${q(path)}`),
  ];
}
