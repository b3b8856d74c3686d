/** The real restic client, run for tests. */
import { spawn } from 'node:child_process';

export interface ResticResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Whether the run was interrupted because its stderr matched `stopOn`. */
  readonly stopped: boolean;
}

/**
 * Runs restic until it ends or, with `stopOn`, interrupts it (INT, then KILL after 5 s) once its
 * stderr matches: restic 0.14 retries a refused request for about 40 s, and the refusal is what
 * a test wants to see.
 */
export function runRestic(args: readonly string[], env: NodeJS.ProcessEnv, stopOn?: RegExp): Promise<ResticResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('restic', [...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let stopped = false;
    let killTimer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stopOn !== undefined && !stopped && stopOn.test(stderr)) {
        stopped = true;
        child.kill('SIGINT');
        killTimer = setTimeout(() => child.kill('SIGKILL'), 5000);
      }
    });
    child.once('error', reject);
    child.once('close', (status) => {
      if (killTimer !== undefined) clearTimeout(killTimer);
      resolve({ status, stdout, stderr, stopped });
    });
  });
}
