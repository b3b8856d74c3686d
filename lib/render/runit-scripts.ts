/** runit service scripts shared by every host: log/run, the backup-syncd run, the host's runsvdir run. */
import { shellQuote as q, shellWords } from '../shell/quote';
import { renderScript } from './script';
import type { ResolvedHost, ResolvedServer } from '../config/resolve';
import type { HostPaths } from '../layout/paths';
import { SYNCD_SERVICE } from '../layout/paths';
import { hostAccounts } from '../layout/accounts';

/** How long a stopping host waits for a service before runit sends KILL. */
export const SERVICE_STOP_TIMEOUT_SECONDS = 30;

/** An account a run script drops to, with exactly these groups (the first is the primary one). */
export interface RunAs {
  readonly user: string;
  readonly groups: readonly string[];
}

/** `chpst -u user:group:...`: runit's chpst sets the uid, the gid and exactly these supplementary groups. */
export function chpstAs(account: RunAs): string {
  return `chpst -u ${q([account.user, ...account.groups].join(':'))}`;
}

/** The storage service: its own account, and the server group for the shared TLS key. */
export function storageRunAs(server: ResolvedServer, hostName: string): RunAs {
  const { storage } = hostAccounts(hostName);
  return { user: storage, groups: [storage, server.group] };
}

/** backup-syncd, replica_sync and their loggers: the replicator, reading the data through the storage group. */
export function replicatorRunAs(hostName: string): RunAs {
  const { storage, replicator } = hostAccounts(hostName);
  return { user: replicator, groups: [replicator, storage] };
}

/** Who writes a service's log: the storage account its own, the replicator every other. */
export function loggerRunAs(paths: HostPaths, service: string): RunAs {
  const { storage } = hostAccounts(paths.name);
  return service === paths.services[0] ? { user: storage, groups: [storage] } : replicatorRunAs(paths.name);
}

/**
 * Run scripts start as root: files the dropped service creates are readable by its group (the
 * replicator reads the storage data) and by nobody else.
 */
export const SERVICE_UMASK = 'umask 027';

/** `log/run`: svlogd as the account that owns `<host>/logs/<service>`, timestamps added. */
export function renderLogRun(paths: HostPaths, service: string, directory: string): string {
  return renderScript(`svlogd of ${service} for ${paths.name}`, [SERVICE_UMASK, `exec ${chpstAs(loggerRunAs(paths, service))} svlogd -tt ${q(directory)}`]);
}

export interface SyncdArguments {
  readonly host: string;
  readonly watch: string;
  readonly script: string;
  readonly state: string;
  readonly logConfig: string;
  /** The Prometheus textfile export; @default - none */
  readonly metrics?: SyncdMetricsArguments;
}

export interface SyncdMetricsArguments {
  readonly dir: string;
  readonly storageService: string;
  readonly storagePort: number;
  readonly maxSnapshotAgeSeconds: number;
  readonly quotaBytes: number | undefined;
}

/** The metrics arguments of a host when the server has a textfile directory. */
export function syncdMetricsArguments(server: ResolvedServer, host: ResolvedHost): SyncdMetricsArguments | undefined {
  const dir = server.monitoring.textfileDirectory;
  if (dir === undefined) return undefined;
  return { dir, storageService: host.storage, storagePort: host.port, maxSnapshotAgeSeconds: host.maxSnapshotAgeSeconds, quotaBytes: host.quotaBytes };
}

/** The command line of backup-syncd (bin/backup-syncd.ts defines these options). */
export function syncdCommandLine(command: string, args: SyncdArguments): string {
  return shellWords([
    command,
    '--host', args.host,
    '--watch', args.watch,
    '--script', args.script,
    '--state', args.state,
    '--log-config', args.logConfig,
    ...(args.metrics === undefined ? [] : [
      '--metrics-dir', args.metrics.dir,
      '--storage-service', args.metrics.storageService,
      '--storage-port', String(args.metrics.storagePort),
      '--max-snapshot-age', `${args.metrics.maxSnapshotAgeSeconds}s`,
      ...(args.metrics.quotaBytes === undefined ? [] : ['--quota-bytes', String(args.metrics.quotaBytes)]),
    ]),
  ]);
}

export function renderSyncdRun(server: ResolvedServer, paths: HostPaths, watchRoot: string, host?: ResolvedHost): string {
  const commandLine = syncdCommandLine(server.backupSyncdCommand, {
    host: paths.name,
    watch: watchRoot,
    script: paths.replicaSync,
    state: paths.syncdState,
    logConfig: paths.syncdLogConf,
    metrics: host === undefined ? undefined : syncdMetricsArguments(server, host),
  });
  return renderScript(`${SYNCD_SERVICE} for ${paths.name}: runs replica_sync for every new restic snapshot`, [
    'exec 2>&1',
    SERVICE_UMASK,
    `exec ${chpstAs(replicatorRunAs(paths.name))} ${commandLine}`,
  ]);
}

/**
 * The run script of the host's own runsvdir service.
 *
 * runsvdir exits at once on TERM and leaves its runsv children (and their daemons) running, which
 * is what runsv sends when this host is stopped. So runsvdir runs as a child: on TERM the script
 * sends it HUP (it then TERMs every runsv and exits), and shuts each service down and waits, with KILL
 * after a timeout, so that no process of the host outlives the stop. The same happens if runsvdir
 * dies on its own, so a restarted runsvdir never meets orphaned services.
 */
export function renderRunsvdirRun(paths: HostPaths): string {
  return renderScript(`runsvdir of ${paths.name}: supervises its services and stops them all when stopped`, [
    'exec 2>&1',
    `services=${q(paths.runsvs)}`,
    '',
    'stop() {',
    '  trap - TERM HUP INT',
    '  kill -HUP "$supervisor" 2>/dev/null || true',
    '  wait "$supervisor" 2>/dev/null || true',
    `  sv -w ${SERVICE_STOP_TIMEOUT_SECONDS} force-shutdown "$services"/* >/dev/null 2>&1 || true`,
    '  exit "$1"',
    '}',
    '',
    'runsvdir -P "$services" &',
    'supervisor=$!',
    "trap 'stop 0' TERM HUP INT",
    'wait "$supervisor"',
    'echo "runsvdir exited unexpectedly; stopping the services it left behind"',
    'stop 1',
  ]);
}
