/** The systemd unit that runs the whole runit tree (REFERENCE.md §1). */
import type { ResolvedServer } from '../config/resolve';
import { serverPaths } from '../layout/paths';

/**
 * runsvdir runs as root so that each service can drop to its host's accounts with chpst: the run
 * scripts are root-owned and not writable by any account. UMask=0022: what runit itself creates as
 * root (supervise/) is writable by root only; each run script sets its service's own umask. KillSignal=SIGHUP makes runsvdir stop every
 * host (TERM to each runsv, then exit 111, hence SuccessExitStatus) and KillMode=process lets the
 * hosts' own stop logic finish instead of systemd killing the whole cgroup at once.
 */
export function renderSystemdUnit(server: ResolvedServer): string {
  const paths = serverPaths(server.root);
  return [
    '# Generated from hosts.ts by restic-backup-server; local edits are overwritten.',
    '[Unit]',
    `Description=restic backup storage for the clients of ${server.serverName} (runit tree of every enabled host)`,
    'After=network-online.target local-fs.target',
    'Wants=network-online.target',
    '',
    '[Service]',
    `ExecStart=/usr/bin/runsvdir -P ${paths.runit}/`,
    `WorkingDirectory=${paths.root}`,
    'Restart=always',
    'KillMode=process',
    'KillSignal=SIGHUP',
    'SuccessExitStatus=111',
    'UMask=0022',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

export function unitName(unitPath: string): string {
  return unitPath.slice(unitPath.lastIndexOf('/') + 1);
}
