/**
 * Where everything lives. The only place that joins paths of the server tree: constructs, the plan
 * command and tests all ask here, so the layout of REFERENCE.md §1 is defined once.
 *
 *   <root>/conf/runit/<host> -> <root>/<host>/conf/runsvdir      one link per enabled host
 *   <root>/<host>/logs/{<storage>,backup-syncd,runsvdir,replica_sync}/
 *   <root>/<host>/<storage>/                                    the storage service's data
 *   <root>/<host>/conf/runsvs/{<storage>,backup-syncd}/{run,log/run}
 *   <root>/<host>/conf/runsvdir/{run,log/run}
 *   <root>/<host>/conf/<storage>/{credentials file, certs/}
 *   <root>/<host>/state/                                        backup-syncd's state
 */
import type { StorageKind } from '../config/types';
import { MARKER_FILE_NAME } from '../render/marker';

export const SYNCD_SERVICE = 'backup-syncd';
export const RUNSVDIR_SERVICE = 'runsvdir';
/** Log directory the original replica_sync scripts wrote to; kept so they keep working. */
export const REPLICA_SYNC_LOG = 'replica_sync';

export interface ServerPaths {
  readonly root: string;
  readonly conf: string;
  /** The directory the systemd unit's runsvdir supervises: one link per enabled host. */
  readonly runit: string;
  /** Firewall records of backends that cannot tag their rules (firewalld): one file per host. */
  readonly firewallState: string;
  /** Serialises the steps that must not run at once (account creation); in a root-only directory. */
  readonly lock: string;
}

export function serverPaths(root: string): ServerPaths {
  return { root, conf: `${root}/conf`, runit: `${root}/conf/runit`, firewallState: `${root}/conf/firewall`, lock: `${root}/conf/deploy.lock` };
}

/** The nftables rule file of one host: `<ruleDirectory>/<table>-<host>.nft`. */
export function nftablesRuleFile(ruleDirectory: string, table: string, hostName: string): string {
  return `${ruleDirectory}/${table}-${hostName}.nft`;
}

export interface HostPaths {
  readonly name: string;
  readonly dir: string;
  readonly conf: string;
  readonly logs: string;
  /** Data of the storage service: `<host>/<storage>`. */
  readonly storageData: string;
  /** Configuration of the storage service: credentials and certificate links. */
  readonly storageConf: string;
  readonly certs: string;
  readonly runsvs: string;
  readonly runsvdirService: string;
  readonly replicaSync: string;
  readonly syncdLogConf: string;
  /** Owned by the replicator account, outside conf/: backup-syncd keeps its state here. */
  readonly syncdStateDir: string;
  readonly syncdState: string;
  /** Where earlier versions kept that state, inside conf/: locked away (root only) at deploy. */
  readonly formerSyncdStateDir: string;
  /** Default rclone configuration of the generated replica_sync. */
  readonly rcloneConfig: string;
  /** Machine-readable record that this project made the host directory (read by the plan command). */
  readonly marker: string;
  /** `<root>/conf/runit/<host>`: present exactly while the host is enabled. */
  readonly enableLink: string;
  /** The services supervised by the host's own runsvdir. */
  readonly services: readonly string[];
  /** The log directories, one per service plus replica_sync. */
  readonly logDirs: readonly string[];
}

export function serviceDir(paths: HostPaths, service: string): string {
  return `${paths.runsvs}/${service}`;
}

export function logDir(paths: HostPaths, service: string): string {
  return `${paths.logs}/${service}`;
}

export function hostPaths(root: string, name: string, storage: StorageKind): HostPaths {
  const dir = `${root}/${name}`;
  const conf = `${dir}/conf`;
  const logs = `${dir}/logs`;
  const services = [storage, SYNCD_SERVICE];
  return {
    name,
    dir,
    conf,
    logs,
    storageData: `${dir}/${storage}`,
    storageConf: `${conf}/${storage}`,
    certs: `${conf}/${storage}/certs`,
    runsvs: `${conf}/runsvs`,
    runsvdirService: `${conf}/${RUNSVDIR_SERVICE}`,
    replicaSync: `${conf}/replica_sync`,
    syncdLogConf: `${conf}/backup-syncd.log.conf`,
    syncdStateDir: `${dir}/state`,
    syncdState: `${dir}/state/state.json`,
    formerSyncdStateDir: `${conf}/${SYNCD_SERVICE}`,
    rcloneConfig: `${conf}/rclone.conf`,
    marker: `${conf}/${MARKER_FILE_NAME}`,
    enableLink: `${serverPaths(root).runit}/${name}`,
    services,
    logDirs: [...services, RUNSVDIR_SERVICE, REPLICA_SYNC_LOG].map((service) => `${logs}/${service}`),
  };
}

/** A file in the host's certs directory, e.g. the TLS links `public.crt` and `private.key`. */
export function certsFile(paths: HostPaths, name: string): string {
  return `${paths.certs}/${name}`;
}

/**
 * Every file the constructs generate from hosts.ts (run scripts, replica_sync, log config): what
 * is replaced when the project adopts a host directory. Credentials and data are not among them.
 */
export function generatedFilePaths(paths: HostPaths): string[] {
  const serviceDirs = [...paths.services.map((service) => serviceDir(paths, service)), paths.runsvdirService];
  return [...serviceDirs.flatMap((dir) => [`${dir}/run`, `${dir}/log/run`]), paths.replicaSync, paths.syncdLogConf];
}

/**
 * Files of a host served over restic's REST protocol (rest-server, rclone serve restic), whose
 * repository user is `user` and, with `--private-repos`, whose repository is `<storage>/<user>/`.
 */
export interface RestRepositoryPaths {
  /** bcrypt hash the server checks; read by the service user. */
  readonly htpasswd: string;
  /** The user name and password for the client, readable by root only. */
  readonly clientCredentials: string;
  /** The restic repository itself: `config`, `data/`, `index/`, `keys/`, `locks/`, `snapshots/`. */
  readonly repository: string;
}

export function restRepositoryPaths(paths: HostPaths, user: string): RestRepositoryPaths {
  return {
    htpasswd: `${paths.storageConf}/htpasswd`,
    clientCredentials: `${paths.storageConf}/client-credentials`,
    repository: `${paths.storageData}/${user}`,
  };
}
