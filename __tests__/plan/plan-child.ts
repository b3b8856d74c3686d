/**
 * `npm run plan` in a child process, as operators run it, with a time limit (a plan that blocks on a
 * FIFO is killed and seen as such) and its peak resident memory, read from the child itself.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostConfig } from '../../lib/config/types';
import { SERVER_NAME } from './disk-fixtures';

const REPO = join(__dirname, '..', '..');
const CLI = join(REPO, 'lib', 'plan', 'cli');

export interface PlanChildRun {
  readonly status: number | null;
  /** The signal that ended it: SIGTERM when the time limit was reached. */
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Peak resident set size of the child, in KiB. */
  readonly maxRssKib: number;
}

const RUNNER = `
const { runPlanCli } = require(${JSON.stringify(CLI)});
process.exitCode = runPlanCli(process.argv.slice(1), { stdout: process.stdout, stderr: process.stderr, env: process.env });
process.on('exit', () => process.stderr.write('maxRSS=' + process.resourceUsage().maxRSS + '\\n'));
`;

/** A hosts file for `root` listing `hosts`, next to the root. */
export function writeHostsFile(root: string, hosts: readonly HostConfig[]): string {
  const file = join(root, '..', 'hosts.ts');
  writeFileSync(file, `export default ${JSON.stringify({ server: { serverName: SERVER_NAME, root: '/nonexistent/root' }, hosts })};\n`);
  return file;
}

export function planChild(root: string, args: readonly string[], timeoutMs = 60_000): PlanChildRun {
  const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', RUNNER, '--', '--root', root, '--disk-only', '--no-color', ...args], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
  const match = /maxRSS=(\d+)\n$/.exec(result.stderr ?? '');
  return {
    status: result.status,
    signal: result.signal,
    stdout: result.stdout ?? '',
    stderr: (result.stderr ?? '').replace(/maxRSS=\d+\n$/, ''),
    maxRssKib: match === null ? Number.NaN : Number(match[1]),
  };
}
