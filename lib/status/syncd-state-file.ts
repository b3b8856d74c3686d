/**
 * backup-syncd's state file as status and the metrics read it, tolerant of both versions:
 *   1  {"version":1,"replicated":[keys]}
 *   2  the same plus "replicas": {"<target>": {checkedAt, ok, missing, error, lastSuccessAt, consecutiveFailures}}
 * (version 2 is written by the replica verification of issue 12). Unknown fields are ignored, and
 * a malformed replica entry is dropped rather than failing the whole file. Pure.
 */

/** The most of a state file that is read: a state of millions of snapshot keys is still far below this. */
export const MAX_STATE_BYTES = 64 * 1024 * 1024;

export interface ReplicaCheck {
  readonly target: string;
  /** ms since the epoch of the last verification; undefined when never checked. */
  readonly checkedAtMs: number | undefined;
  readonly ok: boolean | undefined;
  readonly missing: readonly string[];
  readonly error: string | undefined;
  readonly lastSuccessAtMs: number | undefined;
  readonly consecutiveFailures: number;
}

export interface SyncdStateFile {
  readonly version: number;
  readonly replicated: ReadonlySet<string>;
  /** Empty for version 1. */
  readonly replicas: readonly ReplicaCheck[];
}

const time = (value: unknown): number | undefined => {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
};

function replicaCheck(target: string, value: unknown): ReplicaCheck | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const entry = value as Record<string, unknown>;
  const failures = entry.consecutiveFailures;
  return {
    target,
    checkedAtMs: time(entry.checkedAt),
    ok: typeof entry.ok === 'boolean' ? entry.ok : undefined,
    missing: Array.isArray(entry.missing) ? entry.missing.filter((id): id is string => typeof id === 'string') : [],
    error: typeof entry.error === 'string' ? entry.error : undefined,
    lastSuccessAtMs: time(entry.lastSuccessAt),
    consecutiveFailures: typeof failures === 'number' && Number.isInteger(failures) && failures >= 0 ? failures : 0,
  };
}

/** The state, or a reason it cannot be read (never the file's text: it may be anything). */
export function parseSyncdStateFile(text: string): SyncdStateFile | { readonly problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'not JSON' };
  }
  if (value === null || typeof value !== 'object') return { problem: 'not a JSON object' };
  const record = value as Record<string, unknown>;
  const version = record.version;
  if (version !== 1 && version !== 2) return { problem: `unknown version ${JSON.stringify(version)?.slice(0, 20)}` };
  if (!Array.isArray(record.replicated) || !record.replicated.every((key) => typeof key === 'string')) return { problem: 'no "replicated" list of strings' };
  const replicas = version === 2 && record.replicas !== null && typeof record.replicas === 'object'
    ? Object.entries(record.replicas as Record<string, unknown>).flatMap(([target, entry]) => replicaCheck(target, entry) ?? []).sort((a, b) => (a.target < b.target ? -1 : 1))
    : [];
  return { version, replicated: new Set(record.replicated as string[]), replicas };
}

/** Snapshots present but not confirmed replicated: what backup-syncd will hand replica_sync next. */
export function pendingKeys(present: Iterable<string>, replicated: ReadonlySet<string>): string[] {
  return [...present].filter((key) => !replicated.has(key)).sort();
}
