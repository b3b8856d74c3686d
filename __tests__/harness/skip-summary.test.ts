/**
 * The skip registry: tools.ts records every skip with its reasons (skip-registry.ts), and the
 * summary reporter reads the records back at the end of the run, so the two must agree.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordSkip, SKIP_REGISTRY_ENV, type SkipRecord } from '../support/skip-registry';
import { hasAccount, hasTool, unmetNeeds } from '../support/tools';

interface Assertion {
  readonly status: string;
  readonly title: string;
  readonly ancestorTitles: readonly string[];
  readonly fullName: string;
}
interface Results { testResults: { testFilePath: string; testResults: Assertion[] }[] }
const reporter = require('../support/summary-reporter.js') as {
  skipSummary: (results: Results, rootDir: string, records: readonly SkipRecord[]) => string[];
  SKIP_REGISTRY_ENV: string;
};

const ROOT = '/checkout';
const E2E = join(ROOT, '__tests__/e2e/minio.test.ts');
const DIFF = join(ROOT, '__tests__/plan/diff.test.ts');
const assertion = (status: string, ancestorTitles: string[], title: string): Assertion =>
  ({ status, title, ancestorTitles, fullName: [...ancestorTitles, title].join(' ') });

test('the reporter names the registry in the environment variable the test files write to', () => {
  expect(reporter.SKIP_REGISTRY_ENV).toBe(SKIP_REGISTRY_ENV);
});

test('a skip is recorded with this file, the block and its reasons', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skip-registry-'));
  const saved = process.env[SKIP_REGISTRY_ENV];
  try {
    process.env[SKIP_REGISTRY_ENV] = join(dir, 'registry.jsonl');
    recordSkip('describe', 'end to end', ['not root', 'no account backups']);
    const records = readFileSync(join(dir, 'registry.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as SkipRecord);
    expect(records).toEqual([{ testPath: __filename, kind: 'describe', name: 'end to end', reasons: ['not root', 'no account backups'] }]);
  } finally {
    process.env[SKIP_REGISTRY_ENV] = saved;
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the summary names each skipped block under its reason, and the command that runs everything', () => {
  const results: Results = {
    testResults: [
      { testFilePath: E2E, testResults: [assertion('pending', ['end to end'], 'deploys'), assertion('pending', ['end to end'], 'removes')] },
      { testFilePath: DIFF, testResults: [
        assertion('passed', ['diff kinds'], 'adopted'),
        assertion('pending', ['diff kinds'], 'unchanged'),
        assertion('pending', ['diff kinds'], 'left out by hand'),
      ] },
    ],
  };
  const records: SkipRecord[] = [
    { testPath: E2E, kind: 'describe', name: 'end to end', reasons: ['not root', 'no account backups'] },
    { testPath: DIFF, kind: 'test', name: 'unchanged', reasons: ['not root'] },
  ];
  expect(reporter.skipSummary(results, ROOT, records)).toEqual([
    'Skipped 4 tests that cannot run here; `sudo bash .ci/run` runs everything (with CI set nothing skips):',
    '  not root (1):',
    '    __tests__/plan/diff.test.ts: diff kinds › unchanged (1)',
    '  not root; no account backups (2):',
    '    __tests__/e2e/minio.test.ts: end to end (2)',
    '  skipped in the test file itself (test.skip, test.todo or -t) (1):',
    '    __tests__/plan/diff.test.ts: diff kinds left out by hand (1)',
  ]);
});

test('nothing skipped: no summary', () => {
  expect(reporter.skipSummary({ testResults: [{ testFilePath: E2E, testResults: [assertion('passed', [], 'a')] }] }, ROOT, [])).toEqual([]);
});

test('needs are checked against this machine', () => {
  expect(hasTool('sh')).toBe(true);
  expect(hasTool('no-such-tool-here')).toBe(false);
  expect(hasAccount('root')).toBe(true);
  expect(hasAccount('no-such-account')).toBe(false);
  expect(unmetNeeds({ tools: ['sh', 'no-such-tool-here'], accounts: ['no-such-account'] })).toEqual(['no-such-tool-here not installed', 'no account no-such-account']);
  expect(unmetNeeds({ root: true })).toEqual(process.getuid?.() === 0 ? [] : ['not root']);
});
