/** Time as the daemon sees it: injectable, so scheduling and back-off are tested with controlled time. */

export type TimerHandle = { readonly id: number } | NodeJS.Timeout | { readonly immediate: NodeJS.Immediate };

export interface Clock {
  /** Milliseconds on a monotonic scale. */
  now(): number;
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/**
 * A delay of 0 runs the callback in this turn of the event loop, after the events already read
 * (setImmediate): node's setTimeout waits at least 1 ms, often 2, which at `--settle 0` was a
 * good part of the latency from a snapshot to replica_sync.
 */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, delayMs) => (delayMs <= 0 ? { immediate: setImmediate(callback) } : setTimeout(callback, delayMs)),
  clearTimeout: (handle) => {
    if ('immediate' in handle) clearImmediate(handle.immediate);
    else clearTimeout(handle as NodeJS.Timeout);
  },
};

/** A clock that moves only when told to: `advance` fires due timers in order. */
export class ManualClock implements Clock {
  private current = 0;
  private nextId = 1;
  private readonly timers = new Map<number, { readonly at: number; readonly callback: () => void }>();

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { at: this.current + Math.max(0, delayMs), callback });
    return { id };
  }

  clearTimeout(handle: TimerHandle): void {
    if ('id' in handle && typeof handle.id === 'number') this.timers.delete(handle.id);
  }

  /** Timers still armed, for assertions. */
  get pending(): number {
    return this.timers.size;
  }

  advance(ms: number): void {
    const until = this.current + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (due === undefined) break;
      this.timers.delete(due[0]);
      this.current = due[1].at;
      due[1].callback();
    }
    this.current = until;
  }
}
