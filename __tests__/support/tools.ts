/**
 * Tests of real components (runit, shellcheck, restic, ...) skip only on a developer machine
 * without the tool; in CI (CI set) a missing tool fails the suite instead of hiding it.
 */
import { spawnSync } from 'node:child_process';

export function hasTool(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v "$1" >/dev/null 2>&1`, 'sh', tool]).status === 0;
}

export const inCi = (): boolean => Boolean(process.env.CI);
export const isRoot = (): boolean => process.getuid?.() === 0;

/** `describe` when every tool is there; `describe.skip` outside CI; an error in CI. */
export function describeWithTools(tools: readonly string[], name: string, body: () => void): void {
  const missing = tools.filter((tool) => !hasTool(tool));
  if (missing.length === 0) return describe(name, body);
  if (inCi()) {
    describe(name, () => {
      test(`needs ${missing.join(', ')}`, () => {
        throw new Error(`CI is set but ${missing.join(', ')} is not installed: .ci/run must install it`);
      });
    });
    return;
  }
  describe.skip(`${name} (skipped: ${missing.join(', ')} not installed)`, body);
}

/** Like describeWithTools, and also needs root (network namespaces, chown, runit as root). */
export function describeAsRootWithTools(tools: readonly string[], name: string, body: () => void): void {
  if (isRoot()) return describeWithTools(tools, name, body);
  if (inCi()) {
    describe(name, () => {
      test('needs root', () => {
        throw new Error('CI is set but the tests do not run as root');
      });
    });
    return;
  }
  describe.skip(`${name} (skipped: not root)`, body);
}
