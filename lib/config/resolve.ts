/** Defaults applied to a validated configuration: every field present, so renderers never guess. */
import { assertValidConfig } from './validate';
import { DEFAULT_STORAGE } from '../storage/kinds';
import type { BackupServerConfig, HostConfig, ReplicaConfig, StorageKind } from './types';

export const DEFAULT_ROOT = '/backups/systems';
export const DEFAULT_ACCOUNT = 'backups';
export const DEFAULT_BUCKET = 'backups';
export const DEFAULT_PREFIX = 'restic';
export const DEFAULT_REST_SERVER_BINARY = '/usr/local/bin/rest-server';
export const DEFAULT_RCLONE_BINARY = '/usr/bin/rclone';
export const DEFAULT_UNIT_PATH = '/etc/systemd/system/backup-minio.service';

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
  readonly replica: ReplicaConfig;
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
    replica: host.replica ?? {},
  };
}

/** Validate (throwing a ConfigError with every problem) and apply defaults. */
export function resolveConfig(raw: unknown): ResolvedConfig {
  const config = assertValidConfig(raw);
  const server = resolveServer(config.server);
  const hosts = config.hosts.map((host) => resolveHost(host, server)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { server, hosts };
}
