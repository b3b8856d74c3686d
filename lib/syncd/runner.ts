/**
 * Runs replica_sync once with the original's contract: $1 and $2 are files listing the added and
 * the removed snapshot ids, NUL-separated; the environment adds the host, the root, the ids and
 * the changed repositories. Its output goes line by line into the daemon's log.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseSnapshotKey, type SnapshotRef } from './detection';
import type { Logger } from './logger';
import { RUN_MARKER, endGroup, processStartTime, removeGroupRecord, writeGroupRecord } from './process-group';
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

/** The environment of one run, beyond the daemon's own. */
export function runEnvironment(host: string, root: string, diff: Difference): Record<string, string> {
  const added = refs(diff.added);
  const removed = refs(diff.removed);
  const repositories = [...new Set([...added, ...removed].map((ref) => ref.repository))].sort();
  return {
    BACKUP_HOST: host,
    BACKUP_SYNCD_ROOT: root,
    BACKUP_SYNCD_ADDED: added.map((ref) => ref.id).join(' '),
    BACKUP_SYNCD_REMOVED: removed.map((ref) => ref.id).join(' '),
    BACKUP_SYNCD_REPOSITORIES: repositories.join('\n'),
  };
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
  private child: ChildProcess | undefined;
  /** The daemon's own environment, copied once: reading process.env is a call into node per variable. */
  private readonly baseEnvironment: NodeJS.ProcessEnv = { ...process.env };

  constructor(private readonly options: RunnerOptions) {}

  async run(diff: Difference): Promise<RunResult> {
    const { script, host, root, timeoutMs, logger } = this.options;
    const started = performance.now();
    // The small files of a run are made with synchronous calls: the daemon has nothing else to do
    // meanwhile, and each asynchronous call was a round trip through libuv's thread pool on the
    // path from a new snapshot to replica_sync.
    const dir = mkdtempSync(join(tmpdir(), 'backup-syncd-'));
    const addedFile = join(dir, 'added');
    const removedFile = join(dir, 'removed');
    const { report } = this.options;
    try {
      writeFileSync(addedFile, idList(diff.added));
      writeFileSync(removedFile, idList(diff.removed));
      if (report !== undefined) freshReport(report);
      const result = await new Promise<RunResult>((resolve) => {
        let timedOut = false;
        let settled = false;
        const finish = (result: Omit<RunResult, 'durationMs' | 'timedOut'>): void => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          this.child = undefined;
          void removeGroupRecord(this.options.groupRecord).finally(() =>
            resolve({ ...result, timedOut, ok: result.ok && !timedOut, durationMs: performance.now() - started }),
          );
        };
        const child = spawn(script, [addedFile, removedFile], {
          detached: true,
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...this.baseEnvironment, ...runEnvironment(host, root, diff), ...(report === undefined ? {} : { [REPORT_VARIABLE]: report }), [RUN_MARKER]: this.options.marker },
        });
        this.child = child;
        const timer = setTimeout(() => {
          timedOut = true;
          logger.warn('replica-sync-timeout', { pid: child.pid, timeoutMs });
          void this.terminate();
        }, timeoutMs);
        if (child.pid !== undefined) {
          const startTime = processStartTime(child.pid);
          try {
            if (startTime !== undefined) writeGroupRecord(this.options.groupRecord, { pid: child.pid, startTime });
          } catch (error) {
            logger.warn('group-record-failed', { file: this.options.groupRecord, reason: (error as Error).message });
          }
          logger.info('replica-sync-start', { pid: child.pid, added: diff.added.length, removed: diff.removed.length });
        }
        for (const [stream, source] of [['stdout', child.stdout], ['stderr', child.stderr]] as const) {
          createInterface({ input: source! }).on('line', (line) => logger.info('replica-sync-output', { stream, line }));
        }
        child.on('error', (error) => finish({ ok: false, exitCode: null, signal: null, error: error.message }));
        // 'close' waits for the output streams, so every line is logged before the result.
        child.on('close', (exitCode, signal) => finish({ ok: exitCode === 0, exitCode, signal }));
      });
      return report === undefined ? result : { ...result, report: takeReport(report) };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  get isRunning(): boolean {
    return this.child !== undefined;
  }

  /** Stop the running script (its whole process group): TERM, then KILL after the grace time. */
  async terminate(): Promise<void> {
    const pid = this.child?.pid;
    if (pid !== undefined) await endGroup(pid, this.options.killGraceMs);
  }
}
