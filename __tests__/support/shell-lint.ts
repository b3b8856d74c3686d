/** The two checks every generated shell text must pass: `sh -n` and shellcheck, warnings included. */
import { spawnSync } from 'node:child_process';

export interface CheckResult {
  readonly status: number | null;
  readonly output: string;
}

/** What a clean script gives: exit 0 and not a word. */
export const CLEAN: CheckResult = { status: 0, output: '' };

function run(command: string, args: readonly string[], text: string): CheckResult {
  const result = spawnSync(command, [...args], { input: text, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** `sh -n`: parses the script without running it. */
export const shellSyntax = (text: string): CheckResult => run('sh', ['-n'], text);

/** shellcheck as POSIX sh, reporting everything down to style notes. */
export const shellcheck = (text: string): CheckResult => run('shellcheck', ['--shell=sh', '--severity=style', '-'], text);
