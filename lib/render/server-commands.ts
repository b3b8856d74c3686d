/** Provisioner commands of the server as a whole. */
import { shellQuote as q, shellWords } from '../shell/quote';
import { renderCommand } from './script';
import type { ResolvedServer } from '../config/resolve';
import { RUNSVDIR_SERVICE, serverPaths } from '../layout/paths';
import { dirname } from 'node:path';
import { CERTIFICATE_LINK, KEY_LINK, stopHostLines, type DirectorySpec } from './host-commands';
import { checkAncestorsLine, chmodMode, safeFsFunctions } from './safe-fs';
import { STORAGE_KINDS } from '../storage/kinds';
import { unitName } from './systemd-unit';
import { MARKER_FILE_NAME } from './marker';

/** Mode of the server root: every host's accounts pass through it to their own directory. */
export const SERVER_ROOT_MODE = '0755';
/**
 * Mode of the shared conf/: the group (every storage account) lists it and reads the TLS key; any
 * account may pass through to the certificate (the replicators verify the storage services with it).
 */
export const SERVER_CONF_MODE = '0751';
/** Mode of directories only root enters (conf/runit, the Terraform state, firewall records). */
export const ROOT_ONLY_DIR_MODE = '0700';

/** The server's directories, parents first (docs/security.md). */
export function serverDirectories(server: ResolvedServer): DirectorySpec[] {
  const paths = serverPaths(server.root);
  const stateDirectory = dirname(server.backend.localStatePath);
  const rootOnly = (path: string): DirectorySpec => ({ path, owner: 'root', group: 'root', mode: ROOT_ONLY_DIR_MODE });
  return [
    { path: paths.root, owner: 'root', group: 'root', mode: SERVER_ROOT_MODE },
    { path: paths.conf, owner: 'root', group: server.group, mode: SERVER_CONF_MODE },
    rootOnly(paths.runit),
    rootOnly(paths.firewallState),
    // The state lists every generated file; kept from every account but root wherever it is.
    ...(stateDirectory.startsWith(`${paths.conf}/`) && dirname(stateDirectory) === paths.conf ? [rootOnly(stateDirectory)] : []),
  ];
}

/** What the server itself runs or writes through, checked for other accounts' reach before anything is done. */
function serverCheckedPaths(server: ResolvedServer): string[] {
  return [
    server.root,
    server.systemd.unitPath,
    server.backend.localStatePath,
    server.tlsCertificate,
    server.tlsKey,
    // Whatever the backend, so that choosing a firewall changes no other step.
    server.firewall.nftables.ruleDirectory,
  ];
}

/**
 * Refuses a server where another account than root could swap a path root acts on (the root, the
 * unit, the state, the TLS files, the nftables rules), makes the group that reads the TLS key, then
 * the root, its shared conf/ and the root-only directories below it. An existing root-owned
 * directory keeps its contents; one in the way (a link, a file) stops the deploy.
 */
export function renderServerLayoutCommand(server: ResolvedServer): string {
  const stateDirectory = dirname(server.backend.localStatePath);
  const directories = serverDirectories(server);
  const stateElsewhere = directories.every(({ path }) => path !== stateDirectory);
  return renderCommand('Lay out the server: check the ancestors, then root, conf/ and its root-only directories', [
    ...safeFsFunctions('check_ancestors', 'make_dir'),
    checkAncestorsLine(serverCheckedPaths(server)),
    `getent group ${q(server.group)} >/dev/null || groupadd --system ${q(server.group)}`,
    ...directories.map(({ path, owner, group, mode }) => `make_dir ${shellWords([path, owner, group, chmodMode(mode)])}`),
    // A state directory elsewhere: made root's alone if missing, never changed if it exists (it may
    // hold the operator's other files; its ancestors were checked above).
    ...(stateElsewhere ? [`[ -d ${q(stateDirectory)} ] || (umask 077 && mkdir -p ${q(stateDirectory)})`] : []),
  ]);
}

/** Load a changed unit and (re)start it; a restart stops every host cleanly and starts them again. */
export function renderSystemdActivationCommand(server: ResolvedServer): string {
  const unit = q(unitName(server.systemd.unitPath));
  return renderCommand(`Activate ${unitName(server.systemd.unitPath)}`, [
    'systemctl daemon-reload',
    `systemctl enable ${unit}`,
    `systemctl restart ${unit}`,
  ]);
}

/**
 * Retire hosts that left hosts.ts. Terraform runs no destroy-time provisioner of a resource whose
 * block was removed from the configuration, so a removed host's own disable step never runs; this
 * command, re-run whenever the host list changes, does it instead. It only touches host directories
 * that carry this project's marker: hosts made by hand or by the original script stay as they are.
 */
export function renderRetireRemovedHostsCommand(server: ResolvedServer, hostNames: readonly string[]): string {
  const paths = serverPaths(server.root);
  return renderCommand('Retire hosts removed from hosts.ts: unlink and stop them; data, logs and credentials stay', [
    `desired=${q(` ${hostNames.join(' ')} `)}`,
    `for link in ${q(paths.runit)}/*; do`,
    '  [ -L "$link" ] || continue',
    '  name=${link##*/}',
    '  case "$desired" in *" $name "*) continue ;; esac',
    `  host=${q(paths.root)}/"$name"`,
    `  if [ ! -f "$host/conf/${MARKER_FILE_NAME}" ]; then`,
    '    echo "leaving $name enabled: it is not in hosts.ts and was not made by restic-backup-server"',
    '    continue',
    '  fi',
    '  echo "retiring $name: stopping its services; its data, logs and credentials stay"',
    '  rm -f "$link"',
    // sv writes to supervise/ below the host's conf/: only where that is root's alone.
    '  if [ -L "$host" ] || [ -L "$host/conf" ] || [ "$(stat -c %u -- "$host")" != 0 ] || [ "$(stat -c %u -- "$host/conf")" != 0 ]; then',
    '    echo "restic-backup-server: $name is unlinked but not stopped: $host or its conf/ is not root\'s; stop it by hand" >&2',
    '    continue',
    '  fi',
    `  service="$host/conf/${RUNSVDIR_SERVICE}"`,
    ...stopHostLines('  '),
    // Exact paths, one per storage kind: conf/ of a host is root's alone, but a glob would also
    // reach into directories an account owned in earlier versions.
    ...STORAGE_KINDS.map((kind) => `  rm -f "$host"/conf/${kind}/certs/${CERTIFICATE_LINK} "$host"/conf/${kind}/certs/${KEY_LINK}`),
    'done',
  ]);
}
