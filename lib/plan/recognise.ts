/**
 * Recognising a directory of `<root>`: made by this project (a readable marker naming it), by the
 * original script (`conf/runsvs/minio/run` running minio with `--address :PORT`), or neither.
 * Pure: ./scan.ts reads the files, this decides.
 */
import { MarkerError, parseMarker, MARKER_FILE_NAME, type HostMarker } from '../render/marker';

export type EntryKind = 'directory' | 'file' | 'symlink' | 'other';

export interface EntryProbe {
  readonly name: string;
  readonly kind: EntryKind;
  /** Text of `conf/backup-server.json`, when present. */
  readonly markerText?: string;
  /** Why the marker was not read (a link, a FIFO, too big: see lib/security/untrusted-file.ts), when it was not. */
  readonly markerRefused?: string;
  /** Text of `conf/runsvs/minio/run`, when present. */
  readonly originalRunText?: string;
  /** Why the run script was not read, when it was not. */
  readonly originalRunRefused?: string;
}

export type Recognition =
  | { readonly origin: 'project'; readonly marker: HostMarker }
  | { readonly origin: 'original'; readonly port: number }
  | { readonly origin: 'none'; readonly reason: string };

/** `--address :9001`, `--address=:9001`, `--address 0.0.0.0:9001`; never `--console-address`. */
const ADDRESS_PORT = /(?:^|[\s'"])--address(?:=|\s+)['"]?[^\s'":]*:(\d{1,5})\b/;

/** Every `--address`, `--listen`, `--addr` or `--console-address` port of a run script (minio, rest-server, rclone). */
const LISTEN_PORTS = /(?:^|[\s'"])--(?:address|listen|addr|console-address)(?:=|\s+)['"]?[^\s'":]*:(\d{1,5})\b/g;

export function runScriptPorts(runText: string): number[] {
  return [...runText.matchAll(LISTEN_PORTS)].map((match) => Number(match[1])).filter((port) => port > 0 && port < 65536);
}

/** The port of the minio command line in a run script, if it has one. */
export function originalRunPort(runText: string): number | undefined {
  const match = ADDRESS_PORT.exec(runText);
  if (match === null) return undefined;
  const port = Number(match[1]);
  return port > 0 && port < 65536 ? port : undefined;
}

const KIND_REASONS: Record<Exclude<EntryKind, 'directory'>, string> = {
  file: 'a regular file, not a host directory',
  symlink: 'a symbolic link, not a host directory',
  other: 'not a directory',
};

export function recognise(entry: EntryProbe): Recognition {
  if (entry.kind !== 'directory') return { origin: 'none', reason: KIND_REASONS[entry.kind] };
  if (entry.markerRefused !== undefined) return { origin: 'none', reason: `its ${entry.markerRefused}` };
  if (entry.markerText !== undefined) {
    try {
      const marker = parseMarker(entry.markerText);
      if (marker.name !== entry.name) return { origin: 'none', reason: `its conf/${MARKER_FILE_NAME} names another host, ${marker.name}` };
      return { origin: 'project', marker };
    } catch (error) {
      if (!(error instanceof MarkerError)) throw error;
      return { origin: 'none', reason: `its conf/${MARKER_FILE_NAME} ${error.message}` };
    }
  }
  if (entry.originalRunRefused !== undefined) return { origin: 'none', reason: `its ${entry.originalRunRefused}` };
  if (entry.originalRunText !== undefined) {
    const port = originalRunPort(entry.originalRunText);
    if (port !== undefined) return { origin: 'original', port };
    return { origin: 'none', reason: 'its conf/runsvs/minio/run has no --address :PORT' };
  }
  return { origin: 'none', reason: `a directory without conf/${MARKER_FILE_NAME} or conf/runsvs/minio/run` };
}
