/**
 * Runs replica_sync once with the original's contract: $1 and $2 are files listing the added and
 * the removed snapshot ids, NUL-separated; the environment adds the host, the root, the ids and
 * the changed repositories. Its output goes line by line into the daemon's log. Each run was made
 * ready while the daemon was idle (./prepared-run.ts), so a run writes its lists and sends one
 * message.
 */
import { closeSync, openSync, readFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { parseSnapshotKey, type SnapshotRef } from './detection';
import type { Logger } from './logger';
import { RUN_MARKER, endGroup, removeGroupRecord, writeGroupRecord } from './process-group';
import { PreparedRun } from './prepared-run';
import type { Standby } from './standby';
import type { RunVariables } from './standby-protocol';
import type { Difference } from './state';

export interface RunnerOptions {
  readonly script: string;
  readonly host: string;
  readonly root: string;
  /** A run longer than this is stopped and counts as failed. */
  readonly timeoutMs: number;
  /** Between TERM and KILL when a run is stopped. */
  readonly killGraceMs: number;
  /** Where the running script's process group is recorded (see ./process-group.ts). */
  readonly groupRecord: string;
  /** Value of the environment marker of every process of a run (the state file: unique per host). */
  readonly marker: string;
  /**
   * The file passed as BACKUP_SYNCD_REPORT, made fresh (empty, exclusive) before each run and read
   * after it; in the state's directory, which only the daemon's account writes.
   * @default - no report
   */
  readonly report?: string;
  /**
   * Where each run's private directory with its list files is made.
   * @default os.tmpdir() ($TMPDIR, else /tmp)
   */
  readonly listsParent?: string;
  readonly logger: Logger;
}

export interface RunResult {
  readonly ok: boolean;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  readonly durationMs: number;
  /** Set when the script could not be started at all. */
  readonly error?: string;
  /** What the script wrote to BACKUP_SYNCD_REPORT (empty if nothing); undefined without a report file. */
  readonly report?: string;
}

function refs(keys: readonly string[]): SnapshotRef[] {
  return keys.flatMap((key) => parseSnapshotKey(key) ?? []);
}

/** The variables that differ from run to run: the ids and the changed repositories. */
export function runVariables(diff: Difference): RunVariables {
  const added = refs(diff.added);
  const removed = refs(diff.removed);
  const repositories = [...new Set([...added, ...removed].map((ref) => ref.repository))].sort();
  return {
    BACKUP_SYNCD_ADDED: added.map((ref) => ref.id).join(' '),
    BACKUP_SYNCD_REMOVED: removed.map((ref) => ref.id).join(' '),
    BACKUP_SYNCD_REPOSITORIES: repositories.join('\n'),
  };
}

/** The environment of one run, beyond the daemon's own (the runner sets the host and the root once, the rest per run). */
export function runEnvironment(host: string, root: string, diff: Difference): Record<string, string> {
  return { BACKUP_HOST: host, BACKUP_SYNCD_ROOT: root, ...runVariables(diff) };
}

/** The list of the contract: each id followed by NUL (as `find -print0`), so `xargs -0`, `read -d ''` and `tr '\0' '\n'` all see every id. */
export const idList = (keys: readonly string[]): string => refs(keys).map((ref) => `${ref.id}\0`).join('');

/** The environment variable naming the report file of a run. */
export const REPORT_VARIABLE = 'BACKUP_SYNCD_REPORT';

/** Removes `path` (a file or a link, never what a link points to); nothing there is fine. */
function unlinkIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** An empty report file made now: whatever was there (a killed run's leftover, a planted link) is removed first. */
function freshReport(path: string): void {
  unlinkIfPresent(path);
  // 'wx' is O_CREAT|O_EXCL: it never follows a link or reuses a file someone made meanwhile.
  closeSync(openSync(path, 'wx', 0o640));
}

/** The report's text, then the file is gone (the state keeps what counts). */
function takeReport(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  } finally {
    unlinkIfPresent(path);
  }
}

export class ScriptRunner {
  /** The standby that is running replica_sync now. */
  private running: Standby | undefined;
  /** The next run, made ready while idle (see ./prepared-run.ts). */
  private prepared: PreparedRun | undefined;
  private shutDown = false;
  /** The report file was made fresh by `prepare` and no run has used it since. */
  private reportFresh = false;
  /** Every run's environment but the per-run values: the daemon's own, copied once, and the fixed variables. */
  private readonly environment: NodeJS.ProcessEnv;

  constructor(private readonly options: RunnerOptions) {
    const { host, root, report, marker } = options;
    this.environment = {
      ...process.env,
      BACKUP_HOST: host,
      BACKUP_SYNCD_ROOT: root,
      ...(report === undefined ? {} : { [REPORT_VARIABLE]: report }),
      [RUN_MARKER]: marker,
    };
  }

  /**
   * Gets the next run ready while there is time (its standby and list files, unless they are
   * waiting already) and a fresh report file. A failure here is only logged: the run tries
   * again and fails with the reason.
   */
  prepare(): void {
    if (this.shutDown) return;
    try {
      if (!this.prepared?.waiting) {
        this.prepared?.discard();
        // Nothing half-made is kept if the next line throws.
        this.prepared = undefined;
        this.prepared = this.newPrepared();
      }
      const { report } = this.options;
      if (report !== undefined && !this.reportFresh) {
        freshReport(report);
        this.reportFresh = true;
      }
    } catch (error) {
      this.options.logger.warn('prepare-failed', { reason: (error as Error).message });
    }
  }

  async run(diff: Difference): Promise<RunResult> {
    if (this.shutDown) return { ok: false, exitCode: null, signal: null, timedOut: false, durationMs: 0, error: 'the daemon is stopping' };
    const started = performance.now();
    try {
      // The small files of a run are made with synchronous calls: the daemon has nothing else to
      // do meanwhile, and each asynchronous call was a round trip through libuv's thread pool on
      // the path from a new snapshot to replica_sync.
      const next = this.takePrepared(idList(diff.added), idList(diff.removed));
      try {
        return await this.execute(next, diff, started);
      } finally {
        next.discard();
      }
    } finally {
      // Ready for the next run whatever became of this one.
      this.prepare();
    }
  }

  /** Starts the prepared run's standby, waits for replica_sync's end and reads the report. */
  private async execute({ standby }: PreparedRun, diff: Difference, started: number): Promise<RunResult> {
    const { timeoutMs, logger, report } = this.options;
    // Fresh for every run: made by `prepare` after the previous run, or now.
    if (report !== undefined && !this.reportFresh) freshReport(report);
    this.reportFresh = false;
    this.running = standby;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      logger.warn('replica-sync-timeout', { pid: standby.pid, timeoutMs });
      void this.terminate();
    }, timeoutMs);
    let result: RunResult;
    try {
      standby.start(runVariables(diff));
      const { pid, startTime } = standby;
      // Right after the start, off its path: a daemon killed before this line leaves a group that
      // its successor still finds by the marker.
      if (pid !== undefined && startTime !== undefined) {
        try {
          writeGroupRecord(this.options.groupRecord, { pid, startTime });
        } catch (error) {
          logger.warn('group-record-failed', { file: this.options.groupRecord, reason: (error as Error).message });
        }
      }
      if (pid !== undefined) logger.info('replica-sync-start', { pid, added: diff.added.length, removed: diff.removed.length });
      const exit = await standby.exited;
      result = { ...exit, ok: exit.exitCode === 0 && exit.error === undefined && !timedOut, timedOut, durationMs: performance.now() - started };
    } finally {
      clearTimeout(timer);
      this.running = undefined;
      await removeGroupRecord(this.options.groupRecord);
    }
    return report === undefined ? result : { ...result, report: takeReport(report) };
  }

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** Stop the running script (its whole process group): TERM, then KILL after the grace time. */
  async terminate(): Promise<void> {
    const pid = this.running?.pid;
    if (pid !== undefined) await endGroup(pid, this.options.killGraceMs);
  }

  /** No run from now on: the running script is stopped as by `terminate`, the waiting standby ends. */
  async shutdown(): Promise<void> {
    this.shutDown = true;
    const idle = this.prepared;
    this.prepared = undefined;
    idle?.discard();
    await this.terminate();
    await idle?.standby.end(this.options.killGraceMs);
    // Nothing of a run is left behind, the report made ready for the next one included.
    if (this.reportFresh && this.options.report !== undefined) unlinkIfPresent(this.options.report);
    this.reportFresh = false;
  }

  private newPrepared(): PreparedRun {
    const { script, logger } = this.options;
    return new PreparedRun(this.options.listsParent ?? tmpdir(), { script, environment: this.environment, onOutput: (stream, line) => logger.info('replica-sync-output', { stream, line }) });
  }

  /** The prepared run with its lists written, or, if it is gone (or its files are), one made now. */
  private takePrepared(added: string, removed: string): PreparedRun {
    const prepared = this.prepared;
    this.prepared = undefined;
    if (prepared?.waiting) {
      try {
        prepared.writeLists(added, removed);
        return prepared;
      } catch (error) {
        prepared.discard();
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        this.options.logger.info('prepared-run-gone', { dir: prepared.dir, reason: (error as Error).message });
      }
    } else {
      prepared?.discard();
    }
    const now = this.newPrepared();
    try {
      now.writeLists(added, removed);
    } catch (error) {
      now.discard();
      throw error;
    }
    return now;
  }
}
