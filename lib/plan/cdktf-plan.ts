/**
 * The second half of `npm run plan`: `cdktf plan` for the stack, after the disk plan found no
 * conflict. PLAN_CDKTF_COMMAND replaces the command (a shell command line): tests use it, and so
 * can operators with a wrapper. It needs terraform and its providers, so tests never run the real one.
 */
import { spawnSync } from 'node:child_process';

export const CDKTF_COMMAND_VARIABLE = 'PLAN_CDKTF_COMMAND';

export interface CdktfPlanOptions {
  readonly env: NodeJS.ProcessEnv;
  /** Send the command's stdout to stderr, keeping stdout machine-readable (--json, --markdown). */
  readonly stdoutToStderr: boolean;
}

/** Loaded only here: the stack module pulls in cdktf (about half a second), which the disk plan never needs. */
function defaultStackName(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../constructs/backup-server-stack') as typeof import('../constructs/backup-server-stack')).DEFAULT_STACK_NAME;
}

/** Runs the command with inherited streams; returns its exit status (127 when it cannot start). */
export function runCdktfPlan(options: CdktfPlanOptions): number {
  const custom = options.env[CDKTF_COMMAND_VARIABLE];
  const [command, args] = custom === undefined || custom === '' ? ['cdktf', ['plan', defaultStackName()]] : ['sh', ['-c', custom]];
  const result = spawnSync(command, args, {
    stdio: ['inherit', options.stdoutToStderr ? process.stderr : 'inherit', 'inherit'],
    env: { CHECKPOINT_DISABLE: '1', DISABLE_VERSION_CHECK: '1', ...options.env },
  });
  if (result.error !== undefined) {
    process.stderr.write(`plan: cannot run ${command}: ${result.error.message}\n`);
    return 127;
  }
  return result.status ?? 1;
}
