/**
 * One replica_sync process started ahead of need (the protocol is ./standby-protocol.ts).
 *
 * Why: node starts a child by forking the whole daemon (about 40 MiB mapped) and waiting for the
 * exec, about 2.5 ms on these machines, which was most of the latency from a new snapshot to
 * replica_sync. A standby pays that while the daemon is idle: a run only writes one message to a
 * pipe, and the waiting shell execs the script at once. An idle standby costs one small shell
 * (about 0.3 MiB not shared with other processes).
 *
 * It is spawned exactly as a run always was: its own session and process group (so a timeout or
 * a stop ends everything the script starts), the run's fixed environment with the marker of
 * ./process-group.ts (so a successor daemon finds it after a kill -9, idle or running), standard
 * input a pipe only the daemon writes, output lines to the daemon's log. If the daemon dies, the
 * pipe closes and an idle standby exits without running anything.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { forEachLine } from './output-lines';
import { processStartTime } from './process-group';
import { STANDBY_NAME, STANDBY_PROGRAM, standbyMessage, type RunVariables } from './standby-protocol';

/** The shell that runs the standby program: an absolute path, never a PATH lookup. */
export const STANDBY_SHELL = '/bin/sh';

export interface StandbyOptions {
  /** replica_sync. */
  readonly script: string;
  /** Its arguments: the files that will list the added and the removed snapshot ids. */
  readonly args: readonly [addedList: string, removedList: string];
  /** The environment of every run: the daemon's own, the fixed variables and the marker. */
  readonly environment: NodeJS.ProcessEnv;
  /** Each line the script (or the shell) writes. */
  readonly onOutput: (stream: 'stdout' | 'stderr', line: string) => void;
}

export interface StandbyExit {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Set when the shell could not be started at all. */
  readonly error?: string;
}

export class Standby {
  /** Resolves once the process is gone and all its output has been passed on. */
  readonly exited: Promise<StandbyExit>;
  private readonly child: ChildProcess | undefined;
  private readonly startTimeOfPid: string | undefined;
  private gone = false;
  private started = false;

  constructor(options: StandbyOptions) {
    let child: ChildProcess | undefined;
    let spawnError: Error | undefined;
    try {
      child = spawn(STANDBY_SHELL, ['-c', STANDBY_PROGRAM, STANDBY_NAME, options.script, ...options.args], {
        detached: true,
        stdio: ['pipe', 'pipe', 'pipe'],
        env: options.environment,
      });
    } catch (error) {
      spawnError = error as Error;
    }
    this.child = child;
    if (child === undefined) {
      this.gone = true;
      this.exited = Promise.resolve({ exitCode: null, signal: null, error: spawnError?.message ?? 'spawn failed' });
      return;
    }
    // A write to a shell that is already gone fails with EPIPE; its exit tells the rest.
    // (The pipes are missing only when the spawn itself failed: 'error' and 'close' follow.)
    child.stdin?.on('error', () => {});
    for (const [stream, source] of [['stdout', child.stdout], ['stderr', child.stderr]] as const) {
      if (source !== null) forEachLine(source, (line) => options.onOutput(stream, line));
    }
    this.exited = new Promise((resolve) => {
      let error: string | undefined;
      child.on('error', (failure) => {
        error = failure.message;
      });
      // 'close' waits for the output streams, so every line is passed on before the exit.
      child.on('close', (exitCode, signal) => {
        this.gone = true;
        resolve(error === undefined ? { exitCode, signal } : { exitCode, signal, error });
      });
    });
    if (child.pid !== undefined) this.startTimeOfPid = processStartTime(child.pid);
  }

  /** The process (and, after `start`, replica_sync's) pid; undefined if it never started. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** /proc start time of `pid`, read when it was spawned (an exec keeps it). */
  get startTime(): string | undefined {
    return this.startTimeOfPid;
  }

  /** Still waiting for its message: alive, and not yet started or discarded. */
  get waiting(): boolean {
    return !this.gone && !this.started && this.child?.pid !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Runs replica_sync with the run's own variables: one write, then the shell execs it. */
  start(variables: RunVariables): void {
    if (this.started) throw new Error('a standby runs replica_sync once');
    this.started = true;
    this.child?.stdin?.end(standbyMessage(variables));
  }

  /** No run after all: end of input makes a waiting standby exit 0 without running anything. */
  discard(): void {
    this.started = true;
    this.child?.stdin?.end();
  }

  /**
   * Discards a standby that never ran and resolves once it is gone. It has started nothing, so
   * one that has not exited after `graceMs` (stopped, say) is killed outright.
   */
  async end(graceMs: number): Promise<StandbyExit> {
    this.discard();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), graceMs);
    });
    const first = await Promise.race([this.exited, late]);
    clearTimeout(timer);
    const child = this.child;
    // Not reaped yet (no exit status), so the pid is still this shell's own.
    if (first === 'late' && child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Gone meanwhile.
      }
    }
    return this.exited;
  }
}
