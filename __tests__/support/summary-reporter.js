/**
 * Jest's closing summary, then what was skipped and why (the reasons support/tools.ts records in
 * the skip registry, support/skip-registry.ts), the one command that runs everything, and one plain
 * closing line, `tests: N passed, N failed, N skipped`, so that tools reading only the last lines of
 * a run (CI) can tell a run that tested nothing.
 */
const { readFileSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, relative } = require('node:path');
const { SummaryReporter } = require('@jest/reporters');

/** Same name as SKIP_REGISTRY_ENV in skip-registry.ts. */
const SKIP_REGISTRY_ENV = 'BACKUP_SERVER_SKIP_REGISTRY';
const RUN_EVERYTHING = 'sudo bash .ci/run';
const NO_REASON = 'skipped in the test file itself (test.skip, test.todo or -t)';

/** The registry's records, one JSON object a line. */
function parseRegistry(text) {
  return text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line));
}

/** The record explaining a skipped test: its own, or its enclosing block's (the outermost). */
function recordOf(records, testPath, assertion) {
  const own = records.filter((record) => record.testPath === testPath);
  const block = assertion.ancestorTitles.find((title) => own.some((record) => record.kind === 'describe' && record.name === title));
  if (block !== undefined) return { record: own.find((record) => record.kind === 'describe' && record.name === block), path: [...assertion.ancestorTitles.slice(0, assertion.ancestorTitles.indexOf(block) + 1)] };
  const test = own.find((record) => record.kind === 'test' && record.name === assertion.title);
  return test === undefined ? undefined : { record: test, path: [...assertion.ancestorTitles, assertion.title] };
}

/**
 * The skip summary of jest's aggregated results, as lines: per reason, each skipped block (file and
 * titles) with its number of tests. Empty when nothing was skipped.
 */
function skipSummary(results, rootDir, records) {
  const byReason = new Map();
  let skipped = 0;
  for (const file of results.testResults) {
    for (const assertion of file.testResults) {
      if (assertion.status !== 'pending' && assertion.status !== 'todo') continue;
      skipped++;
      const found = recordOf(records, file.testFilePath, assertion);
      const reason = found === undefined ? NO_REASON : found.record.reasons.join('; ');
      const block = `${relative(rootDir, file.testFilePath)}: ${found === undefined ? assertion.fullName : found.path.join(' › ')}`;
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
    // Before jest starts its workers, which inherit the environment.
    this.registry = join(tmpdir(), `jest-skips-${process.pid}.jsonl`);
    writeFileSync(this.registry, '');
    process.env[SKIP_REGISTRY_ENV] = this.registry;
  }

  onRunComplete(contexts, results) {
    super.onRunComplete(contexts, results);
    let records = [];
    try {
      records = parseRegistry(readFileSync(this.registry, 'utf8'));
    } finally {
      rmSync(this.registry, { force: true });
    }
    const skipped = results.numPendingTests + results.numTodoTests;
    const lines = skipSummary(results, this.rootDir, records);
    if (lines.length > 0) process.stdout.write(`\n${lines.join('\n')}\n`);
    process.stdout.write(`tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`);
  }
}

module.exports = ClosingSummaryReporter;
module.exports.skipSummary = skipSummary;
module.exports.SKIP_REGISTRY_ENV = SKIP_REGISTRY_ENV;
