/** Runs bin/backup-syncd as a real process and follows its log. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { waitFor } from './support';
import type { Drill } from '../support/replica-drill';

export const LAUNCHER = join(__dirname, '..', '..', 'bin', 'backup-syncd');

export interface DaemonProcess {
  readonly child: ChildProcess;
  readonly lines: string[];
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code and signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the launcher with `args`; `command` runs it through another program (for example chpst); `env` adds to the environment. */
export function spawnDaemon(args: readonly string[], command: readonly string[] = [LAUNCHER], env: NodeJS.ProcessEnv = {}): DaemonProcess {
  const child = spawn(command[0]!, [...command.slice(1), ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const lines: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => lines.push(line));
  createInterface({ input: child.stderr! }).on('line', (line) => lines.push(`stderr: ${line}`));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    lines,
    exited,
    async waitForLine(pattern, timeoutMs = 15_000) {
      await waitFor(() => `a log line matching ${pattern} (log so far:\n${lines.join('\n')})`, () => lines.some((line) => pattern.test(line)), timeoutMs);
      return lines.find((line) => pattern.test(line))!;
    },
  };
}

/** Kill by pid, ignoring a process that is already gone. */
export function killQuietly(pid: number | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, signal);
  } catch {
    // gone
  }
}

/** The real backup-syncd for a restore drill's host, as its run script starts it, with a short settle delay. */
export function startSyncd(drill: Pick<Drill, 'context' | 'watchRoot' | 'replicaSync' | 'state' | 'base'>, env: NodeJS.ProcessEnv = {}, extra: readonly string[] = []): DaemonProcess {
  return spawnDaemon([
    '--host', drill.context.host.name, '--watch', drill.watchRoot, '--script', drill.replicaSync, '--state', drill.state,
    '--log-config', join(drill.base, 'no-log-config'), '--settle', '200ms', ...extra,
  ], undefined, env);
}
