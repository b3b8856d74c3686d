/**
 * The marker file `<host>/conf/backup-server.json`: proof that this project made a host directory,
 * read by the plan command and by the retirement of removed hosts. Format version 1.
 */
import type { ResolvedHost } from '../config/resolve';

export const MARKER_FORMAT = 1;
export const MARKER_FILE_NAME = 'backup-server.json';

export interface HostMarker {
  readonly format: number;
  readonly name: string;
  readonly port: number;
  readonly storage: string;
}

export function hostMarker(host: ResolvedHost): HostMarker {
  return { format: MARKER_FORMAT, name: host.name, port: host.port, storage: host.storage };
}

export function renderMarker(host: ResolvedHost): string {
  return JSON.stringify(hostMarker(host));
}
