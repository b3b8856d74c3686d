/**
 * The skip registry: tools.ts writes the reasons into the titles of skipped blocks, and the summary
 * reporter reads them back at the end of the run, so the two must agree on the format.
 */
import { join } from 'node:path';
import { hasAccount, hasTool, skippedTitle, skipReasons, unmetNeeds } from '../support/tools';

interface Assertion {
  readonly status: string;
  readonly title: string;
  readonly ancestorTitles: readonly string[];
  readonly fullName: string;
}
type SkipSummary = (results: { testResults: { testFilePath: string; testResults: Assertion[] }[] }, rootDir: string) => string[];
const { skipSummary } = require('../support/summary-reporter.js') as { skipSummary: SkipSummary };

const ROOT = '/checkout';
const assertion = (status: string, ancestorTitles: string[], title: string): Assertion =>
  ({ status, title, ancestorTitles, fullName: [...ancestorTitles, title].join(' ') });

test('a title carries its reasons and gives them back', () => {
  const title = skippedTitle('end to end', ['not root', 'no account backups']);
  expect(title).toBe('end to end (skipped: not root; no account backups)');
  expect(skipReasons(title)).toEqual(['not root', 'no account backups']);
  expect(skipReasons('end to end (with a remark)')).toEqual([]);
});

test('the summary names each skipped block under its reason, and the command that runs everything', () => {
  const results = {
    testResults: [
      { testFilePath: join(ROOT, '__tests__/e2e/minio.test.ts'), testResults: [
        assertion('pending', [skippedTitle('end to end', ['not root', 'no account backups'])], 'deploys'),
        assertion('pending', [skippedTitle('end to end', ['not root', 'no account backups'])], 'removes'),
      ] },
      { testFilePath: join(ROOT, '__tests__/plan/diff.test.ts'), testResults: [
        assertion('passed', ['diff kinds'], 'adopted'),
        assertion('pending', ['diff kinds'], skippedTitle('unchanged', ['not root'])),
        assertion('pending', ['diff kinds'], 'left out by hand'),
      ] },
    ],
  };
  expect(skipSummary(results, ROOT)).toEqual([
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
  expect(skipSummary({ testResults: [{ testFilePath: join(ROOT, 'a.test.ts'), testResults: [assertion('passed', [], 'a')] }] }, ROOT)).toEqual([]);
});

test('needs are checked against this machine', () => {
  expect(hasTool('sh')).toBe(true);
  expect(hasTool('no-such-tool-here')).toBe(false);
  expect(hasAccount('root')).toBe(true);
  expect(hasAccount('no-such-account')).toBe(false);
  expect(unmetNeeds({ tools: ['sh', 'no-such-tool-here'], accounts: ['no-such-account'] })).toEqual(['no-such-tool-here not installed', 'no account no-such-account']);
  expect(unmetNeeds({ root: true })).toEqual(process.getuid?.() === 0 ? [] : ['not root']);
});
