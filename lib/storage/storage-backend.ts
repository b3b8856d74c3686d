/**
 * A storage service behind one interface: each host runs exactly one, chosen in hosts.ts.
 * A backend renders pure strings; the BackupHost construct turns them into resources.
 */
import type { ResolvedHost, ResolvedServer } from '../config/resolve';
import { hostPaths, type HostPaths } from '../layout/paths';
import type { StorageKind } from '../config/types';
import type { ReplicaSource } from './replica-source';

export interface StorageContext {
  readonly server: ResolvedServer;
  readonly host: ResolvedHost;
  readonly paths: HostPaths;
}

export interface StorageBackend {
  /** Also the name of its service, data directory `<host>/<kind>` and log directory. */
  readonly kind: StorageKind;
  /** The program the run script starts (checked at deploy: no account but root may replace it). */
  binary(server: ResolvedServer): string;
  /** The file holding the host's credentials, generated on the server, never in Terraform state. */
  credentialsFile(paths: HostPaths): string;
  /** Provisioner command that creates the credentials once and never overwrites them. */
  renderCredentialsCommand(context: StorageContext): string;
  /** The runit `run` script of the storage service. */
  renderRunScript(context: StorageContext): string;
  /** The directory under which restic snapshots appear, watched by backup-syncd. */
  watchRoot(context: StorageContext): string;
  /** The repository URL a client gives restic. */
  clientUrl(context: StorageContext): string;
  /** Where the generated replica_sync reads the repository, so that every replica is a plain restic repository. */
  replicaSource(context: StorageContext): ReplicaSource;
}

/** The context of one resolved host: its server, itself and its paths. */
export function storageContext(server: ResolvedServer, host: ResolvedHost): StorageContext {
  return { server, host, paths: hostPaths(server.root, host.name, host.storage) };
}
