/**
 * backup-syncd assembled: scan + watch -> scheduler -> replica_sync -> state. Each part is its own
 * module; this one only wires them and logs.
 */
import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import type { BackoffBounds } from './backoff';
import { systemClock, type Clock } from './clock';
import type { Logger } from './logger';
import { endLeftoverGroups } from './process-group';
import { ScriptRunner } from './runner';
import { scanRoot } from './scan';
import { Scheduler, type CycleOutcome } from './scheduler';
import { firstBatch, remainingAfter } from './batch';
import { parseReplicaReport, recordOutcomes } from './replica-report';
import { EMPTY_STATE, confirm, difference, isEmpty, loadState, saveState, type SyncdState } from './state';
import { DirectoryWatcher } from './watcher';
import { MetricsWriter, type MetricsOptions } from './metrics';

export interface DaemonOptions {
  /** BACKUP_HOST of replica_sync. */
  readonly host: string;
  readonly watch: string;
  readonly script: string;
  readonly state: string;
  readonly settleMs: number;
  readonly maxSettleMs: number;
  readonly rescanMs: number;
  readonly timeoutMs: number;
  readonly killGraceMs: number;
  readonly backoff: BackoffBounds;
  readonly maxDepth: number;
  readonly logger: Logger;
  /** @default systemClock */
  readonly clock?: Clock;
  /** Wall time of the replica checks in the state. @default () => new Date() */
  readonly now?: () => Date;
  /** The Prometheus textfile export (./metrics.ts); @default - none */
  readonly metrics?: MetricsOptions;
}

/** Where the running replica_sync's process group is recorded. */
export const groupRecordPath = (statePath: string): string => `${statePath}.running`;

/** BACKUP_SYNCD_REPORT of every run: beside the state, made fresh for each run. */
export const reportPath = (statePath: string): string => `${statePath}.report`;

export class SyncDaemon {
  private state: SyncdState = EMPTY_STATE;
  private seen: ReadonlySet<string> = new Set();
  private rootMissingLogged = false;
  private stopping = false;
  private readonly runner: ScriptRunner;
  private readonly watcher: DirectoryWatcher;
  private readonly scheduler: Scheduler;
  private readonly metrics: MetricsWriter | undefined;

  constructor(private readonly options: DaemonOptions) {
    const { logger } = options;
    this.runner = new ScriptRunner({
      script: options.script,
      host: options.host,
      root: options.watch,
      timeoutMs: options.timeoutMs,
      killGraceMs: options.killGraceMs,
      groupRecord: groupRecordPath(options.state),
      marker: options.state,
      report: reportPath(options.state),
      logger,
    });
    this.watcher = new DirectoryWatcher(
      (dir) => {
        logger.debug('change', { dir });
        this.scheduler.notify();
      },
      (dir, error) => logger.debug('watch-lost', { dir, reason: error.message }),
    );
    this.metrics = options.metrics === undefined ? undefined : new MetricsWriter(options.metrics, logger);
    this.scheduler = new Scheduler(options.clock ?? systemClock, options, () => this.cycleWithMetrics(), (failures, delayMs) =>
      logger.warn('retry-scheduled', { failures, delayMs }),
    );
  }

  async start(): Promise<void> {
    const { logger, state } = this.options;
    await fs.mkdir(dirname(state), { recursive: true });
    try {
      this.state = await loadState(state);
    } catch (error) {
      // Starting from nothing replicates everything present again: wasteful once, never lossy.
      logger.error('state-unreadable', { file: state, reason: (error as Error).message, action: 'treating every snapshot as pending' });
    }
    for (const pgid of await endLeftoverGroups(groupRecordPath(state), state, this.options.killGraceMs)) {
      logger.warn('leftover-replica-sync-ended', { pid: pgid });
    }
    // Only now: the search for leftovers above would end a standby started before it.
    this.runner.prepare();
    logger.info('started', { host: this.options.host, watch: this.options.watch, replicated: this.state.replicated.size, settleMs: this.options.settleMs, rescanMs: this.options.rescanMs });
    this.scheduler.start();
  }

  /** SIGTERM: stop the running script and the idle standby, keep the state, stop watching. */
  async stop(): Promise<void> {
    this.stopping = true;
    const stopping = this.scheduler.stop();
    if (this.runner.isRunning) this.options.logger.info('stopping-replica-sync');
    await this.runner.shutdown();
    await stopping;
    this.watcher.close();
    await this.metrics?.stopped();
    this.options.logger.info('stopped', { replicated: this.state.replicated.size });
  }

  private async cycleWithMetrics(): Promise<CycleOutcome> {
    const outcome = await this.cycle();
    await this.metrics?.afterCycle(outcome);
    return outcome;
  }

  private async cycle(): Promise<CycleOutcome> {
    const { logger, watch } = this.options;
    try {
      const scan = scanRoot(watch, { maxDepth: this.options.maxDepth, knownComplete: this.seen });
      this.seen = scan.snapshots;
      if (!scan.rootExists && !this.rootMissingLogged) logger.warn('watch-root-missing', { watch, waitingOn: scan.watchDirs[0] });
      if (scan.rootExists && this.rootMissingLogged) logger.info('watch-root-appeared', { watch });
      this.rootMissingLogged = !scan.rootExists;
      // A directory watched only now may have changed before its watch existed: look once more.
      if (this.watcher.reconcile(scan.watchDirs) > 0) this.scheduler.notify();

      const pending = difference(this.state, scan.snapshots);
      if (isEmpty(pending) || this.stopping) return 'idle';
      const diff = firstBatch(pending);
      const later = remainingAfter(pending, diff);
      logger.info('snapshots-changed', { added: pending.added.length, removed: pending.removed.length });
      if (later > 0) {
        logger.info('run-limited', { added: diff.added.length, removed: diff.removed.length, later });
        // The rest in the next run, right after this one (or after its back-off).
        this.scheduler.notify();
      }
      for (const key of diff.added) logger.debug('added', { snapshot: key });
      for (const key of diff.removed) logger.debug('removed', { snapshot: key });

      const result = await this.runner.run(diff);
      const targetsFailed = this.recordReport(result.report);
      if (!result.ok || targetsFailed > 0) {
        logger.warn('replica-sync-failed', { exitCode: result.exitCode ?? undefined, signal: result.signal ?? undefined, timedOut: result.timedOut, error: result.error, targetsFailed, durationMs: Math.round(result.durationMs) });
        // The replicas' outcome is kept even though nothing is confirmed.
        if (result.report) await saveState(this.options.state, this.state);
        return 'failed';
      }
      this.state = confirm(this.state, diff);
      await saveState(this.options.state, this.state);
      logger.info('replicated', { added: diff.added.length, removed: diff.removed.length, durationMs: Math.round(result.durationMs) });
      return 'replicated';
    } catch (error) {
      logger.error('cycle-failed', { reason: (error as Error).message });
      return 'failed';
    }
  }

  /** Puts what replica_sync reported of each target into the state; returns how many targets failed. */
  private recordReport(report: string | undefined): number {
    if (!report) return 0;
    const { logger } = this.options;
    const { outcomes, rejected } = parseReplicaReport(report);
    for (const { line, reason } of rejected) logger.warn('replica-report-line-rejected', { line, reason });
    for (const { target, ok, missing, error } of outcomes) {
      if (ok) logger.info('replica-verified', { target });
      else logger.warn('replica-not-verified', { target, missing: missing.length, error: error ?? undefined });
    }
    this.state = { ...this.state, replicas: recordOutcomes(this.state.replicas ?? {}, outcomes, (this.options.now ?? (() => new Date()))()) };
    return outcomes.filter((outcome) => !outcome.ok).length;
  }
}
