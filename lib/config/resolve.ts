/**
 * Defaults applied to a validated configuration: every field present, so renderers never guess.
 * Validation itself uses these (./derived-checks.ts), so resolveConfig lives in ./resolve-config.ts.
 */
import { DEFAULT_STORAGE } from '../storage/kinds';
import type { BackupServerConfig, FirewallKind, HostConfig, StorageKind } from './types';
import { hostPaths } from '../layout/paths';
import { parseAge } from './age';
import { parseByteSize } from './byte-size';

export const DEFAULT_ROOT = '/backups/systems';
export const DEFAULT_ACCOUNT = 'backups';
export const DEFAULT_BUCKET = 'backups';
export const DEFAULT_PREFIX = 'restic';
export const DEFAULT_REST_SERVER_BINARY = '/usr/local/bin/rest-server';
export const DEFAULT_RCLONE_BINARY = '/usr/bin/rclone';
export const DEFAULT_UNIT_PATH = '/etc/systemd/system/backup-minio.service';
export const DEFAULT_NFTABLES_DIRECTORY = '/etc/nftables.d';
export const DEFAULT_NFTABLES_TABLE = 'restic_backup_server';
export const DEFAULT_MAX_SNAPSHOT_AGE = '26h';
export const DEFAULT_NEW_HOST_GRACE_PERIOD = '48h';

/** Seconds of an age that validation accepted. */
function ageSeconds(text: string): number {
  const seconds = parseAge(text);
  if (seconds === undefined) throw new Error(`unvalidated age ${JSON.stringify(text)}`);
  return seconds;
}

export interface ResolvedFirewall {
  readonly backend: FirewallKind;
  /** The words of `commandPrefix`; empty for none. */
  readonly commandPrefix: readonly string[];
  readonly nftables: { readonly ruleDirectory: string; readonly table: string };
}

export interface ResolvedServer {
  readonly serverName: string;
  readonly root: string;
  readonly user: string;
  readonly group: string;
  readonly tlsCertificate: string;
  readonly tlsKey: string;
  readonly storage: StorageKind;
  readonly minioBinary: string;
  readonly restServerBinary: string;
  readonly rcloneBinary: string;
  readonly backupSyncdCommand: string;
  readonly systemd: { readonly unitPath: string; readonly manage: boolean };
  readonly backend: { readonly localStatePath: string };
  readonly firewall: ResolvedFirewall;
  /** Seconds: the default of every host's `maxSnapshotAgeSeconds`. */
  readonly maxSnapshotAgeSeconds: number;
  readonly newHostGracePeriodSeconds: number;
  readonly monitoring: { readonly textfileDirectory: string | undefined };
  /** Directories under root the plan shows as left alone (server.leaveAlone). */
  readonly leaveAlone: readonly string[];
}

export interface ResolvedHost {
  readonly name: string;
  readonly port: number;
  /** undefined: console disabled. */
  readonly consolePort: number | undefined;
  readonly storage: StorageKind;
  readonly tlsCertificate: string;
  readonly tlsKey: string;
  readonly allowFrom: readonly string[];
  readonly bucket: string;
  readonly prefix: string;
  /** rest-server and rclone: `--append-only`. */
  readonly appendOnly: boolean;
  readonly replica: ResolvedReplica;
  /** Newest snapshot older than this (seconds) is `crit`. */
  readonly maxSnapshotAgeSeconds: number;
  /** Bytes; undefined: no quota. */
  readonly quotaBytes: number | undefined;
  /** The former storage kind whose data may stop being served (acknowledgeStorageChange). */
  readonly acknowledgeStorageChange: StorageKind | undefined;
}

export interface ResolvedReplica {
  /** The operator's own replica_sync; undefined: generated. */
  readonly script: string | undefined;
  /** Empty: the generated script only logs. */
  readonly rcloneTargets: readonly string[];
  readonly rcloneConfig: string;
  /** A hand-written replica_sync of the original script may be replaced (kept as a copy). */
  readonly replaceLegacyScript: boolean;
}

export interface ResolvedConfig {
  readonly server: ResolvedServer;
  /** Sorted by name, so output does not depend on the order of hosts.ts. */
  readonly hosts: readonly ResolvedHost[];
}

export function resolveServer(server: BackupServerConfig['server']): ResolvedServer {
  const root = server.root ?? DEFAULT_ROOT;
  return {
    serverName: server.serverName,
    root,
    user: server.user ?? DEFAULT_ACCOUNT,
    group: server.group ?? DEFAULT_ACCOUNT,
    tlsCertificate: server.tlsCertificate ?? `${root}/conf/public.crt`,
    tlsKey: server.tlsKey ?? `${root}/conf/private.key`,
    storage: server.storage ?? DEFAULT_STORAGE,
    minioBinary: server.minioBinary ?? '/usr/local/bin/minio',
    restServerBinary: server.restServerBinary ?? DEFAULT_REST_SERVER_BINARY,
    rcloneBinary: server.rcloneBinary ?? DEFAULT_RCLONE_BINARY,
    backupSyncdCommand: server.backupSyncdCommand ?? '/usr/local/bin/backup-syncd',
    systemd: { unitPath: server.systemd?.unitPath ?? DEFAULT_UNIT_PATH, manage: server.systemd?.manage ?? true },
    backend: { localStatePath: server.backend?.localStatePath ?? `${root}/conf/terraform/terraform.tfstate` },
    firewall: {
      backend: server.firewall?.backend ?? 'nftables',
      commandPrefix: (server.firewall?.commandPrefix ?? '').split(' ').filter((word) => word !== ''),
      nftables: {
        ruleDirectory: server.firewall?.nftables?.ruleDirectory ?? DEFAULT_NFTABLES_DIRECTORY,
        table: server.firewall?.nftables?.table ?? DEFAULT_NFTABLES_TABLE,
      },
    },
    maxSnapshotAgeSeconds: ageSeconds(server.maxSnapshotAge ?? DEFAULT_MAX_SNAPSHOT_AGE),
    newHostGracePeriodSeconds: ageSeconds(server.newHostGracePeriod ?? DEFAULT_NEW_HOST_GRACE_PERIOD),
    monitoring: { textfileDirectory: server.monitoring?.textfileDirectory },
    leaveAlone: [...(server.leaveAlone ?? [])].sort(),
  };
}

export function resolveHost(host: HostConfig, server: ResolvedServer): ResolvedHost {
  return {
    name: host.name,
    port: host.port,
    consolePort: host.consolePort,
    storage: host.storage ?? server.storage,
    tlsCertificate: host.tlsCertificate ?? server.tlsCertificate,
    tlsKey: host.tlsKey ?? server.tlsKey,
    allowFrom: host.allowFrom ?? [],
    bucket: host.bucket ?? DEFAULT_BUCKET,
    prefix: host.prefix ?? DEFAULT_PREFIX,
    appendOnly: host.appendOnly ?? true,
    replica: {
      script: host.replica?.script,
      rcloneTargets: host.replica?.rcloneTargets ?? [],
      rcloneConfig: host.replica?.rcloneConfig ?? hostPaths(server.root, host.name, host.storage ?? server.storage).rcloneConfig,
      replaceLegacyScript: host.replica?.replaceLegacyScript ?? false,
    },
    maxSnapshotAgeSeconds: host.maxSnapshotAge === undefined ? server.maxSnapshotAgeSeconds : ageSeconds(host.maxSnapshotAge),
    quotaBytes: host.quota === undefined ? undefined : parseByteSize(host.quota),
    acknowledgeStorageChange: host.acknowledgeStorageChange,
  };
}
