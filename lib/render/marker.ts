/**
 * The marker file `<host>/conf/backup-server.json`: proof that this project made a host directory,
 * read by the plan command and by the retirement of removed hosts.
 *
 * Format 2 also records what the plan compares (TLS files, allowFrom, console port); format 1
 * (`{format, name, port, storage}`) is still read, with those fields unknown.
 */
import type { ResolvedHost } from '../config/resolve';

export const MARKER_FORMAT = 2;
export const MARKER_FILE_NAME = 'backup-server.json';
/** Formats this version can read. */
export const READABLE_MARKER_FORMATS: readonly number[] = [1, 2];

export interface HostMarker {
  readonly format: number;
  readonly name: string;
  readonly port: number;
  readonly storage: string;
  /** Format 2 and later; undefined when read from a format-1 marker. */
  readonly tlsCertificate?: string;
  readonly tlsKey?: string;
  readonly allowFrom?: readonly string[];
  /** null: console disabled. */
  readonly consolePort?: number | null;
}

export function hostMarker(host: ResolvedHost): HostMarker {
  return {
    format: MARKER_FORMAT,
    name: host.name,
    port: host.port,
    storage: host.storage,
    tlsCertificate: host.tlsCertificate,
    tlsKey: host.tlsKey,
    allowFrom: host.allowFrom,
    consolePort: host.consolePort ?? null,
  };
}

export function renderMarker(host: ResolvedHost): string {
  return JSON.stringify(hostMarker(host));
}

export class MarkerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MarkerError';
  }
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isPort = (value: unknown): value is number => Number.isInteger(value) && (value as number) > 0 && (value as number) < 65536;

/** Read a marker's text; throws a MarkerError saying what is wrong with it. */
export function parseMarker(text: string): HostMarker {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new MarkerError('is not JSON');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new MarkerError('is not a JSON object');
  const record = data as Record<string, unknown>;
  const format = record.format;
  if (typeof format !== 'number' || !READABLE_MARKER_FORMATS.includes(format)) {
    throw new MarkerError(`has format ${JSON.stringify(format)}; this version reads formats ${READABLE_MARKER_FORMATS.join(', ')}`);
  }
  if (!isString(record.name) || !isPort(record.port) || !isString(record.storage)) {
    throw new MarkerError('lacks a string name, a port 1-65535 or a string storage');
  }
  const marker: HostMarker = { format, name: record.name, port: record.port, storage: record.storage };
  if (format === 1) return marker;
  const { tlsCertificate, tlsKey, allowFrom, consolePort } = record;
  if (!isString(tlsCertificate) || !isString(tlsKey)) throw new MarkerError('lacks string tlsCertificate and tlsKey');
  if (!Array.isArray(allowFrom) || !allowFrom.every(isString)) throw new MarkerError('lacks an allowFrom list of strings');
  if (consolePort !== null && !isPort(consolePort)) throw new MarkerError('has a consolePort that is neither null nor a port');
  return { ...marker, tlsCertificate, tlsKey, allowFrom, consolePort };
}
