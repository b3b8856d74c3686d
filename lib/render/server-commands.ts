/** Provisioner commands of the server as a whole. */
import { shellQuote as q, shellWords } from '../shell/quote';
import { renderCommand } from './script';
import type { ResolvedServer } from '../config/resolve';
import { RUNSVDIR_SERVICE, serverPaths } from '../layout/paths';
import { CONF_DIR_MODE, CERTIFICATE_LINK, KEY_LINK, stopHostLines } from './host-commands';
import { unitName } from './systemd-unit';
import { MARKER_FILE_NAME } from './marker';

/** The root, its shared conf/ and conf/runit/: root-owned so the service user cannot add services. */
export function renderServerLayoutCommand(server: ResolvedServer): string {
  const paths = serverPaths(server.root);
  return renderCommand('Lay out the server: root, conf/, conf/runit/', [
    `install -d -o root -g ${q(server.group)} -m ${CONF_DIR_MODE} ${shellWords([paths.root, paths.conf, paths.runit])}`,
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
    `  service="$host/conf/${RUNSVDIR_SERVICE}"`,
    ...stopHostLines('  '),
    `  rm -f "$host"/conf/*/certs/${CERTIFICATE_LINK} "$host"/conf/*/certs/${KEY_LINK}`,
    'done',
  ]);
}
