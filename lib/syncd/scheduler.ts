/**
 * When replica_sync runs: bursts coalesce behind a settle delay, runs never overlap, what arrives
 * during a run triggers the next one, failures retry with bounded back-off, and a periodic rescan
 * catches what an event missed. Time comes from a Clock, so all of this is tested without waiting.
 */
import type { Clock, TimerHandle } from './clock';
import { backoffDelay, type BackoffBounds } from './backoff';

/** What one cycle (scan, and replica_sync if anything changed) came to. */
export type CycleOutcome = 'idle' | 'replicated' | 'failed';

export interface SchedulerOptions {
  /** Quiet time after the last event before a run starts. */
  readonly settleMs: number;
  /** A steady stream of events delays a run by at most this. */
  readonly maxSettleMs: number;
  /** Full rescan period; 0 disables it. */
  readonly rescanMs: number;
  readonly backoff: BackoffBounds;
}

export class Scheduler {
  private running: Promise<void> | undefined;
  /** In the synchronous part of a cycle, before `running` can be set (a sync scan notifies there). */
  private starting = false;
  private dirty = false;
  private stopped = false;
  private timer: { readonly handle: TimerHandle; readonly kind: 'settle' | 'backoff' } | undefined;
  private firstEventAt = 0;
  private rescanTimer: TimerHandle | undefined;
  private failures = 0;

  constructor(
    private readonly clock: Clock,
    private readonly options: SchedulerOptions,
    private readonly cycle: () => Promise<CycleOutcome>,
    private readonly onRetry: (failures: number, delayMs: number) => void = () => {},
  ) {}

  /** Start-up: a full scan at once, then every rescan interval. */
  start(): void {
    this.armRescan();
    this.arm('settle', 0);
  }

  /** Something changed (or may have): run after the settle delay, or after the current run. */
  notify(): void {
    if (this.stopped) return;
    if (this.running || this.starting) {
      this.dirty = true;
      return;
    }
    // A retry is already scheduled and rescans anyway; new events must not defeat the back-off.
    if (this.timer?.kind === 'backoff') return;
    if (this.timer === undefined) this.firstEventAt = this.clock.now();
    const untilLimit = this.firstEventAt + this.options.maxSettleMs - this.clock.now();
    this.arm('settle', Math.max(0, Math.min(this.options.settleMs, untilLimit)));
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** The cycle in progress, if any (tests and shutdown wait on it). */
  get current(): Promise<void> | undefined {
    return this.running;
  }

  /** No new cycle starts; resolves when the current one has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.clear();
    if (this.rescanTimer !== undefined) this.clock.clearTimeout(this.rescanTimer);
    this.rescanTimer = undefined;
    await this.running;
  }

  private armRescan(): void {
    if (this.options.rescanMs <= 0) return;
    this.rescanTimer = this.clock.setTimeout(() => {
      this.armRescan();
      this.notify();
    }, this.options.rescanMs);
  }

  private clear(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer.handle);
    this.timer = undefined;
  }

  private arm(kind: 'settle' | 'backoff', delayMs: number): void {
    this.clear();
    this.timer = { kind, handle: this.clock.setTimeout(() => this.runCycle(), delayMs) };
  }

  private runCycle(): void {
    this.timer = undefined;
    if (this.stopped) return;
    this.dirty = false;
    let cycle: Promise<CycleOutcome>;
    this.starting = true;
    try {
      cycle = this.cycle();
    } catch {
      cycle = Promise.resolve('failed');
    } finally {
      this.starting = false;
    }
    this.running = cycle
      .catch((): CycleOutcome => 'failed')
      .then((outcome) => this.finished(outcome));
  }

  private finished(outcome: CycleOutcome): void {
    this.running = undefined;
    if (this.stopped) return;
    if (outcome === 'failed') {
      this.failures++;
      const delay = backoffDelay(this.failures, this.options.backoff);
      this.onRetry(this.failures, delay);
      this.arm('backoff', delay);
      return;
    }
    this.failures = 0;
    if (this.dirty) this.notify();
  }
}
