/** What the plan read from `<root>`: plain data, produced by ./scan.ts and diffed by ./diff.ts. */
import type { HostMarker } from '../render/marker';
import type { Listener } from './listeners';

/** Who made a host directory. */
export type HostOrigin = 'project' | 'original';

export interface DiskHost {
  readonly name: string;
  readonly origin: HostOrigin;
  readonly port: number;
  readonly storage: string;
  /** Only for hosts this project made. */
  readonly marker?: HostMarker;
  /** `<root>/conf/runit/<name>` is a link to the host's runsvdir service. */
  readonly enabled: boolean;
  /** undefined: the storage kind is unknown to this version, so its credentials file is too. */
  readonly credentials: boolean | undefined;
  /** Targets of the certs directory's links, undefined when a link is missing. */
  readonly tlsCertificate?: string;
  readonly tlsKey?: string;
  /** Files the constructs generate that exist on disk (replaced on adoption), relative to the host dir. */
  readonly generatedFiles: readonly string[];
  /** Bytes of regular files under the host directory; only with `sizes`. */
  readonly sizeBytes?: number;
  /** Its storage's data directory `<host>/<storage>` holds anything besides minio's own `.minio.sys`. */
  readonly holdsData?: boolean;
  /** Made by the original script, and its conf/replica_sync lacks this project's generated notice. */
  readonly handWrittenReplicaSync?: boolean;
}

/** A directory entry of `<root>` that is not a host directory, and why. */
export interface OtherEntry {
  readonly name: string;
  readonly reason: string;
  /** Ports the run scripts below its conf/runsvs/ listen on (a host made by hand). */
  readonly ports?: readonly number[];
}

/** An entry of `<root>/conf/runit/`. */
export interface RunitEntry {
  readonly name: string;
  /** Absolute target of the link; undefined when the entry is not a link. */
  readonly target?: string;
  /** The link points to `<root>/<name>/conf/runsvdir`. */
  readonly pointsToHost: boolean;
  /** The link's target does not exist. */
  readonly dangling: boolean;
}

/** Something the scan could not read: the plan cannot be trusted and exits 1. */
export interface ScanError {
  readonly path: string;
  readonly message: string;
}

export interface DiskModel {
  readonly root: string;
  /** false: `<root>` does not exist yet (a fresh server: every host is new). */
  readonly rootExists: boolean;
  readonly hosts: readonly DiskHost[];
  readonly others: readonly OtherEntry[];
  readonly runit: readonly RunitEntry[];
  readonly errors: readonly ScanError[];
  /** Non-fatal findings, e.g. a size that could not be fully counted. */
  readonly warnings: readonly string[];
  /** TCP ports live processes listen on (empty unless the scan was asked to read them). */
  readonly listeners?: readonly Listener[];
}
