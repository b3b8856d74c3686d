/** Exponential back-off between failed replica_sync runs, bounded so a fixed outage is retried soon after. */

export interface BackoffBounds {
  /** Delay after the first failure. */
  readonly initialMs: number;
  /** No delay is longer than this. */
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffBounds = { initialMs: 5_000, maxMs: 600_000 };

/** Delay before the retry that follows `failures` consecutive failures (failures >= 1). */
export function backoffDelay(failures: number, bounds: BackoffBounds = DEFAULT_BACKOFF): number {
  if (failures < 1) return 0;
  // 2 ** 31 already exceeds any sensible bound; capping the exponent avoids Infinity.
  const delay = bounds.initialMs * 2 ** Math.min(failures - 1, 31);
  return Math.min(delay, bounds.maxMs);
}
