/**
 * The operator-facing configuration: what `hosts.ts` exports.
 *
 * Everything here is plain data so that it can be validated (./validate.ts) before any construct
 * exists, and diffed against the disk (the plan command) without synthesizing.
 */
import type { STORAGE_KINDS } from '../storage/kinds';
import type { FIREWALL_KINDS } from '../firewall/kinds';

/** Which storage service a host runs. Each is a strategy in lib/storage/. */
export type StorageKind = (typeof STORAGE_KINDS)[number];

/** Which firewall opens each host's ports. Each is a renderer in lib/firewall/. */
export type FirewallKind = (typeof FIREWALL_KINDS)[number];

/** Settings of the server as a whole. */
export interface ServerConfig {
  /** DNS name clients connect to; it forms every client repository URL. */
  readonly serverName: string;

  /**
   * Directory holding the shared `conf/` and one directory per host. A directory of its own: not
   * a system directory such as `/`, `/etc` or `/usr`, nor inside one (SYSTEM_TREES and
   * SHARED_DIRECTORIES in ./system-paths.ts).
   * @default '/backups/systems'
   */
  readonly root?: string;

  /**
   * The account that owned everything in the original script's tree and in earlier versions of this
   * project: files of a host still owned by it are handed to the host's own accounts at deploy. No
   * daemon runs as it (docs/security.md). Never `root` or another privileged account
   * (PRIVILEGED_ACCOUNTS in ./rules.ts).
   * @default 'backups'
   */
  readonly user?: string;

  /**
   * The group that may read the server's TLS key; every host's storage account is a member. Never
   * `root` or another privileged group.
   * @default 'backups'
   */
  readonly group?: string;

  /**
   * Server TLS certificate (PEM) linked into every host that has none of its own.
   * @default '<root>/conf/public.crt'
   */
  readonly tlsCertificate?: string;

  /**
   * Private key of `tlsCertificate`; must be readable by `group` (root:<group> 0640).
   * @default '<root>/conf/private.key'
   */
  readonly tlsKey?: string;

  /**
   * Storage service used by hosts that do not choose their own.
   * @default 'minio'
   */
  readonly storage?: StorageKind;

  /**
   * The minio server binary.
   * @default '/usr/local/bin/minio'
   */
  readonly minioBinary?: string;

  /**
   * restic's rest-server binary (hosts with storage `rest-server`).
   * @default '/usr/local/bin/rest-server'
   */
  readonly restServerBinary?: string;

  /**
   * The rclone binary (hosts with storage `rclone`, which runs `rclone serve restic`).
   * @default '/usr/bin/rclone'
   */
  readonly rcloneBinary?: string;

  /**
   * The backup-syncd command shipped by this package (bin/backup-syncd).
   * @default '/usr/local/bin/backup-syncd'
   */
  readonly backupSyncdCommand?: string;

  /** The systemd unit that runs the runit supervision tree. */
  readonly systemd?: SystemdConfig;

  /** Where Terraform keeps its state. Declared explicitly so no path of the checkout leaks in. */
  readonly backend?: BackendConfig;

  /** How each host's `allowFrom` becomes firewall rules on this server. */
  readonly firewall?: FirewallConfig;

  /**
   * Newest snapshot older than this makes a host `crit` in `backup-status` (and fires the stale-backup
   * alert): a duration such as `26h`, `2d` or `90m` (units s, m, h, d). Hosts may set their own.
   * @default '26h' - a daily backup with two hours of slack
   */
  readonly maxSnapshotAge?: string;

  /**
   * A host without any snapshot is `warn` (not `crit`) for this long after its directory was
   * created, so a new host has time for its first backup.
   * @default '48h'
   */
  readonly newHostGracePeriod?: string;

  /** Prometheus export and monitoring settings (docs/status.md). */
  readonly monitoring?: MonitoringConfig;

  /**
   * Directories under `root` that are not in `hosts` and are left alone on purpose: hosts of the
   * original script not (yet) adopted, retired hosts whose data is kept, hand-made ones. `npm run
   * plan` shows them as "left alone" instead of "removed", so a settled server plans to exit 0. Names
   * as on disk (upper case allowed); never a name of `hosts`. The deploy never touches them anyway.
   * @default - none
   */
  readonly leaveAlone?: readonly string[];
}

export interface MonitoringConfig {
  /**
   * node_exporter's textfile-collector directory: every host's backup-syncd writes
   * `<dir>/<host>.prom` there (a temporary name, then renamed) whenever something changes. The
   * directory must be writable by the accounts that run backup-syncd (see docs/status.md).
   * @default - no metrics files
   */
  readonly textfileDirectory?: string;
}

export interface FirewallConfig {
  /**
   * The firewall that holds the rules; `none` leaves the firewall to the operator.
   * @default 'nftables'
   */
  readonly backend?: FirewallKind;

  /**
   * Words put before every firewall command (nft, iptables, ufw, firewall-cmd), for example
   * `sudo -n` when Terraform does not run as root. Plain words separated by single spaces.
   * @default '' - none: `cdktf deploy` runs as root on the server
   */
  readonly commandPrefix?: string;

  /** Settings of the `nftables` backend. */
  readonly nftables?: NftablesConfig;
}

export interface NftablesConfig {
  /**
   * Directory of the rule files, one per host; load it at boot (`include "/etc/nftables.d/*.nft"`
   * in /etc/nftables.conf) so the rules survive a reboot.
   * @default '/etc/nftables.d'
   */
  readonly ruleDirectory?: string;

  /**
   * The `inet` table holding every rule of this project; nothing else is touched.
   * @default 'restic_backup_server'
   */
  readonly table?: string;
}

export interface SystemdConfig {
  /**
   * Path the unit file is written to: directly in /etc/systemd/system or
   * /usr/local/lib/systemd/system, a name ending in `.service`; with `manage: false`, also any
   * directory outside the system directories (./system-paths.ts).
   * @default '/etc/systemd/system/backup-minio.service'
   */
  readonly unitPath?: string;

  /**
   * Run `systemctl daemon-reload` and `systemctl enable --now` when the unit changes.
   * Turn off where the unit is managed elsewhere (or in tests without systemd).
   * @default true
   */
  readonly manage?: boolean;
}

export interface BackendConfig {
  /**
   * Local state file. Terraform state holds no secret: credentials are generated on the server.
   * A `<name>.tfstate` file outside the system directories (./system-paths.ts).
   * @default '<root>/conf/terraform/terraform.tfstate'
   */
  readonly localStatePath?: string;
}

/** One client machine that backs up to this server. */
export interface HostConfig {
  /** Fully qualified, lower-case host name; names the host's directory `<root>/<name>`. */
  readonly name: string;

  /** TCP port of this host's storage service; unique on the server, 1024-65535. */
  readonly port: number;

  /**
   * minio console port; when unset the console is disabled (MINIO_BROWSER=off).
   * @default - console disabled
   */
  readonly consolePort?: number;

  /**
   * Storage service of this host.
   * @default - the server's `storage`
   */
  readonly storage?: StorageKind;

  /**
   * This host's own TLS certificate.
   * @default - the server's `tlsCertificate`
   */
  readonly tlsCertificate?: string;

  /**
   * This host's own TLS key.
   * @default - the server's `tlsKey`
   */
  readonly tlsKey?: string;

  /**
   * Client addresses (IPv4 or IPv6 CIDR) allowed to reach `port`.
   * @default - none: the port is opened to nobody
   */
  readonly allowFrom?: readonly string[];

  /**
   * Allow `allowFrom` networks wider than /8 (IPv4) or /32 (IPv6), such as `0.0.0.0/0` or `::/0`:
   * without it they are refused, since they open the port to a large part of the internet. Only
   * together with such a network.
   * @default false
   */
  readonly allowFromAnywhere?: boolean;

  /**
   * Bucket of the restic repository (minio): part of the client URL and of the watched path.
   * @default 'backups'
   */
  readonly bucket?: string;

  /**
   * Prefix of the restic repository inside the bucket.
   * @default 'restic'
   */
  readonly prefix?: string;

  /**
   * rest-server and rclone only: the client may add to its repository but never delete or
   * overwrite (`--append-only`), so a compromised client cannot destroy its own backups. The price:
   * `restic forget --prune` must then run through a separate, privileged path (for example restic
   * on the server itself, against the repository directory).
   * @default true
   */
  readonly appendOnly?: boolean;

  /** Where backup-syncd replicates new snapshots. */
  readonly replica?: ReplicaConfig;

  /**
   * Newest snapshot older than this makes the host `crit` (units s, m, h, d: `26h`, `8d`).
   * @default - the server's `maxSnapshotAge`
   */
  readonly maxSnapshotAge?: string;

  /**
   * Space the host's repository may use: a number with a unit, `500G`, `1.5T`, `750GiB`, `2TB`
   * (K/M/G/T/P and KiB..PiB are powers of 1024, KB..PB powers of 1000; a bare number is bytes).
   * rest-server enforces it (`--max-size`); for minio and rclone it is only watched: `backup-status`
   * warns from 90 % and is `crit` at 100 % (docs/status.md).
   * @default - no quota
   */
  readonly quota?: string;

  /**
   * The storage kind this host ran before (as on disk), when `storage` changes although that storage
   * holds data: the old data stays on disk but stops being served, and clients get new credentials.
   * `npm run plan` shows such a change as a conflict until it is acknowledged here.
   * @default - a storage change of a host holding data is a plan conflict
   */
  readonly acknowledgeStorageChange?: StorageKind;
}

/** How a host's snapshots are replicated; `replica_sync` is generated from it. */
export interface ReplicaConfig {
  /**
   * A complete `replica_sync` script of the operator's own (contents, starting with `#!`).
   * @default - the generated script
   */
  readonly script?: string;

  /**
   * rclone destinations the generated `replica_sync` copies the repository to, in order: a remote
   * path such as `b2:bucket/ahost` or an absolute local path. rclone *copy*, never sync, so a
   * deletion on this server never reaches a replica. Not together with `script`.
   * @default - none: the generated script only logs what it was given
   */
  readonly rcloneTargets?: readonly string[];

  /**
   * The rclone configuration file defining the remotes of `rcloneTargets`; the deploy makes it readable
   * by the host's replicator account only (root:<replicator> 0640).
   * @default '<root>/<host>/conf/rclone.conf'
   */
  readonly rcloneConfig?: string;

  /**
   * A host of the original script whose `conf/replica_sync` was written by hand: `true` accepts that
   * the `replica_sync` generated from this configuration replaces it (the deploy keeps the old one as
   * `conf/replica_sync.legacy-<sha256 prefix>`, root's, not executable). Without it, `script` or
   * `rcloneTargets`, `npm run plan` shows the hand-written script as a conflict.
   * @default false
   */
  readonly replaceLegacyScript?: boolean;
}

/** The whole of `hosts.ts`. */
export interface BackupServerConfig {
  readonly server: ServerConfig;
  readonly hosts: readonly HostConfig[];
}
