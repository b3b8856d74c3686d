/** Provisioner commands of one host: lay out its tree, enable it, disable it. */
import { shellQuote as q, shellWords } from '../shell/quote';
import { renderCommand } from './script';
import type { ResolvedHost, ResolvedServer } from '../config/resolve';
import type { HostPaths } from '../layout/paths';
import { serviceDir } from '../layout/paths';
import { renderMarker } from './marker';
import { SERVICE_STOP_TIMEOUT_SECONDS } from './runit-scripts';

/** Mode of directories only root writes (configuration, scripts): readable by the service group. */
export const CONF_DIR_MODE = '2750';
/** Mode of directories the service user writes (data, logs, state), as in the original: 2770. */
export const DATA_DIR_MODE = '2770';

/** Names of the certificate links every storage service reads from its certs directory. */
export const CERTIFICATE_LINK = 'public.crt';
export const KEY_LINK = 'private.key';

export function confDirectories(paths: HostPaths): string[] {
  const serviceDirs = paths.services.flatMap((service) => [serviceDir(paths, service), `${serviceDir(paths, service)}/log`]);
  return [paths.dir, paths.conf, paths.runsvs, ...serviceDirs, paths.runsvdirService, `${paths.runsvdirService}/log`, paths.storageConf, paths.certs, paths.logs];
}

export function dataDirectories(paths: HostPaths): string[] {
  return [...paths.logDirs, paths.storageData, paths.syncdStateDir];
}

/**
 * Creates the host's directories with their owners and modes, links its TLS files and writes the
 * marker. Checks the certificate files first, so a missing one fails the deploy before anything
 * is written. Never removes anything: data, logs and credentials outlive the host's configuration.
 */
export function renderLayoutCommand(server: ResolvedServer, host: ResolvedHost, paths: HostPaths): string {
  const owner = (user: string) => `-o ${q(user)} -g ${q(server.group)}`;
  return renderCommand(`Lay out ${host.name}: directories, TLS links, marker`, [
    `host=${q(host.name)}`,
    `group=${q(server.group)}`,
    `for file in ${shellWords([host.tlsCertificate, host.tlsKey])}; do`,
    '  if [ ! -e "$file" ]; then',
    '    echo "restic-backup-server: TLS file $file for $host does not exist; install it (readable by group $group) or set tlsCertificate/tlsKey in hosts.ts" >&2',
    '    exit 1',
    '  fi',
    'done',
    `install -d ${owner('root')} -m ${CONF_DIR_MODE} ${shellWords(confDirectories(paths))}`,
    `install -d ${owner(server.user)} -m ${DATA_DIR_MODE} ${shellWords(dataDirectories(paths))}`,
    `ln -sfn ${q(host.tlsCertificate)} ${q(`${paths.certs}/${CERTIFICATE_LINK}`)}`,
    `ln -sfn ${q(host.tlsKey)} ${q(`${paths.certs}/${KEY_LINK}`)}`,
    `printf '%s\\n' ${q(renderMarker(host))} > ${q(`${paths.marker}.tmp`)}`,
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
    `ln -sfn ${q(paths.runsvdirService)} ${q(paths.enableLink)}`,
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
