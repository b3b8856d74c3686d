/** runit from the tests' side: the top-level runsvdir as the systemd unit runs it, and `sv status`. */
import { spawn, spawnSync } from 'node:child_process';
import { serverPaths } from '../../../lib/layout/paths';

export interface Supervisor {
  readonly pid: number;
  /** Resolves with runsvdir's exit code (111 after HUP) or the signal that ended it. */
  readonly exited: Promise<number | NodeJS.Signals>;
  /** False once it exited (its pid may then belong to another process). */
  running(): boolean;
}

/**
 * `runsvdir -P <root>/conf/runit/` as root, in <root> with umask 002: what backup-minio.service
 * (lib/render/systemd-unit.ts) runs. Its own process group, so it outlives nothing by accident.
 */
export function startSupervisor(root: string): Supervisor {
  const child = spawn('/bin/sh', ['-c', 'umask 002; exec runsvdir -P "$1/"', 'sh', serverPaths(root).runit], {
    cwd: root,
    detached: true,
    stdio: 'ignore',
  });
  if (child.pid === undefined) throw new Error('runsvdir did not start');
  let running = true;
  const exited = new Promise<number | NodeJS.Signals>((resolve) => child.on('exit', (code, signal) => {
    running = false;
    resolve(code ?? signal!);
  }));
  return { pid: child.pid, exited, running: () => running };
}

export interface ServiceStatus {
  /** 'run', 'down', 'finish', or 'unsupervised' when no runsv controls the directory. */
  readonly state: string;
  readonly pid: number | undefined;
  readonly log: { readonly state: string; readonly pid: number | undefined } | undefined;
  readonly text: string;
}

/** Parses `sv status <dir>`: "run: <dir>: (pid 12) 3s; run: log: (pid 11) 3s". */
export function serviceStatus(serviceDirectory: string): ServiceStatus {
  const result = spawnSync('sv', ['status', serviceDirectory], { encoding: 'utf8' });
  const text = `${result.stdout}${result.stderr}`.trim();
  const main = /^(\w+): [^:]+: (?:\(pid (\d+)\))?/.exec(text);
  if (result.status !== 0 || main === null) return { state: 'unsupervised', pid: undefined, log: undefined, text };
  const log = /; (\w+): log: (?:\(pid (\d+)\))?/.exec(text);
  const pid = (value: string | undefined) => (value === undefined ? undefined : Number(value));
  return {
    state: main[1]!,
    pid: pid(main[2]),
    log: log === null ? undefined : { state: log[1]!, pid: pid(log[2]) },
    text,
  };
}

/** Polls `condition` until it returns a value other than undefined/false; fails with `describe()` after the timeout. */
export async function waitFor<T>(description: string, condition: () => T | undefined | false, options: { timeoutMs?: number; intervalMs?: number; describe?: () => string } = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  for (;;) {
    const value = condition();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${description}${options.describe ? `\n${options.describe()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 200));
  }
}

/** Waits until the service and its log service run, and returns their status. */
export function waitForRunning(serviceDirectory: string, timeoutMs = 20_000): Promise<ServiceStatus> {
  let last: ServiceStatus | undefined;
  return waitFor(`${serviceDirectory} to run`, () => {
    last = serviceStatus(serviceDirectory);
    return last.state === 'run' && last.pid !== undefined && (last.log === undefined || last.log.state === 'run') ? last : undefined;
  }, { timeoutMs, describe: () => `last sv status: ${last?.text ?? 'none'}` });
}
