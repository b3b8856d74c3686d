/**
 * The status report: what `backup-status --json` prints. Field names are API (docs/status.md):
 * add fields, never rename or remove them without raising `formatVersion`.
 */
import type { ServiceState } from './runit';

export type Verdict = 'ok' | 'warn' | 'crit';

export const VERDICTS: readonly Verdict[] = ['ok', 'warn', 'crit'];
/** Exit codes as Nagios plugins use them; 3 (UNKNOWN) when status itself cannot run. */
export const EXIT_CODES: Readonly<Record<Verdict, number>> = { ok: 0, warn: 1, crit: 2 };
export const EXIT_UNKNOWN = 3;
export const STATUS_FORMAT_VERSION = 1;

export interface Finding {
  readonly level: Exclude<Verdict, 'ok'>;
  /** Stable identifier, e.g. `stale`, `storage-down` (docs/status.md lists them). */
  readonly code: string;
  readonly message: string;
}

export interface ServiceReport {
  readonly state: ServiceState;
  readonly pid: number | null;
  /** Start of the current state (ISO 8601). */
  readonly since: string | null;
  /** Seconds in the current state. */
  readonly uptimeSeconds: number | null;
  readonly wantUp: boolean | null;
  readonly paused: boolean | null;
  /** When its runsv started; a later `since` means runsv restarted the service. */
  readonly supervisorSince: string | null;
  readonly restarted: boolean | null;
  readonly detail: string | null;
}

export interface TargetReport {
  readonly target: string;
  /** Listed in hosts.ts (`replica.rcloneTargets`). */
  readonly configured: boolean;
  readonly checkedAt: string | null;
  readonly ok: boolean | null;
  /** Snapshots the last check did not find on the target. */
  readonly missing: number | null;
  readonly error: string | null;
  readonly lastSuccessAt: string | null;
  readonly consecutiveFailures: number | null;
  /** Seconds from the newest snapshot to the check that found it on the target; while not found yet, its age. */
  readonly lagSeconds: number | null;
}

export interface HostReport {
  readonly name: string;
  readonly storage: string;
  readonly port: number;
  readonly verdict: Verdict;
  readonly findings: readonly Finding[];
  /** When the host's directory was created (the grace period of a new host counts from it). */
  readonly addedAt: string | null;
  readonly services: { readonly storage: ServiceReport; readonly backupSyncd: ServiceReport };
  /** Whether something listens on the host's TCP port; null when /proc/net cannot be read. */
  readonly listening: boolean | null;
  readonly snapshots: {
    readonly count: number | null;
    readonly newestAt: string | null;
    readonly newestAgeSeconds: number | null;
    readonly maxAgeSeconds: number;
  };
  readonly repository: {
    readonly bytes: number | null;
    readonly quotaBytes: number | null;
    readonly quotaUsedPercent: number | null;
  };
  readonly replication: {
    /** Version of backup-syncd's state file; null when there is none or it is unreadable. */
    readonly stateVersion: number | null;
    readonly pending: number | null;
    readonly oldestPendingAt: string | null;
    /** Last time backup-syncd recorded a successful replica_sync run (its state file's mtime). */
    readonly lastConfirmedAt: string | null;
    /** Seconds from the newest snapshot to its confirmation; while pending, its age. */
    readonly lagSeconds: number | null;
    /** Failed replica_sync runs since the last successful one, from backup-syncd's log. */
    readonly failuresSinceSuccess: number | null;
    readonly lastError: { readonly at: string | null; readonly message: string } | null;
    readonly targets: readonly TargetReport[];
  };
}

export interface StatusReport {
  readonly formatVersion: number;
  readonly generatedAt: string;
  readonly serverName: string;
  readonly root: string;
  readonly verdict: Verdict;
  readonly exitCode: number;
  readonly summary: Readonly<Record<Verdict, number>>;
  readonly hosts: readonly HostReport[];
}

export function worst(verdicts: Iterable<Verdict>): Verdict {
  let result: Verdict = 'ok';
  for (const verdict of verdicts) if (VERDICTS.indexOf(verdict) > VERDICTS.indexOf(result)) result = verdict;
  return result;
}
