/**
 * Jest's closing summary, then what was skipped and why (the reasons `support/tools.ts` puts in the titles of
 * skipped blocks, `(skipped: <reason>; <reason>)`), the one command that runs everything, and one
 * plain closing line, `tests: N passed, N failed, N skipped`, so that tools reading only the last
 * lines of a run (CI) can tell a run that tested nothing.
 */
const { relative } = require('node:path');
const { SummaryReporter } = require('@jest/reporters');

const SKIP_MARK = /\(skipped: ([^()]*)\)$/;
const RUN_EVERYTHING = 'sudo bash .ci/run';

/** The reason a skipped test carries in its own title or in a block's, or undefined. */
function reasonOf(assertion) {
  for (const title of [assertion.title, ...[...assertion.ancestorTitles].reverse()]) {
    const match = SKIP_MARK.exec(title);
    if (match) return match[1];
  }
  return undefined;
}

/** The title path of the outermost block carrying the reason, without the mark: what was skipped. */
function blockOf(assertion) {
  const titles = [...assertion.ancestorTitles, assertion.title];
  const marked = titles.findIndex((title) => SKIP_MARK.test(title));
  return titles.slice(0, marked + 1).map((title) => title.replace(SKIP_MARK, '').trim()).join(' › ');
}

/**
 * The skip summary of jest's aggregated results, as lines: per reason, each skipped block (file and
 * title) with its number of tests. Empty when nothing was skipped.
 */
function skipSummary(results, rootDir) {
  const byReason = new Map();
  let skipped = 0;
  for (const file of results.testResults) {
    for (const assertion of file.testResults) {
      if (assertion.status !== 'pending' && assertion.status !== 'todo') continue;
      skipped++;
      const reason = reasonOf(assertion) ?? 'skipped in the test file itself (test.skip, test.todo or -t)';
      const block = `${relative(rootDir, file.testFilePath)}: ${reasonOf(assertion) === undefined ? assertion.fullName : blockOf(assertion)}`;
      const blocks = byReason.get(reason) ?? new Map();
      blocks.set(block, (blocks.get(block) ?? 0) + 1);
      byReason.set(reason, blocks);
    }
  }
  if (skipped === 0) return [];
  const lines = [`Skipped ${skipped} test${skipped === 1 ? '' : 's'} that cannot run here; \`${RUN_EVERYTHING}\` runs everything (with CI set nothing skips):`];
  for (const [reason, blocks] of [...byReason].sort(([a], [b]) => a.localeCompare(b))) {
    const count = [...blocks.values()].reduce((sum, n) => sum + n, 0);
    lines.push(`  ${reason} (${count}):`);
    for (const [block, n] of [...blocks].sort(([a], [b]) => a.localeCompare(b))) lines.push(`    ${block} (${n})`);
  }
  return lines;
}

class ClosingSummaryReporter extends SummaryReporter {
  constructor(globalConfig, options) {
    super(globalConfig, options);
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(contexts, results) {
    super.onRunComplete(contexts, results);
    const skipped = results.numPendingTests + results.numTodoTests;
    const lines = skipSummary(results, this.rootDir);
    if (lines.length > 0) process.stdout.write(`\n${lines.join('\n')}\n`);
    process.stdout.write(`tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`);
  }
}

module.exports = ClosingSummaryReporter;
module.exports.skipSummary = skipSummary;
