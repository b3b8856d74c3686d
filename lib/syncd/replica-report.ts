/**
 * What replica_sync says about each target: with BACKUP_SYNCD_REPORT set, it appends one JSON object
 * per target per line, `{"target": "...", "ok": true|false, "missing": ["<id>", ...], "error": "<text>"|null}`.
 * backup-syncd reads the file after the run and keeps the latest outcome of every target in its
 * state (see ./state.ts), for `npm run status` and the metrics.
 */

export interface TargetOutcome {
  readonly target: string;
  readonly ok: boolean;
  /** Snapshot ids the source listed and the target lacked after the copy. */
  readonly missing: readonly string[];
  readonly error: string | null;
}

/** What the state keeps of one target: its latest check and its history in two numbers. */
export interface ReplicaStatus {
  /** ISO 8601 time of the latest report for this target. */
  readonly checkedAt: string;
  readonly ok: boolean;
  readonly missing: readonly string[];
  readonly error: string | null;
  /** ISO 8601 time of the latest report with ok true; null: never. */
  readonly lastSuccessAt: string | null;
  /** Reports with ok false since the latest success. */
  readonly consecutiveFailures: number;
}

export interface ParsedReport {
  readonly outcomes: readonly TargetOutcome[];
  /** Lines that were not an outcome, with their number: logged, never fatal. */
  readonly rejected: readonly { readonly line: number; readonly reason: string }[];
}

function asOutcome(value: unknown): TargetOutcome | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const record = value as Record<string, unknown>;
  if (typeof record.target !== 'string' || record.target === '') return '"target" is not a non-empty string';
  if (typeof record.ok !== 'boolean') return '"ok" is not true or false';
  const missing = record.missing ?? [];
  if (!Array.isArray(missing) || !missing.every((id) => typeof id === 'string')) return '"missing" is not a list of strings';
  const error = record.error ?? null;
  if (error !== null && typeof error !== 'string') return '"error" is neither a string nor null';
  return { target: record.target, ok: record.ok, missing: missing as string[], error };
}

/** Parses the report; a blank line is skipped, a bad line rejected, and the rest still counts. */
export function parseReplicaReport(text: string): ParsedReport {
  const outcomes: TargetOutcome[] = [];
  const rejected: { line: number; reason: string }[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      rejected.push({ line: index + 1, reason: 'not JSON' });
      return;
    }
    const outcome = asOutcome(value);
    if (typeof outcome === 'string') rejected.push({ line: index + 1, reason: outcome });
    else outcomes.push(outcome);
  });
  return { outcomes, rejected };
}

/**
 * The replicas' status after a run reported `outcomes` at `now`; targets it did not report keep
 * their status (a script that writes no report leaves everything as it was). A target reported
 * twice counts as its last line.
 */
export function recordOutcomes(
  replicas: Readonly<Record<string, ReplicaStatus>>,
  outcomes: readonly TargetOutcome[],
  now: Date,
): Record<string, ReplicaStatus> {
  const next: Record<string, ReplicaStatus> = { ...replicas };
  const checkedAt = now.toISOString();
  for (const { target, ok, missing, error } of outcomes) {
    const previous = next[target];
    next[target] = {
      checkedAt,
      ok,
      missing: [...missing],
      error,
      lastSuccessAt: ok ? checkedAt : previous?.lastSuccessAt ?? null,
      consecutiveFailures: ok ? 0 : (previous?.consecutiveFailures ?? 0) + 1,
    };
  }
  return next;
}
