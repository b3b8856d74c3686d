/**
 * Tests of real components (runit, shellcheck, restic, ...), of root-only steps and of service
 * accounts skip only on a machine without what they need, and only when `CI` is unset; in CI a
 * missing need fails the suite instead of hiding it. Every skip is recorded with its reasons in the
 * skip registry (skip-registry.ts), which the summary reporter prints at the end of the run. Titles
 * stay as written: a snapshot is stored under its test's title.
 */
import { spawnSync } from 'node:child_process';
import { SERVICE_ACCOUNT } from './accounts';
import { recordSkip } from './skip-registry';

export function hasTool(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v "$1" >/dev/null 2>&1`, 'sh', tool]).status === 0;
}

export const inCi = (): boolean => Boolean(process.env.CI);
export const isRoot = (): boolean => process.getuid?.() === 0;

/**
 * Whether the system account `name` exists with a primary group of the same name, as `.ci/run`
 * and the deploy create service accounts (`chpst -u name:name` needs both).
 */
export function hasAccount(name: string): boolean {
  const run = (flag: string) => spawnSync('id', [flag, name], { encoding: 'utf8' });
  return run('-u').status === 0 && run('-gn').stdout.trim() === name;
}

/** The tools the deploy uses to create per-host accounts (docs/security.md). */
export const ACCOUNT_TOOLS = ['useradd', 'groupadd', 'usermod'] as const;

/** Whether tests may create system accounts here: root, with the shadow tools. */
export const canCreateAccounts = (): boolean => isRoot() && ACCOUNT_TOOLS.every(hasTool);

/** What a block of tests needs of the machine. */
export interface Needs {
  /** Commands that must be on PATH. */
  readonly tools?: readonly string[];
  /** Runs as root (chown, network namespaces, runit dropping privileges). */
  readonly root?: boolean;
  /** System accounts that must exist (e.g. SERVICE_ACCOUNT, which `.ci/run` creates). */
  readonly accounts?: readonly string[];
  /** Creates system accounts of its own: root and useradd/groupadd/usermod. */
  readonly accountCreation?: boolean;
}

/**
 * The needs of tests that deploy hosts: root, the legacy account `backups` (its group reads the test
 * TLS key), and account creation (the deploy makes each host's storage and replicator accounts).
 */
export const SERVICE_ACCOUNT_NEEDS: Needs = { root: true, accounts: [SERVICE_ACCOUNT], accountCreation: true };

/** Why `needs` cannot be met here, one reason each; empty when they can. */
export function unmetNeeds(needs: Needs): string[] {
  const reasons: string[] = [];
  if ((needs.root || needs.accountCreation) && !isRoot()) reasons.push('not root');
  const tools = [...(needs.tools ?? []), ...(needs.accountCreation ? ACCOUNT_TOOLS : [])];
  const missingTools = [...new Set(tools)].filter((tool) => !hasTool(tool));
  if (missingTools.length > 0) reasons.push(`${missingTools.join(', ')} not installed`);
  for (const account of needs.accounts ?? []) if (!hasAccount(account)) reasons.push(`no account ${account}`);
  return reasons;
}

const ciFailure = (reasons: readonly string[]): Error =>
  new Error(`CI is set but this test cannot run here (${reasons.join('; ')}): .ci/run must provide it`);

/** `describe` when `needs` are met; skipped with its reasons outside CI; a failing test in CI. */
export function describeWith(needs: Needs, name: string, body: () => void): void {
  const reasons = unmetNeeds(needs);
  if (reasons.length === 0) return describe(name, body);
  if (inCi()) {
    describe(name, () => {
      test(`needs ${reasons.join('; ')}`, () => {
        throw ciFailure(reasons);
      });
    });
    return;
  }
  recordSkip('describe', name, reasons);
  describe.skip(name, body);
}

/** One test with needs of its own, inside a block whose other tests run anywhere. */
export function testWith(needs: Needs, name: string, fn: jest.ProvidesCallback, timeout?: number): void {
  const reasons = unmetNeeds(needs);
  if (reasons.length === 0) return test(name, fn, timeout);
  if (inCi()) {
    test(name, () => {
      throw ciFailure(reasons);
    });
    return;
  }
  recordSkip('test', name, reasons);
  test.skip(name, fn, timeout);
}

/** `describe` when every tool is there; skipped outside CI; an error in CI. */
export function describeWithTools(tools: readonly string[], name: string, body: () => void): void {
  describeWith({ tools }, name, body);
}

/** Like describeWithTools, and also needs root (network namespaces, chown, runit as root). */
export function describeAsRootWithTools(tools: readonly string[], name: string, body: () => void): void {
  describeWith({ tools, root: true }, name, body);
}

/** Root, the tools, the account `backups` and account creation: tests that deploy hosts (SERVICE_ACCOUNT_NEEDS). */
export function describeAsRootWithServiceAccount(tools: readonly string[], name: string, body: () => void): void {
  describeWith({ ...SERVICE_ACCOUNT_NEEDS, tools }, name, body);
}

/** Root, the tools, and useradd/groupadd/usermod: tests that create accounts as the deploy does. */
export function describeAsRootWithAccountCreation(tools: readonly string[], name: string, body: () => void): void {
  describeWith({ tools, root: true, accountCreation: true }, name, body);
}
