/** Provisioner commands of one host: lay out its tree, enable it, disable it. */
import { shellQuote as q, shellWords } from '../shell/quote';
import { renderCommand } from './script';
import type { ResolvedHost, ResolvedServer } from '../config/resolve';
import { certsFile, serverPaths, serviceDir, type HostPaths } from '../layout/paths';
import { hostAccounts } from '../layout/accounts';
import { renderMarker } from './marker';
import { checkAncestorsLine, chmodMode, safeFsFunctions } from './safe-fs';
import { loggerRunAs, SERVICE_STOP_TIMEOUT_SECONDS } from './runit-scripts';
import { adoptionFunctions, refusePlantedLines, stopOldSupervisionLines, takeOverConfLines } from './adoption';

/** Mode of directories only root writes (configuration, scripts): readable by the host's group. */
export const CONF_DIR_MODE = '0750';
/** Mode of the directories an account writes (data, logs, state): new entries keep its group. */
export const DATA_DIR_MODE = '2750';

/** Names of the certificate links every storage service reads from its certs directory. */
export const CERTIFICATE_LINK = 'public.crt';
export const KEY_LINK = 'private.key';

/** A directory of the host tree with the owner, group and mode the layout step gives it. */
export interface DirectorySpec {
  readonly path: string;
  readonly owner: string;
  readonly group: string;
  readonly mode: string;
}

/**
 * Every directory of a host, parents before children (the layout step makes them in this order, so
 * each is made inside a directory already root's alone). docs/security.md explains the owners.
 */
export function hostDirectories(paths: HostPaths): DirectorySpec[] {
  const { storage, replicator } = hostAccounts(paths.name);
  const rootOwned = (path: string): DirectorySpec => ({ path, owner: 'root', group: storage, mode: CONF_DIR_MODE });
  const ownedBy = (account: string) => (path: string): DirectorySpec => ({ path, owner: account, group: account, mode: DATA_DIR_MODE });
  const serviceDirs = [...paths.services.map((service) => serviceDir(paths, service)), paths.runsvdirService].flatMap((dir) => [dir, `${dir}/log`]);
  const [storageLog, ...replicatorLogs] = paths.logDirs;
  return [
    ...[paths.dir, paths.conf, paths.runsvs, ...serviceDirs, paths.storageConf, paths.certs, paths.logs].map(rootOwned),
    ...[paths.storageData, storageLog!].map(ownedBy(storage)),
    ...[...replicatorLogs, paths.syncdStateDir].map(ownedBy(replicator)),
  ];
}

/**
 * The paths outside the host's own tree that its step links to or its services run: checked for
 * other accounts' reach first. The host's tree itself is made root's, top-down, by make_dir.
 */
function hostCheckedPaths(server: ResolvedServer, host: ResolvedHost, paths: HostPaths, storageBinary: string): string[] {
  const outside = (path: string) => !path.startsWith(`${paths.dir}/`);
  return [...new Set([host.tlsCertificate, host.tlsKey, storageBinary, server.backupSyncdCommand, host.replica.rcloneConfig])].filter(outside);
}

let layoutFunctionsText: string | undefined;
/** The shell functions of the layout step, as one block of lines: the same for every host, joined once. */
function layoutFunctions(): string {
  layoutFunctionsText ??= [...safeFsFunctions('check_ancestors', 'make_dir', 'make_link', 'lock_away', 'hand_over', 'own_file'), ...adoptionFunctions()].join('\n');
  return layoutFunctionsText;
}

/**
 * Creates the host's accounts when missing, then its directories with their owners and modes, links
 * its TLS files and writes the marker. Files still owned by the legacy `server.user` (trees of the
 * original script or of earlier versions) are handed to the host's accounts; backup-syncd's former
 * state directory inside conf/ is locked away. Checks first that no account but root can reach the
 * TLS files and binaries, and that the TLS files exist, so a bad server fails the deploy before
 * anything is written. Never removes data, logs or credentials.
 */
export function renderLayoutCommand(server: ResolvedServer, host: ResolvedHost, paths: HostPaths, storageBinary: string): string {
  const { storage, replicator } = hostAccounts(host.name);
  const directories = hostDirectories(paths);
  const handedOver = directories.filter((directory) => directory.owner !== 'root');
  const logOwners = new Map(paths.logDirs.map((dir) => [dir, loggerRunAs(paths, dir.slice(paths.logs.length + 1)).user]));
  const noLogin = '--no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin';
  return renderCommand(`Lay out ${host.name}: accounts, directories, TLS links, marker`, [
    layoutFunctions(),
    `host=${q(host.name)}`,
    checkAncestorsLine(hostCheckedPaths(server, host, paths, storageBinary)),
    `for file in ${shellWords([host.tlsCertificate, host.tlsKey])}; do`,
    '  if [ ! -e "$file" ]; then',
    `    refuse "TLS file $file for $host does not exist; install it (readable by group ${server.group}) or set tlsCertificate/tlsKey in hosts.ts"`,
    '  fi',
    'done',
    // A tree of the original script (or an earlier version): refuse what its account planted, before any change.
    ...refusePlantedLines(paths, server.user),
    // useradd takes a lock on /etc/passwd that parallel steps would fail on: one at a time.
    `exec 9>${q(serverPaths(server.root).lock)}`,
    'flock -w 120 9 || refuse "could not take the lock on the account database"',
    `getent passwd ${q(storage)} >/dev/null || useradd --system --user-group ${noLogin} --groups ${q(server.group)} ${q(storage)}`,
    `getent passwd ${q(replicator)} >/dev/null || useradd --system --user-group ${noLogin} --groups ${q(storage)} ${q(replicator)}`,
    'flock -u 9',
    ...stopOldSupervisionLines(paths),
    ...directories.flatMap(({ path, owner, group, mode }) => [
      ...(logOwners.has(path) ? [`adopt_log_dir ${shellWords([path, logOwners.get(path)!, server.user])}`] : []),
      `make_dir ${shellWords([path, owner, group, chmodMode(mode)])}`,
    ]),
    ...takeOverConfLines(paths),
    `if getent passwd ${q(server.user)} >/dev/null; then`,
    ...handedOver.map(({ path, owner, group }) => `  hand_over ${shellWords([path, server.user, owner, group])}`),
    'fi',
    `lock_away ${q(paths.formerSyncdStateDir)}`,
    // The replica credentials: the replicator's alone (the operator writes the file).
    `rclone_config=${q(host.replica.rcloneConfig)}`,
    'if [ -e "$rclone_config" ] || [ -L "$rclone_config" ]; then',
    `  own_file "$rclone_config" root ${q(replicator)} 0640`,
    'fi',
    `make_link ${shellWords([host.tlsCertificate, certsFile(paths, CERTIFICATE_LINK)])}`,
    `make_link ${shellWords([host.tlsKey, certsFile(paths, KEY_LINK)])}`,
    `rm -f ${q(`${paths.marker}.tmp`)}`,
    `printf '%s\\n' ${q(renderMarker(host))} > ${q(`${paths.marker}.tmp`)}`,
    `chmod 0644 ${q(`${paths.marker}.tmp`)}`,
    `mv -f ${q(`${paths.marker}.tmp`)} ${q(paths.marker)}`,
  ]);
}

/**
 * The host's one preparation step: its layout, then its credentials (one resource instead of two,
 * as every resource costs `terraform plan` time on servers with hundreds of hosts). The credentials
 * command runs in a subshell because it ends early when the credentials exist. Both parts only
 * ever add, so re-running the step after any change of it is harmless.
 */
export function renderPrepareCommand(layoutCommand: string, credentialsCommand: string): string {
  return [layoutCommand, '(', credentialsCommand, ')'].join('\n');
}

/**
 * Enabling is one link; the systemd unit's runsvdir notices it within five seconds.
 *
 * It first removes the service directories of storage kinds the host no longer runs: after a
 * switch of storage, Terraform deletes the old run scripts but not their directory, and the host's
 * runsvdir would keep trying to start it. The host is stopped at this point (this step is
 * replaced, its destroy stopping the host, whenever a run script changes). Only runit's files go
 * (run scripts, supervise/ state); a directory holding anything else stays, with a warning. The
 * old storage's data directory is elsewhere and stays.
 */
export function renderEnableCommand(paths: HostPaths, formerStorageKinds: readonly string[]): string {
  const stale = formerStorageKinds.map((kind) => serviceDir(paths, kind));
  const removeStale = [
    `for dir in ${shellWords(stale)}; do`,
    '  [ -d "$dir" ] || continue',
    '  rm -f "$dir/run" "$dir/log/run"',
    '  rm -rf "$dir/supervise" "$dir/log/supervise"',
    '  rmdir "$dir/log" 2>/dev/null || true',
    '  rmdir "$dir" 2>/dev/null || echo "restic-backup-server: $dir holds files of its own; remove it so that runsvdir stops starting it" >&2',
    'done',
  ];
  return renderCommand(`Enable ${paths.name}: link its runsvdir service into conf/runit`, [
    ...(stale.length === 0 ? [] : removeStale),
    `ln -sfnT ${q(paths.runsvdirService)} ${q(paths.enableLink)}`,
  ]);
}

/**
 * Shell lines that stop a host whose runsvdir service directory is in `$service`: its runsv is told
 * to stop and exit, the run script stops everything below it, and `sv -w` waits for all of it.
 */
export function stopHostLines(indent = ''): string[] {
  return [
    `${indent}if sv status "$service" >/dev/null 2>&1; then`,
    `${indent}  sv -w ${SERVICE_STOP_TIMEOUT_SECONDS * 2} force-shutdown "$service" >/dev/null || true`,
    `${indent}fi`,
  ];
}

/**
 * Disabling removes the link first, so runsvdir cannot restart the host, then stops it and waits.
 * Nothing else is removed.
 */
export function renderDisableCommand(paths: HostPaths): string {
  return renderCommand(`Disable ${paths.name}: unlink and stop its services; data, logs and credentials stay`, [
    `rm -f ${q(paths.enableLink)}`,
    `service=${q(paths.runsvdirService)}`,
    ...stopHostLines(),
  ]);
}
