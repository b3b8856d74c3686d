/**
 * The operator-facing configuration: what `hosts.ts` exports.
 *
 * Everything here is plain data so that it can be validated (./validate.ts) before any construct
 * exists, and diffed against the disk (the plan command) without synthesizing.
 */
import type { STORAGE_KINDS } from '../storage/kinds';

/** Which storage service a host runs. Each is a strategy in lib/storage/. */
export type StorageKind = (typeof STORAGE_KINDS)[number];

/** Settings of the server as a whole. */
export interface ServerConfig {
  /** DNS name clients connect to; it forms every client repository URL. */
  readonly serverName: string;

  /**
   * Directory holding the shared `conf/` and one directory per host.
   * @default '/backups/systems'
   */
  readonly root?: string;

  /**
   * User that owns the tree and runs every daemon (runit drops privileges to it with chpst).
   * @default 'backups'
   */
  readonly user?: string;

  /**
   * Group of the tree and of every daemon.
   * @default 'backups'
   */
  readonly group?: string;

  /**
   * Server TLS certificate (PEM) linked into every host that has none of its own.
   * @default '<root>/conf/public.crt'
   */
  readonly tlsCertificate?: string;

  /**
   * Private key of `tlsCertificate`; must be readable by `user`.
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
}

export interface SystemdConfig {
  /**
   * Path the unit file is written to.
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
}

/** How a host's snapshots are replicated; `replica_sync` is generated from it. */
export interface ReplicaConfig {
  /**
   * A complete `replica_sync` script of the operator's own (contents, starting with `#!`).
   * @default - the generated script
   */
  readonly script?: string;
}

/** The whole of `hosts.ts`. */
export interface BackupServerConfig {
  readonly server: ServerConfig;
  readonly hosts: readonly HostConfig[];
}
