/**
 * A storage service behind one interface: each host runs exactly one, chosen in hosts.ts.
 * A backend renders pure strings; the BackupHost construct turns them into resources.
 */
import type { ResolvedHost, ResolvedServer } from '../config/resolve';
import type { HostPaths } from '../layout/paths';
import type { StorageKind } from '../config/types';

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
}
