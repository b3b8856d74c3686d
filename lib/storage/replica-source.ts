/**
 * Where replica_sync reads a host's repository from. Every replica must be a plain restic
 * repository, so the source is whatever serves the repository's objects as restic wrote them:
 * the files themselves (rest-server, `rclone serve restic`), or minio's S3 API (minio's data
 * directory holds its own object format, not a repository).
 */

/** The repository's files on disk, read directly by the replicator. */
export interface DirectoryReplicaSource {
  readonly kind: 'directory';
  /** The repository: the directory holding `config`, `data/`, `index/`, `keys/`, `snapshots/`. */
  readonly path: string;
}

/** The repository read through the host's own S3 service over TLS. */
export interface S3ReplicaSource {
  readonly kind: 's3';
  /**
   * `https://<serverName>:<port>`: the certificate names serverName, so connecting by that name is
   * what lets rclone verify it (serverName must resolve, on the server, to an address of its own).
   */
  readonly endpoint: string;
  /** `<bucket>/<prefix>`: the repository inside the service. */
  readonly repository: string;
  /** The minio keys (the original's `config.json`), read by replica_sync at run time only. */
  readonly credentialsFile: string;
  /** The certificate the service presents, trusted for this run beside the system's CAs. */
  readonly certificate: string;
}

export type ReplicaSource = DirectoryReplicaSource | S3ReplicaSource;
